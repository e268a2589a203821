#!/bin/sh
# A pool of one address: the second user is told, in one line, that the
# pool is exhausted, gets no tap on the hub, and keeps retrying, waiting
# longer each time; when the first leaves, the second gets the freed
# address by itself.
set -u
TESTNAME=pool
. "$(dirname "$0")/lib.sh"

RANGE=192.168.123.100-192.168.123.100 vl_standard
vl_start a "$T/etc/a.yaml" "$T/a.log"
APID=$LASTPID
check "alice gets the pool's one address" wait_for 15 has_addr a vl0
check "... 192.168.123.100" [ "$(ep_ip a)" = 192.168.123.100 ]

vl_start b "$T/etc/b.yaml" "$T/b.log"
BPID=$LASTPID
check "bob is told the pool is exhausted" wait_for 15 grep -q \
    "login refused: the hub's address pool is exhausted" "$T/b.log"
check "no tap on the hub for bob" no_link_in hub vl-bob
check "bob has no address" sh -c "! ip -n $NS-b -4 addr show dev vl0 2>/dev/null | grep -q inet"
check "the hub logged bob's refusal" grep -q "login of bob from .* refused" "$T/hub.log"
check "the hub is still up" alive "$HUBPID"
check "bob keeps trying" alive "$BPID"
# backoffs_are LIST: the waits bob announced after his first refusals
backoffs_are() {
	[ "$(sed -n 's/.*pool is exhausted; reconnecting in \([0-9]*\) s$/\1/p' \
	    "$T/b.log" | head -2 | tr '\n' ' ')" = "$1" ]
}
check "bob backs off: 2 s, then 4 s" wait_for 8 backoffs_are "2 4 "
check "alice still pings the hub" pingok a 192.168.123.254

kill "$APID"
check "alice leaves: her tap goes" wait_for 2 no_link_in hub vl-alice
# bob backs off 2, 4, 8 s between tries.
check "bob gets the freed address by himself" wait_for 25 has_addr b vl0
check "... 192.168.123.100" [ "$(ep_ip b)" = 192.168.123.100 ]
check "bob pings the hub" wait_for 5 pingok b 192.168.123.254
vl_finish
