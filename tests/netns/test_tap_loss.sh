#!/bin/sh
# 5 % random loss both ways at the hub (nftables numgen): a 20 MB TCP
# transfer still completes. Then the endpoint's source port changes
# mid-session (a NAT that forgot its mapping): the session and the
# address are kept, and the hub follows the endpoint.
set -u
TESTNAME=loss
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

vl_standard
# a reaches the hub through a UDP relay that can change its source port.
ip netns exec "$NS-a" python3 "$HERE/udpproxy.py" 7000 10.99.1.1 6123 \
    >"$T/proxy.log" 2>&1 &
PROXY=$!
PIDS="$PIDS $PROXY"
SERVER=127.0.0.1 vl_ep_config a alice alicepw
sed -i 's/127.0.0.1:6123/127.0.0.1:7000/' "$T/etc/a.yaml"
vl_start a "$T/etc/a.yaml" "$T/a.log"
vl_start b "$T/etc/b.yaml" "$T/b.log"
wait_for 15 has_addr a vl0
wait_for 15 has_addr b vl0
A=$(ep_ip a)
B=$(ep_ip b)

ip netns exec "$NS-hub" nft -f - <<NFT
table inet vltloss {
	chain in { type filter hook input priority 0; udp dport 6123 numgen random mod 20 == 0 counter drop; }
	chain out { type filter hook output priority 0; udp sport 6123 numgen random mod 20 == 0 counter drop; }
}
NFT
ip netns exec "$NS-b" python3 "$HERE/tcpxfer.py" serve "$B" 5001 20000000 \
    >"$T/xfer.log" 2>&1 &
SRV=$!
sleep 0.5
ip netns exec "$NS-a" timeout 180 python3 "$HERE/tcpxfer.py" send "$B" 5001 20000000
wait "$SRV"
check "20 MB over TCP with 5 % loss each way" grep -qx OK "$T/xfer.log"
check "the loss rules dropped packets" sh -c \
    "ip netns exec $NS-hub nft list table inet vltloss | grep -q 'packets [1-9]'"
ip netns exec "$NS-hub" nft delete table inet vltloss

before=$(hubctl show endpoints | awk '/^alice/ {print $2}')
LOGINS=$(grep -c "alice logged in" "$T/hub.log")
kill -USR1 "$PROXY"
check "a still reaches b after its source port changed" wait_for 10 pingok a "$B"
after=$(hubctl show endpoints | awk '/^alice/ {print $2}')
echo "     alice was at $before, now at $after"
check "the hub follows the new source port" [ "$before" != "$after" ]
check "no new login: the session was kept" [ "$(grep -c "alice logged in" "$T/hub.log")" -eq "$LOGINS" ]
check "the address was kept" [ "$(ep_ip a)" = "$A" ]
check "b reaches a" pingok b "$A"

vl_finish
