# Shared set-up for the namespace tests and the demo (sourced, POSIX sh).
#
# Topology: namespaces $NS-hub, $NS-a, $NS-b; veth a<->hub (10.99.1.0/24)
# and b<->hub (10.99.2.0/24); the hub does not forward between them, so
# everything a and b exchange goes through vland. Everything is removed
# on exit.
#
# Needs: BUILD (the meson build directory). Sets: NS, T (temp dir), HUBCFG.

[ "$(id -u)" -eq 0 ] || { echo "needs root"; exit 77; }
: "${BUILD:?BUILD must name the build directory}"
BUILD=$(cd "$BUILD" && pwd)
VLAND=$BUILD/daemons/vland/vland
VLANCTL=$BUILD/daemons/vlanctl/vlanctl
# Each vland writes there the state transitions it takes (a checked
# build), for fsm-coverage at the end of the run (scripts/test.sh).
[ -d "$BUILD/fsm-trace" ] && export VLAND_FSM_TRACE="$BUILD/fsm-trace"
NS=vlt-${TESTNAME:-t}-$$
T=$(mktemp -d /tmp/vland-test.XXXXXX)
chmod 755 "$T"
mkdir -p "$T/libexec" "$T/etc"
ln -s "$BUILD/daemons/vland-ifmgr/vland-ifmgr" "$T/libexec/vland-ifmgr"
ln -s "$BUILD/daemons/vland-auth/vland-auth" "$T/libexec/vland-auth"
export VLAND_LIBEXEC="$T/libexec"
# Sanitizer builds: a daemon that cannot ptrace itself after dropping
# privileges, and whose seccomp filter forbids ptrace and clone,
# must not fail on the leak check at exit.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
# Tests count log lines: every one of them, none folded into "last
# message repeated" (tests/unit/common/test_log.c tests the folding).
export VLAND_LOG_EVERY_LINE=1
HUBCFG=$T/etc/vland.yaml
PIDS=""

# vland-ifmgr runs as _vland-ifmgr and opens /dev/net/tun as that user,
# which Debian's udev makes mode 0666. Where the machine's node is
# tighter (some containers), the daemons get a 0666 node of their own,
# bound over /dev/net/tun in a private mount namespace; the machine's
# node is never changed.
if [ "$(stat -c %a /dev/net/tun)" != 666 ]; then
	mknod -m 666 "$T/tun" c 10 200
	cat >"$T/vland" <<WRAP
#!/bin/sh
exec unshare -m sh -c 'mount --bind "\$0" /dev/net/tun && exec "\$@"' \
    "$T/tun" "$VLAND" "\$@"
WRAP
	chmod 755 "$T/vland"
	VLAND=$T/vland
fi

vl_cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	sleep 0.3
	for n in hub a b c n1 n2 srv; do
		ip netns pids "$NS-$n" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$NS-$n" 2>/dev/null
	done
	rm -rf "$T"
}
trap vl_cleanup EXIT INT TERM

# vl_veth NS1 IF1 NS2 IF2: a veth pair made straight inside two of our
# namespaces. Never in the machine's own namespace, even for a moment:
# tests run two at a time, and the same names there would collide.
vl_veth() {
	ip link add "$2" netns "$NS-$1" type veth peer name "$4" netns "$NS-$3"
}

vl_topology() {
	for n in hub a b; do
		ip netns add "$NS-$n"
		ip -n "$NS-$n" link set lo up
	done
	vl_veth a vla hub vlha
	vl_veth b vlb hub vlhb
	ip -n "$NS-a" addr add 10.99.1.2/24 dev vla
	ip -n "$NS-a" link set vla up
	ip -n "$NS-hub" addr add 10.99.1.1/24 dev vlha
	ip -n "$NS-hub" link set vlha up
	ip -n "$NS-b" addr add 10.99.2.2/24 dev vlb
	ip -n "$NS-b" link set vlb up
	ip -n "$NS-hub" addr add 10.99.2.1/24 dev vlhb
	ip -n "$NS-hub" link set vlhb up
	ip netns exec "$NS-hub" sysctl -qw net.ipv4.ip_forward=0
}

# vl_hub_config [extra yaml lines]; RANGE replaces the default pool.
vl_hub_config() {
	cat >"$HUBCFG" <<CFG
port: 6123
ip: 192.168.123.254/24
dhcp-range: ${RANGE:-192.168.123.100-192.168.123.200}
bridge: br-vlt
private-key: hub.key
users: users
keepalive: ${KEEPALIVE:-2}
timeout: ${TIMEOUT:-6}
control: $T/hub.sock
log-level: debug
${1:-}
CFG
	[ -f "$T/etc/hub.key" ] || "$VLANCTL" genkey "$T/etc/hub.key"
	touch "$T/etc/users"
	chgrp _vland "$HUBCFG"
	chgrp _vland-auth "$T/etc/users"
	chmod 640 "$T/etc/users" "$HUBCFG"
}

