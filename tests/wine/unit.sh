#!/bin/sh
# The tests of the win64 build (build-win/, made by scripts/windows.sh),
# run under wine by that build's own meson test (its cross file makes
# tests/wine/wine-run.sh the wrapper), and its zip's contents. Skipped
# (77) when there is no such build or no wine, so that a Linux-only
# checkout still passes; fails if any fails or none ran.
#   unit.sh BUILD_WIN
set -u
bw=$1
if [ ! -f "$bw/build.ninja" ]; then
	echo "SKIP: no win64 build in $bw (sh scripts/windows.sh makes it)"
	exit 77
fi
if ! command -v wine >/dev/null 2>&1; then
	echo "SKIP: wine is not installed"
	exit 77
fi
n=$(meson test -C "$bw" --list 2>/dev/null | grep -c ' / ')
if [ "$n" -eq 0 ]; then
	echo "FAIL: $bw has no tests"
	exit 1
fi
echo "$n win64 unit tests under wine"
meson test -C "$bw" --print-errorlogs --num-processes 2 || exit 1
# scripts/windows.sh packs what builds with the README that says what it is.
for f in vland.exe vlanctl.exe README-windows.txt examples/endpoint.yaml; do
	python3 -m zipfile -l "$bw/vland-windows.zip" 2>/dev/null |
		grep -q "^vland-windows/$f " ||
		{ echo "FAIL: $bw/vland-windows.zip lacks $f"; exit 1; }
done
echo "vland-windows.zip holds vland.exe, vlanctl.exe, the README and the examples"
# The Windows endpoint's example is a configuration vland.exe takes as
# it is (CR LF line ends, a pipe for control:, log-file).
ex=$(mktemp -d)
trap 'rm -rf "$ex"' EXIT
python3 -m zipfile -e "$bw/vland-windows.zip" "$ex" || exit 1
here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "$ex/vland-windows" && WINEPREFIX="$bw/wineprefix" \
	"$here/wine-run.sh" ./vland.exe -N -f examples/endpoint.yaml 2>&1)
case $out in
*"configuration OK"*) echo "examples/endpoint.yaml: vland.exe -N takes it" ;;
*) echo "FAIL: vland.exe -N refuses examples/endpoint.yaml: $out"; exit 1 ;;
esac
