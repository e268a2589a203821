#!/bin/sh
# The Debian package: scripts/deb.sh builds it (dpkg-buildpackage), it is
# lintian-clean (no E: or W: line), and it installs, works and purges in
# a throwaway root: an overlay of this machine's / in a mount namespace
# of its own, written to a tmpfs that vanishes with the namespace, so
# the machine (its system users, /var/lib/vland, its dpkg database) is
# left as it was. In that root:
#   - apt-get install ./vland_*.deb, with stand-ins for systemctl and
#     deb-systemd-invoke that log their calls and a /run/systemd/system,
#     so the maintainer scripts act as under systemd: they may reload
#     systemd, but start and enable nothing;
#   - no unit is enabled (no vland symlink under /etc/systemd/system);
#   - the users and the chroot are there (sysusers.d, tmpfiles.d);
#   - vland -n on the installed hub example (/etc/vland/vland.yaml.example):
#     as root it also checks what start needs (users, helpers, key), so
#     first it must name the one thing missing, the hub key, with the
#     command that makes it; then, after the installed vlanctl genkey
#     made /etc/vland/hub.key (what the unit's first start does), it
#     must say "configuration OK": the installed binaries find their
#     helpers in /usr/libexec and the users the package made;
#   - vland -N on the endpoint example, vlanctl -V prints the version;
#   - apt-get purge: no file of the package, nor the hub key, nor
#     /var/lib/vland or /run/vland is left, and nothing else was written
#     beside the package managers' own records, the man-db cache and the
#     user database (the system users stay, as Debian leaves them).
# Needs root (skips otherwise) and takes a minute or two: the build runs
# the unit suites.
#   deb.sh SRCDIR
set -u
src=$1
[ "$(id -u)" -eq 0 ] || { echo "needs root"; exit 77; }
command -v unshare >/dev/null || { echo "no unshare"; exit 77; }
# A vland installed on the machine itself (by meson or as a package)
# would be in the throwaway root too, and its files would look left over.
if dpkg-query -W -f='${Status}' vland 2>/dev/null | grep -q installed ||
	[ -e /usr/sbin/vland ] || [ -e /etc/vland ]; then
	echo "vland is installed on this machine: remove it to run this test"
	exit 77
fi

t=$(mktemp -d /tmp/vland-debtest.XXXXXX)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

mkdir "$t/out"
start=$(date +%s)
if ! sh "$src/scripts/deb.sh" "$t/out" >"$t/build.out" 2>&1; then
	cat "$t/build.out"
	fail "scripts/deb.sh builds the package"
	exit 1
fi
deb=$(tail -n 1 "$t/build.out")
ok "scripts/deb.sh builds $(basename "$deb") in $(($(date +%s) - start))s"

