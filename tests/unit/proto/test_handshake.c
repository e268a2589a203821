/*
 * The vland handshake end to end (INIT, RESP, keypairs, first transport
 * messages), then every way it must fail, each with its own code: wrong
 * PSK, wrong pinned key, wrong hub key, every bit of INIT and RESP
 * flipped, every truncation, replayed and too-old transport messages,
 * and the cookie / mac2 path under load.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "handshake.h"
#include "keyenc.h"
#include "prim.h"

#define T0 5000000

static struct hs_hub hub, other;
static uint8_t psk[HS_PSK_LEN];
static const struct wire_hello hello_tap = { WIRE_VERSION, WIRE_MODE_TAP };

static void
hub_make(struct hs_hub *h)
{
	uint8_t priv[32], pub[32];

	assert_int_equal(prim_random(priv, 32), 0);
	assert_int_equal(hs_hub_init(h, priv), 0);
	assert_int_equal(prim_x25519_pub(pub, priv), 0);
	assert_memory_equal(h->id.pub, pub, 32);
	prim_wipe(priv, sizeof priv);
}

static int
setup(void **state)
{
	(void)state;
	hub_make(&hub);
	hub_make(&other);
	return hs_psk_derive(psk, "the old key: string");
}

static void
make_init(struct hs *ini, const uint8_t *cookie, uint8_t out[WIRE_INIT_LEN])
{
	assert_int_equal(hs_init_create(ini, &hub.id, psk, &hello_tap,
			     0x01020304, cookie, out),
	    WIRE_OK);
}

/* The hub's side on a good INIT: consume, answer OK. */
static void
hub_answer(const uint8_t *init, uint8_t resp[WIRE_RESP_LEN], struct keypair *kp)
{
	struct hs h;
	struct wire_hello hello;

	assert_int_equal(hs_init_consume(&h, &hub, psk, init, WIRE_INIT_LEN,
			     NULL, &hello),
	    WIRE_OK);
	assert_int_equal(hs_hello_status(&hello, WIRE_MODE_TAP),
	    WIRE_STATUS_OK);
	assert_int_equal(hs_resp_create(&h, &hub, 0xa0b0c0d0, WIRE_STATUS_OK,
			     T0, resp, kp),
	    WIRE_OK);
}

