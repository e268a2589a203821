#!/bin/sh
# Long fuzz runs: every target for SECONDS (default 600) each, from the
# same seeds as the test suite. Needs a build with -Dfuzz=true
# (scripts/test.sh makes one in build-test). Prints exec counts.
#   sh tests/fuzz/long.sh [SECONDS] [BUILDDIR]
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-600}
b=${2:-build-test}
for t in "$b"/tests/fuzz/fuzz_*; do
	name=${t##*/fuzz_}
	case $name in
	config) seeds="tests/config/good tests/config/bad" ;;
	*) seeds="tests/fuzz/corpus/$name" ;;
	esac
	[ -d "tests/fuzz/corpus/$name" ] || [ "$name" = config ] || continue
	echo "== $name, ${secs}s"
	# shellcheck disable=SC2086
	sh tests/fuzz/run.sh "$t" "$secs" $seeds 2>&1 |
		grep -E "number_of_executed_units|ERROR|SUMMARY" || true
done
