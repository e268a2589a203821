#!/bin/sh
# Users who change or go, with the hub running: a new password or a
# lock, then a reload, ends that user's session (its resume token goes
# with it); the endpoint's next login with the old password, or while
# locked, is refused. Unlocked, the user logs in again with the same
# password. Other users' sessions stay up throughout.
set -u
TESTNAME=uchg
. "$(dirname "$0")/lib.sh"

vl_standard
vl_endpoints_up
USERS=$T/etc/users
check "alice is logged in" logged_in alice
check "bob is logged in" logged_in bob

# A new password for alice, then a reload.
printf 'alice-new-pw\n' | "$VLANCTL" user passwd -f "$USERS" alice
check "vlanctl user passwd alice" grep -q '^alice:\$y\$' "$USERS"
check "vlanctl reload succeeds" hubctl reload
check "alice's session ended at the reload" wait_for 10 not_logged_in alice
check "the hub says why" grep -q "reload: user alice has a new password" "$T/hub.log"
check "alice's endpoint, with the old password, is refused and exits" wait_for 20 dead "$APID"
check "... saying so" grep -q "login refused: bad username or password" "$T/a.log"
check "bob's session stayed up" logged_in bob
check "bob still pings the hub" pingok b 192.168.123.254

# Lock bob: his session ends, his next login is refused, his password stays.
"$VLANCTL" user lock -f "$USERS" bob
check "vlanctl user lock puts ! before bob's hash" grep -q '^bob:!\$y\$' "$USERS"
check "vlanctl user list says bob is locked" sh -c "$VLANCTL user list -f $USERS | grep -q '^bob	-	locked'"
check "locking twice says so and succeeds" sh -c "$VLANCTL user lock -f $USERS bob | grep -q 'already locked'"
check "vlanctl reload succeeds" hubctl reload
check "bob's session ended at the reload" wait_for 10 not_logged_in bob
check "the hub says why" grep -q "reload: user bob is locked" "$T/hub.log"
check "bob's endpoint is refused and exits" wait_for 20 dead "$BPID"
check "the hub logs the locked login" grep -q "login bob from .*: the user is locked" "$T/hub.log"

# Unlocked: the same password works again.
"$VLANCTL" user unlock -f "$USERS" bob
check "vlanctl user unlock restores bob's hash" grep -q '^bob:\$y\$' "$USERS"
check "vlanctl reload succeeds" hubctl reload
check "the unlock ends no session and logs no password change" \
    sh -c "! grep -q 'reload: user bob has a new password' $T/hub.log"
vl_start b "$T/etc/b.yaml" "$T/b2.log"
check "bob logs in again with his old password" wait_for 15 logged_in bob
check "and pings the hub" wait_for 10 pingok b 192.168.123.254

vl_finish