static void
test_complete(void **state)
{
	struct hs ini, rsp;
	struct wire_hello hello;
	struct keypair ki, kr;
	struct kp_set end, hubset;
	struct kp_rx rx;
	uint8_t init[WIRE_INIT_LEN], resp[WIRE_RESP_LEN], buf[256];
	uint8_t status = 0xff;
	size_t n = 0;

	(void)state;
	make_init(&ini, NULL, init);
	assert_int_equal(init[0], WIRE_MSG_INIT);
	assert_int_equal(wire_get_u32(init + WIRE_INIT_SENDER), 0x01020304);
	assert_true(prim_is_zero(init + WIRE_INIT_MAC2, WIRE_MAC_LEN));
	assert_memory_equal(ini.mac1, init + WIRE_INIT_MAC1, WIRE_MAC_LEN);

	assert_int_equal(hs_init_consume(&rsp, &hub, psk, init, sizeof init,
			     NULL, &hello),
	    WIRE_OK);
	assert_int_equal(hello.version, WIRE_VERSION);
	assert_int_equal(hello.mode, WIRE_MODE_TAP);
	assert_int_equal(rsp.remote_index, 0x01020304);
	assert_int_equal(hs_resp_create(&rsp, &hub, 0xa0b0c0d0, WIRE_STATUS_OK,
			     T0, resp, &kr),
	    WIRE_OK);
	assert_int_equal(resp[0], WIRE_MSG_RESP);
	assert_int_equal(wire_get_u32(resp + WIRE_RESP_SENDER), 0xa0b0c0d0);
	assert_int_equal(wire_get_u32(resp + WIRE_RESP_RECEIVER), 0x01020304);
	assert_true(prim_is_zero(resp + WIRE_RESP_MAC2, WIRE_MAC_LEN));

	assert_int_equal(hs_resp_consume(&ini, &hub.id, resp, sizeof resp, T0,
			     &status, &ki),
	    WIRE_OK);
	assert_int_equal(status, WIRE_STATUS_OK);
	assert_true(ki.initiator);
	assert_false(kr.initiator);
	assert_int_equal(ki.local_index, 0x01020304);
	assert_int_equal(ki.remote_index, 0xa0b0c0d0);
	assert_int_equal(kr.local_index, 0xa0b0c0d0);
	assert_int_equal(kr.remote_index, 0x01020304);
	/* Both handshake states are wiped and spent. */
	assert_true(prim_is_zero(ini.noise.e, sizeof ini.noise.e));
	assert_true(prim_is_zero(rsp.noise.s, sizeof rsp.noise.s));
	assert_int_equal(hs_resp_consume(&ini, &hub.id, resp, sizeof resp, T0,
			     &status, &ki),
	    WIRE_EINTERNAL);

	/* First transport message: endpoint to hub (the AUTH in real use). */
	kp_set_init(&end);
	kp_set_init(&hubset);
	kp_set_install(&end, &ki);
	kp_set_install(&hubset, &kr);
	memcpy(buf + 16, "\x01hello", 6);
	assert_int_equal(kp_seal(kp_set_sender(&end, T0), WIRE_MSG_CONTROL, buf,
			     6, sizeof buf, &n, T0, NULL),
	    WIRE_OK);
	assert_int_equal(kp_set_open(&hubset, buf, n, T0, &rx), WIRE_OK);
	assert_memory_equal(rx.payload, "\x01hello", 6);
	assert_int_equal(rx.type, WIRE_MSG_CONTROL);
	memcpy(buf + 16, "\x03ok", 3);
	assert_int_equal(kp_seal(kp_set_sender(&hubset, T0), WIRE_MSG_CONTROL,
			     buf, 3, sizeof buf, &n, T0, NULL),
	    WIRE_OK);
	assert_int_equal(kp_set_open(&end, buf, n, T0, &rx), WIRE_OK);
	assert_memory_equal(rx.payload, "\x03ok", 3);
	kp_set_clear(&end);
	kp_set_clear(&hubset);
}

static void
test_status_refused(void **state)
{
	struct hs ini, rsp;
	struct wire_hello hello, tun = { WIRE_VERSION, WIRE_MODE_TUN },
				 v2 = { 2, 0x77 };
	struct keypair ki;
	uint8_t init[WIRE_INIT_LEN], resp[WIRE_RESP_LEN], status = 0;

	(void)state;
	assert_int_equal(hs_init_create(&ini, &hub.id, psk, &tun, 7, NULL,
			     init),
	    WIRE_OK);
	assert_int_equal(hs_init_consume(&rsp, &hub, psk, init, sizeof init,
			     NULL, &hello),
	    WIRE_OK);
	assert_int_equal(hs_hello_status(&hello, WIRE_MODE_TAP),
	    WIRE_STATUS_MODE);
	assert_int_equal(hs_resp_create(&rsp, &hub, 9, WIRE_STATUS_MODE, T0,
			     resp, NULL),
	    WIRE_OK);
	memset(&ki, 0, sizeof ki);
	assert_int_equal(hs_resp_consume(&ini, &hub.id, resp, sizeof resp, T0,
			     &status, &ki),
	    WIRE_EREFUSED);
	assert_int_equal(status, WIRE_STATUS_MODE);
	assert_false(ki.valid);

	/* A future version's hello decodes so the hub can say why. */
	assert_int_equal(hs_init_create(&ini, &hub.id, psk, &v2, 7, NULL, init),
	    WIRE_OK);
	assert_int_equal(hs_init_consume(&rsp, &hub, psk, init, sizeof init,
			     NULL, &hello),
	    WIRE_OK);
	assert_int_equal(hello.version, 2);
	assert_int_equal(hs_hello_status(&hello, WIRE_MODE_TAP),
	    WIRE_STATUS_VERSION);
	hs_clear(&rsp);
	hs_clear(&ini);
	/* Our own version with a bad mode is refused when encoding. */
	v2.version = WIRE_VERSION;
	assert_int_equal(hs_init_create(&ini, &hub.id, psk, &v2, 7, NULL, init),
	    WIRE_EVALUE);
}

