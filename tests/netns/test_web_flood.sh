#!/bin/sh
# Descriptors: a hub with few descriptors (prlimit, 200) and its web
# monitor on, flooded with 2,000 idle connections to the web port. It
# stops accepting for a second at a time instead of spinning on the
# failing accept: sessions keep passing traffic with their usual RTT
# (within 2 ms), the hub's CPU and log stay small, and once the idle
# connections are gone the web monitor and the control socket answer.
set -u
TESTNAME=wfl
. "$(dirname "$0")/lib.sh"

REALVLAND=$VLAND
cat >"$T/lowfd" <<WRAP
#!/bin/sh
exec prlimit --nofile=200:200 "$REALVLAND" "\$@"
WRAP
chmod 755 "$T/lowfd"
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
BASE=$(rtt)
LINES=$(wc -l <"$T/hub.log")
CPU0=$(cpu)
ip netns exec "$NS-hub" python3 -c '
import socket, time
conns = []
for i in range(2000):
    s = socket.socket()
    s.setblocking(False)
    try:
        s.connect(("127.0.0.1", 8123))
    except BlockingIOError:
        pass
    conns.append(s)
time.sleep(8)
' &
FLOOD=$!
PIDS="$PIDS $FLOOD"
sleep 2
DURING=$(rtt)
wait "$FLOOD"
CPU1=$(cpu)
echo "     ping a -> b: ${BASE} ms before, ${DURING} ms during the flood; hub CPU $((CPU1 - CPU0)) ticks in about 8 s"
check "sessions pass traffic during the flood" pingok a "$B"
check "their RTT stays within 2 ms of its usual value" \
    python3 -c "import sys; sys.exit(not float('$DURING') <= float('$BASE') + 2.0)"
check "the hub did not spin (under a quarter of a core)" [ $((CPU1 - CPU0)) -lt 200 ]
check "the hub said it paused accepting" \
    grep -q "web: cannot accept connections (Too many open files); pausing for 1 s" "$T/hub.log"
check "and its log grew by few lines ($(($(wc -l <"$T/hub.log") - LINES)))" \
    [ $(($(wc -l <"$T/hub.log") - LINES)) -lt 40 ]
check "the web monitor answers again" wait_for 20 sh -c \
    "ip netns exec $NS-hub curl -sf http://127.0.0.1:8123/endpoints | grep -q alice"
check "so does the control socket" hubctl show status
vl_finish
