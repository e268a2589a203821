#!/bin/sh
# Tap mode past a bridge's 1,023 ports: bob logs in first, then 1,030
# sessions of tests/load/vlogin are held from 240 source addresses; the
# hub's bridge fills and vland-ifmgr adds an overflow bridge joined to
# it by a veth. alice, logging in last, gets her tap there, and pings
# bob (on the hub's bridge) and the hub. When the hub is killed with
# SIGKILL, the reaper removes the overflow bridge and its veth with the
# taps.
set -u
TESTNAME=many KEEPALIVE=5 TIMEOUT=30
. "$(dirname "$0")/lib.sh"
VLOGIN=$BUILD/tests/load/vlogin
N=1030

# A /16: room in the pool for all of them.
vl_topology
vl_hub_config "max-sessions: 1100"
sed -i -e 's|^ip: .*|ip: 10.80.255.254/16|' \
    -e 's|^dhcp-range: .*|dhcp-range: 10.80.0.1-10.80.15.250|' "$HUBCFG"
vl_user alice alicepw
vl_user bob bobpw
# Cheap hashes: what is tested is the ports, not yescrypt.
HASH=$(mkpasswd -m yescrypt -R 3 loadpw)
i=1
while [ "$i" -le "$N" ]; do
	printf 'load%d:%s\n' "$i" "$HASH"
	i=$((i + 1))
done >>"$T/etc/users"
vl_ep_config a alice alicepw
SERVER=10.99.2.1 vl_ep_config b bob bobpw
vl_start hub "$HUBCFG" "$T/hub.log"
HUBPID=$LASTPID
wait_for 10 ip -n "$NS-hub" link show br-vlt
vl_start b "$T/etc/b.yaml" "$T/b.log"
BPID=$LASTPID
wait_for 15 has_addr b vl0
B=$(ep_ip b)
i=10
while [ "$i" -lt 250 ]; do
	ip -n "$NS-a" addr add "10.99.1.$i/24" dev vla
	i=$((i + 1))
done
ulimit -n $((N + 1024)) 2>/dev/null || true
ip netns exec "$NS-a" "$VLOGIN" -s 10.99.1.1:6123 \
    -k "$("$VLANCTL" pubkey "$T/etc/hub.key")" -m tap -u 'load%d' \
    -w loadpw -n "$N" -c "$N" -a 10.99.1.10-10.99.1.249 -r -t 120000 \
    -H 240 >"$T/vlogin.out" 2>&1 &
PIDS="$PIDS $!"
up() { hubctl -j show status | python3 -c 'import json,sys; print(json.load(sys.stdin)["endpoints_up"])'; }
all_up() { [ "$(up)" -ge $((N + 1)) ]; }
check "$N sessions and bob's up" wait_for 180 all_up
echo "     $(up) sessions up"
bridges() { ip -n "$NS-hub" -o link show type bridge | awk -F': ' '{print $2}' | tr '\n' ' '; }
echo "     bridges: $(bridges)"
check "an overflow bridge was added" sh -c "ip -n $NS-hub -o link show type bridge | grep -q ' vlo'"
check "the hub's bridge holds 1023 ports" [ "$(ip -n "$NS-hub" -o link show master br-vlt | wc -l)" -eq 1023 ]
check "the hub logged it, a tap moved there to free a port" grep -q \
    "overflow bridge vlo.* joined to it by vlu.* (vl-load[0-9]* moved there)" "$T/hub.log"
vl_start a "$T/etc/a.yaml" "$T/a.log"
APID=$LASTPID
check "alice logs in last" wait_for 30 has_addr a vl0
check "alice's tap is on the overflow bridge" sh -c "ip -n $NS-hub -o link show vl-alice | grep -q 'master vlo'"
check "bob's is on the hub's bridge" sh -c "ip -n $NS-hub -o link show vl-bob | grep -q 'master br-vlt'"
check "a pings b across the two bridges" wait_for 5 pingok a "$B"
check "b pings a" pingok b "$(ep_ip a)"
check "a pings the hub" pingok a 10.80.255.254

kill -KILL "$HUBPID"
gone() { ! ip -n "$NS-hub" -o link show | grep -q ' vlo\| vlu\| vl-load'; }
check "hub killed: the reaper removes the overflow bridge, its veth and the taps" wait_for 30 gone
vl_finish
