#!/bin/sh
# The MTU comes from the hub: its default (auto: 1406 in tap mode, 1420
# in tun mode) or its mtu setting reaches each endpoint's device at
# login, the hub's devices get the same, and a packet of exactly that
# size crosses a -> hub -> b with DF set.
set -u
TESTNAME=mtu
. "$(dirname "$0")/lib.sh"

mtu_of() { ip -n "$NS-$1" -o link show dev "$2" | sed -n 's/.* mtu \([0-9]*\) .*/\1/p'; }
# df_ping NS ADDR SIZE: one ping SIZE bytes long (IP), never fragmented
df_ping() { ip netns exec "$NS-$1" ping -c 1 -W 2 -M "do" -s $(($3 - 28)) "$2"; }
no_df_ping() { ! df_ping "$@"; }
stop_all() {
	kill "$APID" "$BPID" "$HUBPID"
	wait_for 5 dead "$HUBPID"
	wait_for 5 no_link_in a vl0
	wait_for 5 no_link_in b vl0
	wait_for 5 no_link_in hub br-vlt
}
restart_hub() { # LOG
	vl_start hub "$HUBCFG" "$1"
	HUBPID=$LASTPID
	vl_endpoints_up
	B=$(ep_ip b)
}

vl_standard
vl_endpoints_up
B=$(ep_ip b)
check "tap, auto: a's device has MTU 1406" [ "$(mtu_of a vl0)" = 1406 ]
check "... b's too" [ "$(mtu_of b vl0)" = 1406 ]
check "... and the hub's tap for alice" [ "$(mtu_of hub vl-alice)" = 1406 ]
check "a 1406-byte packet crosses whole" df_ping a "$B" 1406
check "a 1407-byte one is refused by a's own device" no_df_ping a "$B" 1407

stop_all
printf 'mtu: 1300\n' >>"$HUBCFG"
restart_hub "$T/hub2.log"
check "tap, mtu: 1300 reaches a's device" [ "$(mtu_of a vl0)" = 1300 ]
check "... and b's" [ "$(mtu_of b vl0)" = 1300 ]
check "... and the hub's tap for bob" [ "$(mtu_of hub vl-bob)" = 1300 ]
check "a 1300-byte packet crosses whole" df_ping a "$B" 1300
check "a 1301-byte one is refused" no_df_ping a "$B" 1301

stop_all
vl_hub_config "mode: tun
interface: vl-hub"
sed -i '/^bridge:/d' "$HUBCFG"
printf 'mode: tun\n' >>"$T/etc/a.yaml"
printf 'mode: tun\n' >>"$T/etc/b.yaml"
restart_hub "$T/hub3.log"
check "tun, auto: a's device has MTU 1420" [ "$(mtu_of a vl0)" = 1420 ]
check "... and the hub's tun" [ "$(mtu_of hub vl-hub)" = 1420 ]
check "a 1420-byte packet crosses whole" df_ping a "$B" 1420
check "a 1421-byte one is refused" no_df_ping a "$B" 1421
vl_finish
