#!/bin/sh
# vland against the bare path, in the same run and the same topology:
# namespaces hub, a and b; veth a-hub and b-hub. Bare: the hub routes
# between the veths. vland: the hub does not forward; a and b are
# endpoints and everything between them crosses vland's hub.
#
# Measures iperf3 TCP a->b (10 s, 3 runs, median), iperf3 UDP with
# 64-byte payloads at unlimited rate and at 100k and 200k packets/s
# offered (packets/s received), and ping RTT (PINGS=20 pings, PING_GAP=
# 0.05 s apart, unless set); prints each
# figure and the vland/bare ratio. Not a test: it prints, it asserts
# nothing. Run as root:  sh tests/bench/bench.sh [BUILD-DIR]
# MODE=tun measures tun mode instead of tap mode. In tap mode vland is
# measured twice: with the hub's own switch (switch: hub, the default:
# "vland") and with every frame through the kernel bridge (switch:
# bridge, after a reload: "vl-br"), then in tun mode ("vl-tun"), all in
# the same run. Last, direct paths ("vl-dir", MODE's mode): the hub's
# namespace routes between a and b as for the bare path, the hub has
# direct: yes, and a and b carry their traffic to each other straight
# through that router once their direct path is up.
# OpenVPN, if installed, is measured too in the same topology and mode
# (tests/bench/openvpn.sh); OPENVPN=yes installs it, OPENVPN=no skips it.
set -eu
cd "$(dirname "$0")/../.."
command -v iperf3 >/dev/null || {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends iperf3 >/dev/null
}
sh scripts/setup-deps.sh >/dev/null
BUILD=${1:-build-release}
[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" --buildtype=release >/dev/null
ninja -C "$BUILD" >/dev/null

set +e
TESTNAME=bench VL_FLAGS=-d KEEPALIVE=10 TIMEOUT=50
. tests/netns/lib.sh
TCP_SECS=${TCP_SECS:-10}
UDP_SECS=${UDP_SECS:-5}
# ping RTT: PINGS pings PING_GAP seconds apart (more for a steadier mean)
PINGS=${PINGS:-20}
PING_GAP=${PING_GAP:-0.05}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# measure LABEL SERVER-ADDR: prints "tcp_mbps udp_max_pps udp100k udp200k rtt_ms"
measure() {
	tcp=""
	for i in 1 2 3; do
		ip netns exec "$NS-b" iperf3 -s -B "$2" -1 >/dev/null 2>&1 &
		sleep 0.3
		v=$(ip netns exec "$NS-a" iperf3 -c "$2" -t "$TCP_SECS" -J 2>/dev/null |
		    python3 -c 'import json,sys; print(round(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e6))')
		tcp="$tcp $v"
		wait
	done
	tcp=$(echo "$tcp" | tr ' ' '\n' | grep . | median)
	udp() { # RATE
		ip netns exec "$NS-b" iperf3 -s -B "$2" -1 >/dev/null 2>&1 &
		sleep 0.3
		ip netns exec "$NS-a" iperf3 -c "$2" -u -l 64 -b "$1" -t "$UDP_SECS" -J 2>/dev/null |
		    python3 -c 'import json,sys
s = json.load(sys.stdin)["end"]["sum"]
print(round((s["packets"] - s["lost_packets"]) / s["seconds"]))'
		wait
	}
	u0=$(udp 0 "$2")
	u1=$(udp 51.2M "$2")
	u2=$(udp 102.4M "$2")
	rtt=$(ip netns exec "$NS-a" ping -c "$PINGS" -i "$PING_GAP" -q "$2" |
	    sed -n 's/.*= [0-9.]*\/\([0-9.]*\)\/.*/\1/p')
	echo "$tcp $u0 $u1 $u2 $rtt"
}

vl_topology
ip -n "$NS-a" route add 10.99.2.0/24 via 10.99.1.1
ip -n "$NS-b" route add 10.99.1.0/24 via 10.99.2.1
ip netns exec "$NS-hub" sysctl -qw net.ipv4.ip_forward=1
echo "measuring the bare path (the hub forwards, no VPN)..."
set -- $(measure bare 10.99.2.2)
BT=$1 BU0=$2 BU1=$3 BU2=$4 BR=$5
ip netns exec "$NS-hub" sysctl -qw net.ipv4.ip_forward=0
ip -n "$NS-a" route del 10.99.2.0/24
ip -n "$NS-b" route del 10.99.1.0/24

MODE=${MODE:-tap}
OPENVPN=${OPENVPN:-auto}
if [ "$OPENVPN" = yes ] && ! command -v openvpn >/dev/null; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends openvpn >/dev/null
fi
command -v openvpn >/dev/null || OPENVPN=no
OT=- OU0=- OU1=- OU2=- OR=-
if [ "$OPENVPN" != no ]; then
	. tests/bench/openvpn.sh
	if ovpn_start; then
		sleep 1
		echo "measuring OpenVPN (a -> server -> b, $MODE mode, $OVPN_CIPHER)..."
		set -- $(measure openvpn "$OVPN_B")
		OT=$1 OU0=$2 OU1=$3 OU2=$4 OR=$5
	fi
	ovpn_stop
fi

# vland_up MODE [HUB-LINE]: the hub and endpoints a and b, in MODE
vland_up() {
	vl_hub_config "mode: $1
${2:-}"
	sed -i 's/^log-level: debug/log-level: info/' "$HUBCFG"
	[ "$1" = tun ] && sed -i '/^bridge:/d' "$HUBCFG"
	vl_ep_config a alice alicepw "mode: $1"
	SERVER=10.99.2.1 vl_ep_config b bob bobpw "mode: $1"
	sed -i 's/^log-level: debug/log-level: info/' "$T/etc/a.yaml" "$T/etc/b.yaml"
	vl_start hub "$HUBCFG" "$T/hub-$1.log"
	HUBPID=$LASTPID
	sleep 1
	vl_start a "$T/etc/a.yaml" "$T/a-$1.log"
	APID=$LASTPID
	vl_start b "$T/etc/b.yaml" "$T/b-$1.log"
	BPID=$LASTPID
	wait_for 15 has_addr a vl0 && wait_for 15 has_addr b vl0 || {
		echo "bench: endpoints did not come up"; tail "$T"/*.log; exit 1; }
	sleep 1
}
vl_user alice alicepw
vl_user bob bobpw
vland_up "$MODE"
echo "measuring vland (a -> hub -> b, $MODE mode)..."
set -- $(measure vland "$(ep_ip b)")
VT=$1 VU0=$2 VU1=$3 VU2=$4 VR=$5
WT=- WU0=- WU1=- WU2=- WR=- XT=- XU0=- XU1=- XU2=- XR=-
if [ "$MODE" = tap ]; then
	printf 'switch: bridge\n' >>"$HUBCFG"
	hubctl reload >/dev/null || { echo "bench: reload failed"; exit 1; }
	echo "measuring vland with switch: bridge (a -> tap -> bridge -> tap -> b)..."
	set -- $(measure vland-bridge "$(ep_ip b)")
	WT=$1 WU0=$2 WU1=$3 WU2=$4 WR=$5
	# tun mode in the same run, for the switch's target: as fast.
	kill "$APID" "$BPID" "$HUBPID"
	wait "$APID" "$BPID" "$HUBPID" 2>/dev/null
	wait_for 10 no_link_in a vl0
	wait_for 10 no_link_in b vl0
	vland_up tun
	echo "measuring vland in tun mode (a -> hub -> b)..."
	set -- $(measure vland-tun "$(ep_ip b)")
	XT=$1 XU0=$2 XU1=$3 XU2=$4 XR=$5
fi

# Direct: the hub's namespace routes a <-> b (as for bare), vland's
# endpoints talk straight through it.
kill "$APID" "$BPID" "$HUBPID"
wait "$APID" "$BPID" "$HUBPID" 2>/dev/null
wait_for 10 no_link_in a vl0
wait_for 10 no_link_in b vl0
ip -n "$NS-a" route add 10.99.2.0/24 via 10.99.1.1
ip -n "$NS-b" route add 10.99.1.0/24 via 10.99.2.1
ip netns exec "$NS-hub" sysctl -qw net.ipv4.ip_forward=1
vland_up "$MODE" "direct: true"
B=$(ep_ip b)
direct_up() {
	pingok a "$B" >/dev/null 2>&1
	ip netns exec "$NS-a" "$VLANCTL" -s "$T/a.sock" -j show peers |
	    grep -q '"path": *"direct"'
}
DT=- DU0=- DU1=- DU2=- DR=-
if wait_for 15 direct_up; then
	echo "measuring vland over a direct path (a -> router -> b, $MODE mode)..."
	set -- $(measure vland-direct "$B")
	DT=$1 DU0=$2 DU1=$3 DU2=$4 DR=$5
	ip netns exec "$NS-a" "$VLANCTL" -s "$T/a.sock" show peers
else
	echo "bench: the direct path did not come up"
fi

ratio() { awk -v v="$1" -v b="$2" 'BEGIN {
	if (v == "-" || v == "" || b + 0 == 0) print "-"; else printf "%.2f\n", v / b }'; }
# row LABEL BARE VLAND VLAND-BRIDGE OPENVPN VLAND-TUN VLAND-DIRECT: the
# figures, and each one's ratio to bare (columns of what was not measured
# left out)
row() {
	printf '%-34s %10s %10s %6s' "$1" "$2" "$3" "$(ratio "$3" "$2")"
	[ "$MODE" != tap ] || printf ' %10s %6s %10s %6s' "$4" "$(ratio "$4" "$2")" \
	    "$6" "$(ratio "$6" "$2")"
	printf ' %10s %6s' "$7" "$(ratio "$7" "$2")"
	[ "$OPENVPN" = no ] || printf ' %10s %6s' "$5" "$(ratio "$5" "$2")"
	printf '\n'
}
printf '\n%-34s %10s %10s %6s' "" bare vland ratio
[ "$MODE" != tap ] || printf ' %10s %6s %10s %6s' vl-br ratio vl-tun ratio
printf ' %10s %6s' vl-dir ratio
[ "$OPENVPN" = no ] || printf ' %10s %6s' openvpn ratio
printf '\n'
row "TCP a->b, Mbit/s (median of 3)" "$BT" "$VT" "$WT" "$OT" "$XT" "$DT"
row "UDP 64 B unlimited, pkt/s recv" "$BU0" "$VU0" "$WU0" "$OU0" "$XU0" "$DU0"
row "UDP 64 B at 100k pkt/s, recv" "$BU1" "$VU1" "$WU1" "$OU1" "$XU1" "$DU1"
row "UDP 64 B at 200k pkt/s, recv" "$BU2" "$VU2" "$WU2" "$OU2" "$XU2" "$DU2"
row "ping RTT, ms (avg of $PINGS)" "$BR" "$VR" "$WR" "$OR" "$XR" "$DR"
