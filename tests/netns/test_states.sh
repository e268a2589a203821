#!/bin/sh
# The state changes the other tests do not reach, each for real (the
# daemons of a checked build stop on any transition their tables do not
# allow, and fsm-coverage checks that every allowed one was taken):
# - a tap whose names other interfaces hold: that login alone is
#   refused (wait-tap -> ended), and the next try gets in;
# - a hub with every half-open slot taken answers a new endpoint "busy"
#   (with VLAND_TEST_HALF_OPEN_KEEP, vland(8): no slot given up to a
#   newer handshake): it waits and tries again (handshake -> waiting),
#   and gets in;
# - a hub killed, down until the endpoint has tried the next server,
#   then back: the endpoint's resume is refused, so it logs in afresh
#   (logging-in -> resolving), and is back up.
set -u
TESTNAME=states
. "$(dirname "$0")/lib.sh"
VLOGIN=$BUILD/tests/load/vlogin

# Half-open slots are never given up here, so that "busy" is reached
# (netns-halfopen tests their giving up).
export VLAND_TEST_HALF_OPEN_KEEP=1
vl_standard
PUB=$("$VLANCTL" pubkey "$T/etc/hub.key")

# 1. Both names carol's first tap could take held by veths not ours:
# vl-carol, and vlt00000001 after the hub's first session (ifmgr falls
# back to vlt<session> when the user's name is taken).
ip link add vl-carol netns "$NS-hub" type veth peer name vlcpeer1 \
    netns "$NS-hub"
ip link add vlt00000001 netns "$NS-hub" type veth peer name vlcpeer2 \
    netns "$NS-hub"
vl_ep_config c carol carolpw
vl_start a "$T/etc/c.yaml" "$T/c.log"
CPID=$LASTPID
check "carol's login is refused: no tap" wait_for 10 grep -q \
    "carol: no tap" "$T/hub.log"
check "... the endpoint hears why and waits" wait_for 5 grep -q \
    "login refused: internal error on the hub; reconnecting in" "$T/c.log"
check "... the hub still runs" alive "$HUBPID"
check "carol gets in at her next try, under another name" \
    wait_for 20 logged_in carol
hubctl show sessions >"$T/sessions1.txt"
check "show sessions has carol up, after her tap" grep -q \
    '^[0-9]* *carol *up *tap ready ' "$T/sessions1.txt"
kill "$CPID"
wait_for 10 not_logged_in carol

# 2. Every half-open slot taken (1024), from 240 addresses beside b.
i=10
while [ "$i" -lt 250 ]; do
	ip -n "$NS-b" addr add "10.99.2.$i/24" dev vlb
	i=$((i + 1))
done
ip netns exec "$NS-b" "$VLOGIN" -s 10.99.2.1:6123 -k "$PUB" -u carol \
    -w carolpw -N -n 1100 -c 1100 -a 10.99.2.10-10.99.2.249 -t 5000 \
    >"$T/vlogin.out" 2>&1
echo "# $(tail -1 "$T/vlogin.out")"
hubctl show sessions >"$T/sessions.txt"
check "show sessions lists the half-open logins" [ "$(grep -c \
    ' wait-auth  handshake ' "$T/sessions.txt")" -ge 100 ]
hubctl -j show sessions >"$T/sessions.json"
check "... as JSON too" python3 -c 'import json, sys
l = json.load(open(sys.argv[1]))
assert any(s["state"] == "wait-auth" and s["user"] is None for s in l)' \
    "$T/sessions.json"
vl_start a "$T/etc/a.yaml" "$T/a.log"
APID=$LASTPID
check "alice, new, is told the hub is busy" wait_for 5 grep -q \
    "the hub is busy; reconnecting in" "$T/a.log"
check "... and gets in when the half-open sessions expire" \
    wait_for 30 logged_in alice

# 3. The hub killed; alice gives up on it and tries it again (the next
# server: here the same one), still holding her resume token.
kill -KILL "$HUBPID"
wait_for 10 dead "$HUBPID"
wait_for 10 no_link_in hub br-vlt
check "alice notices and tries the hub again" wait_for 40 grep -q \
    "trying the hub" "$T/a.log"
vl_start hub "$HUBCFG" "$T/hub2.log"
HUBPID=$LASTPID
check "the new hub refuses her resume; she logs in afresh" wait_for 30 \
    grep -q "session not resumed; logging in again" "$T/a.log"
check "... and is back" wait_for 20 logged_in alice
check "no illegal transition was logged" sh -c \
    "! grep -q 'illegal transition' $T/*.log"
vl_finish
