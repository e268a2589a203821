#!/bin/sh
# Tun mode, IPv4 and IPv6: endpoints reach each other and the hub,
# forwarding between endpoints stays inside vland (the hub's tun sees
# none of it), an unowned VPN address is dropped and counted, a network
# outside the hub is reached through the hub's NAT (IPv4) and routing
# (IPv6), a user-nexthop route works, a spoofed source is dropped and
# counted, and a tap endpoint is told the modes differ.
set -u
TESTNAME=tun
. "$(dirname "$0")/lib.sh"

vl_topology
vl_hub_config "mode: tun
interface: vl-hub
ip6: fd00:7b::1/64
routes:
  - cidr: 10.68.0.0/24
    nexthop: bob"
sed -i '/^bridge:/d' "$HUBCFG"
vl_user alice alicepw
vl_user bob bobpw
vl_ep_config a alice alicepw
SERVER=10.99.2.1 vl_ep_config b bob bobpw
printf 'mode: tun\n' >>"$T/etc/a.yaml"
printf 'mode: tun\n' >>"$T/etc/b.yaml"
# bob has a network of its own, 10.68.0.0/24.
ip -n "$NS-b" link add vlx1 type veth peer name vlx2
ip -n "$NS-b" addr add 10.68.0.1/24 dev vlx1
ip -n "$NS-b" link set vlx1 up
ip -n "$NS-b" link set vlx2 up
# A network outside the hub, reached through its NAT.
ip netns add "$NS-srv"
ip -n "$NS-srv" link set lo up
vl_veth srv vlsrv hub vlhsrv
ip -n "$NS-srv" addr add 172.30.0.2/24 dev vlsrv
ip -n "$NS-srv" link set vlsrv up
ip -n "$NS-hub" addr add 172.30.0.1/24 dev vlhsrv
ip -n "$NS-hub" link set vlhsrv up
ip netns exec "$NS-hub" sysctl -qw net.ipv4.ip_forward=1
# The same outside network over IPv6, routed (no NAT).
ip -n "$NS-srv" addr add fd00:30::2/64 dev vlsrv nodad
ip -n "$NS-hub" addr add fd00:30::1/64 dev vlhsrv nodad
ip -n "$NS-srv" route add fd00:7b::/64 via fd00:30::1
ip netns exec "$NS-hub" sysctl -qw net.ipv6.conf.all.forwarding=1
ip netns exec "$NS-hub" nft -f - <<NFT
table inet vlttun {
	chain guard { type filter hook forward priority 0; iifname "vlh[ab]" oifname "vlh[ab]" drop; }
	chain post { type nat hook postrouting priority 100; oifname "vlhsrv" ip saddr 192.168.123.0/24 masquerade; }
}
NFT

vl_start hub "$HUBCFG" "$T/hub.log"
HUBPID=$LASTPID
wait_for 10 link_in hub vl-hub
vl_start a "$T/etc/a.yaml" "$T/a.log"
vl_start b "$T/etc/b.yaml" "$T/b.log"
wait_for 15 has_addr a vl0
wait_for 15 has_addr b vl0
A=$(ep_ip a)
B=$(ep_ip b)
check "alice's device is a tun" sh -c "ip -n $NS-a -d link show vl0 | grep -q 'tun type tun'"
check "alice got $A by FNV-1a" [ "$A" = "$(fnv_addr alice)" ]
check "a pings b" pingok a "$B"
check "b pings a" pingok b "$A"
check "a pings the hub" pingok a 192.168.123.254

A6=$(v6_of "$A" fd00:7b::/64)
B6=$(v6_of "$B" fd00:7b::/64)
check "alice got $A6, her IPv4 in the ip6 prefix" [ "$(ep_ip6 a)" = "$A6" ]
check "bob got $B6" [ "$(ep_ip6 b)" = "$B6" ]
check "a pings b over IPv6" ping6ok a "$B6"
check "b pings a over IPv6" ping6ok b "$A6"
check "a pings the hub over IPv6" ping6ok a fd00:7b::1

# Packets vland wrote into the hub's tun (its RX side). Its TX side also
# counts what the hub's own kernel sends there on its own (IPv6 router
# solicitations and MLD reports, at times of the kernel's choosing),
# which made this check fail now and then.
tunpkts() { ip -n "$NS-hub" -s link show vl-hub | awk '/RX:/{getline; print $2}'; }
before=$(tunpkts)
ip netns exec "$NS-a" ping -c 20 -i 0.05 -q "$B" >/dev/null
after=$(tunpkts)
echo "     hub tun packets before $before, after $after"
check "endpoint-to-endpoint traffic never touches the hub's tun" [ "$before" = "$after" ]
ip netns exec "$NS-a" ping -6 -c 20 -i 0.05 -q "$B6" >/dev/null
after6=$(tunpkts)
check "nor does it over IPv6 (tun packets $after, then $after6)" [ "$after" = "$after6" ]

