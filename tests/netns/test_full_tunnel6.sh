#!/bin/sh
# An IPv6 full tunnel with NAT, to a hub reached over IPv6, in tun mode
# (test_full_tunnel is in tap mode): the hub offers ::/0 via SERVER
# (sent as ::/1 and 8000::/1) and masquerades what leaves through vlhs
# towards srv, an "internet" that has no route back to the VPN. Endpoint a pins a /128 to the hub's address (behind
# a's IPv6 default gateway) outside the tunnel, reaches srv only through
# the hub, which srv sees as the source, and when killed with SIGKILL
# its routes are as they were.
set -u
TESTNAME=ftnat6
. "$(dirname "$0")/lib.sh"

vl_topology
ip netns add "$NS-srv"
ip -n "$NS-srv" link set lo up
vl_veth hub vlhs srv vls
ip -n "$NS-hub" addr add fd00:99:1::1/64 dev vlha nodad
ip -n "$NS-a" addr add fd00:99:1::2/64 dev vla nodad
ip -n "$NS-hub" addr add fd00:99:200::1/128 dev lo
ip -n "$NS-a" -6 route add default via fd00:99:1::1 dev vla
ip -n "$NS-hub" addr add 2001:db8:113::1/64 dev vlhs nodad
ip -n "$NS-hub" link set vlhs up
ip -n "$NS-srv" addr add 2001:db8:113::2/64 dev vls nodad
ip -n "$NS-srv" link set vls up
ip netns exec "$NS-hub" sysctl -qw net.ipv6.conf.all.forwarding=1
ip netns exec "$NS-srv" nft -f - <<'NFT'
table inet count {
	chain input {
		type filter hook input priority 0; policy accept;
		ip6 saddr 2001:db8:113::1 icmpv6 type echo-request counter
		ip6 saddr != 2001:db8:113::1 icmpv6 type echo-request counter
	}
}
NFT
srv_from() { ip netns exec "$NS-srv" nft list chain inet count input | grep "$1" | grep -o 'packets [0-9]*' | cut -d' ' -f2; }

vl_hub_config 'mode: tun
interface: vl-hub
listen: [10.99.2.1, "fd00:99:200::1"]
ip6: fd00:7b::1/64
nat: vlhs
routes:
  - cidr: "::/0"
    nexthop: SERVER'
sed -i '/^bridge:/d' "$HUBCFG"
vl_user alice alicepw
vl_ep_config a alice alicepw "  full-tunnel: yes
mode: tun"
sed -i 's/^  server: .*/  server: "[fd00:99:200::1]:6123"/' "$T/etc/a.yaml"
vl_start hub "$HUBCFG" "$T/hub.log"
HUBPID=$LASTPID
wait_for 10 ip -n "$NS-hub" link show vl-hub
check "the hub masquerades IPv6 out of vlhs" wait_for 10 sh -c \
    "ip netns exec $NS-hub nft list table inet vland_vl-hub | grep -q 'ip6 saddr fd00:7b::/64 oifname \"vlhs\" counter packets [0-9]* bytes [0-9]* masquerade'"
check "without the tunnel, a does not reach the internet" sh -c "! ping6ok a 2001:db8:113::2"
BEFORE=$(ip -n "$NS-a" -6 route show; ip -n "$NS-a" -4 route show)

vl_start a "$T/etc/a.yaml" "$T/a.log"
APID=$LASTPID
route_on_a() { ip -n "$NS-a" -6 route show "$1" | grep -q "$2"; }
dev_for() { ip -n "$NS-a" -6 route get "$1" | grep -q "dev $2 "; }
check "a takes ::/1 into the tunnel" wait_for 15 route_on_a ::/1 "dev vl0 proto 118"
check "and 8000::/1" route_on_a 8000::/1 "dev vl0 proto 118"
check "a pinned a /128 to the hub outside the tunnel" \
    route_on_a fd00:99:200::1 "via fd00:99:1::1 dev vla proto 118"
check "the hub's underlay address goes outside the tunnel" dev_for fd00:99:200::1 vla
check "the internet goes into the tunnel" dev_for 2001:db8:113::2 vl0
check "a's own IPv6 default route is still there" route_on_a default "via fd00:99:1::1 dev vla"
FROM_HUB=$(srv_from 'saddr 2001:db8:113::1')
check "a reaches the internet over IPv6" wait_for 10 ping6ok a 2001:db8:113::2
check "the internet saw the hub's address (NAT)" \
    [ "$(srv_from 'saddr 2001:db8:113::1')" -gt "$FROM_HUB" ]
check "and never a's" [ "$(srv_from 'saddr !=')" -eq 0 ]

IFMGR=$(pgrep -P "$APID" -x vland-ifmgr | head -1)
kill -KILL "$APID" "$IFMGR"
check "a killed: its routes are exactly as before" wait_for 5 sh -c \
    "[ \"\$(ip -n $NS-a -6 route show; ip -n $NS-a -4 route show)\" = \"$BEFORE\" ]"
vl_finish
