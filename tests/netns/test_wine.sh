#!/bin/sh
# vland.exe (the win64 build, issue #19) as an endpoint under wine: in
# namespace b, on the test-only UDP device (no TAP driver in wine), it
# logs in to a Linux hub in namespace hub, keeps its session through
# the keepalives, logs in again after the hub restarts, and endpoint a
# (Linux) pings the responder (udpdev.py) behind its device through
# the hub; then the same in tun mode. Skipped (77) without a win64 build (WINBUILD, made by
# scripts/windows.sh) or wine. Wine runs in a prefix of its own, made
# here inside namespace b, since wineserver makes the sockets of the
# programs it serves and must be in their namespace.
set -u
TESTNAME=wine
: "${WINBUILD:?WINBUILD must name the win64 build directory}"
VLANDEXE=$WINBUILD/daemons/vland/vland.exe
if [ ! -f "$VLANDEXE" ]; then
	echo "SKIP: no $VLANDEXE (sh scripts/windows.sh makes it)"
	exit 77
fi
if ! command -v wine >/dev/null 2>&1; then
	echo "SKIP: wine is not installed"
	exit 77
fi
. "$(dirname "$0")/lib.sh"
here=$(dirname "$0")
PORT=5555

# wine_b CMD...: CMD under wine in namespace b, in the test's prefix.
wine_b() {
	ip netns exec "$NS-b" env WINEPREFIX="$T/wine" WINEDEBUG=-all "$@"
}
wine_cleanup() {
	wine_b wineserver -k 2>/dev/null
	vl_cleanup
}
trap wine_cleanup EXIT INT TERM

responder() { # MODE
	ip netns exec "$NS-b" python3 "$here/udpdev.py" "$1" 127.0.0.1 "$PORT" \
	    >>"$T/resp.log" 2>&1 &
	RPID=$!
	PIDS="$PIDS $RPID"
	wait_for 5 grep -q listening "$T/resp.log"
}
answers() { grep -c "^$1" "$T/resp.log"; }
logins() { grep -c "logged in to .* as bob" "$T/b.log"; }

vl_topology
vl_hub_config
vl_user alice alicepw
vl_user bob bobpw
vl_ep_config a alice alicepw
SERVER=10.99.2.1 vl_ep_config b bob bobpw "  device: udp:127.0.0.1:$PORT"
sed -i '/^  interface:/d; /^control:/d' "$T/etc/b.yaml"
B=$(fnv_addr bob)
# Wine takes a Windows path; Z: is the Unix root.
BCFG="Z:$T/etc/b.yaml"

mkdir -p "$T/wine"
wine_b wineboot -i >"$T/wineboot.log" 2>&1
check "vland.exe -n accepts bob's configuration" \
    wine_b wine "$VLANDEXE" -n -f "$BCFG"
check "vland.exe -n refuses a hub's configuration" sh -c \
    "! ip netns exec $NS-b env WINEPREFIX=$T/wine WINEDEBUG=-all wine $VLANDEXE -n -f Z:$HUBCFG >$T/hubcheck.log 2>&1"
check "and says why" grep -q "endpoint only" "$T/hubcheck.log"
vl_start hub "$HUBCFG" "$T/hub.log"
HUBPID=$LASTPID
wait_for 10 link_in hub br-vlt
responder tap
vl_start a "$T/etc/a.yaml" "$T/a.log"
wine_b wine "$VLANDEXE" -d -v -f "$BCFG" >"$T/b.log" 2>&1 &
BPID=$!
PIDS="$PIDS $BPID"
wait_for 15 has_addr a vl0
check "vland.exe logged in to the Linux hub" wait_for 30 logged_in bob
check "vland.exe made the in-process UDP device" \
    wait_for 5 grep -q "UDP device (test-only, tap) udp-$PORT up" "$T/b.log"
check "a pings the responder behind vland.exe" wait_for 10 pingok a "$B"
check "the responder answered ARP for $B" [ "$(answers "arp $B")" -ge 1 ]
n=$(answers echo)
ip netns exec "$NS-a" ping -q -c 20 -i 0.05 -W 2 "$B" >"$T/ping20" 2>&1
check "20 pings, 20 answers" grep -q "20 received" "$T/ping20"
check "the responder saw each of them" [ "$(answers echo)" -eq $((n + 20)) ]

# Keepalive 2 s, timeout 6 s: twice the timeout idle, the same session.
sleep 13
check "after 13 s idle bob is still logged in" logged_in bob
check "in the same session (one login)" [ "$(logins)" -eq 1 ]
check "vland.exe still runs" alive "$BPID"

# The hub restarts: vland.exe logs in again and the path works.
kill "$HUBPID"
wait_for 10 dead "$HUBPID"
wait_for 10 no_link_in hub br-vlt
vl_start hub "$HUBCFG" "$T/hub2.log"
HUBPID=$LASTPID
check "after the hub's restart vland.exe logs in again" \
    wait_for 30 logged_in bob
check "a second login in vland.exe's log" wait_for 5 sh -c \
    "[ \$(grep -c 'logged in to .* as bob' $T/b.log) -ge 2 ]"
check "a pings the responder again" wait_for 20 pingok a "$B"
check "vland.exe said nothing fatal" sh -c "! grep -q 'fatal' $T/b.log"

# Tun mode: IP packets, one a datagram.
for p in $PIDS; do kill "$p" 2>/dev/null; done
for p in $PIDS; do wait "$p" 2>/dev/null; done
PIDS=""
wait_for 10 no_link_in hub br-vlt
vl_hub_config "mode: tun
interface: vl-hub"
sed -i '/^bridge:/d' "$HUBCFG"
printf 'mode: tun\n' >>"$T/etc/a.yaml"
printf 'mode: tun\n' >>"$T/etc/b.yaml"
: >"$T/resp.log"
vl_start hub "$HUBCFG" "$T/hub-tun.log"
wait_for 10 link_in hub vl-hub
responder tun
vl_start a "$T/etc/a.yaml" "$T/a-tun.log"
wine_b wine "$VLANDEXE" -d -v -f "$BCFG" >"$T/b-tun.log" 2>&1 &
PIDS="$PIDS $!"
wait_for 15 has_addr a vl0
check "tun mode: vland.exe logged in" wait_for 30 logged_in bob
check "tun mode: the UDP device's tun kind" \
    wait_for 5 grep -q "UDP device (test-only, tun) udp-$PORT up" "$T/b-tun.log"
check "tun mode: a pings the responder behind vland.exe" \
    wait_for 10 pingok a "$B"
check "tun mode: the responder answered" \
    [ "$(answers "echo 192.168.123")" -ge 1 ]
vl_finish
