#!/bin/sh
# Hostile input at the hub port: random datagrams of every length up to
# 2000 bytes, truncated, bit-flipped and replayed real packets. The hub
# stays up, counts them as dropped, and the sessions keep pinging.
set -u
TESTNAME=host
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

vl_standard
vl_endpoints_up
B=$(ep_ip b)

ip netns exec "$NS-hub" python3 "$HERE/hostile.py" capture vlha 6123 \
    "$T/pkts" 4 &
CAP=$!
sleep 0.5
ip netns exec "$NS-a" ping -c 6 -i 0.3 -W 1 "$B" >/dev/null
wait "$CAP"
check "captured real vland packets" test -s "$T/pkts"
ip netns exec "$NS-a" python3 "$HERE/hostile.py" attack 10.99.1.1 6123 "$T/pkts"

check "the hub is still up" alive "$HUBPID"
DROPS=$(ip netns exec "$NS-hub" "$VLANCTL" -j -s "$T/hub.sock" show status |
    python3 -c 'import json,sys; print(sum(json.load(sys.stdin)["drops_by_reason"].values()))')
echo "     the hub counted $DROPS dropped datagrams"
check "the hub counted the hostile datagrams as dropped" [ "$DROPS" -gt 2000 ]
check "a still pings b" pingok a "$B"
check "b still pings a" pingok b "$(ep_ip a)"
check "no new session was created" [ "$(grep -c 'logged in from' "$T/hub.log")" -eq 2 ]

vl_finish
