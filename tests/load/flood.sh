#!/bin/sh
# A handshake flood while a real endpoint logs in: tests/load/initflood
# sends RATE INITs a second, each with a valid mac1 (what passes the
# hub's first check with only its public key), from 240 source
# addresses on a's side, for SECONDS. Meanwhile bob's vland endpoint
# (namespace b) starts and logs in, and vlogin logs carol in LOGINS
# times, one after another. The same is measured first without the
# flood. Prints the time from bob's start to his address, vlogin's
# login latencies, the flood's rate, the hub's cookie replies and
# drops, the datagrams its socket had no room for, and its CPU. Fails
# if bob is not in within BOUND ms of his start during the flood, or
# the hub or bob's session does not live through it. As root:
#   sh tests/load/flood.sh [RATE] [SECONDS]      (default 50000 20)
# BUILD names the build directory (default build-release), BOUND the
# milliseconds allowed (default 1000), LOGINS vlogin's logins (20). The
# suite runs it small on its sanitized build (netns-init_flood).
set -u
RATE=${1:-50000}
SECS=${2:-20}
BOUND=${BOUND:-1000}
LOGINS=${LOGINS:-20}
cd "$(dirname "$0")/../.."
. tests/load/lib.sh
load_build
TESTNAME=fld KEEPALIVE=10 TIMEOUT=50
. tests/netns/lib.sh
VLOGIN=$BUILD/tests/load/vlogin
INITFLOOD=$BUILD/tests/load/initflood

vl_topology
cat >"$HUBCFG" <<CFG
port: 6123
ip: 192.168.123.254/24
dhcp-range: 192.168.123.100-192.168.123.200
bridge: br-vlt
$(load_hub_tail)
CFG
touch "$T/etc/users"
load_hub_files
vl_user bob bobpw
vl_user carol carolpw
SERVER=10.99.2.1 vl_ep_config b bob bobpw
load_sources
VL_FLAGS=-d
vl_start hub "$HUBCFG" "$T/hub.log"
HUBPID=$LASTPID
wait_for 20 hubctl show status >/dev/null
PUB=$("$VLANCTL" pubkey "$T/etc/hub.key")

ms() { date +%s%3N; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
status() {
	hubctl -j show status | python3 -c "import json,sys; s = json.load(sys.stdin); print($1)"
}
under_load() { hubctl -j show status | grep -q '"under_load":true'; }
# Datagrams the hub's namespace dropped for a full socket buffer.
rcvbuf_errors() {
	ip netns exec "$NS-hub" awk '/^Udp:/ && !h {h = 1; next} /^Udp:/ {print $6}' /proc/net/snmp
}
# bob_login LOG: start bob's endpoint; LOGIN_MS: ms from its start to
# its address (or "never" after 15 s).
bob_login() {
	_t0=$(ms)
	vl_start b "$T/etc/b.yaml" "$1"
	BPID=$LASTPID
	if wait_for 15 has_addr b vl0; then
		LOGIN_MS=$(($(ms) - _t0))
	else
		LOGIN_MS=never
	fi
}
bob_stop() {
	kill "$BPID"
	wait "$BPID" 2>/dev/null
	wait_for 10 no_link_in b vl0
	wait_for 10 not_logged_in bob
}
carol_logins() {
	ip netns exec "$NS-b" "$VLOGIN" -s 10.99.2.1:6123 -k "$PUB" -u carol \
	    -w carolpw -n "$LOGINS" -c 1 -r -t 10000
}

# Without the flood.
bob_login "$T/b0.log"
QUIET_MS=$LOGIN_MS
bob_stop
QUIET_VLOGIN=$(carol_logins)

# With it.
c0=$(ticks "$HUBPID")
e0=$(rcvbuf_errors)
ck0=$(status "s['cookie_replies']")
ip netns exec "$NS-a" "$INITFLOOD" -s 10.99.1.1:6123 -k "$PUB" -r "$RATE" \
    -d "$SECS" -a 10.99.1.10-10.99.1.249 >"$T/flood.out" 2>&1 &
FPID=$!
PIDS="$PIDS $FPID"
check "the hub is under load from the flood" wait_for 5 under_load
bob_login "$T/b1.log"
FLOOD_MS=$LOGIN_MS
echo "     bob's endpoint: address $QUIET_MS ms after its start without the flood, $FLOOD_MS ms during it"
in_time() { [ "$FLOOD_MS" != never ] && [ "$FLOOD_MS" -le "$BOUND" ]; }
check "bob logs in during the flood within $BOUND ms" in_time
check "bob was asked for a cookie first" grep -q \
    "the next handshake carries its cookie" "$T/b1.log"
FLOOD_VLOGIN=$(carol_logins)
check "the flood lasted past the logins" alive "$FPID"
wait "$FPID"
c1=$(ticks "$HUBPID")
e1=$(rcvbuf_errors)
ck1=$(status "s['cookie_replies']")
check "the hub lives through the flood" alive "$HUBPID"
check "bob's session lives through it" pingok b 192.168.123.254
echo "     $(cat "$T/flood.out")"
echo "     vlogin, carol, $LOGINS logins one after another, without the flood: $QUIET_VLOGIN"
echo "     ... during it: $FLOOD_VLOGIN"
echo "     hub: $((ck1 - ck0)) cookie replies, $((e1 - e0)) datagrams dropped for a full socket buffer, CPU $(python3 -c "print(round(($c1 - $c0) / 100, 1))") s over the flood's $SECS s"
echo "     hub drops by reason: $(status "s['drops_by_reason']")"
[ -n "${KEEP:-}" ] && cp "$T"/*.log "$T/flood.out" "$KEEP/"
vl_finish
