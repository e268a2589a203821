#!/bin/sh
# A hub listening on an IPv4 and an IPv6 address (one socket each): a
# reaches it over IPv6, b over IPv4, and they talk through it.
set -u
TESTNAME=u6
. "$(dirname "$0")/lib.sh"

vl_topology
ip -n "$NS-hub" addr add fd00:99:1::1/64 dev vlha nodad
ip -n "$NS-a" addr add fd00:99:1::2/64 dev vla nodad
vl_hub_config 'listen: [10.99.2.1, "fd00:99:1::1"]'
vl_user alice alicepw
vl_user bob bobpw
vl_ep_config a alice alicepw
sed -i 's/^  server: .*/  server: "[fd00:99:1::1]:6123"/' "$T/etc/a.yaml"
SERVER=10.99.2.1 vl_ep_config b bob bobpw
vl_start hub "$HUBCFG" "$T/hub.log"
HUBPID=$LASTPID
wait_for 10 ip -n "$NS-hub" link show br-vlt
vl_start a "$T/etc/a.yaml" "$T/a.log"
vl_start b "$T/etc/b.yaml" "$T/b.log"
check "a (over IPv6) gets its address" wait_for 15 has_addr a vl0
check "b (over IPv4) gets its address" wait_for 15 has_addr b vl0
socks() { ip netns exec "$NS-hub" ss -Huln "sport = :6123"; }
has_sock() { socks | grep -qF "$1"; }
check "the hub has one socket on 10.99.2.1" has_sock 10.99.2.1:6123
check "... and one on fd00:99:1::1" has_sock "[fd00:99:1::1]:6123"
check "... and no other" [ "$(socks | wc -l)" -eq 2 ]
check "the hub sees alice at her IPv6 address" sh -c \
    "ip netns exec $NS-hub $VLANCTL -j -s $T/hub.sock show endpoints | grep -q 'fd00:99:1::2'"
check "a pings b" pingok a "$(ep_ip b)"
check "b pings a" pingok b "$(ep_ip a)"
check "a pings the hub" pingok a 192.168.123.254
check "nothing reaches the hub over IPv4 from a" sh -c \
    "! ip netns exec $NS-hub $VLANCTL -j -s $T/hub.sock show endpoints | grep -q '10.99.1.2'"
vl_finish
