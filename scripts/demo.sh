#!/bin/sh
# Install what is missing, build, and run the main job: a hub and two
# endpoints in network namespaces of their own, pinging each other
# through the hub, then `vlanctl show endpoints` on the hub. Everything
# it creates is removed when it ends.
set -eu
cd "$(dirname "$0")/.."

sh scripts/setup-deps.sh

[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null

set +e
BUILD=build TESTNAME=demo
. tests/netns/lib.sh

echo "== hub (namespace $NS-hub) and endpoints alice ($NS-a), bob ($NS-b)"
vl_standard
vl_start a "$T/etc/a.yaml" "$T/a.log"
vl_start b "$T/etc/b.yaml" "$T/b.log"
if ! wait_for 15 has_addr a vl0 || ! wait_for 15 has_addr b vl0; then
	echo "demo: the endpoints did not come up; logs:"
	tail -n 20 "$T"/*.log
	exit 1
fi
A=$(ep_ip a)
B=$(ep_ip b)
echo "== alice is $A, bob is $B, the hub is 192.168.123.254"
echo "== alice pings bob"
ip netns exec "$NS-a" ping -c 3 -i 0.3 "$B" || FAILS=1
echo "== bob pings alice"
ip netns exec "$NS-b" ping -c 3 -i 0.3 "$A" || FAILS=1
echo "== alice pings the hub"
ip netns exec "$NS-a" ping -c 2 -i 0.3 192.168.123.254 || FAILS=1
echo "== vlanctl show endpoints (on the hub)"
hubctl show endpoints
echo "== vlanctl show status (on alice's endpoint)"
ip netns exec "$NS-a" "$VLANCTL" -s "$T/a.sock" show status
[ "$FAILS" -eq 0 ] && echo "== demo OK"
exit "$FAILS"
