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

# expect LABEL MTU HUB-DEVICE: the endpoints' devices and the hub's have
# MTU, a packet of MTU bytes crosses a -> hub -> b, one byte more does not.
expect() {
	check "$1: a's device has MTU $2" [ "$(mtu_of a vl0)" = "$2" ]
	check "... b's too" [ "$(mtu_of b vl0)" = "$2" ]
	check "... and the hub's $3" [ "$(mtu_of hub "$3")" = "$2" ]
	check "... a $2-byte packet crosses whole" df_ping a "$B" "$2"
	check "... a $(($2 + 1))-byte one is refused by a's own device" \
	    no_df_ping a "$B" $(($2 + 1))
}

vl_standard
vl_endpoints_up
B=$(ep_ip b)
expect "tap, auto" 1406 vl-alice

stop_all
printf 'mtu: 1300\n' >>"$HUBCFG"
restart_hub "$T/hub2.log"
expect "tap, mtu: 1300" 1300 vl-bob

stop_all
vl_hub_config "mode: tun
interface: vl-hub"
sed -i '/^bridge:/d' "$HUBCFG"
printf 'mode: tun\n' >>"$T/etc/a.yaml"
printf 'mode: tun\n' >>"$T/etc/b.yaml"
restart_hub "$T/hub3.log"
expect "tun, auto" 1420 vl-hub
vl_finish
