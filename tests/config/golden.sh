#!/bin/sh
# Golden config test, in the bgpd .in/.ok style.
#   golden.sh VLAND bad  DIR NAME: `vland -N` must fail with exactly NAME.ok
#   golden.sh VLAND good DIR NAME: `vland -Nv` must print exactly NAME.ok,
#       and that output, checked again, must print itself (round trip).
set -u
vland=$1 kind=$2 dir=$3 name=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$dir" || exit 1

case $kind in
bad)
	"$vland" -N -f "$name.yaml" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 1 ] || { echo "exit status $rc, want 1"; exit 1; }
	[ ! -s "$tmp/out" ] || { echo "unexpected stdout:"; cat "$tmp/out"; exit 1; }
	diff -u "$name.ok" "$tmp/err" || exit 1
	;;
good)
	"$vland" -Nv -f "$name.yaml" >"$tmp/out" 2>"$tmp/err" ||
		{ cat "$tmp/err"; exit 1; }
	grep -qx "configuration OK" "$tmp/err" || { cat "$tmp/err"; exit 1; }
	diff -u "$name.ok" "$tmp/out" || exit 1
	cp "$tmp/out" "$tmp/again.yaml"
	"$vland" -Nv -f "$tmp/again.yaml" >"$tmp/out2" 2>"$tmp/err" ||
		{ echo "normalised output does not parse:"; cat "$tmp/err"; exit 1; }
	diff -u "$tmp/out" "$tmp/out2" || { echo "round trip differs"; exit 1; }
	;;
*)
	echo "usage: golden.sh VLAND bad|good DIR NAME"; exit 2 ;;
esac
exit 0