command -v lintian >/dev/null ||
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends lintian >/dev/null 2>&1
lintian "$t"/out/*.changes >"$t/lintian.out" 2>&1
grep -v '^running with root privileges' "$t/lintian.out" >"$t/lintian.tags"
if grep -q '^[EW]:' "$t/lintian.tags"; then
	fail "lintian: errors or warnings:"
	sed 's/^/     /' "$t/lintian.tags"
else
	ok "lintian: no error, no warning ($(grep -c . "$t/lintian.tags") other lines)"
	sed 's/^/     /' "$t/lintian.tags"
fi

ver=$(dpkg-deb -f "$deb" Version)
# The throwaway root; the script below runs in it, as root, in the
# namespace, and prints the ok and FAIL lines.
cat >"$t/inroot.sh" <<'EOF'
set -u
ver=$1
fails=0
ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
check() { _w=$1; shift; if "$@"; then ok "$_w"; else fail "$_w"; fi; }
export DEBIAN_FRONTEND=noninteractive
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
: >/tmp/systemd.log

if apt-get install -y -q --no-install-recommends -o Dpkg::Use-Pty=0 \
    /tmp/deb/vland_*.deb >/tmp/install.out 2>&1; then
	ok "apt-get install ./vland_*.deb"
else
	cat /tmp/install.out; fail "apt-get install ./vland_*.deb"; exit 1
fi
if grep -Eq ' (start|restart|enable)( |$)' /tmp/systemd.log 2>/dev/null; then
	fail "installing starts or enables something:"; cat /tmp/systemd.log
else
	ok "installing starts and enables nothing (systemd calls:" \
	    "$(tr '\n' ';' </tmp/systemd.log))"
fi
check "no vland unit is enabled (no symlink under /etc/systemd/system)" \
    [ -z "$(find /etc/systemd/system -name '*vland*')" ]
for u in _vland _vland-auth _vland-ifmgr; do
	check "system user $u" sh -c "getent passwd $u >/dev/null"
done
check "vland-auth and vland-ifmgr are in group _vland" sh -c \
    'getent group _vland | grep -q "_vland-auth" && getent group _vland | grep -q "_vland-ifmgr"'
check "the chroot /var/lib/vland/empty: root's, mode 755, empty" sh -c \
    '[ "$(stat -c %U:%a /var/lib/vland/empty)" = root:755 ] && [ -z "$(ls -A /var/lib/vland/empty)" ]'
for f in /usr/sbin/vland /usr/sbin/vlanctl /usr/libexec/vland-ifmgr \
    /usr/libexec/vland-auth /lib/systemd/system/vland.service \
    /lib/systemd/system/vland@.service /usr/lib/sysusers.d/vland.conf \
    /usr/lib/tmpfiles.d/vland.conf /etc/vland/vland.yaml.example \
    /etc/vland/endpoint.yaml.example /usr/share/man/man8/vland.8.gz; do
	[ -e "$f" ] || fail "installed: $f"
done

ex=/etc/vland/vland.yaml.example
/usr/sbin/vland -n -f "$ex" >/tmp/n1.out 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -qF "error: private-key /etc/vland/hub.key does not exist; make one with vlanctl genkey /etc/vland/hub.key" /tmp/n1.out &&
	[ "$(grep -c 'error:' /tmp/n1.out)" -eq 1 ]; then
	ok "vland -n $ex: names the missing hub key, and nothing else"
else
	fail "vland -n $ex before genkey (status $rc):"; cat /tmp/n1.out
fi
check "vlanctl genkey /etc/vland/hub.key" sh -c \
    '/usr/sbin/vlanctl genkey /etc/vland/hub.key >/dev/null'
/usr/sbin/vland -n -f "$ex" >/tmp/n2.out 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q "configuration OK" /tmp/n2.out; then
	ok "vland -n $ex: configuration OK"
else
	fail "vland -n $ex with the key (status $rc):"; cat /tmp/n2.out
fi
sed 's/^/     /' /tmp/n2.out
check "vland -N /etc/vland/endpoint.yaml.example" sh -c \
    '/usr/sbin/vland -N -f /etc/vland/endpoint.yaml.example >/dev/null 2>&1'
out=$(/usr/sbin/vlanctl -V 2>&1)
check "vlanctl -V: $out" [ "$out" = "vlanctl ${ver%%-*}" ]

: >/tmp/systemd.log
if apt-get purge -y -q -o Dpkg::Use-Pty=0 vland >/tmp/purge.out 2>&1; then
	ok "apt-get purge vland"
else
	cat /tmp/purge.out; fail "apt-get purge vland"
fi
echo "     systemd calls on removal: $(tr '\n' ';' </tmp/systemd.log)"
check "dpkg knows no vland any more" sh -c '! dpkg -s vland >/dev/null 2>&1'
for f in /etc/vland /var/lib/vland /run/vland /usr/sbin/vland \
    /usr/sbin/vlanctl /usr/libexec/vland-ifmgr /usr/libexec/vland-auth \
    /lib/systemd/system/vland.service /lib/systemd/system/vland@.service \
    /usr/lib/sysusers.d/vland.conf /usr/lib/tmpfiles.d/vland.conf \
    /usr/share/doc/vland /usr/share/bash-completion/completions/vlanctl; do
	[ -e "$f" ] && fail "left after purge: $f"
done
left=$(ls /var/lib/dpkg/info/vland.* \
    /var/lib/systemd/deb-systemd-helper-enabled/*vland* \
    /var/lib/systemd/deb-systemd-helper-masked/*vland* 2>/dev/null)
check "no dpkg or deb-systemd-helper record of vland left" [ -z "$left" ]
check "the system users stay after purge" sh -c 'getent passwd _vland >/dev/null'
exit $((fails != 0))
EOF

# Stand-ins for systemctl and deb-systemd-invoke: log and succeed.
cat >"$t/stub" <<'EOF'
#!/bin/sh
echo "$(basename "$0") $*" >>/tmp/systemd.log
EOF
chmod 755 "$t/stub"

# outside.sh runs in the new mount namespace: builds the root, runs
# inroot.sh in it, then lists what the upper layer holds after the purge.
cat >"$t/outside.sh" <<'EOF'
set -u
t=$1 ver=$2
o=$t/ovl
mkdir "$o" && mount -t tmpfs tmpfs "$o" || exit 1
mkdir "$o/up" "$o/work" "$o/root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$o/up,workdir=$o/work" \
    "$o/root" || exit 1
r=$o/root
mount --rbind /dev "$r/dev" && mount -t proc proc "$r/proc" &&
	mount -t tmpfs tmpfs "$r/run" && mount -t tmpfs tmpfs "$r/tmp" || exit 1
mkdir -p "$r/run/systemd/system" "$r/tmp/deb"
mount --bind "$t/out" "$r/tmp/deb"
for p in systemctl deb-systemd-invoke; do
	mount --bind "$t/stub" "$r$(readlink -f "$(command -v "$p")")" || exit 1
done
cp "$t/inroot.sh" "$r/tmp/inroot.sh"
chroot "$r" sh /tmp/inroot.sh "$ver" </dev/null
rc=$?
# Everything written to the root since it was made, bar deletions
# (whiteouts) and directories that were there before.
(cd "$o/up" && find . -mindepth 1 ! -type c | sed 's|^\.||' | sort) |
	while read -r p; do
		[ -d "$o/up$p" ] && [ -d "$p" ] && continue
		echo "$p"
	done >"$t/written"
exit $rc
EOF

unshare --mount --propagation private sh "$t/outside.sh" "$t" "$ver"
rc=$?
[ $rc -eq 0 ] || fails=$((fails + 1))
# What a package's installation and purge may leave: the package
# managers' records and logs, caches, and the user database.
grep -Ev '^/(etc/(passwd|group|shadow|gshadow)-?$|etc/\.pwd\.lock$|var/lib/dpkg/|var/lib/apt/|var/cache/(apt|debconf|man|ldconfig)/|var/log/|etc/ld\.so\.cache$)' \
    "$t/written" >"$t/leftover"
if [ -s "$t/leftover" ]; then
	fail "purge left these behind:"
	sed 's/^/     /' "$t/leftover"
else
	ok "nothing left behind but the package managers' records and the users" \
	    "($(grep -c . "$t/written") paths written, all allowed)"
fi
echo "$fails failed ($(($(date +%s) - start))s in all)"
exit $((fails != 0))
