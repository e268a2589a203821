#!/bin/sh
# The hub's own switch (tap mode): with switch: hub (the default),
# frames between two endpoints never touch the hub-side taps (their
# kernel counters stay still) while pings, a TCP transfer and the
# per-endpoint counters are as through the bridge; a frame to another
# endpoint's MAC with a foreign source MAC is still dropped as spoof;
# broadcasts (ARP) still cross the bridge; a reload to switch: bridge
# sends the same traffic through the taps, with the same counters.
set -u
TESTNAME=sw
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

tapstat() { ip -n "$NS-$1" -s -j link show "$2" | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['stats64']['$3']['packets'])"; }
# epstat USER FIELD: the hub's counter for USER's session
epstat() { hubctl -j show endpoints | python3 -c "import json,sys; print({x['user']: x for x in json.load(sys.stdin)}['$1']['$2'])"; }
spoofs() { hubctl -j show status | python3 -c 'import json,sys; print(json.load(sys.stdin)["drops_by_reason"]["spoof"])'; }
# pings N: N pings a -> b, all answered
pings() { ip netns exec "$NS-a" ping -q -c "$1" -i 0.02 -W 2 "$B" >"$T/ping.out" && grep -q " 0% packet loss" "$T/ping.out"; }
# run_pings N: N pings, and the deltas of bob's hub-side tap (frames the
# bridge sent to it) and of the hub's counters for alice and bob.
run_pings() {
	t0=$(tapstat hub vl-bob tx) a0=$(epstat alice tx_packets) b0=$(epstat bob rx_packets)
	pings "$1"
	OK=$?
	TAP=$(($(tapstat hub vl-bob tx) - t0))
	ATX=$(($(epstat alice tx_packets) - a0))
	BRX=$(($(epstat bob rx_packets) - b0))
	echo "     $1 pings: vl-bob sent $TAP frames; alice sent $ATX, bob got $BRX (hub's counters)"
}
# frame FROM_MAC TO_MAC MARK: a's host writes one frame into its tap
frame() {
	ip netns exec "$NS-a" python3 -c '
import socket, sys
src, dst, mark = bytes.fromhex(sys.argv[1]), bytes.fromhex(sys.argv[2]), sys.argv[3].encode()
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("vl0", 0))
s.send(dst + src + b"\x88\xb5" + b"vland-l2-test-" + mark + b"\0" * 30)' "$1" "$2" "$3"
}
hexmac() { echo "$1" | tr -d :; }

vl_standard
vl_endpoints_up
A=$(ep_ip a)
B=$(ep_ip b)
check "hub switch: a pings b" pingok a "$B"
check "hub switch: b pings a" pingok b "$A"
check "hub switch: a pings the hub (the bridge's MAC)" pingok a 192.168.123.254
run_pings 100
check "hub switch: 100 pings a -> b, none lost" [ "$OK" -eq 0 ]
# (a few multicast frames, IPv6 router and neighbour solicitations of
# the endpoints' kernels, cross the bridge meanwhile)
check "hub switch: almost none of them through bob's hub-side tap" [ "$TAP" -lt 25 ]
# in_range N: 100 frames, and at most a little background (as above)
in_range() { [ "$1" -ge 100 ] && [ "$1" -le 125 ]; }
check "hub switch: alice's counter saw her 100 requests" in_range "$ATX"
check "hub switch: bob's counter saw them arrive" in_range "$BRX"

ip netns exec "$NS-b" python3 "$HERE/tcpxfer.py" serve "$B" 5001 20000000 >"$T/xfer.out" &
XPID=$!
sleep 0.5
t0=$(tapstat hub vl-bob tx)
ip netns exec "$NS-a" python3 "$HERE/tcpxfer.py" send "$B" 5001 20000000
wait "$XPID"
check "hub switch: 20 MB of TCP a -> b arrive whole" grep -qx OK "$T/xfer.out"
check "hub switch: and not through bob's hub-side tap" [ $(($(tapstat hub vl-bob tx) - t0)) -lt 50 ]

# Source checks come first: a frame to bob's MAC from a MAC that is not
# alice's is dropped, not switched.
ip netns exec "$NS-b" python3 "$HERE/l2inject.py" capture vl0 2 >"$T/seen" &
CAP=$!
sleep 0.5
s0=$(spoofs)
frame 020000000099 "$(hexmac "$(ep_mac b)")" foreign-mac
frame "$(hexmac "$(ep_mac a)")" "$(hexmac "$(ep_mac b)")" legit
wait "$CAP"
echo "     b saw: $(tr '\n' ' ' <"$T/seen")"
check "hub switch: a frame to bob from a foreign MAC is counted as spoof" [ $(($(spoofs) - s0)) -eq 1 ]
check "hub switch: and does not reach b" sh -c "! grep -q foreign-mac $T/seen"
check "hub switch: alice's own frame to bob's MAC does" grep -qx legit "$T/seen"

# ARP is broadcast: it still crosses the bridge, through bob's tap.
ip -n "$NS-a" neigh flush dev vl0
t0=$(tapstat hub vl-bob tx)
pingok a "$B" >/dev/null
check "hub switch: a's ARP request reaches bob through the bridge" [ $(($(tapstat hub vl-bob tx) - t0)) -ge 1 ]

# switch: bridge, by reload: the same traffic, through the taps.
printf 'switch: bridge\n' >>"$HUBCFG"
check "reload with switch: bridge" hubctl reload
check "the reload said switch changed" grep -q "reload: switch changed" "$T/hub.log"
run_pings 100
check "bridge: 100 pings a -> b, none lost" [ "$OK" -eq 0 ]
check "bridge: every request through bob's hub-side tap" [ "$TAP" -ge 100 ]
check "bridge: alice's counter moved as with the hub switch" in_range "$ATX"
check "bridge: bob's counter moved as with the hub switch" in_range "$BRX"
vl_finish
