#!/bin/sh
# vlanctl.exe under wine, in the win64 build: -V, the public key of RFC
# 7748's X25519 test vector (Alice's key, section 6.1), genkey into a new
# file and never over one, show failing with a message when no vland
# answers at the pipe (netns-wine talks to a running vland.exe), and
# user, a hub's, refused.
#   vlanctl.sh WINE-RUN VLANCTL.EXE
set -u
w=$1
v=$2
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$w" "$v" -V | grep -q '^vlanctl ' || fail "-V"
echo dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo= >"$d/alice.key"
got=$("$w" "$v" pubkey "$d/alice.key" | tr -d '\r')
[ "$got" = hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo= ] ||
	fail "pubkey of RFC 7748's Alice key: got '$got'"
"$w" "$v" genkey "$d/new.key" || fail "genkey"
k=$(cat "$d/new.key")
echo "$k" | grep -Eq '^[A-Za-z0-9+/]{43}=$' || fail "genkey wrote '$k'"
"$w" "$v" genkey "$d/new.key" 2>/dev/null && fail "genkey overwrote a key"
[ "$(cat "$d/new.key")" = "$k" ] || fail "the key was changed"
"$w" "$v" pubkey "$d/new.key" | tr -d '\r' | grep -Eq '^[A-Za-z0-9+/]{43}=$' ||
	fail "pubkey of the new key"
msg=$("$w" "$v" -s '\\.\pipe\vland-absent' show status 2>&1) &&
	fail "show status succeeded with no vland"
echo "$msg" | grep -q 'is vland running' || fail "show: '$msg'"
msg=$("$w" "$v" user list 2>&1) && fail "user list succeeded"
echo "$msg" | grep -q 'Linux only' || fail "user: '$msg'"
echo "vlanctl.exe OK"
