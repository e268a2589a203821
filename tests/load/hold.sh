#!/bin/sh
# Many endpoints on one hub: N sessions logged in by tests/load/vlogin
# from 240 source addresses, held for SECONDS with keepalives, in the
# namespace topology of the tests. Prints vlogin's summary (logins a
# second, latency percentiles, retries after "try later", sessions held
# and lost, rekeys, rekeys a second) and the hub's CPU time and memory
# (RSS of vland, and per session), idle and over the whole hold. vlogin
# rekeys the sessions as an endpoint does, so SECONDS may be longer
# than a keypair's 180 s. A benchmark: it asserts only that every
# session got in and none was lost (vlogin's exit status). As root:
#   sh tests/load/hold.sh [N] [SECONDS] [tun|tap]   (default 1000 60 tun)
# BUILD names the build directory (default build-release, built here;
# a build named by BUILD is used as it is); COST, if
# set, is the yescrypt cost of the users' hash (mkpasswd -R; lower is
# faster), to reach many sessions quickly; REKEY, if set, the seconds
# between vlogin's rekeys (default the protocol's 120); TRICKLE, if set,
# the milliseconds between each session's pings to the hub (vlogin -D:
# traffic beside the keepalives; then 95 % must be answered); VERBOSE=1
# prints vlogin's line per login and event.
set -u
N=${1:-1000}
SECS=${2:-60}
MODE=${3:-tun}
cd "$(dirname "$0")/../.."
. tests/load/lib.sh
load_build
TESTNAME=hold VL_FLAGS=-d KEEPALIVE=10 TIMEOUT=50
. tests/netns/lib.sh
VLOGIN=$BUILD/tests/load/vlogin

vl_topology
load_hub_many "$N" "$MODE" $((N + 100 > 20000 ? N + 100 : 20000))
# 240 source addresses for the endpoints, on a's side.
load_sources
vl_start hub "$HUBCFG" "$T/hub.log"
HUBPID=$LASTPID
sleep 2
cpu() { awk '{print $14 + $15}' "/proc/$HUBPID/stat"; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$HUBPID/status"; }
RSS0=$(rss)
C0=$(cpu)
T0=$(date +%s)
ip netns exec "$NS-a" "$VLOGIN" -s 10.99.1.1:6123 \
    -k "$("$VLANCTL" pubkey "$T/etc/hub.key")" -m "$MODE" -u 'load%d' \
    -w loadpw -n "$N" -c "$N" -a 10.99.1.10-10.99.1.249 -r -t 60000 \
    -H "$SECS" ${REKEY:+-E "$REKEY"} ${TRICKLE:+-D "$TRICKLE"} \
    ${VERBOSE:+-v} >"$T/vlogin.out" 2>&1 &
VPID=$!
PIDS="$PIDS $VPID"
# Measure while all are held: once logins are done, over 20 s.
while ! grep -q . "$T/vlogin.out" 2>/dev/null && kill -0 "$VPID" 2>/dev/null; do
	up=$(hubctl -j show status 2>/dev/null | python3 -c \
	    'import json,sys; print(json.load(sys.stdin).get("endpoints_up", 0))' 2>/dev/null)
	[ "${up:-0}" -ge "$N" ] && break
	sleep 1
done
LOGIN_SECS=$(($(date +%s) - T0))
sleep 2
RSS1=$(rss)
C1=$(cpu)
TC1=$(date +%s)
sleep 20
C2=$(cpu)
UP=$(hubctl -j show endpoints | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
wait "$VPID"
VRC=$?
C3=$(cpu)
RSS3=$(rss)
T3=$(date +%s)
echo "mode $MODE, $N sessions held $SECS s, from 240 source addresses"
cat "$T/vlogin.out"
echo "all logged in after about $LOGIN_SECS s; hub CPU for the logins: $((C1 - C0)) ticks"
echo "sessions up at the end of the quiet 20 s: $UP"
echo "hub idle CPU with $N sessions: $((C2 - C1)) ticks in 20 s ($(python3 -c "print(round(($C2 - $C1) / 20 / 100 * 100, 2))") % of a core)"
echo "hub RSS: $RSS0 KiB before, $RSS1 KiB with $N sessions: $(python3 -c "print(round(($RSS1 - $RSS0) / $N, 2))") KiB a session"
echo "hub CPU over the rest of the hold ($((T3 - TC1)) s, rekeys included): $(python3 -c "print(round(($C3 - $C1) / $((T3 - TC1)), 2))") % of a core; RSS $RSS3 KiB at the end"
grep -c "refused" "$T/hub.log" | sed 's/^/hub log lines with "refused": /'
echo "rekeys a second over the hold: $(python3 -c "import re,sys; m = re.search(r'rekeys (\d+)', open(sys.argv[1]).read()); print(round(int(m.group(1)) / $SECS, 1) if m else 0)" "$T/vlogin.out")"
[ -n "${KEEP:-}" ] && cp "$T/hub.log" "$T/vlogin.out" "$KEEP/"
check "vlogin: every session in and none lost" [ "$VRC" -eq 0 ]
# TRICKLE: nearly every ping answered by the hub's kernel (a ping in
# flight at the end, or sent while its session rekeyed, may not be).
pings_answered() {
	python3 -c "import re,sys; m = re.search(r'pings (\d+), answered (\d+)', open(sys.argv[1]).read()); sys.exit(0 if m and int(m.group(1)) > 0 and int(m.group(2)) >= 0.95 * int(m.group(1)) else 1)" "$T/vlogin.out"
}
[ -n "${TRICKLE:-}" ] &&
    check "the sessions' traffic: 95 % of the pings answered" pings_answered
check "the hub held all $N at the end of the quiet 20 s" [ "$UP" -eq "$N" ]
vl_finish
