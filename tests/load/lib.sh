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

# load_hub_many N MODE MAX-SESSIONS: a hub for N endpoints (a /16 of
# addresses, its own at the top), users load1 to loadN with the
# password loadpw (yescrypt at COST if set, else mkpasswd's default),
# the descriptors vlogin needs for N sockets, and the hub's files.
# The keys every load hub's configuration ends with: its key and users
# files, timers as TESTNAME's KEEPALIVE and TIMEOUT, control socket and
# log level.
load_hub_tail() {
	cat <<CFG
private-key: hub.key
users: users
keepalive: 10
timeout: 50
control: $T/hub.sock
log-level: info
CFG
}

load_hub_many() {
	cat >"$HUBCFG" <<CFG
port: 6123
mode: $2
ip: 10.77.255.254/16
dhcp-range: 10.77.0.1-10.77.255.250
$([ "$2" = tap ] && echo "bridge: br-vlt" || echo "interface: vl-hub")
max-sessions: $3
$(load_hub_tail)
CFG
	_hash=$(mkpasswd -m yescrypt ${COST:+-R "$COST"} loadpw)
	ulimit -n $(($1 + 1024)) 2>/dev/null || true
	_i=1
	while [ "$_i" -le "$1" ]; do
		printf 'load%d:%s\n' "$_i" "$_hash"
		_i=$((_i + 1))
	done >"$T/etc/users"
	load_hub_files
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
