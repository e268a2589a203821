#!/bin/sh
# What the hub refuses: wrong password, unknown user, wrong pre-shared
# key, wrong hub key; a second login of a live user; and what happens
# when an endpoint dies without a word (SIGKILL).
set -u
TESTNAME=ref
. "$(dirname "$0")/lib.sh"

vl_standard "key: the-hub-pre-shared-key"
# Each endpoint config needs the hub's key now.
for e in a b; do
	sed -i 's/^  interface: vl0$/  interface: vl0\n  key: the-hub-pre-shared-key/' "$T/etc/$e.yaml"
done

refused() { # NAME USER PASSWORD [extra connect lines]
	vl_ep_config "$1" "$2" "$3" "  key: the-hub-pre-shared-key
${4:-}"
	vl_start a "$T/etc/$1.yaml" "$T/$1.log"
	wait_for 15 dead "$LASTPID"
	grep -q "login refused: bad username or password" "$T/$1.log"
}
check "wrong password: the endpoint exits with a clear message" refused badpw alice wrongpw
check "unknown user: the same message, nothing more" refused nouser mallory whatever
check "no tap on the hub for a refused login" no_link_in hub vl-alice
check "no tap on the hub for an unknown user" no_link_in hub vl-mallory
check "the hub logged one line for the wrong password" \
    [ "$(grep -c 'login of alice from .* refused' "$T/hub.log")" -eq 1 ]
check "the hub is still up" alive "$HUBPID"

silent() { # NAME CONFIG-EDIT
	vl_ep_config "$1" alice alicepw "$2"
	vl_start a "$T/etc/$1.yaml" "$T/$1.log"
	_p=$LASTPID
	wait_for 20 grep -q "no answer from the hub" "$T/$1.log"
	_r=$?
	kill "$_p"
	return $_r
}
check "wrong pre-shared key: the endpoint says the hub does not answer" \
    silent badpsk "  key: not-the-right-key"
OTHER=$("$VLANCTL" genkey | "$VLANCTL" pubkey)
sed_key() { sed -i "s|server-key: .*|server-key: $OTHER|" "$T/etc/badkey.yaml"; }
vl_ep_config badkey alice alicepw "  key: the-hub-pre-shared-key"
sed_key
vl_start a "$T/etc/badkey.yaml" "$T/badkey.log"
BK=$LASTPID
check "wrong hub key: the endpoint says the hub does not answer" \
    wait_for 20 grep -q "no answer from the hub" "$T/badkey.log"
kill "$BK"
check "no tap on the hub after bad keys" no_link_in hub vl-alice
check "the hub is still up after bad keys" alive "$HUBPID"
check "the hub counted the refused handshakes" \
    sh -c "ip netns exec $NS-hub $VLANCTL -s $T/hub.sock show status | grep -q 'handshake [1-9]'"

# A second login of a live user is refused; after the first is killed
# and silent for two keepalive intervals, it is accepted.
vl_start a "$T/etc/a.yaml" "$T/a.log"
A1=$LASTPID
wait_for 15 has_addr a vl0
sed -e 's/user: bob/user: alice/' -e 's/password: "bobpw"/password: "alicepw"/' \
    "$T/etc/b.yaml" >"$T/etc/b-alice.yaml"
vl_start b "$T/etc/b-alice.yaml" "$T/b-alice.log"
A2=$LASTPID
check "second login of alice refused while the first is alive" \
    wait_for 15 grep -q "already logged in" "$T/b-alice.log"
check "the first alice session is untouched" pingok a 192.168.123.254
kill -KILL "$A1"
check "after SIGKILL + 2 keepalives the second login replaces the first" \
    wait_for 20 has_addr b vl0
check "the replacing login keeps alice's address" [ "$(ep_ip b)" = "$(fnv_addr alice)" ]
check "alice is now at b's address" sh -c "ip netns exec $NS-hub $VLANCTL -s $T/hub.sock show endpoints | grep alice | grep -q 10.99.2.2"
check "b pings the hub as alice" pingok b 192.168.123.254
kill -KILL "$A2"
# SIGKILL: no bye; the hub ends the session after its timeout (6 s).
check "SIGKILL: the hub keeps the tap until the timeout" link_in hub vl-alice
check "SIGKILL: tap gone after the timeout" wait_for 10 no_link_in hub vl-alice
check "the hub is still up" alive "$HUBPID"

vl_finish