static void
test_wrong_psk(void **state)
{
	struct hs ini, rsp;
	struct wire_hello hello;
	uint8_t init[WIRE_INIT_LEN], zero[HS_PSK_LEN] = { 0 };

	(void)state;
	make_init(&ini, NULL, init);
	/* mac1 passes (it does not involve the PSK); the AEAD does not. */
	assert_int_equal(cookie_check_mac1(&hub.id.ck, init, sizeof init),
	    WIRE_OK);
	assert_int_equal(hs_init_consume(&rsp, &hub, zero, init, sizeof init,
			     NULL, &hello),
	    WIRE_EDECRYPT);
	/* And the failed attempt left nothing behind. */
	assert_true(prim_is_zero(&rsp, sizeof rsp.noise.ss));
	hs_clear(&ini);
}

static void
test_wrong_keys(void **state)
{
	struct hs ini, rsp;
	struct wire_hello hello;
	struct hs_hub_pub mixed_pub;
	struct hs_hub mixed;
	uint8_t init[WIRE_INIT_LEN];

	(void)state;
	/* The endpoint pinned another hub's key: mac1 fails at once. */
	assert_int_equal(hs_init_create(&ini, &other.id, psk, &hello_tap, 1,
			     NULL, init),
	    WIRE_OK);
	assert_int_equal(hs_init_consume(&rsp, &hub, psk, init, sizeof init,
			     NULL, &hello),
	    WIRE_EMAC1);
	/* Someone with our public key for mac1 but another static. */
	mixed_pub = other.id;
	mixed_pub.ck = hub.id.ck;
	assert_int_equal(hs_init_create(&ini, &mixed_pub, psk, &hello_tap, 1,
			     NULL, init),
	    WIRE_OK);
	assert_int_equal(hs_init_consume(&rsp, &hub, psk, init, sizeof init,
			     NULL, &hello),
	    WIRE_EDECRYPT);
	/* A hub holding another private key: its mac1 key differs... */
	make_init(&ini, NULL, init);
	assert_int_equal(hs_init_consume(&rsp, &other, psk, init, sizeof init,
			     NULL, &hello),
	    WIRE_EMAC1);
	/* ...and even given our public identity, es does not match. */
	mixed = other;
	mixed.id = hub.id;
	assert_int_equal(hs_init_consume(&rsp, &mixed, psk, init, sizeof init,
			     NULL, &hello),
	    WIRE_EDECRYPT);
	hs_hub_clear(&mixed);
	assert_true(prim_is_zero(&mixed, sizeof mixed));
	hs_clear(&ini);
}

static void
test_low_order_e(void **state)
{
	struct hs ini, rsp;
	struct wire_hello hello;
	uint8_t init[WIRE_INIT_LEN];

	(void)state;
	make_init(&ini, NULL, init);
	/* e = 0 (a low-order point), mac1 recomputed as anyone could. */
	memset(init + WIRE_INIT_E, 0, 32);
	assert_int_equal(cookie_add_macs(&hub.id.ck, init, sizeof init, NULL),
	    WIRE_OK);
	assert_int_equal(hs_init_consume(&rsp, &hub, psk, init, sizeof init,
			     NULL, &hello),
	    WIRE_EDH);
	hs_clear(&ini);
}

static enum wire_err
init_expect(size_t i, bool under_load)
{
	if (i == 0)
		return WIRE_ETYPE;
	if (i < WIRE_HDR_LEN)
		return WIRE_ERESERVED;
	if (i < WIRE_INIT_MAC2)
		return WIRE_EMAC1;
	return under_load ? WIRE_EMAC2 : WIRE_OK;
}

