#!/bin/sh
# Tap-mode source filtering: endpoint a's host writes into its tap a
# frame with another source MAC, an ARP reply claiming the hub's
# address, a router advertisement and a DHCP offer, then one frame of
# its own. The hub drops the four before its bridge and counts them as
# spoof; b sees only the legitimate frame, and traffic goes on. Named in
# bridge-users, alice may bridge a LAN: then frames from other MACs pass.
set -u
TESTNAME=spf
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

spoofs() {
	hubctl -j show status | python3 -c 'import json,sys; print(json.load(sys.stdin)["drops_by_reason"]["spoof"])'
}
# inject FILE: a's host sends the frames while b's records what it sees.
inject() {
	ip netns exec "$NS-b" python3 "$HERE/l2inject.py" capture vl0 3 >"$1" &
	_cap=$!
	sleep 0.5
	ip netns exec "$NS-a" python3 "$HERE/l2inject.py" send vl0
	wait "$_cap"
}
vl_standard
vl_endpoints_up
B=$(ep_ip b)
check "a pings b" pingok a "$B"
BEFORE=$(spoofs)
inject "$T/seen"
echo "     b saw: $(tr '\n' ' ' <"$T/seen")"
check "the legitimate frame reached b" grep -qx legit "$T/seen"
check "the frame with another source MAC did not" sh -c "! grep -q foreign-mac $T/seen"
check "the ARP reply claiming the hub's address did not" sh -c "! grep -q arp-claims-hub $T/seen"
check "the router advertisement did not" sh -c "! grep -qx ra $T/seen"
check "the DHCP offer did not" sh -c "! grep -q dhcp-offer $T/seen"
check "the hub counted the four as spoof" [ $(($(spoofs) - BEFORE)) -eq 4 ]
check "b's ARP entry for the hub is still the hub's MAC" sh -c \
    "! ip -n $NS-b neigh show 192.168.123.254 | grep -q '$(ep_mac a)'"
check "a still pings b" pingok a "$B"
check "and the hub" pingok a 192.168.123.254

# alice named in bridge-users (by reload): her endpoint may bridge a LAN,
# so a frame from another MAC now crosses, and nothing is counted.
printf 'bridge-users: [alice]\n' >>"$HUBCFG"
check "reload with bridge-users: [alice]" hubctl reload
BEFORE=$(spoofs)
inject "$T/seen2"
check "a frame from another MAC behind alice now reaches b" grep -q foreign-mac "$T/seen2"
check "and none of alice's frames is counted as spoof" [ "$(spoofs)" -eq "$BEFORE" ]
vl_finish
