#!/bin/sh
# vland.exe (the win64 build, issue #19) as an endpoint under wine: in
# namespace b, on the test-only UDP device (no TAP driver in wine), it
# logs in to a Linux hub in namespace hub, keeps its session through
# the keepalives, logs in again after the hub restarts, and endpoint a
# (Linux) pings the responder (udpdev.py) behind its device through
# the hub; then the same in tun mode. vlanctl.exe asks the running
# vland.exe over its control pipe (show status, text and -j, show
# sessions, show peers, log), at the pipe named by control: in tap mode
# and at the default one in tun mode. Then vland.exe as a Windows
# service under wine's services.exe: -install, net start, logged in
# (its log file, a ping, vlanctl.exe), net stop (SIGTERM, the clean exit
# line, a goodbye to the hub), -remove. Skipped (77) without a win64 build (WINBUILD, made by
# scripts/windows.sh) or wine. Wine runs in a prefix of its own, made
# here inside namespace b, since wineserver makes the sockets of the
# programs it serves and must be in their namespace.
set -u
TESTNAME=wine
: "${WINBUILD:?WINBUILD must name the win64 build directory}"
VLANDEXE=$WINBUILD/daemons/vland/vland.exe
VLANCTLEXE=$WINBUILD/daemons/vlanctl/vlanctl.exe
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
# ctl_b OUT ARGS...: vlanctl.exe ARGS in b's wine, its output (both
# streams, without wine's CRs) into $T/OUT; its exit status (a hang
# fails in 20 s).
ctl_b() {
	out=$1
	shift
	wine_b timeout 20 wine "$VLANCTLEXE" "$@" >"$T/$out.raw" 2>&1
	rc=$?
	tr -d '\r' <"$T/$out.raw" >"$T/$out"
	return $rc
}
# ctl_has OUT REGEX: the output says it.
ctl_has() { grep -Eq "$2" "$T/$1"; }
logins() { grep -c "logged in to .* as bob" "$T/b.log"; }

vl_topology
vl_hub_config
vl_user alice alicepw
vl_user bob bobpw
vl_ep_config a alice alicepw
SERVER=10.99.2.1 vl_ep_config b bob bobpw "  device: udp:127.0.0.1:$PORT"
sed -i '/^  interface:/d; /^control:/d' "$T/etc/b.yaml"
# A pipe of its own, named in the configuration (tun mode uses the
# default, \\.\pipe\vland).
BPIPE='\\.\pipe\vland-bob'
cp "$T/etc/b.yaml" "$T/etc/b-default.yaml"
printf 'control: %s\n' "$BPIPE" >>"$T/etc/b.yaml"
B=$(fnv_addr bob)
# Wine takes a Windows path; Z: is the Unix root.
BCFG="Z:$T/etc/b.yaml"

mkdir -p "$T/wine"
wine_b wineboot -i >"$T/wineboot.log" 2>&1
check "vland.exe -n accepts bob's configuration" \
    wine_b wine "$VLANDEXE" -n -f "$BCFG"
# The hub's configuration but its control socket (a Linux path, which
# Windows refuses first: its control channel is a named pipe).
sed '/^control:/d' "$HUBCFG" >"$T/etc/hub-win.yaml"
check "vland.exe -n refuses a hub's configuration" sh -c \
    "! ip netns exec $NS-b env WINEPREFIX=$T/wine WINEDEBUG=-all wine $VLANDEXE -n -f Z:$T/etc/hub-win.yaml >$T/hubcheck.log 2>&1"
check "and says why" grep -q "endpoint only" "$T/hubcheck.log"
check "vland.exe -n refuses a control socket's path" sh -c \
    "! ip netns exec $NS-b env WINEPREFIX=$T/wine WINEDEBUG=-all wine $VLANDEXE -n -f Z:$HUBCFG >$T/ctlcheck.log 2>&1"
check "naming the line and the pipe's form" \
    grep -q 'vland.yaml:[0-9]*:[0-9]*: control: must be a named pipe' "$T/ctlcheck.log"
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

