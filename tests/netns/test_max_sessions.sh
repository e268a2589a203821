#!/bin/sh
# max-sessions: a hub that serves one session at a time tells the
# second endpoint to try later (30 s), in one line on each side; the
# first keeps working; once the first leaves,
# the second gets in by itself.
set -u
TESTNAME=maxs
. "$(dirname "$0")/lib.sh"

vl_standard "max-sessions: 1"
vl_start a "$T/etc/a.yaml" "$T/a.log"
APID=$LASTPID
check "alice logs in" wait_for 15 has_addr a vl0
vl_start b "$T/etc/b.yaml" "$T/b.log"
BPID=$LASTPID
check "bob is refused: the hub is full" wait_for 10 grep -q \
    "login of bob from .* refused: the hub is full (max-sessions 1)" \
    "$T/hub.log"
check "... and told to try later, in 30 s" wait_for 5 grep -q \
    "the hub says try later, in 30 s" "$T/b.log"
check "alice keeps working" pingok a 192.168.123.254
check "bob waits, he does not exit" alive "$BPID"
kill "$APID"
check "alice leaves" wait_for 5 no_link_in hub vl-alice
check "bob gets in by himself after his wait" wait_for 50 has_addr b vl0
check "... as the same process" alive "$BPID"
vl_finish
