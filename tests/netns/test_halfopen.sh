#!/bin/sh
# Half-open slots against a sender that receives at its addresses: 5
# addresses on a's side, each proving itself (cookies) from many ports,
# leave thousands of handshakes half-open, more than the hub's 1024
# slots. A real endpoint still logs in during it: the oldest half-open
# session (a second old at least) gives its slot up rather than the
# newcomer being told "busy". (One address's 100 proven INITs a second,
# and the cap on all, are unit-tested: ratelimit.)
set -u
TESTNAME=ho
. "$(dirname "$0")/lib.sh"
VLOGIN=$BUILD/tests/load/vlogin

status() {
	hubctl -j show status |
	    python3 -c "import json,sys; s = json.load(sys.stdin); print(int($1))"
}

vl_standard
i=10
while [ "$i" -lt 15 ]; do
	ip -n "$NS-a" addr add "10.99.1.$i/24" dev vla
	i=$((i + 1))
done
wait_for 10 hubctl show status >/dev/null
ulimit -n 4096 2>/dev/null || true
ip netns exec "$NS-a" "$VLOGIN" -s 10.99.1.1:6123 \
    -k "$("$VLANCTL" pubkey "$T/etc/hub.key")" -u alice -w unused -N \
    -n 8000 -c 1500 -a 10.99.1.10-10.99.1.14 -t 5000 >"$T/vlogin.out" 2>&1 &
VPID=$!
PIDS="$PIDS $VPID"
some_evicted() { [ "$(status "s['half_open_evicted']")" -gt 0 ]; }
check "the hub's half-open slots fill up" wait_for 10 some_evicted
vl_start b "$T/etc/b.yaml" "$T/b.log"
check "bob logs in while they stay full" wait_for 15 has_addr b vl0
check "bob was never told busy" sh -c "! grep -q 'the hub is busy' $T/b.log"
check "the sender is still at it" alive "$VPID"
check "no more than 1024 half-open (and bob's login) now" \
    [ "$(status "s['endpoints_pending']")" -le 1030 ]
check "b pings the hub" pingok b 192.168.123.254
kill "$VPID" 2>/dev/null
wait "$VPID" 2>/dev/null
echo "# $(tail -1 "$T/vlogin.out")"
echo "# hub: $(status "s['half_open_evicted']") half-open given up, $(status "s['cookie_replies']") cookie replies, $(status "s['drops_by_reason']['ratelimit']") ratelimit drops"
vl_finish
