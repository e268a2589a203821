#!/bin/sh
# Cross-build vland's Windows (win64) pieces on Debian 12, as root, in one
# command (issue #19): install the mingw-w64 toolchain and wine if they
# are missing, build OpenSSL 3, libevent 2.1, libyaml, cmocka and
# jansson for win64 from Debian's source packages into a cache outside the tree
# (reused when the version is there, so a warm run builds none of them),
# configure build-win/ with the meson cross file and build it, and pack
# build-win/vland-windows.zip.
#
#   VLAND_WIN_CACHE    the cache (default /var/cache/vland-win)
#   windows.sh --deps  stop after the libraries (no build-win/)
#
# Debian ships no mingw builds of those libraries, hence the cache. A
# source package is unpacked with its Debian patches when its .dsc can
# be fetched; when it cannot (the security pocket has answered 404 for
# openssl's .dsc while its .orig.tar.gz downloaded) the upstream tarball
# is built as it is and the cache says so in its SOURCE file.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
cache=${VLAND_WIN_CACHE:-/var/cache/vland-win}
host=x86_64-w64-mingw32
jobs=$(nproc)
say() { echo "windows.sh: $*"; }

# --- tools --------------------------------------------------------------
# cmake builds libevent, libyaml and cmocka (their Debian sources have
# no configure script, or one that Debian's patches make automake
# rerun); wine runs the tests; zip packs the result.
PKGS="gcc-mingw-w64-x86-64-win32 binutils-mingw-w64-x86-64 mingw-w64-tools \
wine wine64 zip cmake make dpkg-dev meson ninja-build pkg-config perl \
xz-utils util-linux"
need=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		need="$need $p"
done
if [ -n "$need" ]; then
	say "installing:$need"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

# --- sources ------------------------------------------------------------
# The newest version apt knows of a source package ("" if deb-src is off).
srcver() {
	apt-cache showsrc "$1" 2>/dev/null | sed -n 's/^Version: //p' |
		sort -V | tail -n 1
}

# apt-get source needs deb-src lines: add them beside the system's own
# (same mirrors and suites), once.
if [ -z "$(srcver libyaml)" ]; then
	list=/etc/apt/sources.list.d/vland-deb-src.sources
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		sed 's/^Types:.*/Types: deb-src/' \
			/etc/apt/sources.list.d/debian.sources >"$list"
	else
		cat >"$list" <<-EOF
			Types: deb-src
			URIs: http://deb.debian.org/debian
			Suites: bookworm bookworm-updates
			Components: main
			Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

			Types: deb-src
			URIs: http://deb.debian.org/debian-security
			Suites: bookworm-security
			Components: main
			Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
		EOF
	fi
	say "enabled deb-src in $list"
	apt-get update -qq
fi

# unpack PKG VERSION DIR: the source of PKG into DIR (created), Debian's
# patches applied when the .dsc of VERSION, or of an older version, can
# be had; else the newest upstream tarball that downloaded. Writes
# DIR/SOURCE saying which.
unpack() {
	pkg=$1 ver=$2 dir=$3
	dl="$cache/download/$pkg"
	mkdir -p "$dl"
	for v in $(apt-cache showsrc "$pkg" | sed -n 's/^Version: //p' |
		sort -rV | uniq); do
		# The _apt user cannot write to the cache; download as root.
		(cd "$dl" && apt-get source -qq --download-only \
			-o APT::Sandbox::User=root "$pkg=$v" >/dev/null 2>&1) || true
		dsc=$(ls "$dl/${pkg}_$(echo "$v" | sed 's/^[0-9]*://').dsc" 2>/dev/null || true)
		if [ -n "$dsc" ] && (cd "$dl" && dpkg-source -q --no-check \
			-x "$dsc" "$dir.tmp" >/dev/null 2>&1); then
			mv "$dir.tmp" "$dir"
			echo "Debian source package $pkg $v" >"$dir/SOURCE"
			return 0
		fi
		rm -rf "$dir.tmp"
		orig=$(ls "$dl/${pkg}_"*.orig.tar.* 2>/dev/null |
			grep -v '\.asc$' | sort -V | tail -n 1 || true)
		if [ -n "$orig" ]; then
			mkdir -p "$dir.tmp"
			tar -xf "$orig" -C "$dir.tmp" --strip-components=1
			mv "$dir.tmp" "$dir"
			echo "upstream tarball $(basename "$orig") (the .dsc of $pkg $v could not be fetched: Debian's patches not applied)" >"$dir/SOURCE"
			return 0
		fi
	done
	say "no source for $pkg (is deb-src enabled?)" >&2
	return 1
}

# A cmake toolchain for the two cmake-built libraries.
toolchain="$cache/mingw64.cmake"
mkdir -p "$cache"
cat >"$toolchain.new" <<EOF
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_C_COMPILER $host-gcc)
set(CMAKE_RC_COMPILER $host-windres)
set(CMAKE_FIND_ROOT_PATH /usr/$host)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
EOF
mv "$toolchain.new" "$toolchain"

