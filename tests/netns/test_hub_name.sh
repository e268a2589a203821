#!/bin/sh
# The hub's name. An endpoint whose hub name does not resolve at start
# keeps trying, with a back-off, and connects once the name resolves,
# without a restart. With a list of servers it tries them in order: a
# name that does not resolve and an address that never answers are
# passed over for the next. Names are served by tests/netns/dnsstub.py
# on a's loopback, through a resolv.conf bound over /etc/resolv.conf in
# a private mount namespace (the machine's file is never touched); at
# the end, through one without a nameserver line, which means 127.0.0.1.
set -u
TESTNAME=hubname
. "$(dirname "$0")/lib.sh"

vl_standard
echo "nameserver 127.0.0.1" >"$T/resolv.conf"
: >"$T/names"
ip netns exec "$NS-a" python3 "$(dirname "$0")/dnsstub.py" 127.0.0.1 53 \
    "$T/names" &
PIDS="$PIDS $!"

# start_ep CONFIG LOG: an endpoint in a, resolving through the stub.
start_ep() {
	ip netns exec "$NS-a" unshare -m sh -c \
	    'mount --bind "$0" /etc/resolv.conf && exec "$@"' \
	    "$T/resolv.conf" "$VLAND" -d -v -f "$1" >"$2" 2>&1 &
	PIDS="$PIDS $!"
	LASTPID=$!
}

SERVER=hub.vland.test vl_ep_config a alice alicepw
start_ep "$T/etc/a.yaml" "$T/a.log"
APID=$LASTPID
check "an unknown hub name is said, with the resolver's words" wait_for 10 \
    grep -q "cannot resolve the hub hub.vland.test:6123: .*; reconnecting in" \
    "$T/a.log"
sleep 3
check "the endpoint keeps trying, backing off" [ "$(grep -c \
    'cannot resolve the hub' "$T/a.log")" -ge 2 ]
check "... and does not exit" alive "$APID"

echo "hub.vland.test 10.99.1.1" >"$T/names"
check "once the name resolves, the endpoint logs in without a restart" \
    wait_for 20 logged_in alice
check "... as the same process" alive "$APID"
check "... and says to which hub" grep -q \
    "logged in to hub.vland.test:6123 as alice" "$T/a.log"
check "show status names the hub as configured" sh -c \
    "ip netns exec $NS-a $VLANCTL -s $T/a.sock show status | grep -q hub.vland.test:6123"
check "alice pings the hub" wait_for 5 pingok a 192.168.123.254
kill "$APID"
check "alice leaves" wait_for 10 not_logged_in alice

# A list: a name that does not resolve, an address where nothing
# answers, then the hub by name.
cat >"$T/etc/c.yaml" <<CFG
connect:
  server:
    - nosuch.vland.test:6123
    - 10.99.1.77:6123
    - hub.vland.test:6123
  server-key: $("$VLANCTL" pubkey "$T/etc/hub.key")
  user: alice
  password: alicepw
  interface: vl0
control: $T/c.sock
log-level: debug
CFG
start_ep "$T/etc/c.yaml" "$T/c.log"
CPID=$LASTPID
check "the first server's name does not resolve" wait_for 10 grep -q \
    "cannot resolve the hub nosuch.vland.test:6123" "$T/c.log"
check "the second never answers: after 3 tries, the third" wait_for 40 \
    grep -q "trying the hub hub.vland.test:6123" "$T/c.log"
check "... which logs it in" wait_for 15 logged_in alice
# line N of c.log that first says PATTERN
line_of() { grep -n -m1 -e "$1" "$T/c.log" | cut -d: -f1; }
check "... in that order" [ "$(line_of 'resolve the hub nosuch')" -lt \
    "$(line_of 'no answer from the hub 10.99.1.77:6123')" ] && [ \
    "$(line_of 'no answer from the hub 10.99.1.77:6123')" -lt \
    "$(line_of 'trying the hub hub.vland.test')" ]
check "the endpoint never restarted" alive "$CPID"
kill "$CPID"
check "alice leaves again" wait_for 10 not_logged_in alice

# Name servers that never answer, with resolv.conf asking for patience
# (30 s a try, 5 tries): the endpoint gives up after 30 s of its own.
echo "hub.vland.test silent" >"$T/names"
printf 'nameserver 127.0.0.1\noptions timeout:30 attempts:5\n' \
    >"$T/resolv.conf"
start_ep "$T/etc/a.yaml" "$T/a2.log"
check "silent name servers: the endpoint says so after 30 s, and backs off" \
    wait_for 40 grep -q \
    "no answer from the name servers; reconnecting in" "$T/a2.log"
echo "hub.vland.test 10.99.1.1" >"$T/names"
check "... then logs in once they answer" wait_for 20 logged_in alice
kill "$LASTPID"
check "alice leaves once more" wait_for 10 not_logged_in alice

# A resolv.conf without a nameserver line (a host with a local cache,
# or none configured): 127.0.0.1, as the C library asks, where the stub
# answers; libevent alone would refuse to start.
printf '# no name server here\nsearch vland.test\noptions timeout:2\n' \
    >"$T/resolv.conf"
start_ep "$T/etc/a.yaml" "$T/a3.log"
A3PID=$LASTPID
check "no nameserver line: the endpoint says it asks 127.0.0.1" wait_for 10 \
    grep -q "no name server in /etc/resolv.conf: asking 127.0.0.1" "$T/a3.log"
check "... and logs in through it" wait_for 20 logged_in alice
check "... as the same process" alive "$A3PID"
vl_finish
