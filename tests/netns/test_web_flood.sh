#!/bin/sh
# Descriptors. A hub with its web monitor on, flooded with 2,000 idle
# connections to the web port: it holds at most 64 at once (the rest
# wait in the kernel's queue) and closes idle ones after 10 s, so it
# neither spins nor runs out of descriptors; sessions keep passing
# traffic with their usual RTT (within 2 ms); the log stays small.
# Then the same hub with fewer descriptors (prlimit, 60) than the flood
# can take: it stops accepting for a second at a time, a new login is
# refused with "try later" and a reason instead of losing its tap, the
# sessions already up never notice, and the login succeeds once the
# flood is gone.
set -u
TESTNAME=wfl
. "$(dirname "$0")/lib.sh"

REALVLAND=$VLAND
# lowfd N: vland runs with at most N descriptors
lowfd() {
	cat >"$T/lowfd" <<WRAP
#!/bin/sh
exec prlimit --nofile=$1:$1 "$REALVLAND" "\$@"
WRAP
	chmod 755 "$T/lowfd"
}
lowfd 200
VLAND=$T/lowfd
vl_standard "web:
  enable: true
  listen: 127.0.0.1
  port: 8123"
VLAND=$REALVLAND
vl_endpoints_up
B=$(ep_ip b)
check "the hub took all the descriptors it may have" grep -q "descriptors: up to 200" "$T/hub.log"
rtt() { ip netns exec "$NS-a" ping -c 30 -i 0.05 -q "$B" | awk -F/ '/^rtt/ {print $5}'; }
cpu() { awk '{print $14 + $15}' "/proc/$HUBPID/stat"; }
nfd() { ls "/proc/$HUBPID/fd" | wc -l; }
# flood N SECONDS: N idle connections to the web port, held SECONDS
flood() {
	ip netns exec "$NS-hub" python3 -c '
import socket, sys, time
conns = []
for i in range(int(sys.argv[1])):
    # 16 at a time, as the listen queue of the hub takes: a burst
    # larger than the queue loses connections for good (the kernel
    # drops the final ACK, the idle client never sends again), and how
    # many the hub gets would then be luck.
    if i % 16 == 15:
        time.sleep(0.02)
    s = socket.socket()
    s.setblocking(False)
    try:
        s.connect(("127.0.0.1", 8123))
    except BlockingIOError:
        pass
    except OSError:
        s.close()
        continue
    conns.append(s)
time.sleep(float(sys.argv[2]))
' "$1" "$2" &
	FLOOD=$!
	PIDS="$PIDS $FLOOD"
}
BASE=$(rtt)
LINES=$(wc -l <"$T/hub.log")
CPU0=$(cpu)
FD0=$(nfd)
flood 2000 8
sleep 2
DURING=$(rtt)
FD1=$(nfd)
wait "$FLOOD"
CPU1=$(cpu)
echo "# ping a -> b: ${BASE} ms before, ${DURING} ms during the flood; hub CPU $((CPU1 - CPU0)) ticks in about 8 s; descriptors $FD0 before, $FD1 during"
check "sessions pass traffic during the flood" pingok a "$B"
check "their RTT stays within 2 ms of its usual value" \
    python3 -c "import sys; sys.exit(not float('$DURING') <= float('$BASE') + 2.0)"
check "the hub did not spin (under a quarter of a core)" [ $((CPU1 - CPU0)) -lt 200 ]
check "it held at most 64 web connections at once" [ $((FD1 - FD0)) -le 66 ]
check "and its log grew by few lines ($(($(wc -l <"$T/hub.log") - LINES)))" \
    [ $(($(wc -l <"$T/hub.log") - LINES)) -lt 40 ]
check "the web monitor answers again" wait_for 20 sh -c \
    "ip netns exec $NS-hub curl -sf http://127.0.0.1:8123/endpoints | grep -q alice"
check "so does the control socket" hubctl show status
# An idle connection is closed by the hub after 10 s.
check "an idle connection is closed after about 10 s" \
    ip netns exec "$NS-hub" python3 -c '
import socket, sys, time
s = socket.create_connection(("127.0.0.1", 8123))
s.settimeout(20)
t = time.time()
sys.exit(not (s.recv(1) == b"" and 8 <= time.time() - t <= 15))
'

# Fewer descriptors than the flood takes.
kill "$HUBPID"
wait_for 10 dead "$HUBPID"
lowfd 60
VLAND=$T/lowfd
vl_start hub "$HUBCFG" "$T/hub2.log"
HUBPID=$LASTPID
VLAND=$REALVLAND
check "the hub runs with 60 descriptors" wait_for 10 grep -q \
    "descriptors: up to 60" "$T/hub2.log"
check "alice and bob come back" wait_for 20 pingok a "$B"
flood 200 25
sleep 2
echo "# descriptors of the hub during the second flood: $(nfd) of 60; flood alive: $(kill -0 "$FLOOD" && echo yes)"
check "the hub pauses accepting when it runs out" wait_for 10 grep -q \
    "web: cannot accept connections (Too many open files); pausing for 1 s" \
    "$T/hub2.log"
SERVER=10.99.1.1 vl_ep_config c carol carolpw
sed -i 's/interface: vl0/interface: vl1/' "$T/etc/c.yaml"
vl_start a "$T/etc/c.yaml" "$T/c.log"
CPID=$LASTPID
check "a new login is refused with a reason, not a lost tap" wait_for 10 \
    grep -q "login of carol from .* refused: no descriptors to spare" \
    "$T/hub2.log"
check "... and told to try later" wait_for 5 grep -q \
    "the hub says try later, in 10 s" "$T/c.log"
check "sessions already up never notice" pingok a "$B"
check "the hub is still up" alive "$HUBPID"
kill "$FLOOD"
check "once the flood is gone, carol gets in by herself" wait_for 30 \
    logged_in carol
check "... without a restart" alive "$CPID"
vl_finish
