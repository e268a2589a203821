#!/bin/sh
# Run a command inside a fresh network namespace of its own, removed on
# exit whatever happens. Namespaces are named vlt-<test>-<pid>.
#   in-netns.sh NAME COMMAND [ARG...]
set -u
[ "$(id -u)" -eq 0 ] || { echo "needs root"; exit 77; }
ns="vlt-$1-$$"
shift
ip netns add "$ns" || exit 1
trap 'ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null; ip netns del "$ns" 2>/dev/null' EXIT INT TERM
ip -n "$ns" link set lo up
# The daemons' seccomp filters kill LeakSanitizer's exit-time check (it
# clones and ptraces): sanitizer builds check leaks in the unit tests.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
# vland-ifmgr opens /dev/net/tun as its own user: Debian's udev makes it
# 0666. Where the machine's node is tighter, the test gets a 0666 node
# of its own in a private mount namespace (tests/netns/lib.sh).
if [ "$(stat -c %a /dev/net/tun)" != 666 ]; then
	node=$(mktemp -u /tmp/vland-tun.XXXXXX)
	mknod -m 666 "$node" c 10 200 || exit 1
	trap 'rm -f "$node"; ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null; ip netns del "$ns" 2>/dev/null' EXIT INT TERM
	ip netns exec "$ns" unshare -m sh -c \
	    'mount --bind "$0" /dev/net/tun && exec "$@"' "$node" "$@"
	exit $?
fi
ip netns exec "$ns" "$@"