# Each build_X SRC PREFIX VERSION builds into PREFIX; it runs with its
# output in a log and in a test ("if !"), where set -e is off: hence the
# && chains.
build_openssl() {
	(cd "$1" && ./Configure mingw64 no-shared no-tests no-legacy \
		no-engine no-dso --cross-compile-prefix=$host- \
		--prefix="$2" --libdir=lib &&
		make -j"$jobs" build_libs && make install_dev)
}
# cmake, not libevent's configure: Debian's patches change Makefile.am,
# which would have make rerun automake. The pkg-config file is written
# here with the Windows libraries libevent calls (sockets, adapters).
build_libevent() {
	cmake -S "$1" -B "$1/b" -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
		-DCMAKE_INSTALL_PREFIX="$2" -DEVENT__LIBRARY_TYPE=STATIC \
		-DEVENT__DISABLE_OPENSSL=ON -DEVENT__DISABLE_MBEDTLS=ON \
		-DEVENT__DISABLE_TESTS=ON -DEVENT__DISABLE_REGRESS=ON \
		-DEVENT__DISABLE_SAMPLES=ON -DEVENT__DISABLE_BENCHMARK=ON \
		-DEVENT__DISABLE_DEBUG_MODE=ON -DCMAKE_BUILD_TYPE=Release &&
		cmake --build "$1/b" -j "$jobs" &&
		cmake --install "$1/b" &&
		mkdir -p "$2/lib/pkgconfig" &&
		cat >"$2/lib/pkgconfig/libevent.pc" <<-EOF
			prefix=$2
			Name: libevent
			Description: event notification library (static, win64)
			Version: ${3%%-*}
			Cflags: -I\${prefix}/include
			Libs: -L\${prefix}/lib -levent -lws2_32 -liphlpapi -ladvapi32 -lshell32
		EOF
}
# libyaml's pkg-config file lacks the define that makes yaml.h declare
# its functions for a static library (not __declspec(dllimport)): write
# one that has it.
build_libyaml() {
	cmake -S "$1" -B "$1/b" -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
		-DCMAKE_INSTALL_PREFIX="$2" -DBUILD_SHARED_LIBS=OFF \
		-DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=Release &&
		cmake --build "$1/b" -j "$jobs" &&
		cmake --install "$1/b" &&
		mkdir -p "$2/lib/pkgconfig" &&
		cat >"$2/lib/pkgconfig/yaml-0.1.pc" <<-EOF
			prefix=$2
			Name: LibYAML
			Description: Library to parse and emit YAML (static, win64)
			Version: ${3%%-*}
			Cflags: -I\${prefix}/include -DYAML_DECLARE_STATIC
			Libs: -L\${prefix}/lib -lyaml
		EOF
}
# jansson, for vlanctl.exe's -j (show_json.c, as on Linux): static, no
# tests, docs or examples.
build_jansson() {
	cmake -S "$1" -B "$1/b" -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
		-DCMAKE_INSTALL_PREFIX="$2" -DJANSSON_BUILD_SHARED_LIBS=OFF \
		-DJANSSON_WITHOUT_TESTS=ON -DJANSSON_EXAMPLES=OFF \
		-DJANSSON_BUILD_DOCS=OFF -DCMAKE_BUILD_TYPE=Release &&
		cmake --build "$1/b" -j "$jobs" &&
		cmake --install "$1/b" &&
		mkdir -p "$2/lib/pkgconfig" &&
		cat >"$2/lib/pkgconfig/jansson.pc" <<-EOF
			prefix=$2
			Name: Jansson
			Description: Library for encoding, decoding and manipulating JSON data (static, win64)
			Version: ${3%%-*}
			Cflags: -I\${prefix}/include
			Libs: -L\${prefix}/lib -ljansson
		EOF
}
# cmocka builds a DLL unless told; the tests link its static library so
# that each .exe runs alone under wine. Its messages (%zu in vland's
# tests) go through mingw's C99 printf, as vland's do, so its header's
# format checks must be gnu_printf's, not Microsoft's "printf".
build_cmocka() {
	cmake -S "$1" -B "$1/b" -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
		-DCMAKE_INSTALL_PREFIX="$2" -DWITH_STATIC_LIB=ON \
		-DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF \
		-DCMAKE_C_FLAGS=-D__USE_MINGW_ANSI_STDIO=1 \
		-DCMAKE_BUILD_TYPE=Release &&
		cmake --build "$1/b" -j "$jobs" &&
		cmake --install "$1/b" &&
		sed -i 's/__format__ (__printf__,/__format__ (__gnu_printf__,/' \
			"$2/include/cmocka.h" &&
		mkdir -p "$2/lib/pkgconfig" &&
		cat >"$2/lib/pkgconfig/cmocka.pc" <<-EOF
			prefix=$2
			Name: cmocka
			Description: unit testing library (static, win64)
			Version: ${3%%-*}
			Cflags: -I\${prefix}/include
			Libs: \${prefix}/lib/libcmocka-static.a
		EOF
}

