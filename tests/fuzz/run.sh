#!/bin/sh
# Run one libFuzzer target for a while from its seed corpus.
#   run.sh TARGET SECONDS SEEDDIR...
# New inputs go to a scratch corpus so the repository stays clean; any
# crash, leak or timeout fails the run and leaves its input in the log.
# FUZZ_ARGS: more libFuzzer flags (e.g. -max_len=512).
set -u
target=$1 secs=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
# -error_exitcode: libFuzzer's own default, 77, is what meson counts as
# a skipped test, so a crash would pass for a skip.
"$target" -max_total_time="$secs" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb="${FUZZ_RSS:-2048}" \
	-error_exitcode=1 \
	-print_final_stats=1 -artifact_prefix="$work/" ${FUZZ_ARGS:-} \
	"$work/corpus" "$@"
rc=$?
for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
	[ -e "$a" ] || continue
	echo "artifact $a:"
	od -A d -t x1 "$a" | head -40
done
exit $rc
