#!/bin/sh
# The systemd units pass `systemd-analyze verify` with nothing to say:
# rendered with the build tree's binaries in place of /usr/sbin.
#   units.sh SRCDIR BUILDDIR
set -u
src=$1 build=$2
command -v systemd-analyze >/dev/null || { echo "no systemd-analyze"; exit 77; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir "$t/sbin" "$t/units"
ln -s "$build/daemons/vland/vland" "$t/sbin/vland"
ln -s "$build/daemons/vlanctl/vlanctl" "$t/sbin/vlanctl"
for u in vland.service vland@.service; do
	sed -e "s|@SBINDIR@|$t/sbin|g" -e 's|@SYSCONFDIR@|/etc|g' \
	    "$src/etc/systemd/$u.in" >"$t/units/$u"
done
cd "$t/units" || exit 1
out=$(systemd-analyze verify --man=no ./vland.service ./vland@.service 2>&1)
rc=$?
[ -z "$out" ] && [ $rc -eq 0 ] && { echo "units verified"; exit 0; }
echo "systemd-analyze verify (rc $rc):"
echo "$out"
exit 1
