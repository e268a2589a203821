#!/bin/sh
# Install what is missing, build, and run the main job.
# Today the main job checks the shipped example configurations and prints
# them normalised; it becomes the namespace demo (a hub and two endpoints
# pinging each other) as soon as the daemon runs.
set -eu
cd "$(dirname "$0")/.."

sh scripts/setup-deps.sh

builddir=build
[ -f "$builddir/build.ninja" ] || meson setup "$builddir" >/dev/null
ninja -C "$builddir" >/dev/null

for f in etc/vland.yaml etc/endpoint.yaml; do
	echo "== vland -nv -f $f"
	"$builddir/daemons/vland/vland" -nv -f "$f"
done
