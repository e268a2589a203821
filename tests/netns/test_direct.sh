#!/bin/sh
# Direct paths between endpoints (hub direct: yes), through NAT routers
# made from nftables:
#
#   a --(192.168.10/24)-- n1 --(10.99.10/24)--\
#                                              srv --(10.99.0/24)-- hub
#   b --(192.168.20/24)-- n2 --(10.99.20/24)--/
#
# srv routes between the three; n1 and n2 route their LAN, or
# masquerade it (a port-restricted cone NAT: conntrack keeps the source
# port, and refuses what comes in unasked), or masquerade it with random
# ports (a new port for each destination). Checked: no NAT and both
# behind cone NATs go direct (the hub's counters stand still while a
# pings b), a random-port NAT stays relayed, direct UDP blocked from the
# start is relayed at once, the path cut mid-transfer falls back to the
# hub within 3 s with the transfer whole, a kick closes the peer at once,
# a frame with a third endpoint's MAC over the direct path is dropped and
# counted, and tun mode goes direct too.
set -u
TESTNAME=dir
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

# The whole topology, with n1 and n2 routing (no NAT yet).
topology() {
	for n in hub a b srv n1 n2; do
		ip netns add "$NS-$n"
		ip -n "$NS-$n" link set lo up
	done
	vl_veth srv vs0 hub vh0
	vl_veth srv vs1 n1 vn1w
	vl_veth srv vs2 n2 vn2w
	vl_veth n1 vn1l a vla
	vl_veth n2 vn2l b vlb
	addr() { ip -n "$NS-$1" addr add "$3" dev "$2" && ip -n "$NS-$1" link set "$2" up; }
	addr srv vs0 10.99.0.254/24
	addr srv vs1 10.99.10.254/24
	addr srv vs2 10.99.20.254/24
	addr hub vh0 10.99.0.1/24
	addr n1 vn1w 10.99.10.1/24
	addr n1 vn1l 192.168.10.1/24
	addr n2 vn2w 10.99.20.1/24
	addr n2 vn2l 192.168.20.1/24
	addr a vla 192.168.10.2/24
	addr b vlb 192.168.20.2/24
	for n in srv n1 n2; do
		ip netns exec "$NS-$n" sysctl -qw net.ipv4.ip_forward=1
	done
	ip -n "$NS-hub" route add default via 10.99.0.254
	ip -n "$NS-n1" route add default via 10.99.10.254
	ip -n "$NS-n2" route add default via 10.99.20.254
	ip -n "$NS-a" route add default via 192.168.10.1
	ip -n "$NS-b" route add default via 192.168.20.1
	ip -n "$NS-srv" route add 192.168.10.0/24 via 10.99.10.1
	ip -n "$NS-srv" route add 192.168.20.0/24 via 10.99.20.1
}

# nat ROUTER WAN none|cone|random: what the router does to its LAN.
nat() {
	ip netns exec "$NS-$1" nft delete table inet vlt 2>/dev/null
	[ "$3" = none ] && return 0
	_r=""
	[ "$3" = random ] && _r=" random"
	ip netns exec "$NS-$1" nft -f - <<NFT
table inet vlt {
	chain postrouting {
		type nat hook postrouting priority 100;
		oifname "$2" masquerade$_r
	}
	# A home router: nothing comes in from the WAN unasked. (Dropped
	# before conntrack confirms it, an unasked datagram leaves no
	# entry that would make the NAT pick another port later.)
	chain forward {
		type filter hook forward priority 0;
		iifname "$2" ct state new drop
	}
	chain input {
		type filter hook input priority 0;
		iifname "$2" ct state new drop
	}
}
NFT
}

# cutpath on|off: srv drops UDP between the two routers (not to the hub).
cutpath() {
	ip netns exec "$NS-srv" nft delete table inet vltcut 2>/dev/null
	[ "$1" = off ] && return 0
	ip netns exec "$NS-srv" nft -f - <<NFT
table inet vltcut {
	chain forward {
		type filter hook forward priority -10;
		ip saddr { 10.99.10.0/24, 192.168.10.0/24 } ip daddr { 10.99.20.0/24, 192.168.20.0/24 } udp dport != 6123 drop
		ip saddr { 10.99.20.0/24, 192.168.20.0/24 } ip daddr { 10.99.10.0/24, 192.168.10.0/24 } udp dport != 6123 drop
	}
}
NFT
}

