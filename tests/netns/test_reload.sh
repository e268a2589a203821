#!/bin/sh
# vlanctl and reload on a live hub: sessions survive a valid reload, a
# new route reaches the endpoints, a broken file is refused with its
# location and the hub keeps running, a change that needs a restart is
# refused whole, a removed user is ended and cannot come back, kick ends
# a session and the endpoint returns by itself, and the control socket
# refuses a stranger.
set -u
TESTNAME=rld
. "$(dirname "$0")/lib.sh"

vl_standard
vl_endpoints_up
A=$(ep_ip a)
B=$(ep_ip b)

# show endpoints -j: documented fields, counters that grow with traffic.
rx() { hubctl -j show endpoints | python3 -c 'import json,sys; e={x["user"]: x for x in json.load(sys.stdin)}; a=e["alice"]; assert all(k in a for k in ("remote","interface","address","login","last_packet_ms","rx_packets","rx_bytes","tx_packets","tx_bytes","drops")); print(a["tx_packets"])'; }
r0=$(rx)
ip netns exec "$NS-a" ping -c 5 -i 0.1 -q "$B" >/dev/null
r1=$(rx)
check "show endpoints -j: alice's sent packets grew with a ping ($r0 -> $r1)" [ "$r1" -ge $((r0 + 5)) ]
check "show status -j parses" sh -c "ip netns exec $NS-hub $VLANCTL -j -s $T/hub.sock show status | python3 -m json.tool"
check "show routes on a hub without routes" hubctl show routes

# A second hub on the same control socket refuses to start.
vl_start hub "$HUBCFG" "$T/hub2.log"
check "a second daemon on the same control socket refuses to start" \
    wait_for 10 grep -q "another vland is running" "$T/hub2.log"
check "the first hub is untouched" alive "$HUBPID"

# A valid reload with a new route, while a ping runs.
ip netns exec "$NS-a" ping -c 30 -i 0.1 -W 1 "$B" >"$T/ping.log" 2>&1 &
PING=$!
cat >>"$HUBCFG" <<CFG
routes:
  - cidr: 10.68.0.0/24
    nexthop: bob
CFG
check "vlanctl reload succeeds" hubctl reload
wait "$PING"
check "the ping ran through the reload without loss" grep -q " 0% packet loss" "$T/ping.log"
check "no session was dropped (no new login)" [ "$(grep -c 'logged in from' "$T/hub.log")" -eq 2 ]
check "the new route reached alice" wait_for 2 sh -c "ip -n $NS-a route show 10.68.0.0/24 | grep -q 'via $B'"
check "and the hub" sh -c "ip -n $NS-hub route show 10.68.0.0/24 | grep -q 'via $B'"
check "the reload said what changed" grep -q "reload: routes changed" "$T/hub.log"
# keepalive and timeout reload, and say how they apply.
sed -i -e 's/^keepalive: .*/keepalive: 3/' -e 's/^timeout: .*/timeout: 9/' "$HUBCFG"
check "a keepalive and timeout change reloads" hubctl reload
check "... saying when the keepalive applies" grep -q \
    "reload: keepalive is now 3 s: the hub's timers at once, each endpoint at its next login or rekey" \
    "$T/hub.log"
check "... and the timeout" grep -q "reload: timeout is now 9 s, for every session" \
    "$T/hub.log"
check "sessions stay up" pingok a "$B"
# A nexthop that looks like SERVER: valid (a user name), but said.
sed -i '/^routes:/a\  - cidr: 10.70.0.0/24\n    nexthop: Server' "$HUBCFG"
check "a reload with nexthop Server succeeds" hubctl reload
check "... and warns: did you mean SERVER?" grep -q \
    "reload: warning: route 10.70.0.0/24: nexthop Server is a user name; did you mean SERVER?" \
    "$T/hub.log"
check "... and vland-auth, which reads the users file: no such user" grep -q \
    "vland-auth: route 10.70.0.0/24: nexthop Server is no user of $T/etc/users; the route stays withdrawn" \
    "$T/hub.log"

