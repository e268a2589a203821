#!/bin/sh
# Transport crypto throughput on one core: our data path (kp_seal and
# kp_open on 1,400-byte payloads, and on 1,024 for a same-size
# comparison) against `openssl speed` for ChaCha20-Poly1305 on 1,024-byte
# buffers, in the same run. Builds its own release tree (no sanitizers)
# in BUILDDIR, default build-bench.
#   sh tests/bench/crypto.sh [SECONDS]
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-3}
b=${BUILDDIR:-build-bench}

# Only the two libraries are needed: the daemons may be mid-change.
[ -f "$b/build.ninja" ] || meson setup "$b" --buildtype=release >/dev/null
ninja -C "$b" proto/libproto.a common/libcommon.a >/dev/null
# shellcheck disable=SC2046
${CC:-cc} -std=c11 -O2 -D_GNU_SOURCE -Wall -Wextra -Werror \
    -I. -Icommon -Iproto -I"$b" -o "$b/crypto_bench" \
    tests/bench/crypto_bench.c "$b/proto/libproto.a" \
    "$b/common/libcommon.a" $(pkg-config --libs libcrypto)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for len in 1400 1024; do
	echo "== $b/crypto_bench $secs $len"
	"$b/crypto_bench" "$secs" "$len" >"$tmp/$len"
	grep -v '^BENCH' "$tmp/$len"
done

# -mr prints the same figure as "+F:n:name:bytes per second".
speed() { # BYTES [OPTIONS]
	b=$1
	shift
	openssl speed -evp chacha20-poly1305 -bytes "$b" -seconds "$secs" \
	    -mr "$@" 2>/dev/null |
	    sed -n 's/^+F:[0-9]*:[^:]*:\([0-9.]*\).*/\1/p'
}
echo "== openssl speed -evp chacha20-poly1305 -bytes 1024 -seconds $secs"
enc=$(speed 1024)
echo "$enc bytes/CPU s"
echo "== the same with -decrypt"
dec=$(speed 1024 -decrypt)
echo "$dec bytes/CPU s"
echo "== openssl speed -evp chacha20-poly1305 -aead -bytes 1400 -seconds $secs"
aead=$(speed 1400 -aead)
echo "$aead bytes/CPU s"
echo "($(openssl version); rates per second of user CPU time, one core)"

awk -v enc="$enc" -v dec="$dec" -v aead="$aead" '
FILENAME ~ /1400$/ && $1 == "BENCH" { r1400[$2] = $4 }
FILENAME ~ /1024$/ && $1 == "BENCH" { r1024[$2] = $4 }
END {
	so = r1400["seal+open"]; s = r1400["seal"]; o = r1400["open"]
	fl = r1400["floor"]
	s2 = r1024["seal"]; o2 = r1024["open"]
	if (so == 0 || fl == 0 || s == 0 || o == 0 || s2 == 0 || o2 == 0 ||
	    enc == 0 || dec == 0 || aead == 0) {
		print "missing figures" > "/dev/stderr"
		exit 1
	}
	print ""
	print "What the figures are (payload bytes per CPU second):"
	print "  openssl encrypt  EVP update of one 1,024-byte buffer over and"
	print "                   over on one context: the cipher alone, no"
	print "                   nonce, AAD or tag per buffer (openssl speed"
	print "                   times encryption only)"
	print "  openssl decrypt  the same with -decrypt"
	print "  openssl -aead    its TLS-like sequence on 1,400-byte buffers:"
	print "                   nonce, AAD and tag per buffer, like a seal"
	print "  ours seal+open   kp_seal then kp_open of each payload: each"
	print "                   byte is ciphered twice"
	print "  ours seal, open  kp_seal or kp_open alone, per message:"
	print "                   header, counter, nonce, header as AAD, tag"
	print "  floor            the blocks a seal cannot avoid: OpenSSL"
	print "                   ChaCha20 over the payload in whole blocks,"
	print "                   its Poly1305 over header, padded payload and"
	print "                   lengths, streamed on one context each, no"
	print "                   per-message work: no seal built from them"
	print "                   can be faster"
	print ""
	printf "  %-28s %9.1f MB/s\n", "openssl encrypt, 1024 B", enc / 1e6
	printf "  %-28s %9.1f MB/s\n", "openssl decrypt, 1024 B", dec / 1e6
	printf "  %-28s %9.1f MB/s\n", "openssl -aead, 1400 B", aead / 1e6
	printf "  %-28s %9.1f MB/s\n", "ours seal+open, 1400 B", so / 1e6
	printf "  %-28s %9.1f MB/s\n", "ours seal only, 1400 B", s / 1e6
	printf "  %-28s %9.1f MB/s\n", "ours open only, 1400 B", o / 1e6
	printf "  %-28s %9.1f MB/s\n", "floor, 1400 B", fl / 1e6
	printf "  %-28s %9.1f MB/s\n", "ours seal only, 1024 B", s2 / 1e6
	printf "  %-28s %9.1f MB/s\n", "ours open only, 1024 B", o2 / 1e6
	print ""
	printf "  seal+open 1400 / openssl encrypt  %.2f  (%s)\n", so / enc,
	    "twice the work per byte: 0.5 is par"
	printf "  seal 1400      / openssl encrypt  %.2f\n", s / enc
	printf "  seal 1400      / openssl -aead    %.2f  (%s)\n", s / aead,
	    "like for like"
	printf "  seal 1400      / floor            %.2f  (%s)\n", s / fl,
	    "what per-message work costs"
	printf "  floor / 2      / openssl encrypt  %.2f  (%s)\n",
	    fl / 2 / enc, "the best seal+open ratio possible"
	printf "  open 1400      / openssl decrypt  %.2f\n", o / dec
	printf "  seal 1024      / openssl encrypt  %.2f  (same size)\n",
	    s2 / enc
	printf "  open 1024      / openssl decrypt  %.2f  (same size)\n",
	    o2 / dec
}' "$tmp/1400" "$tmp/1024"