actl() { ip netns exec "$NS-a" "$VLANCTL" -s "$T/a.sock" "$@"; }
bctl() { ip netns exec "$NS-b" "$VLANCTL" -s "$T/b.sock" "$@"; }
# peer_path CTL USER: direct, relayed, or nothing
peer_path() { "$1" -j show peers | python3 -c "import json,sys; print({p['user']: p['path'] for p in json.load(sys.stdin)}.get('$2', 'none'))"; }
path_is() { [ "$(peer_path "$1" "$2")" = "$3" ]; }
peer_field() { "$1" -j show peers | python3 -c "import json,sys; print({p['user']: p for p in json.load(sys.stdin)}['$2']['$3'])"; }
epstat() { hubctl -j show endpoints | python3 -c "import json,sys; print({x['user']: x for x in json.load(sys.stdin)}['$1']['$2'])"; }
rtt_known() { [ "$(peer_field "$1" "$2" rtt_us)" != None ]; }
remote_is() { [ "$(peer_field "$1" "$2" remote)" = "$3" ]; }
field_is() { [ "$(epstat "$1" "$2")" = "$3" ]; }
field_peer_is() { [ "$(peer_field "$1" "$2" "$3")" = "$4" ]; }
drops() { "$1" -j show status | python3 -c "import json,sys; print(json.load(sys.stdin)['drops_by_reason']['$2'])"; }

# inject_frame SRC-MAC MARK: b's host writes a frame for a into its tap
inject_frame() {
	ip netns exec "$NS-b" python3 -c '
import socket, sys
dst, src, mark = bytes.fromhex(sys.argv[1]), bytes.fromhex(sys.argv[2]), sys.argv[3].encode()
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("vl0", 0))
s.send(dst + src + b"\x88\xb5" + b"vland-l2-test-" + mark + b"\0" * 30)' \
	    "$(ep_mac a | tr -d :)" "$1" "$2"
}

# start MODE [hub lines]: hub and both endpoints, logged in.
start() {
	_mode=$1
	shift
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do while kill -0 "$p" 2>/dev/null; do sleep 0.1; done; done
	PIDS=""
	_dev="interface: vl-hub"
	[ "$_mode" = tap ] && _dev=""
	vl_hub_config "mode: $_mode
$_dev
direct: true
web:
  enable: true
  port: 8124
${1:-}"
	[ "$_mode" = tun ] && sed -i '/^bridge:/d' "$HUBCFG"
	vl_start hub "$HUBCFG" "$T/hub.log"
	HUBPID=$LASTPID
	SERVER=10.99.0.1 vl_ep_config a alice alicepw
	SERVER=10.99.0.1 vl_ep_config b bob bobpw
	printf 'mode: %s\n' "$_mode" >>"$T/etc/a.yaml"
	printf 'mode: %s\n' "$_mode" >>"$T/etc/b.yaml"
	sleep 0.5
	vl_start a "$T/etc/a.yaml" "$T/a.log"
	APID=$LASTPID
	# BEVIL=1: b's vland sends any frame for a peer direct (vland(8),
	# a test-only switch), so that a's own checks are what is tested.
	[ -n "${BEVIL:-}" ] && export VLAND_TEST_DIRECT_ANY_SOURCE=1
	[ -n "${LEASE:-}" ] && export VLAND_TEST_PEER_LEASE=$LEASE
	vl_start b "$T/etc/b.yaml" "$T/b.log"
	BPID=$LASTPID
	unset VLAND_TEST_DIRECT_ANY_SOURCE VLAND_TEST_PEER_LEASE
	wait_for 15 has_addr a vl0
	wait_for 15 has_addr b vl0
	A=$(ep_ip a)
	B=$(ep_ip b)
}