static void
test_init_bit_flips(void **state)
{
	struct hs ini, rsp;
	struct wire_hello hello;
	uint8_t init[WIRE_INIT_LEN], m[WIRE_INIT_LEN], cookie[16];
	uint8_t secret[COOKIE_SECRET_LEN], src[] = { 192, 0, 2, 1, 0x17, 0xeb };
	size_t i;
	int bit;

	(void)state;
	assert_int_equal(prim_random(secret, sizeof secret), 0);
	assert_int_equal(cookie_make(cookie, secret, src, sizeof src), 0);
	make_init(&ini, cookie, init);
	for (i = 0; i < sizeof init; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(m, init, sizeof m);
			m[i] ^= (uint8_t)(1 << bit);
			/* Under load, mac2 covers everything. */
			assert_int_equal(hs_init_consume(&rsp, &hub, psk, m,
					     sizeof m, cookie, &hello),
			    init_expect(i, true));
			/*
			 * Not under load mac2 is not looked at (as in
			 * WireGuard): a flip there is harmless.
			 */
			assert_int_equal(hs_init_consume(&rsp, &hub, psk, m,
					     sizeof m, NULL, &hello),
			    init_expect(i, false));
			hs_clear(&rsp);
		}
	}
	/*
	 * Flip and recompute mac1 (mac1 is no secret): the Noise transcript
	 * catches e and the sealed hello. The sender index is outside it,
	 * as in WireGuard; changing it only misroutes the answer.
	 */
	for (i = WIRE_INIT_SENDER; i < WIRE_INIT_MAC1; i++) {
		for (bit = 0; bit < 8; bit++) {
			enum wire_err e;

			memcpy(m, init, sizeof m);
			m[i] ^= (uint8_t)(1 << bit);
			assert_int_equal(cookie_add_macs(&hub.id.ck, m,
					     sizeof m, NULL),
			    WIRE_OK);
			e = hs_init_consume(&rsp, &hub, psk, m, sizeof m, NULL,
			    &hello);
			if (i < WIRE_INIT_E) {
				assert_int_equal(e, WIRE_OK);
				assert_int_not_equal(rsp.remote_index,
				    0x01020304);
			} else
				assert_int_equal(e, WIRE_EDECRYPT);
			hs_clear(&rsp);
		}
	}
	/* The unmodified message still goes through after all that. */
	assert_int_equal(hs_init_consume(&rsp, &hub, psk, init, sizeof init,
			     cookie, &hello),
	    WIRE_OK);
	hs_clear(&rsp);
	hs_clear(&ini);
}

static enum wire_err
resp_expect(size_t i)
{
	if (i == 0)
		return WIRE_ETYPE;
	if (i < WIRE_HDR_LEN)
		return WIRE_ERESERVED;
	if (i < WIRE_RESP_MAC2)
		return WIRE_EMAC1;
	return WIRE_EMAC2;
}

static void
test_resp_bit_flips(void **state)
{
	struct hs ini;
	struct keypair ki, kr;
	uint8_t init[WIRE_INIT_LEN], resp[WIRE_RESP_LEN], m[WIRE_RESP_LEN];
	uint8_t status;
	size_t i;
	int bit;

	(void)state;
	make_init(&ini, NULL, init);
	hub_answer(init, resp, &kr);
	for (i = 0; i < sizeof resp; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(m, resp, sizeof m);
			m[i] ^= (uint8_t)(1 << bit);
			assert_int_equal(hs_resp_consume(&ini, &hub.id, m,
					     sizeof m, T0, &status, &ki),
			    resp_expect(i));
		}
	}
	/* With mac1 recomputed: index check, then the transcript. */
	for (i = WIRE_RESP_RECEIVER; i < WIRE_RESP_MAC1; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(m, resp, sizeof m);
			m[i] ^= (uint8_t)(1 << bit);
			assert_int_equal(cookie_add_macs(&hub.id.ck, m,
					     sizeof m, NULL),
			    WIRE_OK);
			assert_int_equal(hs_resp_consume(&ini, &hub.id, m,
					     sizeof m, T0, &status, &ki),
			    i < WIRE_RESP_E ? WIRE_EINDEX : WIRE_EDECRYPT);
		}
	}
	/* None of those forgeries spent the handshake: the real one works. */
	assert_int_equal(hs_resp_consume(&ini, &hub.id, resp, sizeof resp, T0,
			     &status, &ki),
	    WIRE_OK);
	kp_clear(&ki);
	kp_clear(&kr);
}

