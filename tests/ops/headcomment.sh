#!/bin/sh
# Every C source and header of the tree opens with a comment that says
# what the file is for, so that a reader learns why it exists before
# reading how. This checks only that the first line starts a comment;
# whether the comment is true is left to review.
#   headcomment.sh SRCDIR
set -u
src=$1
cd "$src" || exit 1
n=0
bad=0
for f in $(find common platform proto daemons tests -name '*.[ch]' | sort); do
	n=$((n + 1))
	case $(head -n 1 "$f") in
	'/*'* | '//'*) ;;
	*)
		echo "FAIL $f does not start with a comment saying what it is for"
		bad=$((bad + 1))
		;;
	esac
done
[ "$n" -gt 100 ] || { echo "FAIL only $n files found under $src"; exit 1; }
echo "$n files checked, $bad without a head comment"
[ "$bad" -eq 0 ]
