/*
 * libFuzzer target: the handshake messages as the hub and an endpoint
 * receive them. The hub has a fixed key and PSK; the endpoint is one
 * INIT made at start-up (its state is plain data, copied for each run,
 * so every input sees the same initiator).
 *
 * Input: byte 0 picks the mode (byte 0 % NMODES) and its flags (byte 0
 * / NMODES); the rest is the message, or what the mode says.
 *
 * Random bytes cannot get past mac1, so some modes recompute mac1 over
 * the fuzzed message first, and the "real" modes build a genuine message
 * and flip the bits the input gives, to reach the Noise layer and the
 * success paths. The INIT seeds in corpus/handshake were sealed to this
 * hub key and PSK: change them together.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "handshake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define T0	  1000000 /* any "now": nothing here expires */
#define INI_INDEX 0x11223344
#define HUB_INDEX 0x55667788

#include "fuzz_keys.h" /* hub_priv, psk */
static const uint8_t cookie[WIRE_COOKIE_LEN] = "fuzz-hs-cookie!";

enum mode {
	M_INIT,	       /* hub: INIT as is, not under load */
	M_INIT_COOKIE, /* hub: INIT as is, under load */
	M_INIT_MACS,   /* hub: INIT with mac1 (and mac2) recomputed */
	M_INIT_HELLO,  /* a whole handshake with the input's hello */
	M_RESP,	       /* endpoint: RESP as is */
	M_RESP_MACS,   /* endpoint: RESP with mac1 recomputed */
	M_RESP_REAL,   /* endpoint: the hub's RESP, bits flipped */
	M_COOKIE,      /* endpoint: COOKIE_REPLY as is */
	M_COOKIE_REAL, /* endpoint: the hub's COOKIE_REPLY, bits flipped */
	M_PSK,	       /* the "key:" setting to a PSK */
	NMODES
};

static struct hs_hub hub;
static struct hs ini;		       /* the endpoint's pending INIT */
static uint8_t ini_msg[WIRE_INIT_LEN]; /* and what it sent */

static void
setup(void)
{
	static const struct wire_hello hello = { WIRE_VERSION, WIRE_MODE_TAP };

	if (hs_hub_init(&hub, hub_priv) != 0 ||
	    hs_init_create(&ini, &hub.id, psk, &hello, INI_INDEX, NULL,
		ini_msg) != WIRE_OK)
		abort();
}

/* The two ends of a finished handshake must talk to each other. */
static void
interop(struct keypair *a, struct keypair *b)
{
	uint8_t buf[WIRE_TRANSPORT_OVERHEAD + 8];
	struct kp_rx rx;
	size_t n = 0;

	memcpy(buf + WIRE_TRANSPORT_HDR_LEN, "fuzzing!", 8);
	if (kp_seal(a, WIRE_MSG_DATA, buf, 8, sizeof buf, &n, T0, NULL) !=
		WIRE_OK ||
	    kp_open(b, buf, n, T0, &rx) != WIRE_OK || rx.len != 8 ||
	    memcmp(rx.payload, "fuzzing!", 8) != 0)
		abort();
}

/*
 * The hub answers an INIT it accepted. The RESP must be one the
 * endpoint would get past its cheap checks.
 */
static void
hub_answer(struct hs *hs, const struct wire_hello *hello, uint8_t hub_mode,
    uint32_t remote)
{
	uint8_t resp[WIRE_RESP_LEN];
	struct keypair kp;
	uint8_t status;

	if (hs->remote_index != remote)
		abort();
	status = hs_hello_status(hello, hub_mode);
	memset(&kp, 0, sizeof kp);
	if (hs_resp_create(hs, &hub, HUB_INDEX, status, T0, resp, &kp) !=
	    WIRE_OK)
		abort();
	if (wire_check_fixed(resp, sizeof resp, WIRE_MSG_RESP, WIRE_RESP_LEN) !=
		WIRE_OK ||
	    cookie_check_mac1(&hub.id.ck, resp, sizeof resp) != WIRE_OK ||
	    wire_get_u32(resp + WIRE_RESP_RECEIVER) != remote ||
	    kp.valid != (status == WIRE_STATUS_OK))
		abort();
	kp_clear(&kp);
}

static enum wire_err
init_consume(const uint8_t *msg, size_t len, const uint8_t *ck, uint8_t flags)
{
	struct wire_hello hello;
	uint8_t reply[WIRE_COOKIE_REPLY_LEN];
	enum wire_err e;
	struct hs hs;

	e = hs_init_consume(&hs, &hub, psk, msg, len, ck, &hello);
	if (e == WIRE_OK) {
		if (hello.version == WIRE_VERSION &&
		    hello.mode != WIRE_MODE_TAP && hello.mode != WIRE_MODE_TUN)
			abort();
		hub_answer(&hs, &hello,
		    flags & 1 ? WIRE_MODE_TUN : WIRE_MODE_TAP,
		    wire_get_u32(msg + WIRE_INIT_SENDER));
	} else if (e == WIRE_EMAC2) {
		/* Only a checked INIT gets here: answer as the hub would. */
		if (ck == NULL || len != WIRE_INIT_LEN ||
		    hs_cookie_reply(&hub, msg, ck, reply) != WIRE_OK)
			abort();
	}
	return e;
}

