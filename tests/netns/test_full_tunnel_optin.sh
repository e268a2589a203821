#!/bin/sh
# The full-tunnel opt-in: the hub offers 0.0.0.0/1 and 128.0.0.0/1 via
# itself. Endpoint a, whose file says full-tunnel: yes, reaches the hub
# at 10.200.0.1 through its default route: it pins a host route to the
# hub outside the tunnel, then takes both halves; everything else goes
# into the tunnel. Endpoint b, without the key, refuses them. When the
# hub withdraws them, when a stops, or when it is killed, a's routes are
# as they were.
set -u
TESTNAME=ftun
. "$(dirname "$0")/lib.sh"

vl_topology
ip -n "$NS-hub" addr add 10.200.0.1/32 dev lo
ip -n "$NS-a" route add default via 10.99.1.1
vl_hub_config "listen: [10.99.1.1, 10.99.2.1, 10.200.0.1]
routes:
  - cidr: 0.0.0.0/1
    nexthop: SERVER
  - cidr: 128.0.0.0/1
    nexthop: SERVER"
vl_user alice alicepw
vl_user bob bobpw
SERVER=10.200.0.1 vl_ep_config a alice alicepw "  full-tunnel: yes"
SERVER=10.99.2.1 vl_ep_config b bob bobpw
vl_start hub "$HUBCFG" "$T/hub.log"
HUBPID=$LASTPID
wait_for 10 ip -n "$NS-hub" link show br-vlt
BEFORE=$(ip -n "$NS-a" route show)
vl_endpoints_up
B=$(ep_ip b)

route_on_a() { ip -n "$NS-a" route show "$1" | grep -q "$2"; }
dev_for() { ip -n "$NS-a" route get "$1" | grep -q "dev $2 "; }
check "a takes 0.0.0.0/1 into the tunnel" wait_for 10 route_on_a 0.0.0.0/1 "dev vl0 proto 118"
check "a takes 128.0.0.0/1 into the tunnel" route_on_a 128.0.0.0/1 "dev vl0 proto 118"
check "a pinned its way to the hub outside it" \
    route_on_a 10.200.0.1 "via 10.99.1.1 dev vla proto 118"
check "the hub is reached outside the tunnel" dev_for 10.200.0.1 vla
check "anything else goes into the tunnel" dev_for 192.0.2.7 vl0
check "a's own default route is still there" route_on_a default "via 10.99.1.1 dev vla"
check "a pings b" pingok a "$B"
check "a pings the hub inside the tunnel" pingok a 192.168.123.254
check "b, without full-tunnel, refuses 0.0.0.0/1 (it covers its way to the hub)" \
    grep -q "route 0.0.0.0/1 refused: covers the hub's address 10.99.2.1" "$T/b.log"
check "b refuses 128.0.0.0/1 (with 0.0.0.0/1, the default)" \
    grep -q "route 128.0.0.0/1 refused: with the routes before it, covers the default route" "$T/b.log"
check "b's routes have no half of the default" sh -c \
    "! ip -n $NS-b route show | grep -q '^\(0\|128\)\.0\.0\.0/1'"

# The hub withdraws the halves (reload without them): a gives back all.
cp "$HUBCFG" "$T/with-routes.yaml"
sed -i '/^routes:/,$d' "$HUBCFG"
check "the hub reloads without the routes" hubctl reload
check "a's routes are exactly as before once withdrawn" \
    wait_for 5 sh -c "[ \"\$(ip -n $NS-a route show | grep -v 'dev vl0')\" = \"$BEFORE\" ]"
check "and nothing of the tunnel's halves is left" sh -c \
    "! ip -n $NS-a route show | grep -q '^\(0\|128\)\.0\.0\.0/1'"
cp "$T/with-routes.yaml" "$HUBCFG"
check "the hub offers them again" hubctl reload
check "a takes them again" wait_for 10 route_on_a 10.200.0.1 "proto 118"

kill "$APID"
wait_for 10 dead "$APID"
check "a stopped: its routes are exactly as before" \
    wait_for 5 sh -c "[ \"\$(ip -n $NS-a route show)\" = \"$BEFORE\" ]"

# Killed outright (vland and vland-ifmgr), the reaper takes the pin away.
vl_start a "$T/etc/a.yaml" "$T/a2.log"
APID=$LASTPID
check "a is back in full tunnel" wait_for 15 route_on_a 10.200.0.1 "proto 118"
IFMGR=$(pgrep -P "$APID" -x vland-ifmgr | head -1)
kill -KILL "$APID" "$IFMGR"
check "a killed: its routes are exactly as before" \
    wait_for 5 sh -c "[ \"\$(ip -n $NS-a route show)\" = \"$BEFORE\" ]"
vl_finish
