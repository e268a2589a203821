#!/bin/sh
# The test-only UDP device (connect: device: udp:ADDR:PORT): bob's
# endpoint has no tap or tun, its frames are datagrams to a responder
# (udpdev.py) on its host's loopback, which answers ARP and ping as a
# host behind a device would. alice pings bob through the hub, in tap
# mode and then in tun mode; no link is made on bob's side, the hub's
# routes are refused there, and a responder that is gone loses frames,
# not the endpoint.
set -u
TESTNAME=udpdev
. "$(dirname "$0")/lib.sh"
here=$(dirname "$0")
PORT=5555

# udpdev_config MODE: bob's endpoint on the UDP device.
udpdev_config() {
	SERVER=10.99.2.1 vl_ep_config b bob bobpw \
	    "  device: udp:127.0.0.1:$PORT
mode: $1"
	sed -i '/^  interface:/d' "$T/etc/b.yaml"
}
responder() {
	ip netns exec "$NS-b" python3 "$here/udpdev.py" "$1" 127.0.0.1 "$PORT" \
	    >>"$T/resp.log" 2>&1 &
	RPID=$!
	PIDS="$PIDS $RPID"
	wait_for 5 grep -q listening "$T/resp.log"
}
answers() { grep -c "^$1" "$T/resp.log"; }

vl_topology
vl_hub_config "routes:
  - cidr: 10.77.0.0/24
    nexthop: SERVER"
vl_user alice alicepw
vl_user bob bobpw
vl_ep_config a alice alicepw
udpdev_config tap
B=$(fnv_addr bob)

check "vland -n accepts the UDP device" \
    ip netns exec "$NS-b" "$VLAND" -n -f "$T/etc/b.yaml"
vl_start hub "$HUBCFG" "$T/hub.log"
HUBPID=$LASTPID
wait_for 10 link_in hub br-vlt
responder tap
vl_start a "$T/etc/a.yaml" "$T/a.log"
vl_start b "$T/etc/b.yaml" "$T/b.log"
BPID=$LASTPID
wait_for 15 has_addr a vl0
wait_for 15 logged_in bob
check "bob logged in over the UDP device" logged_in bob
check "vland-ifmgr made the UDP device" wait_for 5 grep -q "UDP device (test-only, tap) udp-$PORT up" "$T/b.log"
check "no link was made on bob's side" sh -c "[ \$(ip -n $NS-b -o link | wc -l) -eq 2 ]"
check "the hub's route is refused on the UDP device" \
    wait_for 5 grep -q "route set .*: 0 installed, 1 refused" "$T/b.log"
check "a pings bob's responder through the hub" pingok a "$B"
check "the responder answered ARP for $B" [ "$(answers "arp $B")" -ge 1 ]
check "and the echo requests" [ "$(answers "echo 192.168.123")" -ge 1 ]
n=$(answers echo)
ip netns exec "$NS-a" ping -q -c 20 -i 0.05 -W 2 "$B" >"$T/ping20" 2>&1
check "20 pings, 20 answers" grep -q "20 received" "$T/ping20"
check "the responder saw each of them" [ "$(answers echo)" -eq $((n + 20)) ]

# The responder gone: frames are lost (ECONNREFUSED), the endpoint is not.
kill "$RPID"
wait "$RPID" 2>/dev/null
check "no answer without the responder" sh -c "! ip netns exec $NS-a ping -c 2 -W 1 $B"
check "bob's vland still runs" alive "$BPID"
check "bob is still logged in" logged_in bob
responder tap
check "a responder back: a pings bob again" wait_for 10 pingok a "$B"

# Tun mode: IP packets, one a datagram.
for p in $PIDS; do kill "$p" 2>/dev/null; done
for p in $PIDS; do wait "$p" 2>/dev/null; done
PIDS=""
wait_for 10 no_link_in hub br-vlt
vl_hub_config "mode: tun
interface: vl-hub"
sed -i '/^bridge:/d' "$HUBCFG"
printf 'mode: tun\n' >>"$T/etc/a.yaml"
udpdev_config tun
: >"$T/resp.log"
vl_start hub "$HUBCFG" "$T/hub-tun.log"
wait_for 10 link_in hub vl-hub
responder tun
vl_start a "$T/etc/a.yaml" "$T/a-tun.log"
vl_start b "$T/etc/b.yaml" "$T/b-tun.log"
wait_for 15 has_addr a vl0
wait_for 15 logged_in bob
check "tun mode: bob logged in over the UDP device" logged_in bob
check "tun mode: the device is the UDP device's tun kind" grep -q "UDP device (test-only, tun) udp-$PORT up" "$T/b-tun.log"
check "tun mode: a pings bob's responder" pingok a "$B"
check "tun mode: the responder answered" [ "$(answers "echo 192.168.123")" -ge 1 ]
check "no ASan report" sh -c "! grep -q 'ERROR: AddressSanitizer\|runtime error' $T/*.log"
vl_finish