# dep PKG: the prefix of PKG's win64 build for apt's newest version,
# built first unless the cache has it.
dep() {
	pkg=$1
	ver=$(srcver "$pkg")
	[ -n "$ver" ] || { say "apt knows no source of $pkg" >&2; exit 1; }
	prefix="$cache/$pkg-$(echo "$ver" | tr ':~' '__')"
	if [ -f "$prefix/.done" ]; then
		eval "prefix_$2=\$prefix"
		return 0
	fi
	say "building $pkg $ver for win64"
	start=$(date +%s)
	rm -rf "$prefix" "$cache/src/$pkg"
	mkdir -p "$cache/src"
	unpack "$pkg" "$ver" "$cache/src/$pkg"
	cp "$cache/src/$pkg/SOURCE" "$cache/$pkg.SOURCE"
	# The libraries' own warnings are not ours: into a log, shown only
	# when the build fails.
	log="$cache/build-$pkg.log"
	if ! "build_$2" "$cache/src/$pkg" "$prefix" "$ver" >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		say "building $pkg failed (the whole log: $log)" >&2
		exit 1
	fi
	cp "$cache/src/$pkg/SOURCE" "$prefix/SOURCE"
	rm -rf "$cache/src/$pkg"
	touch "$prefix/.done"
	say "$pkg: $(cat "$prefix/SOURCE"), $(($(date +%s) - start)) s"
	eval "prefix_$2=\$prefix"
}

dep openssl openssl
dep libevent libevent
dep libyaml libyaml
dep cmocka cmocka
dep jansson jansson
[ "${1:-}" = --deps ] && exit 0

# --- build-win ----------------------------------------------------------
# The checked-in cross file takes its paths from the constants written
# here (meson reads the cross files in order; the later uses the
# earlier's constants).
bw=build-win
# The project's default build type, as the Linux test build's: the
# code's assert()s stay on under the tests (the zip's programs are
# stripped).
opts="--buildtype=debugoptimized"
mkdir -p "$bw"
cat >"$bw/paths.ini.new" <<EOF
# Written by scripts/windows.sh: where this machine keeps the win64
# libraries (scripts/cross/x86_64-w64-mingw32.txt uses these). Set up
# with: $opts
[constants]
srcdir = '$top'
openssl = '$prefix_openssl'
libevent = '$prefix_libevent'
libyaml = '$prefix_libyaml'
cmocka = '$prefix_cmocka'
jansson = '$prefix_jansson'
EOF
# The wine prefix of the tests (and of meson's check that the compiler's
# programs run), made here once so that no test waits for it.
export WINEPREFIX="$top/$bw/wineprefix" WINEDEBUG=-all
if [ ! -f "$WINEPREFIX/system.reg" ]; then
	say "making the wine prefix $WINEPREFIX"
	# wineserver -w: the registry is written when the server exits.
	wineboot -i >/dev/null 2>&1 && wineserver -w
fi
if [ -f "$bw/build.ninja" ] && cmp -s "$bw/paths.ini" "$bw/paths.ini.new"; then
	rm "$bw/paths.ini.new"
else
	mv "$bw/paths.ini.new" "$bw/paths.ini"
	rm -rf "$bw/meson-info" "$bw/meson-private" "$bw/build.ninja"
	meson setup "$bw" --cross-file "$bw/paths.ini" \
		--cross-file scripts/cross/x86_64-w64-mingw32.txt \
		$opts >"$bw/setup.log" 2>&1 ||
		{ tail -n 30 "$bw/setup.log" >&2; exit 1; }
fi
ninja -C "$bw" --quiet

# --- the zip ------------------------------------------------------------
# What builds for Windows (stripped), the example configuration and a
# README that says what this is, with CR LF line ends for Notepad.
z="$bw/zip/vland-windows"
rm -rf "$bw/zip" "$bw/vland-windows.zip"
mkdir -p "$z/examples"
for exe in daemons/vlanctl/vlanctl.exe daemons/vland/vland.exe; do
	if [ -f "$bw/$exe" ]; then
		$host-strip -o "$z/${exe##*/}" "$bw/$exe"
	fi
done
# The hub's example for reference (a hub runs on Linux), and a Windows
# endpoint's: its adapter, control pipe and log file.
cp etc/vland.yaml "$z/examples/"
sed 's/$/\r/' etc/endpoint-windows.yaml >"$z/examples/endpoint.yaml"
sed 's/$/\r/' doc/README-windows.txt >"$z/README-windows.txt"
(cd "$bw/zip" && zip -q -r -X ../vland-windows.zip vland-windows)
say "built $bw and $bw/vland-windows.zip (tests: meson test -C $bw)"