# pings_direct WHAT: a pings b until the path is direct, then 30 more
# pings that must not move the hub's counters for alice.
pings_direct() {
	pingok a "$B" >/dev/null
	check "$1: a reaches b" wait_for 10 pingok a "$B"
	check "$1: the path a -> b becomes direct" wait_for 10 path_is actl bob direct
	check "$1: and b -> a too" wait_for 5 path_is bctl alice direct
	t0=$(epstat alice tx_packets)
	ip netns exec "$NS-a" ping -q -c 30 -i 0.05 -W 2 "$B" >"$T/ping.out"
	check "$1: 30 pings over it, none lost" grep -q " 0% packet loss" "$T/ping.out"
	d=$(($(epstat alice tx_packets) - t0))
	echo "     $1: alice's packets through the hub meanwhile: $d"
	check "$1: and none of them through the hub (background only)" [ "$d" -le 10 ]
}

topology
vl_user alice alicepw
vl_user bob bobpw
vl_user carol carolpw

# No NAT: each sees the other's own address.
start tap
pings_direct "no NAT"
check "no NAT: a reaches b at b's own address" remote_is actl bob 192.168.20.2
check "no NAT: show status: one peer, direct" sh -c "$VLANCTL -s $T/a.sock -j show status | grep -q '\"peers_direct\":1'"
check "no NAT: the hub's show status counts the pair" sh -c "$VLANCTL -s $T/hub.sock -j show status | grep -q '\"direct_pairs\":1'"
check "no NAT: a measured the round trip" rtt_known actl bob
check "no NAT: and b" rtt_known bctl alice
actl show peers
check "no NAT: the hub counts one peer for alice" field_is alice peers 1
ip netns exec "$NS-hub" curl -sf http://127.0.0.1:8124/metrics >"$T/metrics.txt"
check "no NAT: /metrics counts the pair" grep -qx 'vland_direct_pairs 1' "$T/metrics.txt"
check "no NAT: and bob's peer" grep -qx 'vland_endpoint_peers{user="bob"} 1' "$T/metrics.txt"

# A frame over the direct path whose source is a third endpoint's MAC
# (b's vland made to send any source direct: a test-only switch) is
# dropped and counted by a, not delivered.
CAROL_MAC=62:e2:c0:a8:7b:01
s0=$(drops actl spoof)
ip netns exec "$NS-a" python3 "$HERE/l2inject.py" capture vl0 2 >"$T/seen" &
CAP=$!
sleep 0.5
inject_frame "$(echo $CAROL_MAC | tr -d :)" carol
wait "$CAP"
check "spoof: b's frame with carol's MAC is not sent direct by b's own vland" [ "$(drops actl spoof)" -eq "$s0" ]
check "spoof: nor delivered to a (the hub drops it)" sh -c "! grep -q carol $T/seen"

# The same from a b whose vland sends it direct anyway: a drops it as
# spoof and counts it; b's own frames still pass.
BEVIL=1 start tap
pings_direct "spoofing b"
s0=$(drops actl spoof)
ip netns exec "$NS-a" python3 "$HERE/l2inject.py" capture vl0 2 >"$T/seen" &
CAP=$!
sleep 0.5
inject_frame "$(echo $CAROL_MAC | tr -d :)" carol
inject_frame "$(ep_mac b | tr -d :)" bobsown
wait "$CAP"
check "spoof: a drops b's frame with carol's MAC, counted as spoof" [ "$(drops actl spoof)" -eq $((s0 + 1)) ]
check "spoof: and does not deliver it" sh -c "! grep -q carol $T/seen"
check "spoof: b's own frame over the same path is delivered" grep -q bobsown "$T/seen"
check "spoof: the path stays direct" path_is actl bob direct

# Both behind port-restricted cone NATs.
nat n1 vn1w cone
nat n2 vn2w cone
start tap
pings_direct "cone NATs"
check "cone NATs: a reaches b at n2's address" remote_is actl bob 10.99.20.1
check "cone NATs: b reaches a at n1's address" remote_is bctl alice 10.99.10.1