# vl_user NAME PASSWORD [FIXED-ADDRESS]
vl_user() {
	printf '%s:%s%s\n' "$1" "$(mkpasswd -m yescrypt "$2")" "${3:+:$3}" \
	    >>"$T/etc/users"
}

# vl_ep_config NAME USER PASSWORD [extra connect lines]
vl_ep_config() {
	cat >"$T/etc/$1.yaml" <<CFG
connect:
  server: ${SERVER:-10.99.1.1}:6123
  server-key: $("$VLANCTL" pubkey "$T/etc/hub.key")
  user: $2
  password: "$3"
  interface: vl0
${4:-}
control: $T/$1.sock
log-level: debug
CFG
}

# vl_start NS-SUFFIX CONFIG LOG: a daemon in the foreground, logging to LOG.
vl_start() {
	# shellcheck disable=SC2086
	ip netns exec "$NS-$1" "$VLAND" ${VL_FLAGS:--d -v} -f "$2" >"$3" 2>&1 &
	PIDS="$PIDS $!"
	LASTPID=$!
}

# wait_for SECONDS COMMAND...: poll until COMMAND succeeds (ms clock).
wait_for() {
	_end=$(($(date +%s%3N) + $1 * 1000))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s%3N)" -lt "$_end" ] || return 1
		sleep 0.1
	done
}

has_addr() { ip -n "$NS-$1" -4 addr show dev "$2" 2>/dev/null | grep -q inet; }

FAILS=0
# check DESCRIPTION COMMAND...: run COMMAND, report ok/FAIL.
check() {
	_what=$1
	shift
	if "$@" >/dev/null 2>&1; then
		echo "ok   $_what"
	else
		echo "FAIL $_what"
		FAILS=$((FAILS + 1))
	fi
}

# The address the pool gives USER: an independent FNV-1a 32 computation
# over the default test pool 192.168.123.100-200.
fnv_addr() {
	python3 -c '
import sys
h = 2166136261
for c in sys.argv[1].encode():
    h = ((h ^ c) * 16777619) & 0xffffffff
print("192.168.123.%d" % (100 + h % 101))' "$1"
}

# v6_of V4 PREFIX6: an endpoint's IPv6 address (vland.yaml(5) ip6),
# computed independently: the prefix's network plus the IPv4 as a number.
v6_of() {
	python3 -c '
import ipaddress, sys
n = ipaddress.IPv6Network(sys.argv[2], strict=False)
print(n.network_address + int(ipaddress.IPv4Address(sys.argv[1])))' "$1" "$2"
}
ep_ip6() { ip -n "$NS-$1" -6 -o addr show dev "${2:-vl0}" scope global 2>/dev/null | awk '{print $4}' | cut -d/ -f1; }
ping6ok() { ip netns exec "$NS-$1" ping -6 -c 1 -W 2 "$2"; }
ep_ip() { ip -n "$NS-$1" -4 -o addr show dev "${2:-vl0}" 2>/dev/null | awk '{print $4}' | cut -d/ -f1; }
ep_mac() { ip -n "$NS-$1" -o link show dev "${2:-vl0}" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'; }
hubctl() { ip netns exec "$NS-hub" "$VLANCTL" -s "$T/hub.sock" "$@"; }
pingok() { ip netns exec "$NS-$1" ping -c 1 -W 2 "$2"; }
hub_has_link() { ip -n "$NS-hub" link show "$1"; }
link_in() { ip -n "$NS-$1" link show "$2"; }
no_link_in() { ! ip -n "$NS-$1" link show "$2"; }
logged_in() { hubctl -j show endpoints | grep -q "\"user\":\"$1\""; }
not_logged_in() { ! logged_in "$1"; }
alive() { kill -0 "$1"; }
dead() { ! kill -0 "$1"; }

# The standard hub with users alice and bob, and endpoints a and b.
vl_standard() {
	vl_topology
	vl_hub_config "${1:-}"
	vl_user alice alicepw
	vl_user bob bobpw
	vl_user carol carolpw
	vl_ep_config a alice alicepw
	SERVER=10.99.2.1 vl_ep_config b bob bobpw
	vl_start hub "$HUBCFG" "$T/hub.log"
	HUBPID=$LASTPID
	wait_for 10 ip -n "$NS-hub" link show br-vlt || true
}

# Endpoints a and b of vl_standard, started (APID, BPID) and addressed.
vl_endpoints_up() {
	vl_start a "$T/etc/a.yaml" "$T/a.log"
	APID=$LASTPID
	vl_start b "$T/etc/b.yaml" "$T/b.log"
	BPID=$LASTPID
	wait_for 15 has_addr a vl0
	wait_for 15 has_addr b vl0
}

vl_finish() {
	if [ "$FAILS" -ne 0 ]; then
		for f in "$T"/*.log; do
			echo "==== $f"
			tail -40 "$f"
		done
	fi
	[ "$FAILS" -eq 0 ]
	exit $?
}
