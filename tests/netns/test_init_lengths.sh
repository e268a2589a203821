#!/bin/sh
# Handshake hygiene. Under load, type-1 datagrams of every length 0..200,
# each with a valid mac1 where it fits: only the one of exactly an
# INIT's length is answered (a cookie reply, smaller than it), nothing
# else gets a reply or any work. And INITs forged from alice's address,
# 100 a second, spend that address's share of handshakes, yet alice,
# who can receive the hub's cookie, still rekeys.
set -u
TESTNAME=init
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

under_load() { hubctl -j show status | grep -q '"under_load":true'; }
status_field() {
	hubctl -j show status | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"
}
vl_standard
vl_start b "$T/etc/b.yaml" "$T/b.log"
wait_for 15 has_addr b vl0
PUB=$("$VLANCTL" pubkey "$T/etc/hub.key")

# Load: 8000 INITs a second with a valid mac1 (tests/load/initflood).
ip netns exec "$NS-b" "$BUILD/tests/load/initflood" -s 10.99.2.1:6123 \
    -k "$PUB" -r 8000 -d 8 >"$T/flood.out" 2>&1 &
FLOOD=$!
PIDS="$PIDS $FLOOD"
check "the hub is under load" wait_for 5 under_load
ip netns exec "$NS-a" python3 "$HERE/initprobe.py" 10.99.1.1 6123 "$PUB" 0 200 >"$T/probe.out"
check "the probe sent all 201 lengths" [ "$(wc -l <"$T/probe.out")" -eq 201 ]
check "no reply is larger than the datagram it answers" \
    awk '{for (i = 2; i <= NF; i++) if ($i > $1) exit 1}' "$T/probe.out"
check "no datagram but the one of 104 bytes got a reply" \
    awk '$1 != 104 && NF > 1 {exit 1}' "$T/probe.out"
check "the 104-byte INIT with a valid mac1 got one cookie reply of 52 bytes" \
    grep -qx '104 52' "$T/probe.out"
wait "$FLOOD"
check "the hub is still up" alive "$HUBPID"

# Forged INITs from alice's address while she rekeys every 3 s. Her
# INIT is captured on the wire as she logs in, then replayed from her
# address (another port) 100 times a second for 15 s.
wait_for 5 sh -c '! under_load'
ip netns exec "$NS-hub" python3 "$HERE/hostile.py" capture vlha 6123 \
    "$T/pkts" 4 >"$T/capture.log" 2>&1 &
CAP=$!
sleep 0.5
VLAND_REKEY_SECONDS=3 vl_start a "$T/etc/a.yaml" "$T/a.log"
wait "$CAP"
check "alice logs in" wait_for 15 has_addr a vl0
COOKIES=$(status_field cookie_replies)
REKEYS=$(grep -c 'rekeyed ([0-9]*), the session goes on' "$T/a.log")
ip netns exec "$NS-a" python3 "$HERE/hostile.py" replay 10.99.1.1 6123 "$T/pkts" 1500 100
check "the forged INITs were answered with cookies once the share was spent" \
    [ "$(($(status_field cookie_replies) - COOKIES))" -ge 1000 ]
AFTER=$(grep -c 'rekeyed ([0-9]*), the session goes on' "$T/a.log")
echo "     alice rekeyed $((AFTER - REKEYS)) times during the 15 s of forged INITs"
check "alice rekeyed while her address's share was spent" [ "$((AFTER - REKEYS))" -ge 1 ]
check "alice was asked for a cookie" grep -q "the next handshake carries its cookie" "$T/a.log"
check "a pings b" pingok a "$(ep_ip b)"
vl_finish