# Cut mid-transfer: 30 MB of TCP a -> b; 1 s in, srv drops UDP between
# the routers. The transfer completes whole through the hub, and a ping
# stream across the cut loses at most 3 s of pings.
ip netns exec "$NS-b" python3 "$HERE/tcpxfer.py" serve "$B" 5001 30000000 >"$T/xfer.out" &
XPID=$!
sleep 0.5
ip netns exec "$NS-a" python3 "$HERE/tcpxfer.py" send "$B" 5001 30000000 &
SPID=$!
ip netns exec "$NS-a" ping -i 0.1 -c 80 -W 1 "$B" >"$T/cutping.out" &
PPID2=$!
sleep 1
cutpath on
t_cut=$(date +%s%3N)
check "cut: a falls back to the hub" wait_for 5 path_is actl bob relayed
t_back=$(date +%s%3N)
echo "     cut: a saw the direct path gone after $((t_back - t_cut)) ms"
check "cut: within 3 s" [ $((t_back - t_cut)) -le 3000 ]
wait "$SPID"
wait "$XPID"
check "cut: the 30 MB arrive whole" grep -qx OK "$T/xfer.out"
wait "$PPID2"
got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$T/cutping.out")
echo "     cut: $got of 80 pings (one every 100 ms) answered across the cut"
check "cut: at most 30 pings (3 s) lost" [ "${got:-0}" -ge 50 ]
check "cut: a counts the fallback" field_peer_is actl bob fallbacks 1
check "cut: pings still pass, through the hub" pingok a "$B"
cutpath off
check "cut healed: the path comes back direct (back-off 1 s)" wait_for 15 path_is actl bob direct

# Kicked: the peer goes at once.
hubctl kick bob >/dev/null
check "kick: b is gone from a's peers at once" wait_for 2 path_is actl bob none
check "kick: a logged it" grep -q "bob left; no direct path to it" "$T/a.log"
# b logs in again by itself; introduced again, then it stops (BYE).
check "kick: b back, and direct to a again" wait_for 20 sh -c "$(command -v ip) netns exec $NS-a ping -c 1 -W 1 $B >/dev/null && $VLANCTL -s $T/a.sock -j show peers | grep -q '\"direct\"'"
kill "$BPID"
check "logout: b is gone from a's peers at once" wait_for 2 path_is actl bob none

# Random-port NAT on a's side: each destination a new port; relayed.
nat n1 vn1w random
start tap
pingok a "$B" >/dev/null
check "random NAT: a reaches b" wait_for 10 pingok a "$B"
check "random NAT: b is a's peer" wait_for 5 path_is actl bob relayed
ip netns exec "$NS-a" ping -q -c 60 -i 0.1 -W 2 "$B" >"$T/ping.out"
check "random NAT: 60 pings in 6 s, none lost" grep -q " 0% packet loss" "$T/ping.out"
check "random NAT: still relayed after 6 s" path_is actl bob relayed

# Direct UDP blocked from the start (cone NATs): relayed at once.
nat n1 vn1w cone
cutpath on
start tap
check "blocked: a reaches b within 3 s of the first ping" wait_for 3 pingok a "$B"
ip netns exec "$NS-a" ping -q -c 20 -i 0.1 -W 2 "$B" >"$T/ping.out"
check "blocked: 20 pings, none lost" grep -q " 0% packet loss" "$T/ping.out"
check "blocked: relayed" path_is actl bob relayed
cutpath off

# The hub gone without a word (SIGKILL: no PEER_GONE, no more PEERs):
# the direct path carries on, and b forgets a once the hub has not
# confirmed it for its lease (5 s here, by a test-only switch).
LEASE=5 start tap
pings_direct "lease"
kill -9 "$HUBPID"
wait "$HUBPID" 2>/dev/null
check "lease: with the hub dead, a still reaches b directly" pingok a "$B"
check "lease: b forgets a within its lease" wait_for 12 path_is bctl alice none
check "lease: and says why" grep -q "the hub no longer vouches for alice" "$T/b.log"
check "lease: a, without the switch, still has b" path_is actl bob direct

# isolate: a and b may not meet, so they are never introduced.
start tap "isolate: true"
check "isolate: a cannot reach b" sh -c "! $(command -v ip) netns exec $NS-a ping -c 3 -i 0.2 -W 1 $B"
check "isolate: no peer for a" path_is actl bob none
check "isolate: the hub introduced no one" field_is alice peers 0

# tun mode, cone NATs.
start tun
pings_direct "tun"
check "tun: a reaches b at n2's address" remote_is actl bob 10.99.20.1

vl_finish
