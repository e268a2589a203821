#!/bin/sh
# Full tunnel with NAT (issue #21, item 1): the hub offers 0.0.0.0/0 via
# SERVER (sent as its halves) and masquerades what leaves it through
# vlhs, towards an "internet" namespace srv that has no route back to
# the endpoints' underlay nor to the VPN. Endpoint a, with full-tunnel:
# yes, reaches srv only through the hub, which srv sees as the source;
# a's way to the hub (10.200.0.1, through a's default gateway) stays
# outside, and follows a when it roams to another gateway. Killed with SIGKILL, or when the hub withdraws the route, a's
# routes are as they were. The hub's nftables table goes when it stops
# and, through the reaper, when it is killed.
set -u
TESTNAME=ftnat
. "$(dirname "$0")/lib.sh"

vl_topology
ip netns add "$NS-srv"
ip -n "$NS-srv" link set lo up
vl_veth hub vlhs srv vls
ip -n "$NS-hub" addr add 203.0.113.1/24 dev vlhs
ip -n "$NS-hub" link set vlhs up
ip -n "$NS-srv" addr add 203.0.113.2/24 dev vls
ip -n "$NS-srv" link set vls up
ip netns exec "$NS-hub" sysctl -qw net.ipv4.ip_forward=1
ip -n "$NS-hub" addr add 10.200.0.1/32 dev lo
ip -n "$NS-a" route add default via 10.99.1.1
# A second way from a to the hub, for a to roam to.
vl_veth a vla2 hub vlha3
ip -n "$NS-a" addr add 10.99.3.2/24 dev vla2
ip -n "$NS-a" link set vla2 up
ip -n "$NS-hub" addr add 10.99.3.1/24 dev vlha3
ip -n "$NS-hub" link set vlha3 up
# srv counts the echo requests it gets, by source.
ip netns exec "$NS-srv" nft -f - <<'NFT'
table inet count {
	chain input {
		type filter hook input priority 0; policy accept;
		ip saddr 203.0.113.1 icmp type echo-request counter
		ip saddr != 203.0.113.1 icmp type echo-request counter
	}
}
NFT
srv_from() { ip netns exec "$NS-srv" nft list chain inet count input | grep "$1" | grep -o 'packets [0-9]*' | cut -d' ' -f2; }

vl_hub_config "listen: [10.99.1.1, 10.99.2.1, 10.200.0.1]
nat: vlhs
routes:
  - cidr: 0.0.0.0/0
    nexthop: SERVER"
vl_user alice alicepw
SERVER=10.200.0.1 vl_ep_config a alice alicepw "  full-tunnel: yes"
TABLE=vland_br-vlt
nft_table() { ip netns exec "$NS-hub" nft list table inet "$TABLE"; }
no_nft_table() { ! nft_table; }

check "vland -n takes nat: and the default route" \
    ip netns exec "$NS-hub" "$VLAND" -n -f "$HUBCFG"
vl_start hub "$HUBCFG" "$T/hub.log"
HUBPID=$LASTPID
wait_for 10 ip -n "$NS-hub" link show br-vlt
check "the hub made its nftables table" wait_for 10 nft_table
check "with a masquerade out of vlhs for the VPN subnet" sh -c \
    "ip netns exec $NS-hub nft list table inet $TABLE | grep -q 'ip saddr 192.168.123.0/24 oifname \"vlhs\" counter packets [0-9]* bytes [0-9]* masquerade'"
check "the host's own tables are left alone (srv's, and none else on the hub)" sh -c \
    "[ \$(ip netns exec $NS-hub nft list tables | wc -l) = 1 ]"
check "without the tunnel, a does not reach the internet" sh -c "! pingok a 203.0.113.2"
BEFORE=$(ip -n "$NS-a" route show)

vl_start a "$T/etc/a.yaml" "$T/a.log"
APID=$LASTPID
route_on_a() { ip -n "$NS-a" route show "$1" | grep -q "$2"; }
dev_for() { ip -n "$NS-a" route get "$1" | grep -q "dev $2 "; }
check "a takes 0.0.0.0/1 (half of the hub's default) into the tunnel" \
    wait_for 15 route_on_a 0.0.0.0/1 "dev vl0 proto 118"
