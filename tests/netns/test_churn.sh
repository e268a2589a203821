#!/bin/sh
# Endpoints that come and go must leave nothing behind on the hub: after
# 20 logins and clean logouts of alice, and 3 logins that end in SIGKILL
# and the session timeout, the hub's three processes hold the same file
# descriptors as before, no tap is left, alice gets the same address each
# time, and bob, logged in throughout, still pings.
set -u
TESTNAME=churn
. "$(dirname "$0")/lib.sh"

vl_standard
vl_start b "$T/etc/b.yaml" "$T/b.log"
wait_for 15 has_addr b vl0
B=$(ep_ip b)
A=$(fnv_addr alice)

# The hub's processes: vland and its two helpers (children of vland).
helpers() { pgrep -P "$HUBPID"; }
fds() { # the open descriptors of the hub's three processes, one number
	for p in "$HUBPID" $(helpers); do ls "/proc/$p/fd"; done | wc -l
}
cycle() { # SIGNAL
	vl_start a "$T/etc/a.yaml" "$T/a.log"
	wait_for 15 has_addr a vl0 && [ "$(ep_ip a)" = "$A" ] || return 1
	pingok a "$B" >/dev/null || return 1
	kill "-$1" "$LASTPID"
	wait_for 5 dead "$LASTPID" || return 1
	# SIGKILL: no bye, so the hub waits for the session's timeout (6 s).
	wait_for 15 no_link_in hub vl-alice
}

check "the hub's two helpers are found" [ "$(helpers | wc -l)" -eq 2 ]
cycle TERM
sleep 1
BEFORE=$(fds)
ok=0
for i in $(seq 20); do cycle TERM && ok=$((ok + 1)); done
check "20 logins and clean logouts, each with the same address" [ "$ok" -eq 20 ]
ok=0
for i in 1 2 3; do cycle KILL && ok=$((ok + 1)); done
check "3 logins ended by SIGKILL and the timeout" [ "$ok" -eq 3 ]
sleep 1
AFTER=$(fds)
echo "     the hub's processes held $BEFORE descriptors before, $AFTER after"
check "no descriptor leaked in the hub's processes" [ "$AFTER" -eq "$BEFORE" ]
check "no tap left for alice" no_link_in hub vl-alice
check "the bridge has only bob's tap" [ "$(ip -n "$NS-hub" -o link show master br-vlt | wc -l)" -eq 1 ]
check "the hub lists bob alone" sh -c \
    "[ \"\$(ip netns exec $NS-hub $VLANCTL -j -s $T/hub.sock show endpoints | grep -o '\"user\"' | wc -l)\" -eq 1 ]"
check "b still pings the hub" pingok b 192.168.123.254
check "the hub is still up" alive "$HUBPID"
vl_finish