static void
mode_init_macs(uint8_t *msg, size_t len, uint8_t flags)
{
	const uint8_t *add = flags & 2 ? cookie : NULL;
	const uint8_t *check = flags & 4 ? cookie : NULL;
	enum wire_err e;

	if (len < WIRE_HDR_LEN + 2 * WIRE_MAC_LEN)
		return;
	if (cookie_add_macs(&hub.id.ck, msg, len, add) != WIRE_OK)
		abort();
	e = init_consume(msg, len, check, flags);
	if (e == WIRE_EMAC1 || (e == WIRE_EMAC2 && add == check))
		abort();
}

/* Endpoint and hub through a whole handshake, hello from the input. */
static void
mode_init_hello(const uint8_t *in, size_t len, uint8_t flags)
{
	const uint8_t *ck = flags & 2 ? cookie : NULL;
	struct wire_hello hello, got;
	uint8_t init[WIRE_INIT_LEN], resp[WIRE_RESP_LEN], status, st = 0xff;
	struct keypair kh, ke;
	struct hs he, hh;
	enum wire_err e;

	if (len < 2)
		return;
	hello.version = in[0];
	hello.mode = in[1];
	e = hs_init_create(&he, &hub.id, psk, &hello, INI_INDEX, ck, init);
	if (hello.version == WIRE_VERSION && hello.mode != WIRE_MODE_TAP &&
	    hello.mode != WIRE_MODE_TUN) {
		if (e != WIRE_EVALUE)
			abort();
		return;
	}
	if (e != WIRE_OK ||
	    hs_init_consume(&hh, &hub, psk, init, sizeof init, ck, &got) !=
		WIRE_OK ||
	    got.version != hello.version || got.mode != hello.mode)
		abort();
	status =
	    hs_hello_status(&got, flags & 1 ? WIRE_MODE_TUN : WIRE_MODE_TAP);
	memset(&kh, 0, sizeof kh);
	memset(&ke, 0, sizeof ke);
	if (hs_resp_create(&hh, &hub, HUB_INDEX, status, T0, resp, &kh) !=
	    WIRE_OK)
		abort();
	e = hs_resp_consume(&he, &hub.id, resp, sizeof resp, T0, &st, &ke);
	if (status == WIRE_STATUS_OK) {
		if (e != WIRE_OK || st != status)
			abort();
		interop(&ke, &kh);
		interop(&kh, &ke);
	} else if (e != WIRE_EREFUSED || st != status)
		abort();
	kp_clear(&kh);
	kp_clear(&ke);
	hs_clear(&he);
}

/* A RESP the hub did not make for our INIT must never open. */
static void
mode_resp(uint8_t *msg, size_t len, bool macs, uint8_t flags)
{
	uint8_t mac2[WIRE_MAC_LEN], st;
	struct keypair kp;
	enum wire_err e;
	struct hs hs;

	if (macs) {
		if (len < WIRE_HDR_LEN + 2 * WIRE_MAC_LEN)
			return;
		memcpy(mac2, msg + len - WIRE_MAC_LEN, sizeof mac2);
		if (cookie_add_macs(&hub.id.ck, msg, len, NULL) != WIRE_OK)
			abort();
		/* mac1 does not cover mac2: keep the input's if asked. */
		if (flags & 1)
			memcpy(msg + len - WIRE_MAC_LEN, mac2, sizeof mac2);
	}
	memcpy(&hs, &ini, sizeof hs);
	e = hs_resp_consume(&hs, &hub.id, msg, len, T0, &st, &kp);
	if (e == WIRE_OK || e == WIRE_EREFUSED || (macs && e == WIRE_EMAC1))
		abort();
	hs_clear(&hs);
}

static bool
any(const uint8_t *p, size_t from, size_t to)
{
	for (; from < to; from++)
		if (p[from] != 0)
			return true;
	return false;
}

/*
 * in: status (1), hub sender index (4), then a mask XORed over the
 * hub's RESP. Only the sender index is outside the AEAD's reach (mac1
 * covers it, and mac1 is recomputed with flag 1).
 */