static void
test_truncated(void **state)
{
	struct hs ini, rsp;
	struct wire_hello hello;
	struct keypair ki, kr;
	uint8_t init[WIRE_INIT_LEN + 1], resp[WIRE_RESP_LEN + 1], status;
	uint8_t cr[WIRE_COOKIE_REPLY_LEN + 1], cookie[16] = { 1 }, out[16];
	size_t n;

	(void)state;
	make_init(&ini, NULL, init);
	init[WIRE_INIT_LEN] = 0;
	for (n = 0; n < WIRE_INIT_LEN; n++)
		assert_int_equal(hs_init_consume(&rsp, &hub, psk, init, n, NULL,
				     &hello),
		    WIRE_ESHORT);
	assert_int_equal(hs_init_consume(&rsp, &hub, psk, init,
			     WIRE_INIT_LEN + 1, NULL, &hello),
	    WIRE_ELONG);

	hub_answer(init, resp, &kr);
	resp[WIRE_RESP_LEN] = 0;
	for (n = 0; n < WIRE_RESP_LEN; n++)
		assert_int_equal(hs_resp_consume(&ini, &hub.id, resp, n, T0,
				     &status, &ki),
		    WIRE_ESHORT);
	assert_int_equal(hs_resp_consume(&ini, &hub.id, resp, WIRE_RESP_LEN + 1,
			     T0, &status, &ki),
	    WIRE_ELONG);

	assert_int_equal(cookie_reply_create(&hub.id.ck, 0x01020304, ini.mac1,
			     cookie, cr),
	    WIRE_OK);
	cr[WIRE_COOKIE_REPLY_LEN] = 0;
	for (n = 0; n < WIRE_COOKIE_REPLY_LEN; n++)
		assert_int_equal(cookie_reply_consume(&hub.id.ck, cr, n,
				     0x01020304, ini.mac1, out),
		    WIRE_ESHORT);
	assert_int_equal(cookie_reply_consume(&hub.id.ck, cr,
			     WIRE_COOKIE_REPLY_LEN + 1, 0x01020304, ini.mac1,
			     out),
	    WIRE_ELONG);

	/* And the whole messages still work. */
	assert_int_equal(cookie_reply_consume(&hub.id.ck, cr,
			     WIRE_COOKIE_REPLY_LEN, 0x01020304, ini.mac1, out),
	    WIRE_OK);
	assert_int_equal(hs_resp_consume(&ini, &hub.id, resp, WIRE_RESP_LEN, T0,
			     &status, &ki),
	    WIRE_OK);
	kp_clear(&ki);
	kp_clear(&kr);
}

static void
test_transport_replay_and_old(void **state)
{
	static uint8_t first[64], buf[64], again[64];
	struct hs ini;
	struct keypair ki, kr;
	struct kp_rx rx;
	uint8_t init[WIRE_INIT_LEN], resp[WIRE_RESP_LEN], status;
	size_t n0 = 0, n = 0;
	int i;

	(void)state;
	make_init(&ini, NULL, init);
	hub_answer(init, resp, &kr);
	assert_int_equal(hs_resp_consume(&ini, &hub.id, resp, sizeof resp, T0,
			     &status, &ki),
	    WIRE_OK);

	assert_int_equal(kp_seal(&ki, WIRE_MSG_DATA, first, 4, sizeof first,
			     &n0, T0, NULL),
	    WIRE_OK);
	memcpy(again, first, n0);
	assert_int_equal(kp_open(&kr, first, n0, T0, &rx), WIRE_OK);
	assert_int_equal(kp_open(&kr, again, n0, T0, &rx), WIRE_EREPLAY);
	for (i = 0; i <= REPLAY_WINDOW + 1; i++)
		assert_int_equal(kp_seal(&ki, WIRE_MSG_DATA, buf, 4, sizeof buf,
				     &n, T0, NULL),
		    WIRE_OK);
	assert_int_equal(kp_open(&kr, buf, n, T0, &rx), WIRE_OK);
	/* Reseal counter 1 under the real key: valid tag, too old. */
	ki.send_counter = 1;
	assert_int_equal(kp_seal(&ki, WIRE_MSG_DATA, buf, 4, sizeof buf, &n, T0,
			     NULL),
	    WIRE_OK);
	assert_int_equal(kp_open(&kr, buf, n, T0, &rx), WIRE_EOLD);
	kp_clear(&ki);
	kp_clear(&kr);
}

