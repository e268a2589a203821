#!/bin/sh
# Rekeys under traffic: the endpoints renew their keys every 3 s (the
# protocol's 120 s, shortened for the test) with the resume token, never
# the password; a ping running across several rekeys loses nothing, and
# the hub sees no new login.
set -u
TESTNAME=rk
. "$(dirname "$0")/lib.sh"

vl_standard
VLAND_REKEY_SECONDS=3
export VLAND_REKEY_SECONDS
vl_start a "$T/etc/a.yaml" "$T/a.log"
vl_start b "$T/etc/b.yaml" "$T/b.log"
unset VLAND_REKEY_SECONDS
wait_for 15 has_addr a vl0
wait_for 15 has_addr b vl0
B=$(ep_ip b)

ip netns exec "$NS-a" ping -c 100 -i 0.1 -W 1 "$B" >"$T/ping.log" 2>&1
tail -2 "$T/ping.log"
REKEYS=$(grep -c "rekeyed ([0-9]*), the session goes on" "$T/a.log")
echo "     alice rekeyed $REKEYS times in 10 s"
check "alice rekeyed at least twice during the ping" [ "$REKEYS" -ge 2 ]
check "no packet lost across the rekeys" grep -q " 0% packet loss" "$T/ping.log"
check "the hub saw no new login (resume token, not the password)" \
    [ "$(grep -c 'logged in from' "$T/hub.log")" -eq 2 ]
check "vland-auth checked no password again" \
    [ "$(grep -c 'vland-auth: login alice' "$T/hub.log")" -eq 1 ]

vl_finish
