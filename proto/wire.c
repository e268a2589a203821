/*
 * The fixed-field codecs of wire.h: little-endian integers byte by byte
 * (no alignment or host order assumed), the header checks every decoder
 * starts with, and compile-time checks that the layouts add up.
 */
#include <string.h>

#include "wire.h"

_Static_assert(WIRE_INIT_LEN == WIRE_INIT_MAC2 + WIRE_MAC_LEN, "INIT");
_Static_assert(WIRE_INIT_MAC1 ==
	WIRE_INIT_HELLO + WIRE_HELLO_LEN + WIRE_TAG_LEN,
    "INIT");
_Static_assert(WIRE_RESP_LEN == WIRE_RESP_MAC2 + WIRE_MAC_LEN, "RESP");
_Static_assert(WIRE_RESP_MAC1 ==
	WIRE_RESP_STATUS + WIRE_STATUS_LEN + WIRE_TAG_LEN,
    "RESP");
_Static_assert(WIRE_RESP_LEN < WIRE_INIT_LEN, "RESP must not amplify");
_Static_assert(WIRE_COOKIE_REPLY_LEN ==
	WIRE_COOKIE_SEALED + WIRE_COOKIE_LEN + WIRE_TAG_LEN,
    "COOKIE");
_Static_assert(WIRE_COOKIE_REPLY_LEN < WIRE_INIT_LEN, "COOKIE");

static const char *const wire_errstr[WIRE_NERR] = {
	[WIRE_OK] = "ok",
	[WIRE_ESHORT] = "message too short",
	[WIRE_ELONG] = "message too long",
	[WIRE_ETYPE] = "unexpected message type",
	[WIRE_ERESERVED] = "reserved bytes not zero",
	[WIRE_EMAC1] = "bad mac1",
	[WIRE_EMAC2] = "bad mac2 (cookie needed)",
	[WIRE_EDECRYPT] = "decryption failed",
	[WIRE_EDH] = "invalid public key",
	[WIRE_EREPLAY] = "replayed counter",
	[WIRE_EOLD] = "counter too old",
	[WIRE_ELIMIT] = "counter limit reached",
	[WIRE_EEXPIRED] = "keypair expired",
	[WIRE_EINDEX] = "unexpected receiver index",
	[WIRE_EVALUE] = "field value out of range",
	[WIRE_EREFUSED] = "handshake refused by the hub",
	[WIRE_EUSERNAME] = "invalid username",
	[WIRE_ECOUNT] = "too many list entries",
	[WIRE_ESPACE] = "output buffer too small",
	[WIRE_EINTERNAL] = "internal crypto error",
};

const char *
wire_strerror(enum wire_err e)
{
	if ((unsigned)e >= WIRE_NERR)
		return "unknown error";
	return wire_errstr[e];
}

const char *
wire_status_name(uint8_t status)
{
	switch (status) {
	case WIRE_STATUS_OK:
		return "ok";
	case WIRE_STATUS_VERSION:
		return "protocol version";
	case WIRE_STATUS_MODE:
		return "mode mismatch";
	case WIRE_STATUS_BUSY:
		return "busy";
	}
	return "unknown status";
}

uint16_t
wire_get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

uint32_t
wire_get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

uint64_t
wire_get_u64(const uint8_t *p)
{
	return (uint64_t)wire_get_u32(p) | (uint64_t)wire_get_u32(p + 4) << 32;
}

void
wire_put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void
wire_put_u32(uint8_t *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void
wire_put_u64(uint8_t *p, uint64_t v)
{
	wire_put_u32(p, (uint32_t)v);
	wire_put_u32(p + 4, (uint32_t)(v >> 32));
}

void
wire_put_hdr(uint8_t *p, uint8_t type)
{
	p[0] = type;
	p[1] = p[2] = p[3] = 0;
}

enum wire_err
wire_msg_type(const uint8_t *msg, size_t len, uint8_t *type)
{
	if (len < WIRE_HDR_LEN)
		return WIRE_ESHORT;
	if (msg[0] < WIRE_MSG_INIT || msg[0] > WIRE_MSG_DIRECT_PROBE)
		return WIRE_ETYPE;
	if ((msg[1] | msg[2] | msg[3]) != 0)
		return WIRE_ERESERVED;
	*type = msg[0];
	return WIRE_OK;
}

enum wire_err
wire_check_fixed(const uint8_t *msg, size_t len, uint8_t type, size_t want)
{
	uint8_t t;
	enum wire_err e;

	if (len < want)
		return WIRE_ESHORT;
	if (len > want)
		return WIRE_ELONG;
	if ((e = wire_msg_type(msg, len, &t)) != WIRE_OK)
		return e;
	return t == type ? WIRE_OK : WIRE_ETYPE;
}

enum wire_err
wire_hello_encode(const struct wire_hello *h, uint8_t out[WIRE_HELLO_LEN])
{
	if (h->version == WIRE_VERSION && h->mode != WIRE_MODE_TAP &&
	    h->mode != WIRE_MODE_TUN)
		return WIRE_EVALUE;
	memset(out, 0, WIRE_HELLO_LEN);
	out[0] = h->version;
	out[1] = h->mode;
	return WIRE_OK;
}

enum wire_err
wire_hello_decode(const uint8_t in[WIRE_HELLO_LEN], struct wire_hello *h)
{
	size_t i;

	h->version = in[0];
	h->mode = in[1];
	/* A later version may use the rest differently: leave it to them. */
	if (h->version != WIRE_VERSION)
		return WIRE_OK;
	if (h->mode != WIRE_MODE_TAP && h->mode != WIRE_MODE_TUN)
		return WIRE_EVALUE;
	for (i = 2; i < WIRE_HELLO_LEN; i++)
		if (in[i] != 0)
			return WIRE_ERESERVED;
	return WIRE_OK;
}

void
wire_transport_hdr_put(uint8_t out[WIRE_TRANSPORT_HDR_LEN],
    const struct wire_transport_hdr *h)
{
	wire_put_hdr(out, h->type);
	wire_put_u32(out + WIRE_TRANSPORT_RECEIVER, h->receiver);
	wire_put_u64(out + WIRE_TRANSPORT_COUNTER, h->counter);
}

enum wire_err
wire_transport_hdr_get(const uint8_t *msg, size_t len,
    struct wire_transport_hdr *h)
{
	enum wire_err e;
	uint8_t t;

	if ((e = wire_msg_type(msg, len, &t)) != WIRE_OK)
		return e;
	if (t != WIRE_MSG_DATA && t != WIRE_MSG_CONTROL)
		return WIRE_ETYPE;
	if (len < WIRE_TRANSPORT_OVERHEAD)
		return WIRE_ESHORT;
	if (len > WIRE_MSG_MAX)
		return WIRE_ELONG;
	/* Control always carries an opcode; only DATA may be empty. */
	if (t == WIRE_MSG_CONTROL && len == WIRE_TRANSPORT_OVERHEAD)
		return WIRE_ESHORT;
	h->type = t;
	h->receiver = wire_get_u32(msg + WIRE_TRANSPORT_RECEIVER);
	h->counter = wire_get_u64(msg + WIRE_TRANSPORT_COUNTER);
	return WIRE_OK;
}
