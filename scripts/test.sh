#!/bin/sh
# Install what is missing, build with ASan+UBSan (clang, so the libFuzzer
# targets build too) and run the whole test suite. Ends with the line
# "N passed, N failed" counted from meson's test log.
set -eu
cd "$(dirname "$0")/.."

sh scripts/setup-deps.sh --test

# gcc at -O3 warns about things clang at -O2 does not; a release build
# that does not compile fails the run before any test.
[ -f build-release/build.ninja ] ||
	CC=gcc meson setup build-release --buildtype=release >/dev/null
ninja -C build-release >/dev/null

# The win64 build (issue #19): the suite "wine" runs its unit tests under
# wine. Its libraries come from a cache outside the tree, so only the
# first run on a machine builds them (a few minutes); later runs, and
# CI's clean copies, take seconds.
sh scripts/windows.sh

builddir=build-test
if [ -f "$builddir/build.ninja" ]; then
	meson setup --reconfigure "$builddir" -Dsanitize=true -Dfuzz=true >/dev/null
else
	CC=clang meson setup "$builddir" -Dsanitize=true -Dfuzz=true >/dev/null
fi
ninja -C "$builddir"

rm -f "$builddir/meson-logs/testlog.json"
# Where the namespace tests' daemons note their state transitions, for
# the fsm-coverage test that runs last.
rm -rf "$builddir/fsm-trace"
mkdir -m 1777 "$builddir/fsm-trace"
# Namespace tests are heavy; two at a time suits a 2-core machine.
meson test -C "$builddir" --print-errorlogs --num-processes 2 "$@" || true
exec python3 scripts/count-results.py "$builddir/meson-logs/testlog.json"
