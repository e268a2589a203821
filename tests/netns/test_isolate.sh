#!/bin/sh
# isolate, groups and allow, in tap and tun mode: with isolate: true an
# endpoint reaches the hub but no other endpoint (tap: the taps are
# isolated bridge ports and the hub's switch refuses frames for another
# endpoint's MAC; tun: the forwarding decision), and what is refused is
# counted as "isolated"; after a reload that puts alice and carol in a
# group allowed to reach itself, those two reach each other (tap: their
# ARP broadcasts are carried by the hub's switch) and bob still reaches
# neither. Three endpoints in three namespaces, so that no ping is
# answered by the sender's own kernel.
set -u
TESTNAME=iso
. "$(dirname "$0")/lib.sh"

drops() { hubctl -j show status | python3 -c "import json,sys; print(json.load(sys.stdin)['drops_by_reason']['$1'])"; }
noping() { ! ip netns exec "$NS-$1" ping -c 2 -i 0.2 -W 1 "$2" >/dev/null; }
macof() { printf '62:e2:%02x:%02x:%02x:%02x' $(echo "$1" | tr . ' '); }

vl_topology
ip netns add "$NS-c"
ip -n "$NS-c" link set lo up
vl_veth c vlc hub vlhc
ip -n "$NS-c" addr add 10.99.3.2/24 dev vlc
ip -n "$NS-c" link set vlc up
ip -n "$NS-hub" addr add 10.99.3.1/24 dev vlhc
ip -n "$NS-hub" link set vlhc up
vl_user alice alicepw
vl_user bob bobpw
vl_user carol carolpw

# run MODE: the whole scenario against a hub in MODE.
run() {
	mode=$1
	if [ "$mode" = tap ]; then
		vl_hub_config "isolate: true"
	else
		vl_hub_config "mode: tun
interface: vl-hub
isolate: true"
		sed -i '/^bridge:/d' "$HUBCFG"
	fi
	vl_ep_config a alice alicepw "mode: $mode"
	SERVER=10.99.2.1 vl_ep_config b bob bobpw "mode: $mode"
	SERVER=10.99.3.1 vl_ep_config c carol carolpw "mode: $mode"
	vl_start hub "$HUBCFG" "$T/hub-$mode.log"
	HUBPID=$LASTPID
	sleep 1
	vl_start a "$T/etc/a.yaml" "$T/a-$mode.log"
	APID=$LASTPID
	vl_start b "$T/etc/b.yaml" "$T/b-$mode.log"
	BPID=$LASTPID
	vl_start c "$T/etc/c.yaml" "$T/c-$mode.log"
	CPID=$LASTPID
	for n in a b c; do wait_for 15 has_addr $n vl0; done
	A=$(ep_ip a) B=$(ep_ip b) C=$(ep_ip c)

	check "$mode isolate: a pings the hub" pingok a 192.168.123.254
	check "$mode isolate: b pings the hub" pingok b 192.168.123.254
	check "$mode isolate: the hub pings c" pingok hub "$C"
	if [ "$mode" = tap ]; then
		check "$mode isolate: alice's tap is an isolated bridge port" \
		    sh -c "ip -n $NS-hub -d link show vl-alice | grep -q 'isolated on'"
		# a's kernel is told b's MAC, so that it sends b unicast
		# frames (its ARP broadcasts reach nobody).
		ip -n "$NS-a" neigh replace "$B" lladdr "$(macof "$B")" dev vl0
	fi
	d0=$(drops isolated)
	check "$mode isolate: a cannot reach b" noping a "$B"
	check "$mode isolate: b cannot reach a" noping b "$A"
	check "$mode isolate: a cannot reach c" noping a "$C"
	check "$mode isolate: a's frames for b were dropped and counted" \
	    [ "$(drops isolated)" -ge $((d0 + 2)) ]

	cat >>"$HUBCFG" <<CFG
groups:
  staff: [alice, carol]
allow:
  - [staff, staff]
CFG
	check "$mode: reload with groups and allow" hubctl reload
	check "$mode groups: a pings c (both staff)" pingok a "$C"
	check "$mode groups: c pings a" pingok c "$A"
	d0=$(drops isolated)
	check "$mode groups: a still cannot reach b" noping a "$B"
	check "$mode groups: c cannot reach b" noping c "$B"
	check "$mode groups: b cannot reach c" noping b "$C"
	check "$mode groups: b still pings the hub" pingok b 192.168.123.254
	check "$mode groups: the refusals were counted" \
	    [ "$(drops isolated)" -gt "$d0" ]
	hubctl show status | grep isolated
	kill "$HUBPID" "$APID" "$BPID" "$CPID"
	wait "$HUBPID" "$APID" "$BPID" "$CPID" 2>/dev/null
	for n in a b c; do wait_for 10 no_link_in $n vl0; done
}

run tap
run tun
vl_finish
