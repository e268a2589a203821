/*
 * libFuzzer target: every fixed-field decoder of wire.h on arbitrary
 * bytes, in the order the daemon's dispatcher applies them to a UDP
 * payload, plus the mac1/mac2 checks and COOKIE_REPLY opening that run
 * before any DH. What decodes must encode back to the same bytes, and
 * every decoder must agree with the others on what it accepted.
 *
 * Input: the datagram itself (libFuzzer hands over an exact-size heap
 * copy, so any read past the end is an ASan error).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "direct.h"
#include "cookie.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t hub_pub[WIRE_KEY_LEN] = {
	0x8f,
	0x40,
	0xc5,
	0xad,
	0xb6,
	0x8f,
	0x25,
	0x62,
	0x4a,
	0xe5,
	0xb2,
	0x14,
	0xea,
	0x76,
	0x7a,
	0x6e,
	0xc9,
	0x4d,
	0x82,
	0x9d,
	0x3d,
	0x7b,
	0x5e,
	0x1a,
	0xd1,
	0xba,
	0x6f,
	0x3e,
	0x21,
	0x38,
	0x28,
	0x5f,
};
static const uint8_t cookie[WIRE_COOKIE_LEN] = "fuzz wire cooky";

/* The fixed-length messages: type and length. */
static const struct {
	uint8_t type;
	size_t len;
} fixed[] = {
	{ WIRE_MSG_INIT, WIRE_INIT_LEN },
	{ WIRE_MSG_RESP, WIRE_RESP_LEN },
	{ WIRE_MSG_COOKIE, WIRE_COOKIE_REPLY_LEN },
	{ WIRE_MSG_DIRECT_INIT, DIRECT_INIT_LEN },
	{ WIRE_MSG_DIRECT_RESP, DIRECT_RESP_LEN },
	{ WIRE_MSG_DIRECT_PROBE, DIRECT_PROBE_LEN },
};

static void
check_fixed(const uint8_t *data, size_t size)
{
	enum wire_err e;
	size_t i;
	uint8_t t;

	for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		e = wire_check_fixed(data, size, fixed[i].type, fixed[i].len);
		if (e == WIRE_OK &&
		    (size != fixed[i].len ||
			wire_msg_type(data, size, &t) != WIRE_OK ||
			t != fixed[i].type))
			abort();
		/* Length is checked before anything is read. */
		if (size != fixed[i].len && e != WIRE_ESHORT && e != WIRE_ELONG)
			abort();
	}
	/* Any type at exactly this length, as a caller might ask. */
	if (size > 0 &&
	    wire_check_fixed(data, size, data[0], size) == WIRE_OK &&
	    (data[0] < WIRE_MSG_INIT || data[0] > WIRE_MSG_DIRECT_PROBE))
		abort();
}

static void
check_transport(const uint8_t *data, size_t size)
{
	struct wire_transport_hdr h;
	uint8_t again[WIRE_TRANSPORT_HDR_LEN];

	if (wire_transport_hdr_get(data, size, &h) != WIRE_OK)
		return;
	if (h.type != WIRE_MSG_DATA && h.type != WIRE_MSG_CONTROL)
		abort();
	if (size < WIRE_TRANSPORT_OVERHEAD || size > WIRE_MSG_MAX)
		abort();
	if (h.type == WIRE_MSG_CONTROL && size == WIRE_TRANSPORT_OVERHEAD)
		abort();
	/* Reserved bytes were zero, so the header re-encodes exactly. */
	wire_transport_hdr_put(again, &h);
	if (memcmp(again, data, sizeof again) != 0)
		abort();
}

static void
check_hello(const uint8_t *data, size_t size)
{
	/* Exact-size copies: the codec must stay inside 16 bytes. */
	uint8_t *in, *out;
	struct wire_hello h;
	enum wire_err e;

	if (size < WIRE_HELLO_LEN)
		return;
	if ((in = malloc(WIRE_HELLO_LEN)) == NULL ||
	    (out = malloc(WIRE_HELLO_LEN)) == NULL)
		abort();
	memcpy(in, data, WIRE_HELLO_LEN);
	e = wire_hello_decode(in, &h);
	if (e == WIRE_OK) {
		if (h.version != in[0] || h.mode != in[1])
			abort();
		if (wire_hello_encode(&h, out) != WIRE_OK)
			abort();
		/*
		 * Our version: every byte was checked, so all must come
		 * back. Another version keeps only version and mode.
		 */
		if (h.version == WIRE_VERSION &&
		    memcmp(in, out, WIRE_HELLO_LEN) != 0)
			abort();
		if (out[0] != in[0] || out[1] != in[1])
			abort();
	} else if (in[0] != WIRE_VERSION)
		abort();
	free(in);
	free(out);
}

static void
check_ints(const uint8_t *data, size_t size)
{
	uint8_t b[8];

	if (size < sizeof b)
		return;
	wire_put_u16(b, wire_get_u16(data));
	wire_put_u32(b + 2, wire_get_u32(data + 2));
	if (memcmp(b, data, 6) != 0)
		abort();
	wire_put_u64(b, wire_get_u64(data));
	if (memcmp(b, data, 8) != 0)
		abort();
}

/* What the hub and an endpoint do with a datagram before any DH. */
static void
dispatch(const uint8_t *data, size_t size)
{
	static struct cookie_keys ck;
	static int ready;
	static const uint8_t mac1[WIRE_MAC_LEN];
	static const uint8_t pair_secret[DIRECT_SECRET_LEN] = { 1, 2, 3 };
	uint8_t out[WIRE_COOKIE_LEN], dresp[DIRECT_RESP_LEN];
	struct keypair kp;
	uint64_t ctr;
	uint32_t pair;
	enum wire_err e;
	uint8_t t;

	if (!ready) {
		if (cookie_keys_init(&ck, hub_pub) != 0)
			abort();
		ready = 1;
	}
	if (wire_msg_type(data, size, &t) != WIRE_OK)
		return;
	switch (t) {
	case WIRE_MSG_DIRECT_INIT:
		/* Nobody without the pair's secret makes an INIT that
		 * opens (and the answer is never made). */
		if (dhs_respond(pair_secret, data, size, 7, NULL, 1, 0, &ctr,
			dresp, &kp) == WIRE_OK)
			abort();
		break;
	case WIRE_MSG_DIRECT_PROBE:
		(void)direct_pair_of(data, size, t, &pair);
		break;
	case WIRE_MSG_INIT:
	case WIRE_MSG_RESP:
		(void)cookie_check_mac1(&ck, data, size);
		(void)cookie_check_mac2(cookie, data, size);
		break;
	case WIRE_MSG_COOKIE:
		/* The message's own receiver: get as far as the AEAD. */
		e = cookie_reply_consume(&ck, data, size,
		    size >= 8 ? wire_get_u32(data + WIRE_COOKIE_RECEIVER) : 0,
		    mac1, out);
		/* Nobody without the hub's key can seal a cookie. */
		if (e == WIRE_OK)
			abort();
		break;
	default:
		check_transport(data, size);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum wire_err e;
	uint8_t t;

	e = wire_msg_type(data, size, &t);
	if (e == WIRE_OK &&
	    (t < WIRE_MSG_INIT || t > WIRE_MSG_DIRECT_PROBE ||
		(data[1] | data[2] | data[3]) != 0))
		abort();
	if (size > 0 && wire_strerror((enum wire_err)data[0]) == NULL)
		abort();
	check_fixed(data, size);
	check_transport(data, size);
	check_hello(data, size);
	check_ints(data, size);
	dispatch(data, size);
	return 0;
}