static void
test_cookie_under_load(void **state)
{
	struct hs ini, rsp;
	struct wire_hello hello;
	struct keypair ki, kr;
	uint8_t init[WIRE_INIT_LEN], resp[WIRE_RESP_LEN];
	uint8_t cr[WIRE_COOKIE_REPLY_LEN], bad[WIRE_COOKIE_REPLY_LEN];
	uint8_t r1[COOKIE_SECRET_LEN], r2[COOKIE_SECRET_LEN];
	uint8_t src[COOKIE_ADDR_MAX], src2[COOKIE_ADDR_MAX];
	uint8_t hubcookie[16], got[16], mac1[16], status;
	uint8_t resp_init_scratch[WIRE_INIT_LEN];
	struct addr a, a2;
	size_t sl, sl2;

	(void)state;
	assert_int_equal(addr_parse("198.51.100.7", &a), 0);
	assert_int_equal(addr_parse("2001:db8::7", &a2), 0);
	sl = cookie_addr_blob(src, &a, 40000);
	sl2 = cookie_addr_blob(src2, &a2, 40000);
	assert_int_equal(sl, 6);
	assert_int_equal(sl2, 18);
	assert_int_equal(prim_random(r1, sizeof r1), 0);
	assert_int_equal(prim_random(r2, sizeof r2), 0);

	/* Under load, an INIT without mac2 gets a cookie reply. */
	make_init(&ini, NULL, init);
	assert_int_equal(cookie_make(hubcookie, r1, src, sl), 0);
	assert_int_equal(hs_init_consume(&rsp, &hub, psk, init, sizeof init,
			     hubcookie, &hello),
	    WIRE_EMAC2);
	assert_int_equal(hs_cookie_reply(&hub, init, hubcookie, cr), WIRE_OK);
	assert_int_equal(cr[0], WIRE_MSG_COOKIE);
	assert_int_equal(wire_get_u32(cr + WIRE_COOKIE_RECEIVER),
	    ini.local_index);

	/* The reply is bound to our INIT's mac1 and index. */
	memcpy(mac1, ini.mac1, sizeof mac1);
	mac1[0] ^= 1;
	assert_int_equal(cookie_reply_consume(&hub.id.ck, cr, sizeof cr,
			     ini.local_index, mac1, got),
	    WIRE_EDECRYPT);
	assert_int_equal(cookie_reply_consume(&hub.id.ck, cr, sizeof cr,
			     ini.local_index + 1, ini.mac1, got),
	    WIRE_EINDEX);
	assert_int_equal(cookie_reply_consume(&other.id.ck, cr, sizeof cr,
			     ini.local_index, ini.mac1, got),
	    WIRE_EDECRYPT);
	memcpy(bad, cr, sizeof bad);
	bad[WIRE_COOKIE_NONCE] ^= 1;
	assert_int_equal(cookie_reply_consume(&hub.id.ck, bad, sizeof bad,
			     ini.local_index, ini.mac1, got),
	    WIRE_EDECRYPT);
	bad[WIRE_COOKIE_NONCE] ^= 1;
	bad[2] = 1;
	assert_int_equal(cookie_reply_consume(&hub.id.ck, bad, sizeof bad,
			     ini.local_index, ini.mac1, got),
	    WIRE_ERESERVED);
	assert_int_equal(hs_cookie_consume(&ini, &hub.id, cr, sizeof cr, got),
	    WIRE_OK);
	assert_memory_equal(got, hubcookie, 16);
	/* A reply to an INIT we no longer have pending is no use. */
	make_init(&rsp, NULL, resp_init_scratch);
	assert_int_equal(hs_cookie_consume(&rsp, &hub.id, cr, sizeof cr, mac1),
	    WIRE_EDECRYPT);
	hs_clear(&rsp);

	/* The retry carries mac2 and is accepted under load. */
	make_init(&ini, got, init);
	assert_int_equal(hs_init_consume(&rsp, &hub, psk, init, sizeof init,
			     hubcookie, &hello),
	    WIRE_OK);
	assert_int_equal(hs_resp_create(&rsp, &hub, 55, WIRE_STATUS_OK, T0,
			     resp, &kr),
	    WIRE_OK);
	assert_int_equal(hs_resp_consume(&ini, &hub.id, resp, sizeof resp, T0,
			     &status, &ki),
	    WIRE_OK);
	kp_clear(&ki);
	kp_clear(&kr);

	/* The same cookie from another source address is no good. */
	make_init(&ini, got, init);
	assert_int_equal(cookie_make(hubcookie, r1, src2, sl2), 0);
	assert_int_equal(hs_init_consume(&rsp, &hub, psk, init, sizeof init,
			     hubcookie, &hello),
	    WIRE_EMAC2);
	/* After the hub replaced R, the old cookie is stale. */
	assert_int_equal(cookie_make(hubcookie, r2, src, sl), 0);
	assert_int_equal(hs_init_consume(&rsp, &hub, psk, init, sizeof init,
			     hubcookie, &hello),
	    WIRE_EMAC2);
	/* Not under load, mac2 does not matter. */
	assert_int_equal(hs_init_consume(&rsp, &hub, psk, init, sizeof init,
			     NULL, &hello),
	    WIRE_OK);
	hs_clear(&rsp);
	hs_clear(&ini);

	/* The endpoint stops using a cookie before R can change. */
	assert_true(cookie_usable(T0, T0));
	assert_true(cookie_usable(T0, T0 + 114999));
	assert_false(cookie_usable(T0, T0 + 115000));
	assert_false(cookie_usable(T0, T0 - 1));
}

