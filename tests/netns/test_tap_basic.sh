#!/bin/sh
# Tap mode end to end: addresses from the pool (IPv4, and IPv6 from the
# ip6 prefix), MACs from addresses, pings every way over both, the
# bridge's MAC stable, a clean stop releasing the tap and address at
# once, and two endpoints in one namespace.
set -u
TESTNAME=tap
. "$(dirname "$0")/lib.sh"

vl_standard "ip6: fd00:7b::1/64"
vl_endpoints_up

A=$(fnv_addr alice)
B=$(fnv_addr bob)
check "alice got $A, as FNV-1a predicts" [ "$(ep_ip a)" = "$A" ]
check "bob got $B, as FNV-1a predicts" [ "$(ep_ip b)" = "$B" ]
macof() { printf '62:e2:%02x:%02x:%02x:%02x' $(echo "$1" | tr . ' '); }
check "alice's tap MAC is 62:e2 + address" [ "$(ep_mac a)" = "$(macof "$A")" ]
check "bob's tap MAC is 62:e2 + address" [ "$(ep_mac b)" = "$(macof "$B")" ]
check "AUTH_OK told alice the hub's address" grep -q \
    "logged in to .* as alice, address $A/24 .*; the hub is 192.168.123.254 and fd00:7b::1$" \
    "$T/a.log"
check "a pings b" pingok a "$B"
check "b pings a" pingok b "$A"
check "a pings the hub" pingok a 192.168.123.254
check "b pings the hub" pingok b 192.168.123.254
check "the hub pings a" pingok hub "$A"
# The hub's bridge knows each endpoint's MAC without asking: a permanent
# neighbour entry (no ARP broadcast to every endpoint, and none of the
# kernel's table limit, which a thousand endpoints would overflow).
check "the hub's bridge has alice's address at her MAC, permanent" sh -c \
    "ip -n $NS-hub neigh show $A dev br-vlt | grep -q 'lladdr $(macof "$A") PERMANENT'"
check "... and bob's" sh -c \
    "ip -n $NS-hub neigh show $B dev br-vlt | grep -q 'lladdr $(macof "$B") PERMANENT'"
# bufs_ok NS [FILTER]: the UDP socket got the whole 8 MiB vland asks for
# each buffer (the kernel reports twice that), past the cap that
# net.core.rmem_max/wmem_max puts on unprivileged sockets (4 MiB here):
# they were set while vland was still root.
bufs_ok() {
	ip netns exec "$NS-$1" ss -Huamn ${2:+"$2"} | python3 -c '
import re, sys
m = re.search(r"skmem:\(r\d+,rb(\d+),t\d+,tb(\d+)", sys.stdin.read())
sys.exit(0 if m and min(map(int, m.groups())) >= 16 << 20 else 1)'
}
check "the hub's UDP socket has 8 MiB buffers" bufs_ok hub "sport = :6123"
check "a's UDP socket (its only one) too" bufs_ok a

A6=$(v6_of "$A" fd00:7b::/64)
B6=$(v6_of "$B" fd00:7b::/64)
check "alice got $A6, her IPv4 in the ip6 prefix" [ "$(ep_ip6 a)" = "$A6" ]
check "bob got $B6" [ "$(ep_ip6 b)" = "$B6" ]
check "the hub's bridge has alice's IPv6 at her MAC too, permanent" sh -c \
    "ip -n $NS-hub -6 neigh show $A6 dev br-vlt | grep -q 'lladdr $(macof "$A") PERMANENT'"
