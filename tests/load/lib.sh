# What the load scripts share, sourced from the tree's top before
# tests/netns/lib.sh: the build they run, the hub's files, and the
# endpoints' many source addresses.

# load_build: BUILD as the caller names it (the suite's build, used as
# it is), else build-release, set up and built here.
load_build() {
	if [ -z "${BUILD:-}" ]; then
		BUILD=build-release
		[ -f "$BUILD/build.ninja" ] ||
		    meson setup "$BUILD" --buildtype=release >/dev/null
		ninja -C "$BUILD" >/dev/null
	fi
}

# load_hub_files: the hub's key, and the groups and mode its file and
# the users file need to be read by vland and vland-auth (once both
# are written).
load_hub_files() {
	[ -f "$T/etc/hub.key" ] || "$VLANCTL" genkey "$T/etc/hub.key" >/dev/null
	chgrp _vland "$HUBCFG"
	chgrp _vland-auth "$T/etc/users"
	chmod 640 "$T/etc/users" "$HUBCFG"
}

# load_sources: 240 more addresses on a's side (10.99.1.10 to .249),
# which vlogin -a and initflood -a take in turn.
load_sources() {
	_i=10
	while [ "$_i" -lt 250 ]; do
		ip -n "$NS-a" addr add "10.99.1.$_i/24" dev vla
		_i=$((_i + 1))
	done
}
