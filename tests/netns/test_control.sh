#!/bin/sh
# The control socket: made mode 0660 (root, control-group) in a
# directory only root may change, or the hub refuses to start; a member
# of control-group, by a supplementary group too, may show but not kick,
# reload or change the log level; control-admin-group may; others are
# refused. And vlanctl rejects an answer whose strings are not
# terminated, printing nothing of it.
set -u
TESTNAME=ctl
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

VGID=$(getent group _vland | cut -d: -f3)
AGID=$(getent group adm | cut -d: -f3)
vl_standard "control-admin-group: adm"
vl_endpoints_up
check "the socket is mode 0660, root and _vland" sh -c \
    "stat -c '%a %U %G' $T/hub.sock | grep -qx '660 root _vland'"

# as_user GROUPS CMD...: vlanctl as nobody with these supplementary groups.
as_user() {
	if [ -n "$1" ]; then _g=--groups=$1; else _g=--clear-groups; fi
	shift
	ip netns exec "$NS-hub" setpriv --reuid=65534 --regid=65534 "$_g" \
	    "$VLANCTL" -s "$T/hub.sock" "$@"
}
as_user "" show endpoints >"$T/none.out" 2>&1
check "a user in neither group cannot even connect" [ $? -ne 0 ]
check "... the socket's mode says no" grep -q "Permission denied" "$T/none.out"
check "control-group by a supplementary group: show endpoints works" sh -c \
    "$(printf '%s' "ip netns exec $NS-hub setpriv --reuid=65534 --regid=65534 --groups=$VGID $VLANCTL -s $T/hub.sock show endpoints") | grep -q '^alice'"
as_user "$VGID" kick alice >"$T/kick.out" 2>&1
check "... but kick is refused" [ $? -ne 0 ]
check "... saying who may" grep -q "kick needs root or the group adm" "$T/kick.out"
check "alice is still logged in" logged_in alice
as_user "$VGID" reload >"$T/reload.out" 2>&1
check "... and reload is refused" [ $? -ne 0 ]
as_user "$VGID" log verbose >"$T/log.out" 2>&1
check "... and log verbose is refused" [ $? -ne 0 ]
check "the hub logs the refusals" sh -c "grep -q 'control: uid 65534 may not kick' $T/hub.log &&
    grep -q 'control: uid 65534 may not reload' $T/hub.log"
# An admin needs the socket's group too, to reach it at all.
as_user "$VGID,$AGID" show status >/dev/null 2>&1
check "control-admin-group may show" [ $? -eq 0 ]
as_user "$VGID,$AGID" kick alice >"$T/kick2.out" 2>&1
check "control-admin-group may kick" [ $? -eq 0 ]
check "alice was kicked" wait_for 5 not_logged_in alice
check "root may reload" hubctl reload

# A control socket in a directory others may write to: refused.
mkdir -m 1777 "$T/open"
sed "s|^control: .*|control: $T/open/hub2.sock|; s|^port: .*|port: 6124|" "$HUBCFG" >"$T/etc/open.yaml"
chgrp _vland "$T/etc/open.yaml"
ip netns exec "$NS-hub" timeout 20 "$VLAND" -d -f "$T/etc/open.yaml" >"$T/open.log" 2>&1
check "a hub whose control directory others may write does not start" [ $? -eq 1 ]
check "... naming the fix" grep -q "control: $T/open must be a directory owned by root and writable by root alone" "$T/open.log"

# Answers with unterminated strings.
proxy() { # MODE COUNT
	ip netns exec "$NS-hub" python3 "$HERE/ctlproxy.py" "$T/proxy.sock" "$T/hub.sock" "$1" "$2" >"$T/proxy.out" 2>&1 &
	PROXY=$!
	wait_for 5 grep -q ready "$T/proxy.out"
}
rm -f "$T/proxy.sock"
proxy pass 1
check "through a faithful proxy, show status works" sh -c \
    "ip netns exec $NS-hub $VLANCTL -s $T/proxy.sock show status | grep -q '^role: *hub'"
wait "$PROXY"
for what in status endpoints routes; do
	rm -f "$T/proxy.sock"
	proxy corrupt 2
	ip netns exec "$NS-hub" "$VLANCTL" -s "$T/proxy.sock" show $what >"$T/bad-$what.out" 2>&1
	rc=$?
	check "show $what with unterminated strings: vlanctl fails" [ $rc -ne 0 ]
	check "... saying the answer is malformed" grep -q "malformed answer from vland" "$T/bad-$what.out"
	ip netns exec "$NS-hub" "$VLANCTL" -j -s "$T/proxy.sock" show $what >"$T/badj-$what.out" 2>&1
	check "... and -j prints no JSON" sh -c "! grep -q '^[[{]' $T/badj-$what.out"
	wait "$PROXY"
done

# A client that asks and never reads: its answers would pile up in vland.
# Once more than 4096 records wait for it, its next request drops it;
# vland goes on answering others, its memory no larger than that.
rss() { awk '/^VmRSS/ {print $2}' "/proc/$HUBPID/status"; }
RSS0=$(rss)
ip netns exec "$NS-hub" python3 -c 'import socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
s.settimeout(5)
hdr = struct.pack("<HHIII", 2, 0, 16, 0, 0)  # CTL_SHOW_STATUS, header only
sent = 0
try:
    for i in range(100000):
        s.send(hdr)
        sent += 1
except OSError as e:
    print("dropped after %d requests: %s" % (sent, e.strerror))
    sys.exit(0)
print("never dropped, %d requests" % sent)
sys.exit(1)' "$T/hub.sock" >"$T/noread.out" 2>&1
rc=$?
echo "# $(cat "$T/noread.out")"
check "a client that never reads is dropped" [ $rc -eq 0 ]
hubctl show status >"$T/after.out" 2>&1
check "... and vland still answers" grep -q '^role: *hub' "$T/after.out"
RSS1=$(rss)
echo "# hub RSS $RSS0 KiB before, $RSS1 KiB after"
check "... having held a bounded queue for it (under 16 MiB)" \
    [ $((RSS1 - RSS0)) -lt 16384 ]

vl_finish
