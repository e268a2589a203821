#!/bin/sh
# Login/logout cycles leave nothing behind on a hub: N logins of N
# different users by tests/load/vlogin, CONC at a time, each ended with
# a BYE, through a pool of only POOL addresses (fewer than N: every
# address must come back before the pool runs dry). Before (after a
# warm-up round) and after: the descriptors of the hub's three
# processes, the taps on the bridge, the sessions vlanctl lists, and the
# RSS of each process. Checks that every login got in and that all but
# RSS are exactly as before; prints RSS before and after and, with
# RSS_CHECK=1, checks it within 5 % (a release build: a sanitized one's
# allocator keeps freed memory aside on purpose). As root:
#   sh tests/load/cycles.sh [N] [tap|tun]        (default 1000 tap)
# BUILD names the build directory (default build-release). The test
# suite runs it with N=200 on its sanitized build (netns-login_cycles).
set -u
N=${1:-1000}
MODE=${2:-tap}
CONC=${CONC:-20}
POOL=${POOL:-100}
cd "$(dirname "$0")/../.."
. tests/load/lib.sh
load_build
TESTNAME=cyc KEEPALIVE=10 TIMEOUT=50
RANGE=192.168.123.1-192.168.123.$POOL
. tests/netns/lib.sh
VLOGIN=$BUILD/tests/load/vlogin

vl_topology
vl_hub_config "$([ "$MODE" = tun ] && printf 'mode: tun\ninterface: vl-hub')"
[ "$MODE" = tun ] && sed -i '/^bridge:/d' "$HUBCFG"
sed -i 's/^log-level: debug/log-level: info/' "$HUBCFG"
# A cheap hash: what is measured is what a session leaves, not yescrypt.
HASH=$(mkpasswd -m yescrypt -R 3 loadpw)
i=1
while [ "$i" -le "$N" ]; do
	printf 'load%d:%s\n' "$i" "$HASH"
	i=$((i + 1))
done >"$T/etc/users"
vl_start hub "$HUBCFG" "$T/hub.log"
HUBPID=$LASTPID
wait_for 10 hubctl show status >/dev/null
sleep 1
PUB=$("$VLANCTL" pubkey "$T/etc/hub.key")

procs() { echo "$HUBPID" $(pgrep -P "$HUBPID"); }
fds() { for p in $(procs); do ls "/proc/$p/fd"; done | wc -l; }
rss() { for p in $(procs); do awk '/^VmRSS/ {printf "%s ", $2}' "/proc/$p/status"; done; }
rss_vland() { awk '/^VmRSS/ {print $2}' "/proc/$HUBPID/status"; }
taps() { ip -n "$NS-hub" -o link show | grep -c ': vl-load\|: vlt'; }
listed() { hubctl -j show sessions | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
# run COUNT: logins of users load1 to loadCOUNT, each ended by a BYE
run() {
	ip netns exec "$NS-a" "$VLOGIN" -s 10.99.1.1:6123 -k "$PUB" -m "$MODE" \
	    -u "load%d" -w loadpw -n "$1" -c "$CONC" -r -t 20000 >"$T/vlogin.out" 2>&1
	rc=$?
	cat "$T/vlogin.out"
	return $rc
}
check "a warm-up round of $CONC logins" run "$CONC"
wait_for 10 sh -c "[ \$(hubctl -j show sessions | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') -eq 0 ]"
F0=$(fds) T0=$(taps) L0=$(listed) R0=$(rss) V0=$(rss_vland)
echo "     before: $F0 descriptors, $T0 taps, $L0 sessions, RSS (KiB, vland auth ifmgr or as listed) $R0"
t0=$(date +%s)
check "$N logins and logouts through a pool of $POOL addresses" run "$N"
secs=$(($(date +%s) - t0))
check "every login got in" grep -q "^logins $N: ok $N," "$T/vlogin.out"
wait_for 10 sh -c "[ \$(hubctl -j show sessions | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') -eq 0 ]"
sleep 1
F1=$(fds) T1=$(taps) L1=$(listed) R1=$(rss) V1=$(rss_vland)
echo "     after $N cycles in $secs s: $F1 descriptors, $T1 taps, $L1 sessions, RSS $R1"
check "the hub's processes hold the same descriptors" [ "$F1" -eq "$F0" ]
check "no tap left" [ "$T1" -eq "$T0" ]
check "no session left" [ "$L1" -eq 0 ]
echo "     vland RSS: $V0 KiB before, $V1 KiB after ($(python3 -c "print(round(($V1 - $V0) * 100 / $V0, 1))") %)"
if [ "${RSS_CHECK:-0}" = 1 ]; then
	check "vland's RSS within 5 % of before" python3 -c "import sys; sys.exit(abs($V1 - $V0) * 20 > $V0)"
fi
vl_finish
