#!/bin/sh
# Several vland on one host, and devices deleted under them. A device or
# bridge belongs to the vland that made it (its alias names that vland's
# pid and start time): a second hub with the same bridge name, or a
# second endpoint with the same device name, refuses to start and names
# the first, which keeps working; with distinct names both work. A
# bridge left by a hub killed with SIGKILL is adopted by the next one. A
# bridge deleted under a running hub stops it with one line, and its
# supervisor starts it whole; a tap deleted under the hub ends only that
# session, which comes back; a device deleted under an endpoint stops
# it, once, with one line: no loop.
set -u
TESTNAME=names
. "$(dirname "$0")/lib.sh"

vl_standard
vl_endpoints_up
check "alice and bob are up" wait_for 10 pingok a "$(ep_ip b)"

# A second hub with the first one's bridge name.
sed -e 's/^port: 6123/port: 6124/' -e "s|$T/hub.sock|$T/hub2.sock|" \
    -e 's/192.168.123/192.168.124/g' "$HUBCFG" >"$T/etc/hub2.yaml"
chgrp _vland "$T/etc/hub2.yaml"
chmod 640 "$T/etc/hub2.yaml"
ip netns exec "$NS-hub" timeout 20 "$VLAND" -d -f "$T/etc/hub2.yaml" \
    >"$T/hub2.log" 2>&1
rc=$?
check "a second hub with the same bridge name refuses to start" [ "$rc" -ne 0 ]
check "... naming the first hub's pid" grep -q \
    "br-vlt belongs to another vland that is running, pid $HUBPID: give this one another bridge:" \
    "$T/hub2.log"
check "... in one line (no chain of lost helpers)" [ "$(grep -c \
    'fatal\|lost\|Broken pipe' "$T/hub2.log")" -le 2 ]
grep -i 'fatal\|lost\|stopped\|exit' "$T/hub2.log" | sed 's/^/# /'
check "the first hub's bridge is still there" link_in hub br-vlt
check "... and its endpoints still talk" pingok a "$(ep_ip b)"

# With a bridge of its own, the second hub runs beside the first.
sed -i 's/^bridge: br-vlt$/bridge: br-vlt2/' "$T/etc/hub2.yaml"
vl_start hub "$T/etc/hub2.yaml" "$T/hub2.log"
HUB2PID=$LASTPID
check "a second hub with its own bridge starts" wait_for 10 link_in hub br-vlt2

# A second endpoint in a's namespace, on the second hub, same device name.
cat >"$T/etc/c.yaml" <<CFG
connect:
  server: 10.99.1.1:6124
  server-key: $("$VLANCTL" pubkey "$T/etc/hub.key")
  user: carol
  password: carolpw
  interface: vl0
control: $T/c.sock
log-level: debug
CFG
ip netns exec "$NS-a" timeout 20 "$VLAND" -d -f "$T/etc/c.yaml" \
    >"$T/c.log" 2>&1
rc=$?
check "a second endpoint with the same device name refuses to start" \
    [ "$rc" -ne 0 ]
check "... naming the first endpoint's pid" grep -q \
    "vl0 belongs to another vland that is running, pid $APID: give this one another connect: interface:" \
    "$T/c.log"
grep -i 'fatal\|lost\|stopped\|exit' "$T/c.log" | sed 's/^/# /'
check "the first endpoint keeps its device" link_in a vl0
check "... and keeps working" pingok a "$(ep_ip b)"
check "... and logged nothing about it" sh -c "! grep -q 'bad state\|vl0.*gone' '$T/a.log'"

sed -i 's/interface: vl0/interface: vl1/' "$T/etc/c.yaml"
vl_start a "$T/etc/c.yaml" "$T/c.log"
CPID=$LASTPID
check "with its own device name, it logs in to the second hub" wait_for 15 \
    has_addr a vl1
check "... and pings that hub" wait_for 5 pingok a 192.168.124.254
check "the first endpoint still pings bob" pingok a "$(ep_ip b)"

# A device deleted under an endpoint: it stops, once, with one line.
ip -n "$NS-a" link del vl1
check "an endpoint whose device is deleted stops" wait_for 5 dead "$CPID"
wait "$CPID"
rc=$?
check "... with status 1 (a supervisor restarts it)" [ "$rc" -eq 1 ]
check "... saying so once" [ "$(grep -c 'vl1 failed' "$T/c.log")" -eq 1 ]
check "... without a loop of read errors" [ "$(wc -l <"$T/c.log")" -lt 60 ]

# A tap deleted under the hub: only that session ends, and comes back.
ip -n "$NS-hub" link del vl-alice
check "the hub ends alice's session, saying why" wait_for 5 grep -q \
    "alice: tap vl-alice failed" "$T/hub.log"
check "alice comes back, with a new tap" wait_for 15 link_in hub vl-alice
check "... and pings bob again" wait_for 10 pingok a "$(ep_ip b)"
check "the hub did not loop on the dead tap" [ "$(grep -c \
    'tap vl-alice failed' "$T/hub.log")" -eq 1 ]

# The bridge deleted under a running hub: it stops with one line; its
# supervisor (here a loop) starts it again, whole.
kill "$HUB2PID"
kill "$HUBPID"
wait_for 10 dead "$HUBPID"
(
	while :; do
		ip netns exec "$NS-hub" "$VLAND" -d -v -f "$HUBCFG" \
		    >>"$T/hub.log" 2>&1
		sleep 1
	done
) &
PIDS="$PIDS $!"
check "the supervised hub is up, alice and bob are back" wait_for 30 \
    pingok a "$(ep_ip b)"
ip -n "$NS-hub" link del br-vlt
check "the hub says its bridge was deleted, and stops" wait_for 5 grep -q \
    "bridge br-vlt was deleted under the hub: stopping" "$T/hub.log"
check "started again, the hub has its bridge back" wait_for 10 \
    link_in hub br-vlt
check "alice pings bob again" wait_for 30 pingok a "$(ep_ip b)"

# A hub killed outright leaves its bridge; the next one adopts it. All
# its processes at once, as a cgroup's kill does: stopped first, so that
# the reaper cannot clean up between vland-ifmgr's death and its own
# (it is quick now: the taps and the bridge go in one request).
for p in $(ip netns pids "$NS-hub"); do kill -STOP "$p" 2>/dev/null; done
for p in $(ip netns pids "$NS-hub"); do kill -9 "$p" 2>/dev/null; done
sleep 1.5
check "the supervised hub, killed with SIGKILL, comes back" wait_for 15 \
    grep -q "adopting bridge br-vlt, left by a vland that stopped" \
    "$T/hub.log"
check "... and alice pings bob again" wait_for 30 pingok a "$(ep_ip b)"
vl_finish
