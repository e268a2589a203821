#!/bin/sh
# Install what vland needs to build, test and run its demo on Debian 12.
# Only installs packages that are missing, so a second run is quick.
#   setup-deps.sh          what building and the demo need
#   setup-deps.sh --test   also what the test suite needs (a headless
#                          browser for the web page, promtool, setpriv,
#                          ethtool; for test_dns.sh openresolv, which
#                          only runs when called, dbus-daemon and
#                          python3-dbus for the resolved stub)
set -eu

PKGS="meson ninja-build pkg-config gcc clang libclang-rt-14-dev \
libssl-dev libevent-dev libyaml-dev libcap-ng-dev libmnl-dev libcrypt-dev \
libseccomp-dev libjansson-dev libnftables-dev libsystemd-dev \
libcmocka-dev mandoc iproute2 iputils-ping nftables python3 jq whois"
if [ "${1:-}" = --test ]; then
	PKGS="$PKGS chromium prometheus util-linux curl systemd ethtool clang-format \
openresolv dbus-daemon python3-dbus python3-gi"
fi

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done

if [ -n "$missing" ]; then
	echo "setup-deps: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing
fi

# vland, vland-auth and vland-ifmgr each run as a user of their own
# (vland(8)); the group _vland may read /etc/vland. Tests need them.
for u in _vland _vland-auth _vland-ifmgr; do
	getent passwd "$u" >/dev/null ||
		useradd --system --no-create-home --user-group \
		    --home-dir /var/lib/vland/empty --shell /usr/sbin/nologin "$u"
done
