#!/bin/sh
# The cost of one process waking another on this machine (wakeup.c):
# the floor under vland's added latency, since a ping through vland
# wakes a vland process five times where the bare path wakes none.
# No network, no root needed.
#   sh tests/bench/wakeup.sh [ROUNDS]
set -eu
cd "$(dirname "$0")/../.."
b=${BUILDDIR:-build-bench}
mkdir -p "$b"
${CC:-cc} -std=c11 -O2 -Wall -Wextra -Werror -o "$b/wakeup" tests/bench/wakeup.c
"$b/wakeup" "${1:-2000}"