static void
test_psk_derive(void **state)
{
	uint8_t a[32], b[32], raw[32];
	char hex[65];
	int i;

	(void)state;
	assert_int_equal(hs_psk_derive(a, NULL), 0);
	assert_true(prim_is_zero(a, 32));
	assert_int_equal(hs_psk_derive(a, ""), 0);
	assert_true(prim_is_zero(a, 32));
	assert_int_equal(hs_psk_derive(a, "secret16charskey"), 0);
	assert_int_equal(hs_psk_derive(b, "secret16charskez"), 0);
	assert_false(prim_is_zero(a, 32));
	assert_memory_not_equal(a, b, 32);
	/* SHA-256("vland psk v1" || key), as PROTOCOL.md says. */
	assert_int_equal(prim_sha256(b, "vland psk v1", 12, "secret16charskey",
			     16),
	    0);
	assert_memory_equal(a, b, 32);
	/* A 64-hex key is used as it is. */
	for (i = 0; i < 32; i++)
		raw[i] = (uint8_t)(i * 9 + 1);
	key_to_hex(hex, raw);
	assert_int_equal(hs_psk_derive(a, hex), 0);
	assert_memory_equal(a, raw, 32);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_status_refused),
		cmocka_unit_test(test_wrong_psk),
		cmocka_unit_test(test_wrong_keys),
		cmocka_unit_test(test_low_order_e),
		cmocka_unit_test(test_init_bit_flips),
		cmocka_unit_test(test_resp_bit_flips),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_transport_replay_and_old),
		cmocka_unit_test(test_cookie_under_load),
		cmocka_unit_test(test_psk_derive),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
