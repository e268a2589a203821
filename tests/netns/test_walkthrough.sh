#!/bin/sh
# The README's walkthrough, step by step, in namespaces: /etc/vland is a
# temporary directory, hub.example.net is the hub's underlay address, and
# `vland -d` in the background stands in for systemctl.
set -u
TESTNAME=walk
. "$(dirname "$0")/lib.sh"

vl_topology
E=$T/etc
HUB=10.99.1.1

# On the hub.
"$VLANCTL" genkey "$E/hub.key"
check "vlanctl genkey made the key, mode 0600" [ "$(stat -c %a "$E/hub.key")" = 600 ]
"$VLANCTL" pubkey "$E/hub.key" >"$E/hub.pub"
printf 'the-password\n' | "$VLANCTL" user add -f "$E/users" alice
check "vlanctl user add wrote alice" grep -q '^alice:\$y\$' "$E/users"
printf 'ip: 192.168.123.254/24\ndhcp-range: 192.168.123.100-192.168.123.200\ncontrol: %s/hub.sock\n' "$T" >"$E/vland.yaml"
chgrp _vland "$E/vland.yaml"
chmod 640 "$E/vland.yaml"
check "vlanctl gave the users file to _vland-auth, mode 0640" \
    [ "$(stat -c '%a %G' "$E/users")" = "640 _vland-auth" ]
check "vland -n accepts the hub's file" "$VLAND" -n -f "$E/vland.yaml"
vl_start hub "$E/vland.yaml" "$T/hub.log"
wait_for 10 link_in hub br-vl

# On the endpoint.
cp "$E/hub.pub" "$T/hub.pub"
printf 'connect:\n  server: %s:6123\n  server-key: %s\n  user: alice\n  password-file: alice.pass\ncontrol: %s/alice.sock\n' \
    "$HUB" "$(cat "$T/hub.pub")" "$T" >"$E/alice.yaml"
printf '%s\n' 'the-password' >"$E/alice.pass" && chmod 600 "$E/alice.pass"
check "vland -n accepts the endpoint's file" "$VLAND" -n -f "$E/alice.yaml"
vl_start a "$E/alice.yaml" "$T/alice.log"
check "the endpoint is up" wait_for 15 has_addr a vl0
check "ping 192.168.123.254 from the endpoint" pingok a 192.168.123.254
check "vlanctl show endpoints lists alice" sh -c \
    "ip netns exec $NS-hub $VLANCTL -s $T/hub.sock show endpoints | grep -q '^alice'"

vl_finish