# vlanctl.exe asks vland.exe over the pipe of control:.
check "vland.exe says where its control pipe is" \
    grep -qF "control pipe $BPIPE, for SYSTEM and Administrators" "$T/b.log"
check "vlanctl.exe show status answers" ctl_b st -s "$BPIPE" show status
check "show status: an endpoint" ctl_has st '^role: +endpoint$'
check "show status: logged in" ctl_has st '^state: +logged in$'
check "show status: the hub" ctl_has st '^hub: +10\.99\.2\.1:6123$'
check "show status: bob's address $B" ctl_has st "^address: +$B/"
check "vlanctl.exe show status -j answers" \
    ctl_b stj -s "$BPIPE" show status -j
check "-j: one JSON object of an endpoint logged in to the hub at $B" \
    python3 -c "
import json, sys
s = json.load(open('$T/stj'))
assert s['role'] == 'endpoint', s
assert s['state'] == 'up', s
assert s['hub'] == '10.99.2.1:6123', s
assert s['address'].startswith('$B/'), s
"
check "show sessions: bob's session, up" ctl_b ss -s "$BPIPE" show sessions
check "show sessions lists it" ctl_has ss '^[0-9]+ +bob +up '
check "show sessions -j" ctl_b ssj -s "$BPIPE" -j show sessions
check "show sessions -j: bob, up" python3 -c "
import json
s = json.load(open('$T/ssj'))
assert any(x['user'] == 'bob' and x['state'] == 'up' for x in s), s
"
check "show peers answers (no direct peers)" ctl_b sp -s "$BPIPE" -j show peers
check "show peers -j: an empty list" python3 -c "
import json
assert json.load(open('$T/sp')) == []
"
check "vlanctl.exe log brief" ctl_b lb -s "$BPIPE" log brief
check "vland.exe logged the change" wait_for 5 grep -q "logging brief" "$T/b.log"
check "another pipe: vlanctl.exe fails" sh -c \
    "! ip netns exec $NS-b env WINEPREFIX=$T/wine WINEDEBUG=-all wine $VLANCTLEXE -s '\\\\.\\pipe\\vland-none' show status >$T/none.log 2>&1"
check "and says no vland answers there" grep -q "is vland running" "$T/none.log"
check "a second vland.exe on the same pipe is refused" sh -c \
    "! ip netns exec $NS-b env WINEPREFIX=$T/wine WINEDEBUG=-all timeout 20 wine $VLANDEXE -d -f $BCFG >$T/second.log 2>&1"
check "as another vland running" grep -q "another vland is running" "$T/second.log"

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
printf 'mode: tun\n' >>"$T/etc/b-default.yaml"
: >"$T/resp.log"
vl_start hub "$HUBCFG" "$T/hub-tun.log"
wait_for 10 link_in hub vl-hub
responder tun
vl_start a "$T/etc/a.yaml" "$T/a-tun.log"
wine_b wine "$VLANDEXE" -d -v -f "Z:$T/etc/b-default.yaml" >"$T/b-tun.log" 2>&1 &
BPID=$!
PIDS="$PIDS $BPID"
wait_for 15 has_addr a vl0
check "tun mode: vland.exe logged in" wait_for 30 logged_in bob
check "tun mode: the UDP device's tun kind" \
    wait_for 5 grep -q "UDP device (test-only, tun) udp-$PORT up" "$T/b-tun.log"
check "tun mode: a pings the responder behind vland.exe" \
    wait_for 10 pingok a "$B"
check "tun mode: the responder answered" \
    [ "$(answers "echo 192.168.123")" -ge 1 ]
check "tun mode: vlanctl.exe at the default pipe" ctl_b tst show status
check "tun mode: logged in, tun" sh -c \
    "grep -Eq '^state: +logged in$' $T/tst && grep -Eq '^mode: +tun$' $T/tst"