drops() { hubctl -j show status | python3 -c "import json,sys; print(json.load(sys.stdin)['drops_by_reason']['$1'])"; }
# The endpoints' kernels have sent router solicitations and MLD reports
# from link-local addresses by now: dropped, but not spoofs.
check "no spoof counted for the endpoints' own link-local chatter" [ "$(drops spoof)" -eq 0 ]
n0=$(drops noroute)
ip netns exec "$NS-a" ping -c 3 -i 0.2 -W 1 192.168.123.150 >/dev/null 2>&1
check "a packet to an unowned VPN address is dropped and counted" [ "$(drops noroute)" -ge $((n0 + 3)) ]
n0=$(drops noroute)
t0=$(tunpkts)
ip netns exec "$NS-a" ping -6 -c 3 -i 0.2 -W 1 "$(v6_of 192.168.123.150 fd00:7b::/64)" >/dev/null 2>&1
ip netns exec "$NS-a" ping -6 -c 3 -i 0.2 -W 1 fd00:7b::1:2 >/dev/null 2>&1
check "so is one to an unowned IPv6 address of the prefix" [ "$(drops noroute)" -ge $((n0 + 6)) ]
check "and none of them reached the hub's tun" [ "$(tunpkts)" = "$t0" ]

ip -n "$NS-a" route add 172.30.0.0/24 dev vl0
check "alice reaches a host outside, through the hub's NAT" pingok a 172.30.0.2

# Offloads on the tuns: alice's kernel hands her vland large TCP
# packets, cut into many segments; bob's vland joins them again into few
# writes. And the hub's tun: 20 MB from the outside host reach alice
# (large packets from the hub's kernel, cut by the hub).
tapstat() { ip -n "$NS-$1" -s -j link show "$2" | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['stats64']['$3']['packets'])"; }
epstat() { ip netns exec "$NS-$1" "$VLANCTL" -j -s "$T/$1.sock" show status | python3 -c "import json,sys; print(json.load(sys.stdin)['$2'])"; }
xfer() { # FROM-NS TO-NS TO-ADDR
	ip netns exec "$NS-$2" timeout 120 python3 "$(dirname "$0")/tcpxfer.py" serve "$3" 5001 20000000 >"$T/xfer.out" &
	_x=$!
	sleep 0.5
	ip netns exec "$NS-$1" timeout 120 python3 "$(dirname "$0")/tcpxfer.py" send "$3" 5001 20000000
	wait "$_x"
	grep -qx OK "$T/xfer.out"
}
ka0=$(tapstat a vl0 tx) kb0=$(tapstat b vl0 rx) fa0=$(epstat a tx_packets) fb0=$(epstat b rx_packets)
check "20 MB of TCP from alice to bob arrive whole" xfer a b "$B"
ka=$(($(tapstat a vl0 tx) - ka0)) kb=$(($(tapstat b vl0 rx) - kb0))
fa=$(($(epstat a tx_packets) - fa0)) fb=$(($(epstat b rx_packets) - fb0))
echo "     alice sent $fa segments from $ka tun reads; bob got $fb, written in $kb"
check "alice's tun hands over large packets (TSO)" [ "$fa" -gt $((2 * ka)) ]
check "bob's vland joins segments into few tun writes (GSO)" [ "$fb" -gt $((2 * kb)) ]
ip -n "$NS-srv" route add 192.168.123.0/24 via 172.30.0.1
check "20 MB from the outside host reach alice through the hub's tun" xfer srv a "$A"
kt0=$(tapstat hub vl-hub tx) fr0=$(epstat a rx_packets)
check "20 MB from the hub itself reach alice" xfer hub a "$A"
kt=$(($(tapstat hub vl-hub tx) - kt0)) fr=$(($(epstat a rx_packets) - fr0))
echo "     the hub's kernel wrote $kt packets into its tun; alice got $fr segments"
check "the hub's tun hands over large packets (TSO), cut by vland" [ "$fr" -gt $((2 * kt)) ]
ip -n "$NS-a" route add fd00:30::/64 dev vl0
check "alice reaches it over IPv6, through the hub's tun" ping6ok a fd00:30::2

check "the route to bob's network reached alice" \
    wait_for 3 sh -c "ip -n $NS-a route show 10.68.0.0/24 | grep -q 'via $B'"
check "alice reaches bob's network (user-nexthop route)" pingok a 10.68.0.1

s0=$(drops spoof)
ip -n "$NS-a" addr add 192.168.123.99/32 dev vl0
ip netns exec "$NS-a" ping -c 3 -i 0.2 -W 1 -I 192.168.123.99 192.168.123.254 >/dev/null 2>&1
check "a spoofed source is dropped and counted" [ "$(drops spoof)" -ge $((s0 + 3)) ]
check "alice still works after that" pingok a "$B"
s0=$(drops spoof)
ip -n "$NS-a" addr add fd00:7b::99/128 dev vl0 nodad
ip netns exec "$NS-a" ping -6 -c 3 -i 0.2 -W 1 -I fd00:7b::99 fd00:7b::1 >/dev/null 2>&1
check "a spoofed IPv6 source is dropped and counted" [ "$(drops spoof)" -ge $((s0 + 3)) ]
# (removed, so the kernel cannot pick it as the source of what follows)
ip -n "$NS-a" addr del fd00:7b::99/128 dev vl0
check "alice still works over IPv6" ping6ok a "$B6"

# A tap endpoint against a tun hub.
vl_user carol carolpw
vl_ep_config c carol carolpw
# Beside alice's vl0 in the same namespace: a name of its own.
sed -i 's/interface: vl0/interface: vl1/' "$T/etc/c.yaml"
vl_start a "$T/etc/c.yaml" "$T/c.log"
check "mode mismatch: the endpoint says so and exits" \
    wait_for 15 grep -q "its mode is not tap" "$T/c.log"
check "mode mismatch: the hub logs it" grep -q "mode mismatch" "$T/hub.log"

vl_finish