check "the hub has fd00:7b::1 on the bridge" sh -c "ip -n $NS-hub -6 addr show dev br-vlt | grep -q 'fd00:7b::1/64'"
check "a pings b over IPv6" ping6ok a "$B6"
check "b pings a over IPv6" ping6ok b "$A6"
check "a pings the hub over IPv6" ping6ok a fd00:7b::1
check "the hub pings b over IPv6" ping6ok hub "$B6"
check "show endpoints -j gives alice's IPv6" sh -c "ip netns exec $NS-hub $VLANCTL -j -s $T/hub.sock show endpoints | grep -q '\"address6\":\"$A6/64\"'"
# Offloads: alice's kernel hands her vland large TCP frames (TSO), which
# it cuts into many tunnel segments; the hub joins them again, writing
# far fewer frames into vl-alice than it received. 20 MB must arrive whole.
tapstat() { ip -n "$NS-$1" -s -j link show "$2" | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['stats64']['$3']['packets'])"; }
sent() { ip netns exec "$NS-a" "$VLANCTL" -j -s "$T/a.sock" show status | python3 -c "import json,sys; print(json.load(sys.stdin)['tx_packets'])"; }
ktx0=$(tapstat a vl0 tx) hrx0=$(tapstat hub vl-alice rx) f0=$(sent)
ip netns exec "$NS-b" python3 "$(dirname "$0")/tcpxfer.py" serve "$B" 5001 20000000 >"$T/xfer.out" &
XPID=$!
sleep 0.5
ip netns exec "$NS-a" python3 "$(dirname "$0")/tcpxfer.py" send "$B" 5001 20000000
wait "$XPID"
check "20 MB of TCP arrive whole through the offloads" grep -qx OK "$T/xfer.out"
ktx=$(($(tapstat a vl0 tx) - ktx0)) hrx=$(($(tapstat hub vl-alice rx) - hrx0)) f=$(($(sent) - f0))
echo "     alice sent $f segments from $ktx tap reads; the hub wrote them in $hrx frames"
check "alice's tap hands over large frames (TSO): segments > 2 x reads" [ "$f" -gt $((2 * ktx)) ]
check "the hub joins segments (GSO): segments > 2 x tap writes" [ "$f" -gt $((2 * hrx)) ]
check "alice's status shows her IPv6" sh -c "ip netns exec $NS-a $VLANCTL -s $T/a.sock show status | grep -q 'address6: *$A6/64'"
check "hub tap vl-alice on the bridge" sh -c "ip -n $NS-hub -o link show vl-alice | grep -q 'master br-vlt'"

BRMAC=$(ip -n "$NS-hub" -o link show br-vlt | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
check "bridge MAC fixed from the hub address" [ "$BRMAC" = "62:e2:c0:a8:7b:fe" ]
hubctl show endpoints
check "show endpoints lists alice and bob" sh -c "hubctl() { ip netns exec $NS-hub $VLANCTL -s $T/hub.sock \"\$@\"; }; hubctl show endpoints | grep -q alice && hubctl show endpoints | grep -q bob"
check "show endpoints -j is JSON" sh -c "ip netns exec $NS-hub $VLANCTL -j -s $T/hub.sock show endpoints | python3 -m json.tool"

# A clean stop: bye, so the hub removes the tap and frees the address
# at once, not after the timeout.
kill -TERM "$APID"
check "SIGTERM: alice's hub tap gone within 1 s" wait_for 1 no_link_in hub vl-alice
check "SIGTERM: alice no longer listed" not_logged_in alice
check "SIGTERM: alice's neighbour entries gone with her tap" sh -c \
    "! ip -n $NS-hub neigh show $A dev br-vlt | grep -q PERMANENT &&
    ! ip -n $NS-hub -6 neigh show $A6 dev br-vlt | grep -q PERMANENT"
check "SIGTERM: the endpoint exited" wait_for 5 dead "$APID"
check "SIGTERM: the endpoint removed its tap" wait_for 5 no_link_in a vl0
check "bridge MAC unchanged after alice left" sh -c "ip -n $NS-hub -o link show br-vlt | grep -q $BRMAC"

vl_start a "$T/etc/a.yaml" "$T/a2.log"
APID=$LASTPID
check "alice is back" wait_for 15 has_addr a vl0
check "alice has the same address again" [ "$(ep_ip a)" = "$A" ]
check "bridge MAC unchanged after alice came back" sh -c "ip -n $NS-hub -o link show br-vlt | grep -q $BRMAC"
check "a pings b again" pingok a "$B"

# A second endpoint in the same namespace: own config, device, socket.
sed -e 's/user: alice/user: carol/' -e 's/password: "alicepw"/password: "carolpw"/' \
    -e 's/interface: vl0/interface: vl1/' -e "s|$T/a.sock|$T/a1.sock|" \
    "$T/etc/a.yaml" >"$T/etc/a1.yaml"
vl_start a "$T/etc/a1.yaml" "$T/a1.log"
check "carol's endpoint up beside alice's in namespace a" wait_for 15 has_addr a vl1
C=$(fnv_addr carol)
check "carol got $C" [ "$(ep_ip a vl1)" = "$C" ]
check "alice's endpoint still up" has_addr a vl0
check "b pings carol" pingok b "$C"
check "b pings alice" pingok b "$A"

vl_finish
