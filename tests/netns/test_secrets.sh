#!/bin/sh
# Secrets: the hub's private key and an endpoint's password-file are
# refused, with the command that fixes it, when others may change them,
# everyone may read them, or someone else owns them; vland -nv prints
# neither the pre-shared key nor a password.
set -u
TESTNAME=sec
. "$(dirname "$0")/lib.sh"

vl_topology
vl_hub_config "key: the-shared-passphrase"
vl_user alice alicepw
KEY=$T/etc/hub.key

# starts_with_key MODE: start the hub with the key at MODE; it must exit.
hub_refuses() {
	ip netns exec "$NS-hub" timeout 20 "$VLAND" -d -f "$HUBCFG" >"$T/hub-$1.log" 2>&1
	[ $? -eq 1 ]
}
chmod 644 "$KEY"
check "a hub key readable by everyone: the hub does not start" hub_refuses 644
check "... and says how to fix it" \
    grep -q "private key $KEY: mode 0644 lets everyone read it; fix: chmod 600 $KEY" "$T/hub-644.log"
chmod 660 "$KEY"
check "a hub key its group may change: refused" hub_refuses 660
check "... naming the fix" grep -q "mode 0660 lets others change it; fix: chmod 600 $KEY" "$T/hub-660.log"
chmod 600 "$KEY"
chown 65534 "$KEY"
check "a hub key owned by another user: refused" hub_refuses nobody
check "... naming the fix" grep -q "owned by uid 65534, not by root or the user running vland; fix: chown root $KEY" "$T/hub-nobody.log"
chown 0 "$KEY"
chmod 640 "$KEY"
vl_start hub "$HUBCFG" "$T/hub.log"
HUBPID=$LASTPID
check "a hub key of mode 0640, owned by root, is taken" wait_for 10 link_in hub br-vlt

# An endpoint's password-file, readable by everyone.
vl_ep_config a alice alicepw "  key: the-shared-passphrase"
sed -i 's/^  password: .*$/  password-file: alice.pass/' "$T/etc/a.yaml"
printf 'alicepw\n' >"$T/etc/alice.pass"
chmod 604 "$T/etc/alice.pass"
ip netns exec "$NS-a" timeout 20 "$VLAND" -d -f "$T/etc/a.yaml" >"$T/a-604.log" 2>&1 </dev/null
check "a password-file readable by everyone: the endpoint does not start" [ $? -eq 1 ]
check "... and says how to fix it" \
    grep -q "password-file $T/etc/alice.pass: mode 0604 lets everyone read it; fix: chmod 600" "$T/a-604.log"
chmod 600 "$T/etc/alice.pass"
vl_start a "$T/etc/a.yaml" "$T/a.log"
check "with mode 0600 it logs in" wait_for 15 has_addr a vl0

# vland -nv: the settings, never the secrets.
vl_ep_config c alice alicepw "  key: the-shared-passphrase"
"$VLAND" -nv -f "$T/etc/c.yaml" >"$T/nv.out" 2>&1
check "vland -nv of an endpoint prints no password" sh -c "! grep -q alicepw $T/nv.out"
check "... nor the pre-shared key" sh -c "! grep -q 'the-shared-passphrase' $T/nv.out"
check "... and says they are there" [ "$(grep -c '"(secret, not shown)"' "$T/nv.out")" -eq 2 ]
"$VLAND" -nv -f "$HUBCFG" >"$T/nv-hub.out" 2>&1
PSKHEX=$(printf 'vland psk v1the-shared-passphrase' | sha256sum | cut -c1-16)
check "vland -nv of a hub prints no key" sh -c \
    "! grep -q 'the-shared-passphrase' $T/nv-hub.out && ! grep -qi '$PSKHEX' $T/nv-hub.out && grep -q '^key: \"(secret, not shown)\"' $T/nv-hub.out"

vl_finish
