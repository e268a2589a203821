#!/bin/sh
# IPv6 routes, in tap and in tun mode: endpoint a (alice) has an IPv6
# site LAN fd00:5::/64 with host n1 behind it; the hub (ip6
# fd00:7b::1/64) routes that LAN via user alice and fd00:17::/64 (a
# network behind the hub) via SERVER. Endpoint b (bob) gets both routes
# pushed, through alice's and the hub's IPv6 addresses inside the
# tunnel, and reaches n1 and the hub's network with ping -6; alice never
# installs her own route, the hub never installs its SERVER one. IPv6
# routes reload (one added, one refused, one removed). A route the hub
# already has (another protocol's) and one over bob's own LAN are
# refused, with the reason shown by vlanctl. When
# alice exits her route goes from the hub and from bob; when bob is
# killed (SIGKILL) his routes go with his device (the reaper).
set -u
TESTNAME=rt6
. "$(dirname "$0")/lib.sh"

vl_topology
vl_user alice alicepw
vl_user bob bobpw

# alice's site LAN: n1 at fd00:5::11 behind alice's fd00:5::1.
ip netns add "$NS-n1"
ip -n "$NS-n1" link set lo up
vl_veth n1 vln1 a vlpn1
ip -n "$NS-a" addr add fd00:5::1/64 dev vlpn1 nodad
ip -n "$NS-a" link set vlpn1 up
ip -n "$NS-n1" addr add fd00:5::11/64 dev vln1 nodad
ip -n "$NS-n1" link set vln1 up
ip -n "$NS-n1" route add fd00:7b::/64 via fd00:5::1
ip netns exec "$NS-a" sysctl -qw net.ipv6.conf.all.forwarding=1
# The network behind the hub: srv at fd00:17::2.
ip netns add "$NS-srv"
ip -n "$NS-srv" link set lo up
vl_veth srv vlsrv hub vlhsrv
ip -n "$NS-srv" addr add fd00:17::2/64 dev vlsrv nodad
ip -n "$NS-srv" link set vlsrv up
ip -n "$NS-srv" route add fd00:7b::/64 via fd00:17::1
ip -n "$NS-hub" addr add fd00:17::1/64 dev vlhsrv nodad
ip -n "$NS-hub" link set vlhsrv up
ip netns exec "$NS-hub" sysctl -qw net.ipv6.conf.all.forwarding=1
# Routes vland must leave alone: the hub routes fd00:18::/64 itself
# (proto static), bob has a LAN fd00:19::/64 of his own.
ip -n "$NS-hub" -6 route add fd00:18::/64 dev vlhsrv proto static
ip -n "$NS-b" link add vlx1 type veth peer name vlx2
ip -n "$NS-b" addr add fd00:19::1/64 dev vlx1 nodad
ip -n "$NS-b" link set vlx1 up
ip -n "$NS-b" link set vlx2 up
# Forwarding on, but never between the underlay veths.
ip netns exec "$NS-hub" nft -f - <<NFT
table inet vltfw {
	chain guard { type filter hook forward priority 0; iifname "vlh[ab]" oifname "vlh[ab]" drop; }
}
NFT

route_in() { ip -n "$NS-$1" -6 route show "$2" | grep -q "via $3 dev $4"; }
no_route_in() { ! ip -n "$NS-$1" -6 route show "$2" | grep -q .; }
no_route_on() { ! ip -n "$NS-$1" -6 route show "$2" dev "$3" | grep -q .; }
has_addr6() { [ -n "$(ep_ip6 "$1")" ]; }
ctl() { ip netns exec "$NS-$1" "$VLANCTL" -s "$T/$1.sock" "$@"; }

for MODE in tap tun; do
	echo "---- $MODE mode"
	if [ "$MODE" = tap ]; then
		HUBDEV=br-vlt
		EXTRA=""
	else
		HUBDEV=vl-hub
		EXTRA="mode: tun
interface: vl-hub"
	fi
	vl_hub_config "$EXTRA
