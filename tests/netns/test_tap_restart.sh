#!/bin/sh
# The hub restarts (clean stop, then a crash): endpoints come back by
# themselves within 15 s, with the same address and MAC, and traffic
# resumes. A clean stop says bye to every endpoint first.
set -u
TESTNAME=rst
. "$(dirname "$0")/lib.sh"

vl_standard
vl_endpoints_up
A=$(ep_ip a)
B=$(ep_ip b)
AMAC=$(ep_mac a)
check "a pings b before the restart" pingok a "$B"

restart_hub() { # SIGNAL
	kill "-$1" "$HUBPID"
	wait_for 10 dead "$HUBPID"
	wait_for 10 no_link_in hub br-vlt
	vl_start hub "$HUBCFG" "$T/hub-$1.log"
	HUBPID=$LASTPID
}

for sig in TERM KILL; do
	restart_hub $sig
	# A clean stop says bye to every endpoint; a crash cannot.
	if [ $sig = TERM ]; then
		check "SIGTERM: the hub said bye to a and to b" wait_for 3 sh -c \
		    "grep -q 'the hub ended the session' $T/a.log &&
		     grep -q 'the hub ended the session' $T/b.log"
	else
		check "SIGKILL: no bye this time" [ "$(grep -c 'the hub ended the session' "$T/a.log")" -eq 1 ]
	fi
	START=$(date +%s)
	check "SIG$sig: a reaches b again within 15 s" wait_for 15 pingok a "$B"
	echo "     (after $(($(date +%s) - START)) s)"
	check "SIG$sig: b reaches a" wait_for 5 pingok b "$A"
	check "SIG$sig: a kept its address" [ "$(ep_ip a)" = "$A" ]
	check "SIG$sig: a kept its MAC" [ "$(ep_mac a)" = "$AMAC" ]
	check "SIG$sig: both listed on the new hub" sh -c \
	    "ip netns exec $NS-hub $VLANCTL -s $T/hub.sock show endpoints | grep -q alice"
done

vl_finish
