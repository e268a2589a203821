#!/bin/sh
# Routes: the site-LAN case. Endpoint b (user "site") has a LAN
# 10.68.0.0/24 with hosts n1 and n2 behind it; the hub routes that LAN
# via user site and 172.17.15.0/24 (a network behind the hub) via
# SERVER. Endpoint a (alice) reaches all of them; the route follows
# site's logins and logouts within a second, site never installs its
# own route, a route whose user never logs in is never installed, and
# route-multicast announces the set in the original format.
set -u
TESTNAME=rt
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

vl_topology
vl_hub_config "route-multicast: true
routes:
  - cidr: 10.68.0.0/24
    nexthop: site
  - cidr: 172.17.15.0/24
    nexthop: SERVER
  - cidr: 10.77.0.0/16
    nexthop: ghost"
vl_user alice alicepw
vl_user site sitepw
vl_user ghost ghostpw
vl_ep_config a alice alicepw
SERVER=10.99.2.1 vl_ep_config b site sitepw

# The site LAN behind b: a bridge with n1 and n2; b forwards and
# masquerades, as the original system's development set-up did.
ip -n "$NS-b" link add lanbr type bridge
ip -n "$NS-b" addr add 10.68.0.1/24 dev lanbr
ip -n "$NS-b" link set lanbr up
for n in n1 n2; do
	ip netns add "$NS-$n"
	ip -n "$NS-$n" link set lo up
	vl_veth "$n" "vl$n" b "vlp$n"
	ip -n "$NS-b" link set "vlp$n" master lanbr up
done
ip -n "$NS-n1" addr add 10.68.0.11/24 dev vln1
ip -n "$NS-n2" addr add 10.68.0.12/24 dev vln2
ip -n "$NS-n1" link set vln1 up
ip -n "$NS-n2" link set vln2 up
ip netns exec "$NS-b" sysctl -qw net.ipv4.ip_forward=1
ip netns exec "$NS-b" nft -f - <<NFT
table ip vltnat {
	chain post { type nat hook postrouting priority 100; oifname "lanbr" masquerade; }
}
NFT
# The network behind the hub: srv at 172.17.15.2.
ip netns add "$NS-srv"
ip -n "$NS-srv" link set lo up
vl_veth srv vlsrv hub vlhsrv
ip -n "$NS-srv" addr add 172.17.15.2/24 dev vlsrv
ip -n "$NS-srv" link set vlsrv up
ip -n "$NS-srv" route add 192.168.123.0/24 via 172.17.15.1
ip -n "$NS-hub" addr add 172.17.15.1/24 dev vlhsrv
ip -n "$NS-hub" link set vlhsrv up
ip netns exec "$NS-hub" sysctl -qw net.ipv4.ip_forward=1
# Forwarding on, but never between the underlay veths.
ip netns exec "$NS-hub" nft -f - <<NFT
table inet vltfw {
	chain guard { type filter hook forward priority 0; iifname "vlh*" oifname "vlh[ab]" drop; }
}
NFT

vl_start hub "$HUBCFG" "$T/hub.log"
HUBPID=$LASTPID
wait_for 10 link_in hub br-vlt
vl_start a "$T/etc/a.yaml" "$T/a.log"
wait_for 15 has_addr a vl0
# Listen for the multicast announcement on alice's side.
ip netns exec "$NS-a" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 9999))
s.settimeout(25)
while True:
    d = s.recv(65535)
    if b"10.68.0.0/24>192" in d:
        sys.stdout.buffer.write(d)
        break
' >"$T/mcast.bin" 2>"$T/mcast.err" &
LISTENER=$!
sleep 0.3
vl_start b "$T/etc/b.yaml" "$T/b.log"
SITEPID=$LASTPID
wait_for 15 has_addr b vl0
SITE=$(ep_ip b)

route_in() { ip -n "$NS-$1" route show "$2" | grep -q "via $3"; }
no_route_in() { ! ip -n "$NS-$1" route show "$2" | grep -q .; }
no_vpn_route_in() { ! ip -n "$NS-$1" route show "$2" dev vl0 | grep -q .; }
check "hub: route to the site LAN via site ($SITE) on the bridge" \
    wait_for 5 route_in hub 10.68.0.0/24 "$SITE"
check "alice: route to the site LAN via site" wait_for 5 route_in a 10.68.0.0/24 "$SITE"
check "alice pings n1 behind site" pingok a 10.68.0.11
check "alice pings n2 behind site" pingok a 10.68.0.12
check "site never installs its own route" no_vpn_route_in b 10.68.0.0/24
check "alice: route to the hub's network via the hub" route_in a 172.17.15.0/24 192.168.123.254
check "alice reaches the network behind the hub" pingok a 172.17.15.2
check "site reaches the network behind the hub" pingok b 172.17.15.2
check "a route whose user never logged in: not on the hub" no_route_in hub 10.77.0.0/16
check "... nor on alice" no_route_in a 10.77.0.0/16
check "... nor on site" no_route_in b 10.77.0.0/16

hubctl show routes
check "show routes: site's route resolved and installed" sh -c \
    "ip netns exec $NS-hub $VLANCTL -s $T/hub.sock show routes | grep -Eq '^10.68.0.0/24 +site +$SITE +yes +br-vlt'"
check "show routes -j: the never-logged-in user's route is unknown" sh -c \
    "ip netns exec $NS-hub $VLANCTL -j -s $T/hub.sock show routes | python3 -c 'import json,sys; r={x[\"cidr\"]: x for x in json.load(sys.stdin)}; assert r[\"10.77.0.0/16\"][\"via\"] is None and not r[\"10.77.0.0/16\"][\"installed\"]; assert r[\"10.68.0.0/24\"][\"via\"] == \"$SITE\"'"

check "alice's show status counts the routes she installed" sh -c \
    "ip netns exec $NS-a $VLANCTL -s $T/a.sock show status | grep -Eq '^routes: +2 installed'"

wait "$LISTENER"
EXPECT=$(printf '\053\00110.68.0.0/24>%s\n172.17.15.0/24>192.168.123.254\n10.77.0.0/16>UNKNOW_IP\n' "$SITE" | od -An -tx1)
check "route-multicast: the original byte format reached alice's side" \
    [ "$(od -An -tx1 "$T/mcast.bin")" = "$EXPECT" ]

# site logs out: the route goes within a second, everywhere.
kill -TERM "$SITEPID"
check "site logged out: hub route gone within 1 s" wait_for 1 no_route_in hub 10.68.0.0/24
check "site logged out: alice's route gone within 1 s" wait_for 1 no_route_in a 10.68.0.0/24
check "alice fails fast towards n1" sh -c "! ip netns exec $NS-a ping -c 1 -W 1 10.68.0.11"
check "the SERVER route stays" route_in a 172.17.15.0/24 192.168.123.254

vl_start b "$T/etc/b.yaml" "$T/b2.log"
wait_for 15 has_addr b vl0
check "site back: alice's route back within 1 s of the login" wait_for 1 route_in a 10.68.0.0/24 "$SITE"
check "site back: hub route back" route_in hub 10.68.0.0/24 "$SITE"
check "alice pings n1 again" pingok a 10.68.0.11
check "site still has no route to its own LAN via the VPN" no_vpn_route_in b 10.68.0.0/24

vl_finish
