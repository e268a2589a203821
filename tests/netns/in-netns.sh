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
ip netns exec "$ns" "$@"
