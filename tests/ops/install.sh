#!/bin/sh
# `meson install` into a temporary DESTDIR: the files land where a
# Debian daemon's do, with the right modes.
#   install.sh BUILDDIR
set -u
build=$1
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
DESTDIR=$d meson install -C "$build" --quiet --no-rebuild >"$d.log" 2>&1 ||
	{ cat "$d.log"; rm -f "$d.log"; exit 1; }
rm -f "$d.log"
prefix=$(meson introspect "$build" --buildoptions |
	python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
fails=0
want() { # MODE PATH (relative to DESTDIR)
	if [ ! -e "$d/$2" ]; then
		echo "missing: /$2"; fails=$((fails + 1)); return
	fi
	m=$(stat -c %a "$d/$2")
	[ "$m" = "$1" ] || { echo "mode of /$2 is $m, want $1"; fails=$((fails + 1)); }
}
p=${prefix#/}
want 755 "$p/sbin/vland"
want 755 "$p/sbin/vlanctl"
want 755 "$p/libexec/vland-ifmgr"
want 755 "$p/libexec/vland-auth"
for m in man8/vland.8 man8/vlanctl.8 man8/vland-ifmgr.8 man8/vland-auth.8 man5/vland.yaml.5; do
	want 644 "$p/share/man/$m"
done
etc=$p/etc
[ "$prefix" = /usr ] && etc=etc
want 644 "$etc/vland/vland.yaml.example"
want 644 "$etc/vland/endpoint.yaml.example"
unit=$(find "$d" -name vland.service | head -1)
[ -n "$unit" ] || { echo "missing: vland.service"; fails=$((fails + 1)); }
[ -n "$(find "$d" -name 'vland@.service')" ] || { echo "missing: vland@.service"; fails=$((fails + 1)); }
want 644 "$p/share/bash-completion/completions/vlanctl"
want 644 "$p/lib/sysusers.d/vland.conf"
want 644 "$p/lib/tmpfiles.d/vland.conf"
grep -q "ExecStart=$prefix/sbin/vland " "$unit" ||
	{ echo "the unit does not start $prefix/sbin/vland"; fails=$((fails + 1)); }
echo "installed files:"
(cd "$d" && find . -type f | sort)
exit $((fails != 0))
