#!/bin/sh
# Every C source and header of the tree is as .clang-format describes:
# a change that is not formatted fails here, so the style never drifts.
# Fix with: clang-format -i FILE (scripts/format.sh does the whole tree).
#   format.sh SRCDIR
set -u
src=$1
cd "$src" || exit 1
command -v clang-format >/dev/null || { echo "FAIL clang-format is not installed"; exit 1; }
n=0
bad=0
for f in $(find common platform proto daemons tests -name '*.[ch]' | sort); do
	n=$((n + 1))
	if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
		echo "FAIL $f is not formatted (clang-format -i $f; diff follows)"
		clang-format "$f" | diff -u "$f" - | head -20
		bad=$((bad + 1))
	fi
done
[ "$n" -gt 100 ] || { echo "FAIL only $n files found under $src"; exit 1; }
echo "$n files checked, $bad not formatted"
[ "$bad" -eq 0 ]
