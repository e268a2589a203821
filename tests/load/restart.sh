#!/bin/sh
# Endpoints come back after a hub restart: N sessions logged in by
# tests/load/vlogin -R (each a user of its own with a real yescrypt
# hash, from 240 source addresses) and held; the hub is stopped cleanly
# (SIGTERM: a BYE to each session) and started again, and every session
# logs in again with its password, 2 to 3 s after its BYE, as the vland
# endpoint does. Prints how long the stop took and how long after the
# SIGTERM all N were back (vlanctl show status: endpoints up), and
# vlogin's summary (each session's time from its BYE to its AUTH_OK).
# Fails if not all N are back within BOUND seconds of the SIGTERM, or
# if vlogin timed out or lost a session. As root:
#   sh tests/load/restart.sh [N] [tap|tun]        (default 1000 tap)
# BUILD names the build directory (default build-release); BOUND the
# seconds allowed (default 120); COST the yescrypt cost of the hash
# (mkpasswd -R; default: mkpasswd's, as vlanctl user add makes);
# PROGRESS=1 prints the endpoints up each second after the start, KEEP
# a directory to copy the hub's logs to. The
# test suite runs it with N=200 on its sanitized build
# (netns-login_restart).
set -u
N=${1:-1000}
MODE=${2:-tap}
BOUND=${BOUND:-120}
cd "$(dirname "$0")/../.."
. tests/load/lib.sh
load_build
TESTNAME=lrs KEEPALIVE=10 TIMEOUT=50
. tests/netns/lib.sh
VLOGIN=$BUILD/tests/load/vlogin

vl_topology
load_hub_many "$N" "$MODE" $((N + 100))
load_sources
VL_FLAGS=-d
vl_start hub "$HUBCFG" "$T/hub.log"
HUBPID=$LASTPID
wait_for 20 hubctl show status >/dev/null
up() {
	hubctl -j show status 2>/dev/null | python3 -c \
	    'import json,sys; print(json.load(sys.stdin).get("endpoints_up", 0))' 2>/dev/null || echo 0
}
all_up() { [ "$(up)" -ge "$N" ]; }
ms() { date +%s%3N; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# CPU seconds of the hub's processes so far: vland, vland-auth with its
# hashing workers, vland-ifmgr with its helpers.
cpu_split() {
	a=$(pgrep -P "$HUBPID" -x vland-auth)
	i=$(pgrep -P "$HUBPID" -x vland-ifmgr)
	python3 -c "import sys; t = [int(x) / 100 for x in sys.argv[1:]]; print('vland %.1f s, vland-auth and its workers %.1f s, vland-ifmgr %.1f s' % (t[0], t[1], t[2]))" \
	    "$(ticks "$HUBPID")" \
	    "$(for p in $a $(pgrep -P "$a"); do ticks "$p"; done | awk '{s += $1} END {print s + 0}')" \
	    "$(for p in $i $(pgrep -P "$i"); do ticks "$p"; done | awk '{s += $1} END {print s + 0}')"
}

# Held until SIGUSR1, or for the first logins, the restart and a
# margin: at most 170 s, under the 180 s a keypair lives without a rekey.
HOLD=$((BOUND + 60 > 170 ? 170 : BOUND + 60))
ip netns exec "$NS-a" "$VLOGIN" -s 10.99.1.1:6123 \
    -k "$("$VLANCTL" pubkey "$T/etc/hub.key")" -m "$MODE" -u 'load%d' \
    -w loadpw -n "$N" -c "$N" -a 10.99.1.10-10.99.1.249 -r -R -t 60000 \
    -H "$HOLD" >"$T/vlogin.out" 2>&1 &
VPID=$!
PIDS="$PIDS $VPID"
t0=$(ms)
check "$N endpoints logged in" wait_for 60 all_up
echo "     first logins: all $N up after $(($(ms) - t0)) ms"

# Tap mode: vland-ifmgr deletes its taps in one request, through a
# link group no link is in. An operator's link in the group it would
# try first (from its pid) must outlive the hub.
if [ "$MODE" = tap ]; then
	ifmgr=$(pgrep -P "$HUBPID" -x vland-ifmgr)
	ip -n "$NS-hub" link add opv0 type veth peer name opv1
	ip -n "$NS-hub" link set opv0 group $((0x766c0000 + ifmgr % 65536))
fi
t0=$(ms)
v0=$(ticks "$VPID")
kill -TERM "$HUBPID"
wait_for 30 dead "$HUBPID"
td=$(ms)
if [ "$MODE" = tap ]; then
	check "vland-ifmgr deleted the $N taps in one request" \
	    grep -q "deleting $N devices" "$T/hub.log"
	check "... and no tap is left" sh -c \
	    "! ip -n $NS-hub -o link show type tun | grep -q vl-"
	check "an operator's link in the group tried first is still there" \
	    link_in hub opv0
fi
# The old suite's bridge goes last (vland-ifmgr deletes the taps first).
[ "$MODE" = tap ] && wait_for 10 no_link_in hub br-vlt
t1=$(ms)
vl_start hub "$HUBCFG" "$T/hub2.log"
HUBPID=$LASTPID
# PROGRESS=1: the endpoints up, each second after the start.
back() {
	_end=$(($(ms) + BOUND * 1000))
	while [ "$(ms)" -lt "$_end" ]; do
		_up=$(up)
		[ "${PROGRESS:-0}" = 1 ] && echo "     +$(($(ms) - t1)) ms: $_up up"
		[ "$_up" -ge "$N" ] && return 0
		sleep "$([ "${PROGRESS:-0}" = 1 ] && echo 1 || echo 0.1)"
	done
	return 1
}
if back; then
	t2=$(ms)
	echo "ok   all $N back within $BOUND s of the SIGTERM"
	echo "     restart: vland gone $((td - t0)) ms after the SIGTERM, started again at $((t1 - t0)) ms; all $N back $((t2 - t0)) ms after the SIGTERM ($((t2 - t1)) ms after the start)"
	echo "     CPU from the start to all back: $(cpu_split); vlogin $(python3 -c "print(($(ticks "$VPID") - $v0) / 100)") s since the SIGTERM"
else
	echo "FAIL all $N back within $BOUND s of the SIGTERM ($(up) up)"
	FAILS=$((FAILS + 1))
fi
# One keepalive interval more: the sessions back stay up. Then vlogin
# ends its holds and prints.
sleep 12
check "all $N still up a keepalive interval later" all_up
kill -USR1 "$VPID"
check "vlogin: no login timed out, no session lost" wait "$VPID"
sed 's/^/     /' "$T/vlogin.out"
grep -c "login load[0-9]* from" "$T/hub2.log" | sed 's/^/     password checks on the new hub: /'
# KEEP=DIR keeps the hub's logs (the namespaces' directory goes at exit).
[ -n "${KEEP:-}" ] && cp "$T/hub.log" "$T/hub2.log" "$T/vlogin.out" "$KEEP/"
vl_finish