ip6: fd00:7b::1/64
routes:
  - cidr: fd00:5::/64
    nexthop: alice
  - cidr: fd00:17::/64
    nexthop: SERVER
  - cidr: fd00:18::/64
    nexthop: alice
  - cidr: fd00:19::/48
    nexthop: alice"
	[ "$MODE" = tun ] && sed -i '/^bridge:/d' "$HUBCFG"
	vl_ep_config a alice alicepw
	SERVER=10.99.2.1 vl_ep_config b bob bobpw
	if [ "$MODE" = tun ]; then
		printf 'mode: tun\n' >>"$T/etc/a.yaml"
		printf 'mode: tun\n' >>"$T/etc/b.yaml"
	fi

	vl_start hub "$HUBCFG" "$T/hub-$MODE.log"
	HUBPID=$LASTPID
	wait_for 10 link_in hub "$HUBDEV"
	vl_start a "$T/etc/a.yaml" "$T/a-$MODE.log"
	APID=$LASTPID
	vl_start b "$T/etc/b.yaml" "$T/b-$MODE.log"
	BPID=$LASTPID
	wait_for 15 has_addr6 a
	wait_for 15 has_addr6 b
	A6=$(ep_ip6 a)
	check "$MODE: alice has her IPv6 address inside the tunnel ($A6)" \
	    [ "${A6:-none}" = "$(v6_of "$(ep_ip a)" fd00:7b::/64)" ]

	check "$MODE: hub: route to alice's LAN via $A6 on $HUBDEV" \
	    wait_for 5 route_in hub fd00:5::/64 "$A6" "$HUBDEV"
	check "$MODE: bob: route to alice's LAN via $A6" \
	    wait_for 5 route_in b fd00:5::/64 "$A6" vl0
	check "$MODE: bob: route to the hub's network via the hub's ip6" \
	    wait_for 5 route_in b fd00:17::/64 fd00:7b::1 vl0
	check "$MODE: alice never installs her own route" \
	    no_route_on a fd00:5::/64 vl0
	check "$MODE: the hub never installs its SERVER route" \
	    no_route_on hub fd00:17::/64 "$HUBDEV"
	check "$MODE: bob pings n1 behind alice over IPv6" \
	    wait_for 5 ping6ok b fd00:5::11
	check "$MODE: n1 pings bob back" ping6ok n1 "$(ep_ip6 b)"
	check "$MODE: bob pings the hub's network over IPv6" \
	    ping6ok b fd00:17::2
	hubctl show routes
	check "$MODE: hub's show routes: alice's IPv6 route resolved and installed" \
	    sh -c "ip netns exec $NS-hub $VLANCTL -s $T/hub.sock show routes | grep -Eq '^fd00:5::/64 +alice +$A6 +yes +$HUBDEV'"
	check "$MODE: bob's show routes: both installed" sh -c \
	    "ip netns exec $NS-b $VLANCTL -j -s $T/b.sock show routes | python3 -c 'import json,sys; r={x[\"cidr\"]: x for x in json.load(sys.stdin)}; assert r[\"fd00:5::/64\"][\"installed\"] and r[\"fd00:17::/64\"][\"installed\"], r'"
	check "$MODE: the hub leaves its own fd00:18::/64 alone and says why" sh -c \
	    "ip netns exec $NS-hub $VLANCTL -j -s $T/hub.sock show routes | python3 -c 'import json,sys; r={x[\"cidr\"]: x for x in json.load(sys.stdin)}; assert r[\"fd00:18::/64\"][\"refused\"] == \"the host already has fd00:18::/64 (proto static)\", r'"
	check "$MODE: ... its static route is still there" sh -c \
	    "ip -n $NS-hub -6 route show fd00:18::/64 | grep -q 'dev vlhsrv proto static'"
	check "$MODE: bob refuses fd00:19::/48 over his own LAN and says why" sh -c \
	    "ip netns exec $NS-b $VLANCTL -j -s $T/b.sock show routes | python3 -c 'import json,sys; r={x[\"cidr\"]: x for x in json.load(sys.stdin)}; assert r[\"fd00:19::/48\"][\"refused\"] == \"overlaps the host\x27s route fd00:19::/64 (proto kernel)\", r'"
	check "$MODE: ... and installs nothing for it" no_route_in b fd00:19::/48
	check "$MODE: alice's show routes: hers not installed (she is its nexthop)" sh -c \
	    "ip netns exec $NS-a $VLANCTL -j -s $T/a.sock show routes | python3 -c 'import json,sys; r={x[\"cidr\"]: x for x in json.load(sys.stdin)}; assert not r[\"fd00:5::/64\"][\"installed\"] and r[\"fd00:17::/64\"][\"installed\"], r'"

	# Routes reload, IPv6 ones too: one more for alice reaches bob.
	cp "$HUBCFG" "$T/routes6.yaml"
	printf '  - cidr: fd00:6::/64\n    nexthop: alice\n' >>"$HUBCFG"
	check "$MODE: a reload adding an IPv6 route succeeds" hubctl reload
	check "$MODE: the reloaded IPv6 route reaches bob" \
	    wait_for 3 route_in b fd00:6::/64 "$A6" vl0
	check "$MODE: ... and the hub" route_in hub fd00:6::/64 "$A6" "$HUBDEV"
	# One inside the ip6 subnet is refused whole, at its position.
	cp "$T/routes6.yaml" "$HUBCFG"
	printf '  - cidr: fd00:7b::/96\n    nexthop: alice\n' >>"$HUBCFG"
	hubctl reload >"$T/reload6.out" 2>&1
	check "$MODE: a reload with an IPv6 route inside ip6 fails at file:line:column" \
	    grep -q 'vland.yaml:[0-9]*:[0-9]*: cidr: fd00:7b::/96 lies inside the VPN subnet fd00:7b::/64 (ip6)' "$T/reload6.out"
	check "$MODE: ... and the routes stay" route_in b fd00:6::/64 "$A6" vl0
	cp "$T/routes6.yaml" "$HUBCFG"
	check "$MODE: a reload without it withdraws it" hubctl reload
	check "$MODE: ... from bob" wait_for 3 no_route_in b fd00:6::/64
	check "$MODE: ... and from the hub" no_route_in hub fd00:6::/64

	# alice leaves: her route is withdrawn on the hub and on bob.
	kill -TERM "$APID"
	check "$MODE: alice gone: hub route gone" \
	    wait_for 3 no_route_in hub fd00:5::/64
	check "$MODE: alice gone: bob's route gone" \
	    wait_for 3 no_route_in b fd00:5::/64
	check "$MODE: alice gone: the routes she had installed are gone too" \
	    wait_for 3 no_route_in a fd00:17::/64
	check "$MODE: the SERVER route stays on bob" \
	    route_in b fd00:17::/64 fd00:7b::1 vl0
	# bob killed outright: his routes go with his device.
	kill -KILL "$BPID"
	check "$MODE: bob killed: his routes are gone" \
	    wait_for 5 no_route_in b fd00:17::/64
	check "$MODE: bob killed: his device is gone" wait_for 5 no_link_in b vl0
	kill -TERM "$HUBPID"
	check "$MODE: the hub stops" wait_for 10 dead "$HUBPID"
	check "$MODE: the hub's device is gone" wait_for 5 no_link_in hub "$HUBDEV"
	check "$MODE: ... and its routes" no_route_in hub fd00:5::/64
done

vl_finish
