#!/bin/sh
# Handshake floods: above 2000 INITs a second with a valid mac1 the hub
# answers with cookies (WireGuard's mac2) and says so once (junk of
# INIT length without a valid mac1 does not count); a real endpoint still logs
# in, with one more round trip; sessions already up are untouched. A
# source that replays a real INIT past its share is asked for a cookie,
# and under load, replays forged from alice's address cannot spend her
# share: she still logs in.
set -u
TESTNAME=ck
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

# status EXPR: EXPR of s, the hub's vlanctl -j show status
status() {
	hubctl -j show status |
	    python3 -c "import json,sys; s = json.load(sys.stdin); print(int($1))"
}
status_field() { status "s['$1']"; }
ratelimited() { status "s['drops_by_reason']['ratelimit']"; }
under_load() { hubctl -j show status | grep -q '"under_load":true'; }
not_under_load() { ! under_load; }
# junk SECONDS: INIT-sized datagrams with the INIT type byte and random
# bytes (no valid mac1), about 8000 a second, from b's namespace.
junk() {
	ip netns exec "$NS-b" python3 -c '
import os, socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end = time.time() + float(sys.argv[1])
while time.time() < end:
    for _ in range(80):
        s.sendto(b"\x01\0\0\0" + os.urandom(100), ("10.99.2.1", 6123))
    time.sleep(0.01)
' "$1"
}
# flood SECONDS: real INITs with a valid mac1 (tests/load/initflood),
# 8000 a second, from b's namespace.
flood() {
	ip netns exec "$NS-b" "$BUILD/tests/load/initflood" -s 10.99.2.1:6123 \
	    -k "$("$VLANCTL" pubkey "$T/etc/hub.key")" -r 8000 -d "$1" \
	    >"$T/flood.out" 2>&1 &
	FLOOD=$!
	PIDS="$PIDS $FLOOD"
}
# replay COUNT PER-SECOND: alice's captured INIT, from alice's address.
replay() {
	ip netns exec "$NS-a" python3 "$HERE/hostile.py" replay 10.99.1.1 6123 \
	    "$T/pkts" "$1" "$2"
}
alice_pid() { pgrep -f "vland -d -v -f $T/etc/a.yaml" | head -1; }

vl_standard
vl_start b "$T/etc/b.yaml" "$T/b.log"
wait_for 15 has_addr b vl0

junk 3
check "junk of INIT length without a valid mac1 makes no load" not_under_load
check "... and no cookie reply" [ "$(status_field cookie_replies)" -eq 0 ]
flood 12
check "the hub says it is under load" wait_for 5 grep -q \
    "under load: more than 2000 handshakes in a second" "$T/hub.log"
check "vlanctl show status says so too" sh -c \
    "ip netns exec $NS-hub $VLANCTL -s $T/hub.sock show status | grep -q 'under load now'"
vl_start a "$T/etc/a.yaml" "$T/a.log"
check "alice logs in during the flood" wait_for 15 has_addr a vl0
check "alice was asked for a cookie first" grep -q \
    "the hub is under load; the next handshake carries its cookie" "$T/a.log"
check "the hub counted its cookie replies" [ "$(status_field cookie_replies)" -ge 1 ]
check "the hub said it once for the whole flood" \
    [ "$(grep -c 'under load: more than' "$T/hub.log")" -eq 1 ]
check "bob's session lived through the flood" pingok b 192.168.123.254
check "a pings b" pingok a "$(ep_ip b)"
wait "$FLOOD"
check "the load ends with the flood (vlanctl -j: under_load false)" \
    wait_for 3 not_under_load
check "... and the text no longer says so" sh -c \
    "! ip netns exec $NS-hub $VLANCTL -s $T/hub.sock show status | grep -q 'under load now'"

# A real INIT of alice's, captured on the wire and replayed 100 times
# from her address: after a burst of 5, her address's share is spent and
# the rest must prove they can receive there: they get cookie replies,
# never the DH.
kill "$(alice_pid)"
wait_for 5 no_link_in hub vl-alice
ip netns exec "$NS-hub" python3 "$HERE/hostile.py" capture vlha 6123 \
    "$T/pkts" 5 >"$T/capture.log" 2>&1 &
CAP=$!
sleep 1
vl_start a "$T/etc/a.yaml" "$T/a2.log"
wait "$CAP"
check "alice logs in again" wait_for 15 has_addr a vl0
BEFORE=$(status_field cookie_replies)
replay 100 0
check "an INIT was captured and replayed" [ $? -eq 0 ]
sleep 0.5
AFTER=$(status_field cookie_replies)
echo "     answered with a cookie: $((AFTER - BEFORE)) of 100"
check "at least 90 of the 100 replays got a cookie reply, not a DH" [ $((AFTER - BEFORE)) -ge 90 ]
check "alice's session is unharmed" pingok a "$(ep_ip b)"

# Under load, the same replays (100 a second, from alice's address) get
# cookie replies and never reach the rate limit: alice, starting again,
# gets her cookie and logs in.
kill "$(alice_pid)"
wait_for 5 no_link_in hub vl-alice
flood 20
wait_for 5 under_load
replay 1500 100 &
REPLAY=$!
PIDS="$PIDS $REPLAY"
sleep 1
BEFORE=$(ratelimited)
COOKIES=$(status_field cookie_replies)
vl_start a "$T/etc/a.yaml" "$T/a3.log"
check "under load and replays from her address, alice logs in" \
    wait_for 15 has_addr a vl0
# alice resends her INIT with the cookie at once, so she may be in
# before 50 replays came; they go on at 100 a second.
cookies_since() { [ "$(($(status_field cookie_replies) - COOKIES))" -ge "$1" ]; }
check "the replays were answered with cookies" wait_for 5 cookies_since 50
check "... and none reached the rate limit" [ "$(ratelimited)" -eq "$BEFORE" ]
kill "$REPLAY" "$FLOOD" 2>/dev/null
check "the hub is still up" alive "$HUBPID"
vl_finish
