# OpenVPN in the bench's topology, for comparison (sourced by bench.sh).
#
# The same namespaces as vland: the server runs in $NS-hub, clients in
# $NS-a and $NS-b connect over the veths, and the hub does not forward
# the underlay, so a->b crosses OpenVPN's server (client-to-client, the
# way an OpenVPN hub carries traffic between its clients). Tuned as
# OpenVPN's manual advises for throughput: 4 MiB socket buffers on both
# sides, fast-io, a 1000-packet device queue. The cipher is the one
# OpenVPN negotiates by default (AES-256-GCM, which has AES-NI here);
# data channel offload is off, since it needs the ovpn-dco module and
# has no tap mode.
#
# Needs: NS, T, MODE (tap or tun), wait_for and PIDS from lib.sh.
# ovpn_start brings it up and sets OVPN_B (b's tunnel address);
# ovpn_stop ends it.

ovpn_certs() {
	d=$T/ovpn
	mkdir -p "$d"
	ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
	# shellcheck disable=SC2086
	openssl req -x509 $ec -keyout "$d/ca.key" -out "$d/ca.crt" \
	    -subj /CN=vland-bench-ca -days 2 2>/dev/null
	for n in server client; do
		# shellcheck disable=SC2086
		openssl req $ec -keyout "$d/$n.key" -out "$d/$n.csr" \
		    -subj "/CN=$n" 2>/dev/null
		openssl x509 -req -in "$d/$n.csr" -CA "$d/ca.crt" \
		    -CAkey "$d/ca.key" -CAcreateserial -days 2 \
		    -out "$d/$n.crt" 2>/dev/null
	done
}

ovpn_common() { # ROLE
	cat <<EOF
proto udp
dev-type $MODE
dev ov0
ca $T/ovpn/ca.crt
cert $T/ovpn/$1.crt
key $T/ovpn/$1.key
disable-dco
sndbuf 4194304
rcvbuf 4194304
txqueuelen 1000
fast-io
verb 3
EOF
}

ovpn_start() {
	ovpn_certs
	{
		ovpn_common server
		echo "port 1194"
		echo "dh none"
		echo "client-to-client"
		echo "duplicate-cn"
		echo 'push "sndbuf 4194304"'
		echo 'push "rcvbuf 4194304"'
		if [ "$MODE" = tun ]; then
			echo "topology subnet"
			echo "server 10.98.0.0 255.255.255.0"
		else
			echo "mode server"
			echo "tls-server"
			echo "ifconfig 10.98.0.1 255.255.255.0"
			echo "ifconfig-pool 10.98.0.10 10.98.0.100 255.255.255.0"
		fi
	} >"$T/ovpn/server.conf"
	for n in a b; do
		{
			ovpn_common client
			echo "client"
			echo "nobind"
		} >"$T/ovpn/$n.conf"
	done
	echo "remote 10.99.1.1 1194" >>"$T/ovpn/a.conf"
	echo "remote 10.99.2.1 1194" >>"$T/ovpn/b.conf"
	OVPN_PIDS=""
	for n in hub a b; do
		c=$n.conf
		[ "$n" = hub ] && c=server.conf
		ip netns exec "$NS-$n" openvpn --config "$T/ovpn/$c" \
		    >"$T/ovpn/$n.log" 2>&1 &
		OVPN_PIDS="$OVPN_PIDS $!"
		PIDS="$PIDS $!"
		[ "$n" = hub ] && sleep 0.5
	done
	for n in a b; do
		wait_for 20 grep -q "Initialization Sequence Completed" \
		    "$T/ovpn/$n.log" || {
			echo "bench: OpenVPN client $n did not come up"
			tail "$T/ovpn/$n.log"
			return 1
		}
	done
	OVPN_B=$(ip -n "$NS-b" -4 -o addr show dev ov0 | awk '{print $4}' |
	    cut -d/ -f1)
	OVPN_CIPHER=$(sed -n 's/.*Data Channel: cipher .\([^ ]*\)., .*/\1/p' \
	    "$T/ovpn/a.log" | head -1)
}

ovpn_stop() {
	# shellcheck disable=SC2086
	kill $OVPN_PIDS 2>/dev/null
	for p in $OVPN_PIDS; do
		while kill -0 "$p" 2>/dev/null; do sleep 0.1; done
	done
}
