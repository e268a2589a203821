#!/bin/sh
# vlanctl genkey -i, as the hub's unit runs it at every start: makes the
# key once (mode 0600), keeps it after, and never touches a file that is
# not a key.
#   genkey.sh VLANCTL
set -u
v=$1
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
"$v" genkey -i "$d/hub.key" || { echo "first run failed"; exit 1; }
[ "$(stat -c %a "$d/hub.key")" = 600 ] || { echo "mode not 0600"; exit 1; }
k1=$(cat "$d/hub.key")
"$v" genkey -i "$d/hub.key" || { echo "second run failed"; exit 1; }
[ "$(cat "$d/hub.key")" = "$k1" ] || { echo "the key was replaced"; exit 1; }
"$v" genkey "$d/hub.key" 2>/dev/null && { echo "plain genkey overwrote"; exit 1; }
echo "not a key" >"$d/other"
"$v" genkey -i "$d/other" 2>/dev/null && { echo "accepted a non-key file"; exit 1; }
[ "$(cat "$d/other")" = "not a key" ] || { echo "a non-key file was changed"; exit 1; }
"$v" pubkey "$d/hub.key" | grep -Eq '^[A-Za-z0-9+/]{43}=$' || { echo "pubkey"; exit 1; }
echo "genkey -i OK"
