#!/bin/sh
# Build the Debian package (debian/) from this tree: installs the build
# dependencies that are missing, builds in a temporary copy so that the
# tree stays clean, and leaves vland_VERSION_ARCH.deb (with its dbgsym
# package, .buildinfo and .changes) in DIR, the current directory by
# default. Then, as root: apt install ./vland_*.deb
#   deb.sh [DIR]
# DEB_BUILD_OPTIONS is passed on (default parallel=2; nocheck skips the
# unit tests that the build runs).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
out=$(cd "${1:-.}" && pwd)
export DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-parallel=2}"
# The system's tools, whatever the caller's PATH (a python3 of its own
# would otherwise run the build's tests).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

t=$(mktemp -d /tmp/vland-deb.XXXXXX)
trap 'rm -rf "$t"' EXIT
mkdir "$t/vland"
# The files git knows (with their changes), or, with no git (a copy such
# as CI's), the tree without build directories.
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$src" ls-files -z --cached --others --exclude-standard |
		(cd "$src" && tar -c --null --ignore-failed-read -T - 2>/dev/null) |
		tar -x -C "$t/vland"
else
	(cd "$src" && tar -c --exclude=./.git --exclude='./build*' \
	    --exclude='./obj-*' --exclude=./debian/vland \
	    --exclude=./debian/.debhelper --exclude=./tests/fuzz/artifacts .) |
		tar -x -C "$t/vland"
fi
cd "$t/vland"

command -v dpkg-checkbuilddeps >/dev/null ||
	{ apt-get install -y -qq --no-install-recommends dpkg-dev >/dev/null; }
if ! dpkg-checkbuilddeps >/dev/null 2>&1; then
	[ "$(id -u)" -eq 0 ] || { dpkg-checkbuilddeps; exit 1; }
	echo "deb: installing the build dependencies"
	export DEBIAN_FRONTEND=noninteractive
	apt-get build-dep -y -qq --no-install-recommends ./ >/dev/null 2>&1 || {
		apt-get update -qq
		apt-get build-dep -y -qq --no-install-recommends ./ >/dev/null
	}
fi

dpkg-buildpackage -us -uc -b >"$t/build.log" 2>&1 ||
	{ tail -n 60 "$t/build.log"; echo "deb: dpkg-buildpackage failed"; exit 1; }
ver=$(dpkg-parsechangelog -S Version)
arch=$(dpkg-architecture -q DEB_HOST_ARCH)
for f in "vland_${ver}_$arch.deb" "vland-dbgsym_${ver}_$arch.deb" \
    "vland_${ver}_$arch.buildinfo" "vland_${ver}_$arch.changes"; do
	[ -f "$t/$f" ] && cp "$t/$f" "$out/"
done
echo "$out/vland_${ver}_$arch.deb"
