#!/bin/sh
# Privilege separation as the kernel sees it: the uid, capabilities,
# bounding set, no_new_privs and root directory of each process of a
# running hub and endpoint; and killing any one process of the hub stops
# the whole suite with no bridge, tap or route left behind.
set -u
TESTNAME=priv
. "$(dirname "$0")/lib.sh"

VUID=$(id -u _vland)
AUID=$(id -u _vland-auth)
IUID=$(id -u _vland-ifmgr)
RGID=$(getent group _vland | cut -d: -f3)
status_of() { grep "^$2:" "/proc/$1/status" | awk '{print $2}'; }
child() { pgrep -P "$1" -x "$2" | head -1; }
root_of() { readlink "/proc/$1/root"; }
fds_sockets() { # sockets a process holds (type:inode), one per line
	for f in /proc/"$1"/fd/*; do readlink "$f"; done | grep -c '^socket:'
}
non_unix_sockets() { # sockets a process holds that are not AF_UNIX
	for f in /proc/"$1"/fd/*; do readlink "$f"; done |
	    sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p' | while read -r ino; do
		awk -v i="$ino" '$7 == i {f = 1} END {exit !f}' "/proc/$1/net/unix" || echo "$ino"
	done | wc -l
}

vl_standard "routes:
  - cidr: 10.68.0.0/24
    nexthop: bob"
vl_start a "$T/etc/a.yaml" "$T/a.log"
APID=$LASTPID
wait_for 15 has_addr a vl0
IFMGR=$(child "$HUBPID" vland-ifmgr)
AUTH=$(child "$HUBPID" vland-auth)
EPIFMGR=$(child "$APID" vland-ifmgr)

check "vland runs as _vland" [ "$(status_of "$HUBPID" Uid)" = "$VUID" ]
check "vland has no capabilities" [ "$(status_of "$HUBPID" CapEff)" = 0000000000000000 ]
check "vland's bounding set is empty" [ "$(status_of "$HUBPID" CapBnd)" = 0000000000000000 ]
check "vland has no_new_privs" [ "$(status_of "$HUBPID" NoNewPrivs)" = 1 ]
check "vland is chrooted to the empty directory" [ "$(root_of "$HUBPID")" = /var/lib/vland/empty ]
check "vland-ifmgr runs as _vland-ifmgr" [ "$(status_of "$IFMGR" Uid)" = "$IUID" ]
check "vland-ifmgr may read /etc/vland (group _vland), no other group" [ "$(status_of "$IFMGR" Groups)" = "$RGID" ]
check "vland-ifmgr has only CAP_NET_ADMIN" [ "$(status_of "$IFMGR" CapEff)" = 0000000000001000 ]
check "vland-ifmgr's bounding set is empty" [ "$(status_of "$IFMGR" CapBnd)" = 0000000000000000 ]
check "vland-ifmgr has no_new_privs" [ "$(status_of "$IFMGR" NoNewPrivs)" = 1 ]
check "vland-auth runs as _vland-auth" [ "$(status_of "$AUTH" Uid)" = "$AUID" ]
check "vland-auth may read /etc/vland (group _vland), no other group" [ "$(status_of "$AUTH" Groups)" = "$RGID" ]
UIDS="$(status_of "$HUBPID" Uid) $(status_of "$IFMGR" Uid) $(status_of "$AUTH" Uid)"
check "the three processes have three different uids, none 0 ($UIDS)" sh -c \
    "echo $UIDS | tr ' ' '\n' | grep -vx 0 | sort -u | wc -l | grep -qx 3"
check "vland-auth has no capabilities" [ "$(status_of "$AUTH" CapEff)" = 0000000000000000 ]
check "vland-auth's bounding set is empty" [ "$(status_of "$AUTH" CapBnd)" = 0000000000000000 ]
check "vland-auth has no_new_privs" [ "$(status_of "$AUTH" NoNewPrivs)" = 1 ]
check "vland-auth is chrooted to the config directory" [ "$(root_of "$AUTH")" = "$T/etc" ]
# One hashing worker per online CPU, at most 8 (vland-auth(8)).
NW=$(nproc)
[ "$NW" -gt 8 ] && NW=8
WORKERS=$(pgrep -P "$AUTH")
check "vland-auth has $NW hashing workers" [ "$(echo "$WORKERS" | grep -c .)" -eq "$NW" ]
check "vland-auth holds its channel and one socket per worker, no network socket" \
    sh -c "[ $(fds_sockets "$AUTH") -eq $((1 + NW)) ] && [ $(non_unix_sockets "$AUTH") -eq 0 ]"
for w in $WORKERS; do
	check "hashing worker $w: uid _vland-auth, no capabilities, no_new_privs, seccomp" sh -c \
	    "[ $(status_of "$w" Uid) = $AUID ] && [ $(status_of "$w" CapEff) = 0000000000000000 ] &&
	     [ $(status_of "$w" NoNewPrivs) = 1 ] && [ $(status_of "$w" Seccomp) = 2 ]"
	check "hashing worker $w: chrooted to the config directory" [ "$(root_of "$w")" = "$T/etc" ]
	check "hashing worker $w: one socket (to vland-auth), no network socket" \
	    sh -c "[ $(fds_sockets "$w") -eq 1 ] && [ $(non_unix_sockets "$w") -eq 0 ]"
done
check "the endpoint's vland runs as _vland" [ "$(status_of "$APID" Uid)" = "$VUID" ]
check "the endpoint runs no vland-auth" [ -z "$(child "$APID" vland-auth)" ]
check "the endpoint's vland-ifmgr has only CAP_NET_ADMIN" [ "$(status_of "$EPIFMGR" CapEff)" = 0000000000001000 ]
REAPER=$(child "$IFMGR" vland-ifmgr)
for p in "vland:$HUBPID" "vland-ifmgr:$IFMGR" "its reaper:$REAPER" "vland-auth:$AUTH" \
    "the endpoint's vland:$APID" "the endpoint's vland-ifmgr:$EPIFMGR"; do
	check "${p%%:*} runs under a seccomp filter (Seccomp: 2)" [ "$(status_of "${p#*:}" Seccomp)" = 2 ]
done
check "each process logged its seccomp filter" sh -c \
    "grep -q 'vland: sandbox: seccomp allowlist for vland, a violation kills' $T/hub.log &&
     grep -q 'vland-ifmgr: sandbox: seccomp allowlist for vland-ifmgr' $T/hub.log &&
     grep -q 'vland-auth: sandbox: seccomp allowlist for vland-auth' $T/hub.log"
check "each process logged its protections" sh -c \
    "grep -q 'vland: protections: uid $VUID' $T/hub.log && grep -q 'vland-ifmgr: protections: uid $IUID' $T/hub.log && grep -q 'vland-auth: protections: uid $AUID' $T/hub.log"

# A route with a logged-in nexthop and a tap: things to clean up.
vl_start b "$T/etc/b.yaml" "$T/b.log"
wait_for 15 has_addr b vl0
kill -TERM "$APID"
wait_for 5 dead "$APID"

left_behind() { # nothing of vland in the hub namespace?
	! ip -n "$NS-hub" link show br-vlt &&
	    ! ip -n "$NS-hub" -o link | grep -q 'vl-' &&
	    ! ip -n "$NS-hub" route | grep -q 'proto 118'
}
suite_gone() { ! pgrep -P "$HUBPID" >/dev/null && dead "$HUBPID" && dead "$1" && dead "$2"; }
for victim in vland vland-ifmgr vland-auth; do
	IFMGR=$(child "$HUBPID" vland-ifmgr)
	AUTH=$(child "$HUBPID" vland-auth)
	case $victim in
	vland) V=$HUBPID ;;
	vland-ifmgr) V=$IFMGR ;;
	vland-auth) V=$AUTH ;;
	esac
	check "hub up with its bridge before killing $victim" link_in hub br-vlt
	kill -KILL "$V"
	check "SIGKILL of $victim stops the whole suite" wait_for 10 suite_gone "$IFMGR" "$AUTH"
	check "SIGKILL of $victim leaves no bridge, tap or route" wait_for 5 left_behind
	vl_start hub "$HUBCFG" "$T/hub-$victim.log"
	HUBPID=$LASTPID
	wait_for 10 link_in hub br-vlt
	wait_for 20 logged_in bob
done

vl_finish
