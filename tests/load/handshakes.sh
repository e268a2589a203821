#!/bin/sh
# Handshakes a second: ROUNDS bursts of N handshakes at once from
# tests/load/vlogin -N (each stops after the hub's answer, leaving a
# half-open session), from 240 source addresses, against a hub in the
# namespace topology of the tests. Prints vlogin's summary per burst:
# how many were answered, latency percentiles, and the rate. vlogin
# does the initiators' half of every handshake on the same cores, so
# the hub's own rate is at least what is printed. Bursts are 11 s apart:
# the hub keeps at most 1,024 half-open sessions, each for 10 s
# (HALF_OPEN_MAX and HALF_OPEN_TTL_MS in daemons/vland/hub.c; PROTOCOL.md),
# and past 512 asks for cookies (one more round trip). Also prints the
# hub's CPU time for each burst, and what that makes a second of one
# core: the hub's own rate, whatever vlogin costs beside it.
# A benchmark: it asserts only that every handshake was answered
# (vlogin's exit status). As root:
#   sh tests/load/handshakes.sh [N] [ROUNDS]     (default 1000 3)
# BUILD names the build directory (default build-release, built here;
# a build named by BUILD is used as it is). The suite runs it with 700
# (netns-handshakes).
set -u
N=${1:-1000}
ROUNDS=${2:-3}
cd "$(dirname "$0")/../.."
. tests/load/lib.sh
load_build
TESTNAME=hs VL_FLAGS=-d KEEPALIVE=10 TIMEOUT=50
. tests/netns/lib.sh

vl_standard
sed -i 's/^log-level: debug/log-level: info/' "$HUBCFG"
load_sources
ulimit -n $((N + 1024)) 2>/dev/null || true
wait_for 10 hubctl show status >/dev/null
PUB=$("$VLANCTL" pubkey "$T/etc/hub.key")
ticks() { awk '{print $14 + $15}' "/proc/$HUBPID/stat"; }
r=1
while [ "$r" -le "$ROUNDS" ]; do
	[ "$r" -gt 1 ] && sleep 11
	printf 'burst %d: ' "$r"
	c0=$(ticks)
	ip netns exec "$NS-a" "$BUILD/tests/load/vlogin" -s 10.99.1.1:6123 \
	    -k "$PUB" -u alice -w unused -N -n "$N" -c "$N" \
	    -a 10.99.1.10-10.99.1.249 -t 10000 >"$T/burst.out" 2>&1
	vrc=$?
	tail -1 "$T/burst.out"
	check "burst $r: all $N answered" [ "$vrc" -eq 0 ]
	# The hub's own cost: what one of its cores could answer a second.
	c1=$(ticks)
	python3 -c "import sys; c = ($c1 - $c0) / 100; print('  hub CPU %.2f s: %.0f us a handshake, %.0f a second of one core' % (c, c * 1e6 / $N, $N / c if c else 0))"
	r=$((r + 1))
done
echo "hub: $(hubctl -j show status | python3 -c 'import json,sys; s = json.load(sys.stdin); print(s["handshakes"], "handshakes,", s["cookie_replies"], "cookie replies")')"
vl_finish
