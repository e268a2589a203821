#!/bin/sh
# A flood from the hub's own host into one endpoint's tap must not
# starve the hub's network side. vland reads its devices before its UDP
# sockets (so that, under overload, the excess is dropped early, in the
# UDP socket), but after UDP_STARVE_MAX device batches in a row it reads
# UDP all the same. Here the hub's kernel keeps vl-alice's queue full
# for 8 seconds; meanwhile bob pings the hub, and no session may time
# out (keepalive 1 s, timeout 3 s). (Not bob to alice: alice's own UDP
# socket is flooded then, and drops what it cannot take.)
set -u
TESTNAME=flood
KEEPALIVE=1 TIMEOUT=3
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

vl_standard
vl_endpoints_up
A=$(ep_ip a)
check "b pings the hub before the flood" pingok b 192.168.123.254

# Datagrams to a discard port of alice: the hub's kernel routes them
# through its bridge into vl-alice, faster than vland can read them.
ip netns exec "$NS-hub" python3 "$HERE/udpflood.py" "$A" 9 8 2 \
    >"$T/flood.out" &
FLOOD=$!
sleep 1
RECV=$(ip netns exec "$NS-b" ping -c 20 -i 0.3 -W 1 192.168.123.254 |
    sed -n 's/.* \([0-9]*\) received.*/\1/p')
wait "$FLOOD"
echo "     flood: $(cat "$T/flood.out") datagrams sent; b->hub $RECV/20 answered"
DROPPED=$(ip -n "$NS-hub" -s -j link show vl-alice | python3 -c \
    'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["tx"]["dropped"])')
echo "     vl-alice: $DROPPED frames dropped at its full queue"
check "the flood kept alice's tap full (its queue overflowed)" [ "$DROPPED" -gt 0 ]
check "b's pings to the hub were answered during the flood" [ "${RECV:-0}" -ge 15 ]
check "no session timed out" sh -c "! grep -q 'logged out: timeout' '$T/hub.log'"
check "alice is still logged in" logged_in alice
check "bob is still logged in" logged_in bob
check "a pings b after the flood" pingok a "$(ep_ip b)"
check "the hub is still up" alive "$HUBPID"

vl_finish
