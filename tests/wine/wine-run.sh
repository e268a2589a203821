#!/bin/sh
# Runs a win64 .exe under wine, headless, for meson (the exe_wrapper of
# scripts/cross/x86_64-w64-mingw32.txt): the unit tests of build-win and
# meson's own compiler check. WINEPREFIX must be set (scripts/windows.sh
# and build-win's test setup point it into build-win/), so that no run
# touches ~/.wine; the prefix is made on first use, once, under a lock.
#   wine-run.sh PROGRAM.exe [ARGS...]
set -eu
: "${WINEPREFIX:?wine-run.sh: WINEPREFIX is not set}"
export WINEPREFIX
# No debug channels, no display: the tests write to stdout only.
export WINEDEBUG=-all
unset DISPLAY WAYLAND_DISPLAY
if [ ! -f "$WINEPREFIX/system.reg" ]; then
	mkdir -p "$WINEPREFIX"
	(
		flock 9
		# wineserver -w: the registry is written when the server exits.
		[ -f "$WINEPREFIX/system.reg" ] ||
			{ wineboot -i >/dev/null 2>&1 && wineserver -w; }
	) 9>"$WINEPREFIX.lock"
fi
exec wine "$@"
