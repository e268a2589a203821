#!/bin/sh
# The install steps in any order: a hub started before its first user
# (no users file at all) comes up, says that nobody can log in yet, and
# takes the first user at the next reload. A vland whose helpers are not
# where it looks says so in one line.
set -u
TESTNAME=first
. "$(dirname "$0")/lib.sh"

vl_topology
vl_hub_config
rm -f "$T/etc/users"
vl_ep_config a alice alicepw
vl_start hub "$HUBCFG" "$T/hub.log"
HUBPID=$LASTPID
check "a hub without a users file starts" wait_for 10 link_in hub br-vlt
check "it is still running" alive "$HUBPID"
check "it says nobody can log in yet, and what to do" \
    grep -q "no users yet, so nobody can log in (vlanctl user add, then vlanctl reload)" "$T/hub.log"
printf 'alicepw\n' | "$VLANCTL" user add -f "$T/etc/users" alice
check "vlanctl reload takes the new users file" hubctl reload
vl_start a "$T/etc/a.yaml" "$T/a.log"
check "alice logs in" wait_for 15 has_addr a vl0
check "and pings the hub" pingok a 192.168.123.254
kill -HUP "$LASTPID"
check "SIGHUP to an endpoint is said to do nothing" \
    wait_for 5 grep -q "SIGHUP: an endpoint reloads by restarting" "$T/a.log"

# Helpers not where vland looks for them: one line naming the path.
sed "s|^control: .*|control: $T/hub2.sock|; s|^port: .*|port: 6124|" "$HUBCFG" >"$T/etc/nohelp.yaml"
chgrp _vland "$T/etc/nohelp.yaml"
mkdir "$T/nohelpers"
VLAND_LIBEXEC=$T/nohelpers ip netns exec "$NS-hub" timeout 20 "$VLAND" -d -f "$T/etc/nohelp.yaml" >"$T/nohelp.log" 2>&1
check "a missing helper stops vland at once" [ $? -eq 1 ]
check "... with one line naming it and why" \
    grep -q "fatal: cannot run $T/nohelpers/vland-ifmgr: No such file or directory" "$T/nohelp.log"
vl_finish