# A broken file: refused with its location; the hub keeps the old one.
cp "$HUBCFG" "$T/good.yaml"
printf 'keepalive: many\n' >>"$HUBCFG"
hubctl reload >"$T/reload.out" 2>&1
RC=$?
cat "$T/reload.out"
check "a broken reload fails" [ "$RC" -ne 0 ]
check "... and vlanctl prints file:line:column" grep -q 'vland.yaml:[0-9]*:[0-9]*: ' "$T/reload.out"
check "the hub is still up" alive "$HUBPID"
check "sessions still up after the broken reload" pingok a "$B"
cp "$T/good.yaml" "$HUBCFG"

# A change that needs a restart is refused whole.
sed -i 's/^port: 6123/port: 6124/' "$HUBCFG"
printf '  - cidr: 10.69.0.0/24\n    nexthop: SERVER\n' >>"$HUBCFG"
hubctl reload >"$T/reload2.out" 2>&1
check "a port change is refused as needing a restart" grep -q "port changed, which needs a restart" "$T/reload2.out"
check "... and nothing else was applied" sh -c "! ip -n $NS-a route show 10.69.0.0/24 | grep -q ."
cp "$T/good.yaml" "$HUBCFG"
printf 'ip6: fd00:7b::1/64\n' >>"$HUBCFG"
hubctl reload >"$T/reload3.out" 2>&1
check "adding ip6 is refused as needing a restart" grep -q "ip6 changed, which needs a restart" "$T/reload3.out"
cp "$T/good.yaml" "$HUBCFG"

# A removed user: its session ends, and it cannot log in again.
grep -v '^bob:' "$T/etc/users" >"$T/users.new"
cat "$T/users.new" >"$T/etc/users"
check "reload after removing bob" hubctl reload
check "bob's session ended (hub tap gone)" wait_for 3 no_link_in hub vl-bob
check "bob's route withdrawn on alice" wait_for 2 sh -c "! ip -n $NS-a route show 10.68.0.0/24 | grep -q ."
check "bob's endpoint cannot log in again and says why" \
    wait_for 20 grep -q "login refused: bad username or password" "$T/b.log"

# kick: the session ends; the endpoint comes back by itself.
check "kick alice" hubctl kick alice
check "alice's hub tap removed" wait_for 2 no_link_in hub vl-alice
check "alice back by itself" wait_for 15 link_in hub vl-alice
check "alice has her address again" [ "$(ep_ip a)" = "$A" ]
check "kick of a user not logged in fails" sh -c "! ip netns exec $NS-hub $VLANCTL -s $T/hub.sock kick nobody"

check "log verbose" hubctl log verbose
check "log brief (by prefix)" hubctl log br
check "an unknown command word lists the valid ones" sh -c \
    "ip netns exec $NS-hub $VLANCTL -s $T/hub.sock show bogus 2>&1 | grep -q 'valid: endpoints status'"

# The control socket: root and group _vland only.
check "control socket is mode 0660, group _vland" sh -c \
    "stat -c '%a %G' $T/hub.sock | grep -qx '660 _vland'"
check "a stranger (nobody) is refused" sh -c \
    "! ip netns exec $NS-hub setpriv --reuid=nobody --regid=nogroup --clear-groups $VLANCTL -s $T/hub.sock show status"

# A users file of hundreds of lines: vland-auth sorts it at a reload
# inside its sandbox (glibc's qsort of a large array asks the system's
# memory size, which its allowlist once forgot: the reload killed it).
HASH=$(mkpasswd -m yescrypt -R 3 manypw)
i=1
while [ "$i" -le 300 ]; do
	printf 'many%d:%s\n' "$i" "$HASH"
	i=$((i + 1))
done >>"$T/etc/users"
check "a reload with 300 more users" hubctl reload
check "vland-auth took them" grep -q "vland-auth: reload: 30[0-9] users" "$T/hub.log"
check "the hub is still up" alive "$HUBPID"

vl_finish
