#!/bin/sh
# Logins under attack. A host at b's address floods the hub with wrong
# passwords for alice (tests/load/vlogin). Meanwhile alice logs in from
# a, and bob from b's own address (the flooder's, as behind one NAT):
# both are in within 2 s. alice at b's address is told "try later" with
# the seconds left, waits without exiting, and gets in when the block
# ends. A wrong password ends an endpoint with status 77, which the
# endpoint unit lists in RestartPreventExitStatus=.
set -u
TESTNAME=loginflood
. "$(dirname "$0")/lib.sh"
VLOGIN=$BUILD/tests/load/vlogin

vl_standard
PUB=$("$VLANCTL" pubkey "$T/etc/hub.key")
ip netns exec "$NS-b" "$VLOGIN" -s 10.99.2.1:6123 -k "$PUB" -u alice \
    -w wrongpw -n 1000000 -c 4 -t 3000 >"$T/flood.log" 2>&1 &
FLOODPID=$!
PIDS="$PIDS $FLOODPID"
check "the flood blocks alice at b's address" wait_for 10 grep -q \
    "user alice from 10.99.2.2: too many failed logins, refused there" \
    "$T/hub.log"
sleep 1
check "the flood goes on, answered 'try later'" grep -q \
    "login of alice from 10.99.2.2:[0-9]* refused: too many failures, try later" \
    "$T/hub.log"
check "... only 5 of its passwords were checked" [ "$(grep -c \
    'login alice from 10.99.2.2: wrong password' "$T/hub.log")" -eq 5 ]

both_in() { logged_in alice && logged_in bob; }
vl_start a "$T/etc/a.yaml" "$T/a.log"
APID=$LASTPID
vl_start b "$T/etc/b.yaml" "$T/b.log"
BPID=$LASTPID
t0=$(date +%s%N)
check "alice (from a) and bob (from the flooder's address) are in within 2 s" \
    wait_for 2 both_in
echo "# both in after $((($(date +%s%N) - t0) / 1000000)) ms, flood running"
check "the flood is still running" alive "$FLOODPID"
check "alice pings bob through the hub" wait_for 5 pingok a "$(ep_ip b)"

# alice at the flooder's address: blocked there, so told to wait. bob
# leaves b first: two devices with addresses in one subnet would make
# the second endpoint's routes overlap the first's.
kill "$FLOODPID" "$BPID"
SERVER=10.99.2.1 vl_ep_config c alice alicepw
sed -i 's/interface: vl0/interface: vl1/' "$T/etc/c.yaml"
vl_start b "$T/etc/c.yaml" "$T/c.log"
CPID=$LASTPID
check "alice at b's address is told to try later, with the wait" \
    wait_for 10 grep -q \
    "login refused: the hub says try later, in [0-9]* s; reconnecting in" \
    "$T/c.log"
WAIT=$(sed -n 's/.*the hub says try later, in \([0-9]*\) s;.*/\1/p' \
    "$T/c.log" | head -1)
echo "# told to wait ${WAIT:-?} s"
check "... between 1 and 60 s" [ "${WAIT:-0}" -ge 1 ] && [ "${WAIT:-0}" -le 60 ]
check "... and does not exit" alive "$CPID"
# alice leaves a, so that the login at b is not "already logged in".
kill "$APID"
check "alice at b's address gets in when the block ends" \
    wait_for $((${WAIT:-60} * 5 / 4 + 10)) logged_in alice
check "... without a restart" alive "$CPID"
check "... asking once per wait, not in a loop" [ "$(grep -c \
    'the hub says try later' "$T/c.log")" -le 3 ]
kill "$CPID"

# A wrong password: exit status 77, at once.
vl_ep_config d carol wrongpw
sed -i 's/interface: vl0/interface: vl2/' "$T/etc/d.yaml"
ip netns exec "$NS-a" timeout 20 "$VLAND" -d -f "$T/etc/d.yaml" \
    >"$T/d.log" 2>&1
rc=$?
check "a wrong password ends the endpoint with status 77" [ "$rc" -eq 77 ]
check "... saying why" grep -q "login refused: bad username or password" \
    "$T/d.log"
check "the endpoint unit does not restart on it" grep -q \
    '^RestartPreventExitStatus=77$' \
    "$(dirname "$0")/../../etc/systemd/vland@.service.in"

# A spray from b: 40 names, 6 tries each, 240 logins of which about 200
# cost a hash (several seconds of vland-auth's time). Checks are queued
# per source and served in turn, so carol's login from a waits for at
# most a check or two of b's, not for b's whole queue.
i=0
while [ $i -lt 40 ]; do
	ip netns exec "$NS-b" "$VLOGIN" -s 10.99.2.1:6123 -k "$PUB" \
	    -u "spray$i" -w wrongpw -n 6 -t 20000 >>"$T/spray.log" 2>&1 &
	PIDS="$PIDS $!"
	i=$((i + 1))
done
sleep 1.5
vl_ep_config e carol carolpw
sed -i 's/interface: vl0/interface: vl3/' "$T/etc/e.yaml"
vl_start a "$T/etc/e.yaml" "$T/e.log"
t0=$(date +%s%N)
check "during the spray, carol (from a) is in within 2 s" wait_for 2 \
    logged_in carol
echo "# carol in after $((($(date +%s%N) - t0) / 1000000)) ms; the spray" \
    "had $(grep -c 'login spray[0-9]* from 10.99.2.2: unknown user' \
    "$T/hub.log") checks done by then"
check "the spray was still being checked" wait_for 5 sh -c \
    "[ \$(grep -c 'login spray[0-9]* from' '$T/hub.log') -ge 100 ]"
vl_finish