static void
mode_resp_real(const uint8_t *in, size_t len, uint8_t flags)
{
	uint8_t resp[WIRE_RESP_LEN], mask[WIRE_RESP_LEN] = { 0 }, st = 0xff;
	struct keypair kh, ke;
	struct wire_hello hello;
	bool auth, clean;
	enum wire_err e;
	struct hs hh, he;
	size_t i;

	if (len < 5)
		return;
	memcpy(mask, in + 5, len - 5 < sizeof mask ? len - 5 : sizeof mask);
	memset(&kh, 0, sizeof kh);
	memset(&ke, 0, sizeof ke);
	if (hs_init_consume(&hh, &hub, psk, ini_msg, sizeof ini_msg, NULL,
		&hello) != WIRE_OK ||
	    hs_resp_create(&hh, &hub, wire_get_u32(in + 1), in[0], T0, resp,
		&kh) != WIRE_OK)
		abort();
	for (i = 0; i < sizeof resp; i++)
		resp[i] ^= mask[i];
	if (flags & 1) {
		if (cookie_add_macs(&hub.id.ck, resp, sizeof resp, NULL) !=
		    WIRE_OK)
			abort();
		/* The hub's mac2 is zero: the input's bits are all of it. */
		memcpy(resp + WIRE_RESP_MAC2, mask + WIRE_RESP_MAC2,
		    WIRE_MAC_LEN);
	}
	auth = !any(mask, 0, WIRE_RESP_SENDER) &&
	    !any(mask, WIRE_RESP_RECEIVER, WIRE_RESP_MAC1);
	clean = flags & 1 ? auth && !any(mask, WIRE_RESP_MAC2, sizeof mask)
			  : !any(mask, 0, sizeof mask);
	memcpy(&he, &ini, sizeof he);
	e = hs_resp_consume(&he, &hub.id, resp, sizeof resp, T0, &st, &ke);
	if ((e == WIRE_OK || e == WIRE_EREFUSED) && !auth)
		abort();
	if (clean &&
	    (in[0] == WIRE_STATUS_OK ? e != WIRE_OK
				     : e != WIRE_EREFUSED || st != in[0]))
		abort();
	if (e == WIRE_OK) {
		if (ke.local_index != INI_INDEX ||
		    ke.remote_index != wire_get_u32(resp + WIRE_RESP_SENDER))
			abort();
		if (!any(mask, WIRE_RESP_SENDER, WIRE_RESP_RECEIVER)) {
			interop(&ke, &kh);
			interop(&kh, &ke);
		}
	}
	kp_clear(&kh);
	kp_clear(&ke);
	hs_clear(&he);
}

static void
mode_cookie(const uint8_t *msg, size_t len)
{
	uint8_t got[WIRE_COOKIE_LEN];

	if (hs_cookie_consume(&ini, &hub.id, msg, len, got) == WIRE_OK)
		abort();
}

/* in: a mask XORed over the hub's COOKIE_REPLY to our INIT. */
static void
mode_cookie_real(const uint8_t *in, size_t len)
{
	uint8_t reply[WIRE_COOKIE_REPLY_LEN], mask[sizeof reply] = { 0 };
	uint8_t got[WIRE_COOKIE_LEN];
	enum wire_err e;
	size_t i;

	memcpy(mask, in, len < sizeof mask ? len : sizeof mask);
	if (hs_cookie_reply(&hub, ini_msg, cookie, reply) != WIRE_OK)
		abort();
	for (i = 0; i < sizeof reply; i++)
		reply[i] ^= mask[i];
	e = hs_cookie_consume(&ini, &hub.id, reply, sizeof reply, got);
	if (any(mask, 0, sizeof mask)
		? e == WIRE_OK
		: e != WIRE_OK || memcmp(got, cookie, sizeof got) != 0)
		abort();
}

static void
mode_psk(const uint8_t *in, size_t len)
{
	uint8_t a[HS_PSK_LEN], b[HS_PSK_LEN];
	char *key;
	int ra, rb;

	if ((key = malloc(len + 1)) == NULL)
		abort();
	memcpy(key, in, len);
	key[len] = '\0';
	ra = hs_psk_derive(a, key);
	rb = hs_psk_derive(b, key);
	/* The same answer twice; a refusal only for what looks like a raw
	 * base64 key (44 characters ending in '=') but is not one. */
	if (ra != rb || (ra == 0 && memcmp(a, b, sizeof a) != 0) ||
	    (ra != 0 && !(strlen(key) == 44 && key[43] == '=')))
		abort();
	free(key);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	uint8_t *msg, flags;
	size_t len;

	if (!ready) {
		setup();
		ready = true;
	}
	if (size < 1)
		return 0;
	flags = data[0] / NMODES;
	len = size - 1;
	/* A writable exact-size copy: some modes rewrite the macs. */
	if ((msg = malloc(len > 0 ? len : 1)) == NULL)
		abort();
	memcpy(msg, data + 1, len);
	switch ((enum mode)(data[0] % NMODES)) {
	case M_INIT:
		init_consume(msg, len, NULL, flags);
		break;
	case M_INIT_COOKIE:
		init_consume(msg, len, cookie, flags);
		break;
	case M_INIT_MACS:
		mode_init_macs(msg, len, flags);
		break;
	case M_INIT_HELLO:
		mode_init_hello(msg, len, flags);
		break;
	case M_RESP:
		mode_resp(msg, len, false, flags);
		break;
	case M_RESP_MACS:
		mode_resp(msg, len, true, flags);
		break;
	case M_RESP_REAL:
		mode_resp_real(msg, len, flags);
		break;
	case M_COOKIE:
		mode_cookie(msg, len);
		break;
	case M_COOKIE_REAL:
		mode_cookie_real(msg, len);
		break;
	case M_PSK:
		mode_psk(msg, len);
		break;
	case NMODES:
		abort();
	}
	free(msg);
	return 0;
}
