#!/bin/sh
# vland -n (and -N) warns about what a valid configuration may still get wrong:
# a nexthop that names no user, one that looks like SERVER or like an
# address, and forwarding off (IPv4, or IPv6 for IPv6 routes) where
# routes go through the host; nat: out of an interface that is not
# there, or with forwarding off. The
# configuration still checks (exit 0).
#   lint.sh VLAND
set -u
vland=$1
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
printf 'alice:%s\n' "$(mkpasswd -m yescrypt pw)" >"$t/users"
cat >"$t/vland.yaml" <<CFG
ip: 192.168.123.254/24
dhcp-range: 192.168.123.100-192.168.123.200
routes:
  - cidr: 10.1.0.0/24
    nexthop: alice
  - cidr: 10.2.0.0/24
    nexthop: server
  - cidr: 10.3.0.0/24
    nexthop: 192.168.123.10
  - cidr: 10.4.0.0/24
    nexthop: ghost
CFG
"$vland" -N -f "$t/vland.yaml" >"$t/out" 2>&1
rc=$?
fails=0
check() {
	if grep -q "$2" "$t/out"; then echo "ok   $1"; else echo "FAIL $1"; fails=$((fails + 1)); fi
}
[ $rc -eq 0 ] && echo "ok   the configuration still checks" || { echo "FAIL exit $rc"; fails=1; }
check "nexthop server: did you mean SERVER?" "route 10.2.0.0/24: nexthop server is a user name; did you mean SERVER?"
check "nexthop an address: says what a nexthop is" "route 10.3.0.0/24: nexthop 192.168.123.10 is an address; a nexthop is SERVER or a user's name"
check "nexthop ghost: no such user" "route 10.4.0.0/24: nexthop ghost is no user of $t/users"
if grep -q "nexthop alice" "$t/out"; then echo "FAIL a known user is warned about"; fails=$((fails + 1)); else echo "ok   a known user is not warned about"; fi
if [ "$(cat /proc/sys/net/ipv4/ip_forward)" = 0 ]; then
	check "forwarding off is said" "IPv4 forwarding is off here"
fi
# IPv6 routes: the same nexthop warnings, and IPv6 forwarding, not IPv4,
# is what a set of IPv6 routes alone needs.
cat >"$t/v6.yaml" <<CFG
ip: 192.168.123.254/24
ip6: fd00:7b::1/64
dhcp-range: 192.168.123.100-192.168.123.200
routes:
  - cidr: fd00:5::/64
    nexthop: alice
  - cidr: fd00:6::/64
    nexthop: ghost
CFG
"$vland" -N -f "$t/v6.yaml" >"$t/out" 2>&1
rc=$?
[ $rc -eq 0 ] && echo "ok   IPv6 routes check" || { echo "FAIL IPv6 routes: exit $rc"; cat "$t/out"; fails=$((fails + 1)); }
check "IPv6 route, nexthop ghost: no such user" "route fd00:6::/64: nexthop ghost is no user of $t/users"
if grep -q "IPv4 forwarding" "$t/out"; then echo "FAIL IPv4 forwarding said for IPv6 routes alone"; fails=$((fails + 1)); else echo "ok   IPv4 forwarding not said for IPv6 routes alone"; fi
if [ "$(cat /proc/sys/net/ipv6/conf/all/forwarding)" = 0 ]; then
	check "IPv6 forwarding off is said" "IPv6 forwarding is off here (sysctl net.ipv6.conf.all.forwarding=1)"
fi
# nat: the interface must exist (lo does, a made-up name does not), and
# forwarding be on, even with no routes.
cat >"$t/nat.yaml" <<CFG
ip: 192.168.123.254/24
dhcp-range: 192.168.123.100-192.168.123.200
users: $t/users
nat: vl-nosuchif0
CFG
"$vland" -N -f "$t/nat.yaml" >"$t/out" 2>&1
rc=$?
[ $rc -eq 0 ] && echo "ok   nat checks" || { echo "FAIL nat: exit $rc"; cat "$t/out"; fails=$((fails + 1)); }
check "nat: a missing interface is said" "nat: no interface vl-nosuchif0 here"
if [ "$(cat /proc/sys/net/ipv4/ip_forward)" = 0 ]; then
	check "nat: forwarding off is said" "nat: IPv4 forwarding is off here"
fi
sed -i 's/^nat: .*/nat: lo/' "$t/nat.yaml"
"$vland" -N -f "$t/nat.yaml" >"$t/out" 2>&1
if grep -q "no interface" "$t/out"; then echo "FAIL nat: an existing interface is warned about"; fails=$((fails + 1)); else echo "ok   nat: an existing interface is not warned about"; fi
[ "$fails" -eq 0 ]
