#!/bin/sh
# Where an endpoint's password comes from when the config has none:
# asked on the terminal without echo, or read from password-file; and a
# clear refusal when there is neither.
set -u
TESTNAME=pw
. "$(dirname "$0")/lib.sh"
PTYRUN="python3 $(dirname "$0")/ptyrun.py"
not_in() { ! grep -q "$2" "$1"; }

vl_standard
# The endpoint configs without a password line.
vl_ep_config nopw alice x
sed -i '/^  password:/d' "$T/etc/nopw.yaml"

# ask ANSWER LOG: vland on a terminal in a, typing ANSWER at the prompt.
ask() {
	ip netns exec "$NS-a" $PTYRUN "Password:" "$1" "$2" -- \
	    "$VLAND" -d -v -f "$T/etc/nopw.yaml" &
	PIDS="$PIDS $!"
	LASTPID=$!
}

ask wrongpw "$T/wrong.log"
WPID=$LASTPID
check "a wrong password typed at the prompt is refused, clearly" \
    wait_for 15 grep -q "login refused: bad username or password" "$T/wrong.log"
check "... and the endpoint exits" wait_for 5 dead "$WPID"
check "the prompt was shown" grep -q "Password:" "$T/wrong.log"

ask alicepw "$T/tty.log"
TPID=$LASTPID
check "the password typed at the prompt logs in" wait_for 15 has_addr a vl0
check "alice is logged in on the hub" logged_in alice
check "a pings the hub" pingok a 192.168.123.254
check "the typed password was not echoed" not_in "$T/tty.log" alicepw
check "the wrong one neither" not_in "$T/wrong.log" wrongpw
kill "$TPID"
check "SIGTERM ends the endpoint started on a terminal" wait_for 5 dead "$TPID"
check "... and its session on the hub" wait_for 5 not_logged_in alice

# No terminal, no password: refused at once, saying what to do.
ip netns exec "$NS-a" "$VLAND" -d -f "$T/etc/nopw.yaml" </dev/null \
    >"$T/notty.log" 2>&1
check "no password and no terminal: vland exits non-zero" [ $? -ne 0 ]
check "... saying where a password may come from" \
    grep -q "no password: set password or password-file" "$T/notty.log"
check "... before any tap exists" no_link_in a vl0

# password-file: the first line, its newline (or CRLF) dropped.
printf 'alicepw\r\n' >"$T/etc/alice.pass"
chmod 600 "$T/etc/alice.pass" # tests/netns/test_secrets.sh: wider modes are refused
sed 's/^  user: alice$/  user: alice\n  password-file: alice.pass/' \
    "$T/etc/nopw.yaml" >"$T/etc/pwfile.yaml"
vl_start a "$T/etc/pwfile.yaml" "$T/pwfile.log"
FPID=$LASTPID
check "password-file (relative to the config, CRLF) logs in" wait_for 15 has_addr a vl0
kill "$FPID"
wait_for 5 dead "$FPID"
: >"$T/etc/alice.pass"
ip netns exec "$NS-a" "$VLAND" -d -f "$T/etc/pwfile.yaml" </dev/null \
    >"$T/empty.log" 2>&1
check "an empty password-file is refused, by name" \
    grep -q "password-file .*alice.pass: empty" "$T/empty.log"
rm "$T/etc/alice.pass"
ip netns exec "$NS-a" "$VLAND" -d -f "$T/etc/pwfile.yaml" </dev/null \
    >"$T/missing.log" 2>&1
check "a missing password-file is refused, by name" \
    grep -q "password-file .*alice.pass" "$T/missing.log"
check "the hub is still up" alive "$HUBPID"
vl_finish