check "and 128.0.0.0/1" route_on_a 128.0.0.0/1 "dev vl0 proto 118"
check "a pinned its way to the hub outside the tunnel" \
    route_on_a 10.200.0.1 "via 10.99.1.1 dev vla proto 118"
check "the hub's underlay address goes outside the tunnel" dev_for 10.200.0.1 vla
check "the internet goes into the tunnel" dev_for 203.0.113.2 vl0
check "a's own default route is still there" route_on_a default "via 10.99.1.1 dev vla"
FROM_HUB=$(srv_from 'saddr 203.0.113.1')
check "a reaches the internet" wait_for 10 pingok a 203.0.113.2
check "the internet saw the hub's address (NAT)" \
    [ "$(srv_from 'saddr 203.0.113.1')" -gt "$FROM_HUB" ]
check "and never a's" [ "$(srv_from 'saddr !=')" -eq 0 ]
check "the hub's masquerade counted it" sh -c \
    "ip netns exec $NS-hub nft list table inet $TABLE | grep -q 'counter packets [1-9]'"
check "a's traceroute-like look: first hop is the hub inside the tunnel" sh -c \
    "ip netns exec $NS-a ping -c 1 -W 2 -t 1 203.0.113.2 | grep -q 'From 192.168.123.254'"

# a roams: its default gateway changes, and the pin follows it.
ip -n "$NS-a" route replace default via 10.99.3.1 dev vla2
check "a roamed: its pin to the hub moved to the new gateway" \
    wait_for 5 route_on_a 10.200.0.1 "via 10.99.3.1 dev vla2 proto 118"
check "the hub is still reached outside the tunnel" dev_for 10.200.0.1 vla2
check "a still reaches the internet through the hub" wait_for 10 pingok a 203.0.113.2
ip -n "$NS-a" route replace default via 10.99.1.1 dev vla
check "a roamed back: the pin too" \
    wait_for 5 route_on_a 10.200.0.1 "via 10.99.1.1 dev vla proto 118"
check "a reaches the internet again" wait_for 10 pingok a 203.0.113.2

# Killed outright (vland and vland-ifmgr), the reaper takes the pin away.
IFMGR=$(pgrep -P "$APID" -x vland-ifmgr | head -1)
kill -KILL "$APID" "$IFMGR"
check "a killed: its routes are exactly as before" \
    wait_for 5 sh -c "[ \"\$(ip -n $NS-a route show)\" = \"$BEFORE\" ]"

# The hub withdraws the default (reload without it): a gives all back.
vl_start a "$T/etc/a.yaml" "$T/a2.log"
APID=$LASTPID
check "a is back in full tunnel" wait_for 15 route_on_a 0.0.0.0/1 "proto 118"
cp "$HUBCFG" "$T/with-routes.yaml"
sed -i '/^routes:/,$d' "$HUBCFG"
check "the hub reloads without the default route" hubctl reload
check "a's routes are exactly as before once withdrawn" \
    wait_for 5 sh -c "[ \"\$(ip -n $NS-a route show | grep -v 'dev vl0')\" = \"$BEFORE\" ]"
check "and a's halves are gone" sh -c \
    "! ip -n $NS-a route show | grep -q '^\(0\|128\)\.0\.0\.0/1'"
kill "$APID"
wait_for 10 dead "$APID"

# The hub's table goes with it: at exit, and by the reaper when killed.
kill "$HUBPID"
wait_for 10 dead "$HUBPID"
check "the hub stopped: its nftables table is gone" no_nft_table
vl_start hub "$HUBCFG" "$T/hub2.log"
HUBPID=$LASTPID
check "the hub restarted: its table is back" wait_for 10 nft_table
IFMGR=$(pgrep -P "$HUBPID" -x vland-ifmgr | head -1)
kill -KILL "$HUBPID" "$IFMGR"
check "the hub killed: the reaper deleted its table" wait_for 5 no_nft_table
check "srv's own table is still there" ip netns exec "$NS-srv" nft list table inet count
vl_finish
