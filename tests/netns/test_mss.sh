#!/bin/sh
# An endpoint below the hub's MTU (mtu: 1200 in its file) and MSS
# clamping (mss-clamp: true), in tap and tun mode: alice's device gets
# 1200 while bob's keeps the hub's; a host n1 on a LAN behind alice (MTU
# 1500, reached over a route via alice) and bob agree on segments that
# fit alice's 1200: the SYN n1 sees and the SYN-ACK bob sees announce
# 1160, clamped by alice's vland in both directions; a transfer bob ->
# n1 arrives whole. Without mss-clamp they announce their own (1460 from
# n1).
set -u
TESTNAME=mss
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

mtu_of() { ip -n "$NS-$1" -o link show dev "$2" | sed -n 's/.* mtu \([0-9]*\) .*/\1/p'; }
# handshake FILE-N1 FILE-B: bob connects to n1:5001 while both capture
handshake() {
	ip netns exec "$NS-n1" python3 "$HERE/synmss.py" vln1 4 >"$1" &
	c1=$!
	ip netns exec "$NS-b" python3 "$HERE/synmss.py" vl0 4 >"$2" &
	c2=$!
	sleep 0.5
	ip netns exec "$NS-n1" python3 "$HERE/tcpxfer.py" serve 10.68.0.2 5001 3000000 >"$T/xfer.out" &
	x=$!
	sleep 0.3
	ip netns exec "$NS-b" python3 "$HERE/tcpxfer.py" send 10.68.0.2 5001 3000000
	wait "$x" "$c1" "$c2"
}

vl_topology
ip netns add "$NS-n1"
ip -n "$NS-n1" link set lo up
vl_veth n1 vln1 a vlan1
ip -n "$NS-n1" addr add 10.68.0.2/24 dev vln1
ip -n "$NS-n1" link set vln1 up
ip -n "$NS-n1" route add default via 10.68.0.1
ip -n "$NS-a" addr add 10.68.0.1/24 dev vlan1
ip -n "$NS-a" link set vlan1 up
ip netns exec "$NS-a" sysctl -qw net.ipv4.ip_forward=1
vl_user alice alicepw
vl_user bob bobpw

for mode in tap tun; do
	if [ "$mode" = tap ]; then
		vl_hub_config "routes:
  - cidr: 10.68.0.0/24
    nexthop: alice"
		HUBMTU=1406
	else
		vl_hub_config "mode: tun
interface: vl-hub
routes:
  - cidr: 10.68.0.0/24
    nexthop: alice"
		sed -i '/^bridge:/d' "$HUBCFG"
		HUBMTU=1420
	fi
	vl_ep_config a alice alicepw "mode: $mode
mtu: 1200
mss-clamp: true"
	SERVER=10.99.2.1 vl_ep_config b bob bobpw "mode: $mode"
	vl_start hub "$HUBCFG" "$T/hub-$mode.log"
	HUBPID=$LASTPID
	sleep 1
	vl_endpoints_up
	check "$mode: alice's device has her own MTU, 1200" [ "$(mtu_of a vl0)" = 1200 ]
	check "$mode: bob's has the hub's, $HUBMTU" [ "$(mtu_of b vl0)" = "$HUBMTU" ]
	check "$mode: bob reaches n1 behind alice" wait_for 5 pingok b 10.68.0.2
	handshake "$T/n1-$mode" "$T/b-$mode"
	echo "     n1 saw: $(tr '\n' ' ' <"$T/n1-$mode"); bob saw: $(tr '\n' ' ' <"$T/b-$mode")"
	check "$mode: the SYN reached n1 clamped to 1160" grep -qx "syn 1160" "$T/n1-$mode"
	check "$mode: n1's SYN-ACK reached bob clamped to 1160" grep -qx "synack 1160" "$T/b-$mode"
	check "$mode: 3 MB bob -> n1 arrive whole" grep -qx OK "$T/xfer.out"

	# mss-clamp off: n1's own MSS (its 1500-byte link) reaches bob.
	kill "$APID"
	wait_for 5 no_link_in a vl0
	sed -i '/^mss-clamp/d' "$T/etc/a.yaml"
	vl_start a "$T/etc/a.yaml" "$T/a2-$mode.log"
	APID=$LASTPID
	wait_for 15 has_addr a vl0
	wait_for 5 pingok b 10.68.0.2 >/dev/null
	handshake "$T/n1b-$mode" "$T/bb-$mode"
	echo "     without mss-clamp bob saw: $(tr '\n' ' ' <"$T/bb-$mode")"
	check "$mode: without mss-clamp, n1's SYN-ACK announces 1460" grep -qx "synack 1460" "$T/bb-$mode"

	kill "$HUBPID" "$APID" "$BPID"
	wait "$HUBPID" "$APID" "$BPID" 2>/dev/null
	for n in a b; do wait_for 10 no_link_in $n vl0; done
done
vl_finish
