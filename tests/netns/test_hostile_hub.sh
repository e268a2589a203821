#!/bin/sh
# A hostile hub, or an honest one whose routes overlap an endpoint's
# home network: endpoint a has a LAN (10.68.0.0/24 on lan0) and reaches
# the hub at 10.200.0.1 through its default route. The hub pushes its
# LAN, a route over the hub's own address, and the two halves of the
# default; a keeps its LAN route and its way to the hub, reports each
# refusal (log, vlanctl show routes, show status), takes the one honest
# route, and its session stays up. Then the hub hands out a /8 address
# that would cover a's own networks: a refuses it, keeps retrying, and
# its routes are as they were.
set -u
TESTNAME=hhub
. "$(dirname "$0")/lib.sh"

vl_topology
ip -n "$NS-hub" addr add 10.200.0.1/32 dev lo
ip -n "$NS-a" route add default via 10.99.1.1
ip -n "$NS-a" link add lan0 type veth peer name lan0p
ip -n "$NS-a" addr add 10.68.0.1/24 dev lan0
ip -n "$NS-a" link set lan0 up
ip -n "$NS-a" link set lan0p up
ROUTES="routes:
  - cidr: 10.68.0.0/24
    nexthop: bob
  - cidr: 10.200.0.0/16
    nexthop: bob
  - cidr: 0.0.0.0/1
    nexthop: bob
  - cidr: 128.0.0.0/1
    nexthop: bob
  - cidr: 10.55.0.0/24
    nexthop: bob"
# Bound to each address, so that answers come from the one a talks to.
LISTEN="listen: [10.99.1.1, 10.99.2.1, 10.200.0.1]"
vl_hub_config "$LISTEN
$ROUTES"
vl_user alice alicepw
vl_user bob bobpw
SERVER=10.200.0.1 vl_ep_config a alice alicepw
SERVER=10.99.2.1 vl_ep_config b bob bobpw
vl_start hub "$HUBCFG" "$T/hub.log"
HUBPID=$LASTPID
wait_for 10 ip -n "$NS-hub" link show br-vlt
before=$(ip -n "$NS-a" route show | grep -v 'dev vl0')
vl_endpoints_up
B=$(ep_ip b)

actl() { ip netns exec "$NS-a" "$VLANCTL" -s "$T/a.sock" "$@"; }
route_on_a() { ip -n "$NS-a" route show "$1" | grep -q "$2"; }
refused_in_log() { grep -q "route $1 refused: $2" "$T/a.log"; }
wait_for 10 route_on_a 10.55.0.0/24 "dev vl0 proto 118"
check "a pings b" pingok a "$B"
check "the honest route 10.55.0.0/24 is on vl0, proto 118" route_on_a 10.55.0.0/24 "dev vl0 proto 118"
check "a's LAN route is still its own" route_on_a 10.68.0.0/24 "dev lan0 proto kernel"
check "the way to the hub still leaves by the underlay" sh -c \
    "ip -n $NS-a route get 10.200.0.1 | grep -q 'dev vla'"
check "neither half of the default is in the tunnel" sh -c \
    "! ip -n $NS-a route show dev vl0 | grep -qE '^(0|128)\\.0\\.0\\.0/1'"
check "a's routes outside the tunnel are exactly as before" \
    [ "$(ip -n "$NS-a" route show | grep -v 'dev vl0')" = "$before" ]
check "log: the LAN route refused, naming a's own route" \
    refused_in_log 10.68.0.0/24 "overlaps the host's route 10.68.0.0/24 (proto kernel)"
check "log: the route over the hub's address refused" \
    refused_in_log 10.200.0.0/16 "covers the hub's address 10.200.0.1 outside the tunnel"
check "log: 0.0.0.0/1 refused (it covers the hub's address too)" \
    refused_in_log 0.0.0.0/1 "covers the hub's address"
check "log: 128.0.0.0/1 refused: with 0.0.0.0/1, the default" \
    refused_in_log 128.0.0.0/1 "with the routes before it, covers the default route"
check "each refusal logged once" [ "$(grep -c '^vland: route .* refused:' "$T/a.log")" -eq 4 ]
actl show routes >"$T/routes.out"
sed 's/^/     /' "$T/routes.out"
check "vlanctl show routes: four refused" [ "$(grep -c ' refused ' "$T/routes.out")" -eq 4 ]
check "vlanctl show routes: 10.55.0.0/24 installed" grep -q '^10.55.0.0/24 .* yes ' "$T/routes.out"
check "vlanctl show status counts them" sh -c \
    "ip netns exec $NS-a $VLANCTL -j -s $T/a.sock show status |
     python3 -c 'import json,sys; s=json.load(sys.stdin); sys.exit(not (s[\"routes_refused\"]==4 and s[\"routes_installed\"]==1))'"
check "a's session is still up" pingok a 192.168.123.254

# A hub that hands out a /8: 10.0.0.0/8 would cover a's underlay, its LAN
# and the hub's own address.
kill "$HUBPID"
wait "$HUBPID" 2>/dev/null
RANGE=10.1.0.100-10.1.0.200 vl_hub_config "$LISTEN"
sed -i 's|^ip: .*|ip: 10.1.0.254/8|' "$HUBCFG"
vl_start hub "$HUBCFG" "$T/hub2.log"
HUBPID=$LASTPID
addr_refused() { grep -q "address 10.1.0.[0-9]*/8 refused: covers the hub's address 10.200.0.1" "$T/a.log"; }
check "the /8 address is refused, with the reason" wait_for 30 addr_refused
check "a is still running, and retries" sh -c "kill -0 $APID && grep -q 'reconnecting in' $T/a.log"
check "a has no tunnel device" no_link_in a vl0
check "a's routes are exactly as before" [ "$(ip -n "$NS-a" route show)" = "$before" ]

vl_finish
