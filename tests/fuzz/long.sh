#!/bin/sh
# Long fuzz runs: every target (or those named) for SECONDS (default
# 600) each, one after the other, from the same seeds as the test suite.
# Needs a build with -Dfuzz=true (scripts/test.sh makes one in
# build-test). Ends with one line per target: executions and result.
# Full logs, with the input of any crash in hex, stay in LOGDIR.
#   sh tests/fuzz/long.sh [SECONDS] [BUILDDIR] [TARGET...]
#   e.g. sh tests/fuzz/long.sh 600 build-fuzz wire peermsg
# FUZZ_TIMEOUT (seconds, default 10) is libFuzzer's per-input limit: raise
# it when the machine is busy with other work, or a starved run reports
# a timeout that is not the input's. FUZZ_RSS (MB, default 2048) is its
# memory limit. Long runs keep no allocation stacks
# (ASAN_OPTIONS=malloc_context_size=0 unless ASAN_OPTIONS is set): with
# them, the handshake target grew by about 190 MB per million executions
# (ASan's stack depot; the same harness built without ASan stays at 6 MB)
# and slowed down as it grew; without them it stays at about 430 MB.
# A crash found this way replays with full stacks through run.sh or the
# target itself. FUZZ_ARGS passes more libFuzzer flags to each target:
# the handshake messages are short, and with -max_len=512 its inputs
# stay short and its rate with them.
set -eu
export ASAN_OPTIONS="${ASAN_OPTIONS:-malloc_context_size=0}"
cd "$(dirname "$0")/../.."
secs=${1:-600}
b=${2:-build-test}
if [ $# -ge 2 ]; then shift 2; else set --; fi
logs=${LOGDIR:-$(mktemp -d)}
mkdir -p "$logs"

if [ $# -eq 0 ]; then
	for t in "$b"/tests/fuzz/fuzz_*; do
		[ -x "$t" ] && set -- "$@" "${t##*/fuzz_}"
	done
fi
[ $# -gt 0 ] || { echo "no fuzz targets in $b/tests/fuzz" >&2; exit 1; }

summary=""
failed=0
for name in "$@"; do
	t="$b/tests/fuzz/fuzz_$name"
	case $name in
	config) seeds="tests/config/good tests/config/bad" ;;
	*) seeds="tests/fuzz/corpus/$name" ;;
	esac
	log="$logs/$name.log"
	echo "== $name, ${secs}s, log $log"
	rc=0
	# shellcheck disable=SC2086
	sh tests/fuzz/run.sh "$t" "$secs" $seeds >"$log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	# A crash may end the run before the final stats: the last status line.
	[ -n "$execs" ] ||
		execs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$log" | tail -1)
	if [ "$rc" -eq 0 ]; then
		result=ok
	else
		result="FAILED (exit $rc)"
		failed=$((failed + 1))
		# The report: sanitizer or libFuzzer error, stack, input.
		sed -n '/ERROR\|deadly signal\|runtime error/,$p' "$log" |
		    head -120
	fi
	rate='?'
	[ -n "$execs" ] && [ "$secs" -gt 0 ] && rate=$((execs / secs))
	line=$(printf '%-10s %12s execs in %ss (%s/s)  %s' "$name" \
	    "${execs:-?}" "$secs" "$rate" "$result")
	echo "$line"
	summary="$summary$line
"
done
echo "== summary"
printf '%s' "$summary"
[ "$failed" -eq 0 ]