# The same endpoint as a Windows service, run by wine's services.exe.
# wineserver -k: a SIGTERM to wine's process does not end vland.exe.
wine_b wineserver -k
wait "$BPID" 2>/dev/null
check "the console vland.exe is gone from the hub" wait_for 20 not_logged_in bob
# Wine ends its services when no other program of the prefix runs: a
# cmd.exe that waits on a FIFO keeps one running until fd 9 closes.
mkfifo "$T/keep"
wine_b wine cmd <"$T/keep" >/dev/null 2>&1 &
KEEP=$!
PIDS="$PIDS $KEEP"
exec 9>"$T/keep"
check "-install refuses a configuration with a mistake" sh -c \
    "! ip netns exec $NS-b env WINEPREFIX=$T/wine WINEDEBUG=-all wine $VLANDEXE -install -f Z:$HUBCFG >$T/install0.log 2>&1"
check "naming file:line:column" \
    grep -q 'vland.yaml:[0-9]*:[0-9]*: control: must be a named pipe' "$T/install0.log"
# Its configuration names a log file (log-file, relative to the
# configuration's directory): -l's file keeps what comes before it.
cp "$T/etc/b-default.yaml" "$T/etc/b-svc.yaml"
printf 'log-file: svc-config.log\n' >>"$T/etc/b-svc.yaml"
SVCLOG="$T/etc/svc-config.log"
check "vland.exe -install" sh -c \
    "ip netns exec $NS-b env WINEPREFIX=$T/wine WINEDEBUG=-all wine $VLANDEXE -install -v -l Z:$T/svc.log -f Z:$T/etc/b-svc.yaml >$T/install.log 2>&1"
check "it names the service's command line" \
    grep -q 'installed the service vland: .*vland.exe" -service -l ".*svc.log" -f ".*b-svc.yaml" -v' "$T/install.log"
check "a second -install is refused" sh -c \
    "! ip netns exec $NS-b env WINEPREFIX=$T/wine WINEDEBUG=-all wine $VLANDEXE -install -f Z:$T/etc/b-default.yaml >$T/install2.log 2>&1"
check "net start vland" sh -c \
    "ip netns exec $NS-b env WINEPREFIX=$T/wine WINEDEBUG=-all wine net start vland >$T/netstart.log 2>&1"
check "the service logged in to the hub" wait_for 30 logged_in bob
check "its log file says it runs as the service" \
    grep -q "running as the Windows service vland, logging to " "$T/svc.log"
check "and then where log-file sends the rest" \
    grep -q "vland: logging to .*svc-config.log" "$T/svc.log"
check "its log-file's lines carry the time" \
    grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z vland: logged in to ' "$SVCLOG"
check "and -l's file has none of them" sh -c "! grep -q 'logged in to' $T/svc.log"
check "a pings the responder behind the service" wait_for 20 pingok a "$B"
check "vlanctl.exe asks the service" ctl_b svst show status
check "the service's endpoint is logged in" ctl_has svst '^state: +logged in$'
check "net stop vland" sh -c \
    "ip netns exec $NS-b env WINEPREFIX=$T/wine WINEDEBUG=-all wine net stop vland >$T/netstop.log 2>&1"
check "the stop reached the loop as SIGTERM" \
    wait_for 15 grep -q "vland: signal 15, stopping" "$SVCLOG"
# (The log file is text: CR LF line ends.)
check "the service's clean exit line, the last" wait_for 15 sh -c \
    "tail -n 1 $SVCLOG | tr -d '\r' | grep -q 'Z vland: stopped$'"
check "it said goodbye to the hub" \
    wait_for 10 grep -q "bob logged out: endpoint said bye" "$T/hub-tun.log"
check "vland.exe -remove" sh -c \
    "ip netns exec $NS-b env WINEPREFIX=$T/wine WINEDEBUG=-all wine $VLANDEXE -remove >$T/remove.log 2>&1"
check "a second -remove finds no service" sh -c \
    "! ip netns exec $NS-b env WINEPREFIX=$T/wine WINEDEBUG=-all wine $VLANDEXE -remove >$T/remove2.log 2>&1"
check "-service outside the SCM says so" sh -c \
    "! ip netns exec $NS-b env WINEPREFIX=$T/wine WINEDEBUG=-all wine $VLANDEXE -service -l Z:$T/x.log -f Z:$T/etc/b-default.yaml >$T/notscm.log 2>&1 && grep -q 'for the Service Control Manager' $T/notscm.log"
exec 9>&-
vl_finish
