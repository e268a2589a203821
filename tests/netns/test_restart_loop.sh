#!/bin/sh
# Restarts without races: the hub is stopped (SIGTERM), waited for, and
# started again at once, 20 times, with two endpoints connected. vland
# exits only once its helpers have removed what they made, so every new
# hub comes up whole: after each restart both endpoints are back and
# ping each other within 15 s, and no hub ever has a tap refused.
set -u
TESTNAME=rloop
. "$(dirname "$0")/lib.sh"

vl_standard
vl_endpoints_up
A=$(ep_ip a)
B=$(ep_ip b)
both_ping() { pingok a "$B" && pingok b "$A"; }
check "a and b ping each other" wait_for 15 both_ping
ok=0
for i in $(seq 1 20); do
	kill -TERM "$HUBPID"
	wait "$HUBPID"
	vl_start hub "$HUBCFG" "$T/hub-$i.log"
	HUBPID=$LASTPID
	if wait_for 15 both_ping; then
		ok=$((ok + 1))
	else
		echo "     restart $i: a and b did not ping within 15 s"
	fi
done
check "after each of 20 restarts, a and b were back within 15 s ($ok of 20)" [ "$ok" -eq 20 ]
check "no hub had a tap refused" sh -c "! grep -l 'refused IF_TAP_CREATE' $T/hub-*.log"
check "no hub found the old bridge in its way" sh -c "! grep -l 'Protocol error\|cannot list links' $T/hub-*.log"
check "each hub stopped only after its helpers" sh -c "! grep -l 'did not stop within' $T/hub*.log"
vl_finish
