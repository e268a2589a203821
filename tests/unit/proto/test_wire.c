/*
 * Framing: header checks, hello codec, transport header, and
 * known-answer tests for mac1, mac2, the cookie, the cookie reply and a
 * sealed transport message. The expected bytes were computed outside
 * this code base (Python hashlib/hmac and pyca/cryptography), so they
 * check our reading of the layouts, not just round trips.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "aead.h"
#include "cookie.h"
#include "keypair.h"
#include "prim.h"
#include "wire.h"

static void
unhex(uint8_t *out, size_t len, const char *s)
{
	size_t i;
	unsigned x;

	assert_int_equal(strlen(s), 2 * len);
	for (i = 0; i < len; i++) {
		assert_int_equal(sscanf(s + 2 * i, "%2x", &x), 1);
		out[i] = (uint8_t)x;
	}
}

static void
test_sizes(void **state)
{
	(void)state;
	assert_int_equal(WIRE_INIT_LEN, 104);
	assert_int_equal(WIRE_RESP_LEN, 93);
	assert_int_equal(WIRE_COOKIE_REPLY_LEN, 52);
	assert_int_equal(WIRE_TRANSPORT_HDR_LEN, 16);
	assert_int_equal(WIRE_TRANSPORT_OVERHEAD, 32);
}

static void
test_msg_type(void **state)
{
	uint8_t m[8] = { 0 }, t = 0;
	int i;

	(void)state;
	assert_int_equal(wire_msg_type(m, 3, &t), WIRE_ESHORT);
	for (i = 0; i < 256; i++) {
		m[0] = (uint8_t)i;
		assert_int_equal(wire_msg_type(m, 4, &t),
		    i >= 1 && i <= 8 ? WIRE_OK : WIRE_ETYPE);
		if (i >= 1 && i <= 8)
			assert_int_equal(t, i);
	}
	m[0] = WIRE_MSG_DATA;
	for (i = 1; i < 4; i++) {
		m[i] = 0x80;
		assert_int_equal(wire_msg_type(m, 4, &t), WIRE_ERESERVED);
		m[i] = 0;
	}
	/* Exact-length check: length first, then type. */
	m[0] = WIRE_MSG_INIT;
	assert_int_equal(wire_check_fixed(m, 8, WIRE_MSG_INIT, 8), WIRE_OK);
	assert_int_equal(wire_check_fixed(m, 7, WIRE_MSG_INIT, 8), WIRE_ESHORT);
	assert_int_equal(wire_check_fixed(m, 9, WIRE_MSG_INIT, 8), WIRE_ELONG);
	assert_int_equal(wire_check_fixed(m, 8, WIRE_MSG_RESP, 8), WIRE_ETYPE);
}

static void
test_le(void **state)
{
	uint8_t b[8];

	(void)state;
	wire_put_u64(b, 0x0102030405060708ULL);
	assert_memory_equal(b, "\x08\x07\x06\x05\x04\x03\x02\x01", 8);
	assert_true(wire_get_u64(b) == 0x0102030405060708ULL);
	wire_put_u32(b, 0xdeadbeef);
	assert_memory_equal(b, "\xef\xbe\xad\xde", 4);
	assert_int_equal(wire_get_u32(b), 0xdeadbeef);
	wire_put_u16(b, 0x1234);
	assert_memory_equal(b, "\x34\x12", 2);
	assert_int_equal(wire_get_u16(b), 0x1234);
}

static void
test_hello(void **state)
{
	struct wire_hello h = { WIRE_VERSION, WIRE_MODE_TUN }, g;
	uint8_t b[WIRE_HELLO_LEN];
	int i;

	(void)state;
	assert_int_equal(wire_hello_encode(&h, b), WIRE_OK);
	assert_int_equal(b[0], 1);
	assert_int_equal(b[1], 2);
	assert_true(prim_is_zero(b + 2, WIRE_HELLO_LEN - 2));
	assert_int_equal(wire_hello_decode(b, &g), WIRE_OK);
	assert_int_equal(g.mode, WIRE_MODE_TUN);
	for (i = 2; i < WIRE_HELLO_LEN; i++) {
		b[i] = 1;
		assert_int_equal(wire_hello_decode(b, &g), WIRE_ERESERVED);
		b[i] = 0;
	}
	b[1] = 3;
	assert_int_equal(wire_hello_decode(b, &g), WIRE_EVALUE);
	b[1] = 0;
	assert_int_equal(wire_hello_decode(b, &g), WIRE_EVALUE);
	/* Another version: decoded, not judged. */
	b[0] = 9;
	b[5] = 0xff;
	assert_int_equal(wire_hello_decode(b, &g), WIRE_OK);
	assert_int_equal(g.version, 9);
}

static void
test_transport_hdr(void **state)
{
	static uint8_t m[WIRE_MSG_MAX + 1];
	struct wire_transport_hdr h = { WIRE_MSG_DATA, 0x11223344, 77 }, g;

	(void)state;
	wire_transport_hdr_put(m, &h);
	assert_int_equal(wire_transport_hdr_get(m, 32, &g), WIRE_OK);
	assert_int_equal(g.receiver, 0x11223344);
	assert_true(g.counter == 77);
	assert_int_equal(wire_transport_hdr_get(m, 31, &g), WIRE_ESHORT);
	assert_int_equal(wire_transport_hdr_get(m, WIRE_MSG_MAX, &g), WIRE_OK);
	assert_int_equal(wire_transport_hdr_get(m, WIRE_MSG_MAX + 1, &g),
	    WIRE_ELONG);
	/* A control message always has an opcode. */
	m[0] = WIRE_MSG_CONTROL;
	assert_int_equal(wire_transport_hdr_get(m, 32, &g), WIRE_ESHORT);
	assert_int_equal(wire_transport_hdr_get(m, 33, &g), WIRE_OK);
	m[0] = WIRE_MSG_INIT;
	assert_int_equal(wire_transport_hdr_get(m, 104, &g), WIRE_ETYPE);
}

static void
test_strerror(void **state)
{
	int i, j;

	(void)state;
	for (i = 0; i < WIRE_NERR; i++) {
		assert_non_null(wire_strerror((enum wire_err)i));
		for (j = 0; j < i; j++)
			assert_string_not_equal(wire_strerror((enum wire_err)i),
			    wire_strerror((enum wire_err)j));
	}
	assert_string_equal(wire_strerror(WIRE_NERR), "unknown error");
}

/* Inputs of the known-answer tests. */
static void
kat_inputs(uint8_t pub[32], uint8_t msg[WIRE_INIT_LEN], uint8_t r[32])
{
	int i;

	for (i = 0; i < 32; i++) {
		pub[i] = (uint8_t)i;
		r[i] = (uint8_t)(32 + i);
	}
	for (i = 0; i < WIRE_INIT_LEN; i++)
		msg[i] = (uint8_t)(i * 7 + 3);
}

static void
test_kat_macs(void **state)
{
	struct cookie_keys ck;
	uint8_t pub[32], msg[WIRE_INIT_LEN], r[32], want[32], cookie[16];
	uint8_t blob[COOKIE_ADDR_MAX];
	struct addr a;
	size_t bl;

	(void)state;
	kat_inputs(pub, msg, r);
	assert_int_equal(cookie_keys_init(&ck, pub), 0);
	unhex(want, 32,
	    "2685f433a44e59dc48552e4acca8292cc4cbe354b59d66969a0f3be4"
	    "de9c8331");
	assert_memory_equal(ck.mac1_key, want, 32);
	unhex(want, 32,
	    "9364fbfe8f935a20aaa9c550e23a7556f37b509329a2e975b3718068"
	    "79919d2d");
	assert_memory_equal(ck.cookie_key, want, 32);

	assert_int_equal(addr_parse("192.0.2.1", &a), 0);
	bl = cookie_addr_blob(blob, &a, 6123);
	assert_int_equal(bl, 6);
	assert_memory_equal(blob, "\xc0\x00\x02\x01\x17\xeb", 6);
	assert_int_equal(cookie_make(cookie, r, blob, bl), 0);
	unhex(want, 16, "738cc66d88757efd224e46de3b9bfa6d");
	assert_memory_equal(cookie, want, 16);

	/* mac1 over bytes 0..72, mac2 over 0..88 with the cookie. */
	assert_int_equal(cookie_add_macs(&ck, msg, sizeof msg, cookie),
	    WIRE_OK);
	unhex(want, 16, "24b6dd26b5268816cdf1b2236c12fd1f");
	assert_memory_equal(msg + WIRE_INIT_MAC1, want, 16);
	unhex(want, 16, "938d52134d6f6532aa07f931c0f2d5a1");
	assert_memory_equal(msg + WIRE_INIT_MAC2, want, 16);
	assert_int_equal(cookie_check_mac1(&ck, msg, sizeof msg), WIRE_OK);
	assert_int_equal(cookie_check_mac2(cookie, msg, sizeof msg), WIRE_OK);
	cookie[15] ^= 1;
	assert_int_equal(cookie_check_mac2(cookie, msg, sizeof msg),
	    WIRE_EMAC2);
	/* Without a cookie mac2 is zeros. */
	assert_int_equal(cookie_add_macs(&ck, msg, sizeof msg, NULL), WIRE_OK);
	assert_true(prim_is_zero(msg + WIRE_INIT_MAC2, 16));
	unhex(want, 16, "24b6dd26b5268816cdf1b2236c12fd1f");
	assert_memory_equal(msg + WIRE_INIT_MAC1, want, 16);
	assert_int_equal(cookie_addr_blob(blob, &(struct addr){ 0 }, 1), 0);
}

static void
test_kat_cookie_reply(void **state)
{
	struct cookie_keys ck;
	uint8_t pub[32], msg[WIRE_INIT_LEN], r[32], reply[52], got[16];
	uint8_t mac1[16], cookie[16], mine[52];

	(void)state;
	kat_inputs(pub, msg, r);
	assert_int_equal(cookie_keys_init(&ck, pub), 0);
	unhex(reply, 52,
	    "03000000040302016465666768696a6b6c6d6e6f68b9c3dfc20ebfcd"
	    "20b778571d2f74bfe2d255e9e5af8e07c1dddb36e4628420");
	unhex(mac1, 16, "24b6dd26b5268816cdf1b2236c12fd1f");
	unhex(cookie, 16, "738cc66d88757efd224e46de3b9bfa6d");
	assert_int_equal(cookie_reply_consume(&ck, reply, sizeof reply,
			     0x01020304, mac1, got),
	    WIRE_OK);
	assert_memory_equal(got, cookie, 16);
	/* Ours: same layout, random nonce, opens the same way. */
	assert_int_equal(cookie_reply_create(&ck, 0x01020304, mac1, cookie,
			     mine),
	    WIRE_OK);
	assert_memory_equal(mine, reply, 8);
	assert_memory_not_equal(mine + 8, reply + 8, 12);
	memset(got, 0, sizeof got);
	assert_int_equal(cookie_reply_consume(&ck, mine, sizeof mine,
			     0x01020304, mac1, got),
	    WIRE_OK);
	assert_memory_equal(got, cookie, 16);
}

static void
test_kat_transport(void **state)
{
	struct keypair kp;
	struct kp_rx rx;
	uint8_t key[32], other[32], buf[64], want[48];
	size_t n = 0;
	int i;

	(void)state;
	for (i = 0; i < 32; i++)
		key[i] = (uint8_t)(64 + i);
	memset(other, 0x55, sizeof other);
	unhex(want, 48,
	    "05000000efbeadde0807060504030201050da56bf5b2415bb6ce44d5"
	    "6b6a9a3689b56f9466c09048e7ab2af82dbe4eb6");
	assert_int_equal(kp_init(&kp, key, other, 1, 0xdeadbeef, true, 0), 0);
	kp.send_counter = 0x0102030405060708ULL;
	memcpy(buf + 16, "\x06vland transport", 16);
	assert_int_equal(kp_seal(&kp, WIRE_MSG_CONTROL, buf, 16, sizeof buf, &n,
			     0, NULL),
	    WIRE_OK);
	assert_int_equal(n, 48);
	assert_memory_equal(buf, want, 48);
	kp_clear(&kp);

	/* And it opens on the receiving side (keys swapped). */
	assert_int_equal(kp_init(&kp, other, key, 0xdeadbeef, 1, false, 0), 0);
	assert_int_equal(kp_open(&kp, want, 48, 0, &rx), WIRE_OK);
	assert_memory_equal(rx.payload, "\x06vland transport", 16);
	kp_clear(&kp);
}

/* RFC 8439 §2.8.2: the AEAD itself, with its own 12-byte nonce. */
static void
test_rfc8439(void **state)
{
	static const char pt[] =
	    "Ladies and Gentlemen of the class of '99: If I could offer you "
	    "only one tip for the future, sunscreen would be it.";
	uint8_t key[32], iv[12], ad[12], out[sizeof pt - 1 + 16], tag[16];
	uint8_t back[sizeof pt - 1];
	size_t len = sizeof pt - 1;
	int i;

	(void)state;
	for (i = 0; i < 32; i++)
		key[i] = (uint8_t)(0x80 + i);
	unhex(iv, 12, "070000004041424344454647");
	unhex(ad, 12, "50515253c0c1c2c3c4c5c6c7");
	unhex(tag, 16, "1ae10b594f09e26a7e902ecbd0600691");
	assert_int_equal(aead_seal_once(key, iv, ad, sizeof ad,
			     (const uint8_t *)pt, len, out),
	    0);
	assert_memory_equal(out + len, tag, 16);
	unhex(back, 16, "d31a8d34648e60db7b86afbc53ef7ec2");
	assert_memory_equal(out, back, 16);
	assert_int_equal(aead_open_once(key, iv, ad, sizeof ad, out, sizeof out,
			     back),
	    0);
	assert_memory_equal(back, pt, len);
	out[3] ^= 1;
	assert_int_not_equal(aead_open_once(key, iv, ad, sizeof ad, out,
				 sizeof out, back),
	    0);
	assert_int_not_equal(aead_open_once(key, iv, ad, sizeof ad, out, 15,
				 back),
	    0);
}

/* The data-path context is reused: many packets, sizes, both ways. */
static void
test_aead_reuse(void **state)
{
	static uint8_t buf[2000 + 16], ref[2000 + 16];
	struct aead s, o;
	uint8_t key[32], iv[12];
	size_t len;
	uint64_t n;

	(void)state;
	assert_int_equal(prim_random(key, sizeof key), 0);
	assert_int_equal(aead_init(&s, key, true), 0);
	assert_int_equal(aead_init(&o, key, false), 0);
	/* A context is one direction only. */
	assert_int_not_equal(aead_open(&s, 0, NULL, 0, buf, 0, buf), 0);
	assert_int_not_equal(aead_seal(&o, 0, NULL, 0, buf, 0, buf), 0);
	for (n = 0, len = 0; len <= 2000; n++, len += 37) {
		memset(buf, (int)n, len);
		assert_int_equal(aead_seal(&s, n, (const uint8_t *)"ad", 2, buf,
				     len, buf + len),
		    0);
		/* Same as a fresh one-shot context. */
		memset(ref, (int)n, len);
		aead_nonce(iv, n);
		assert_int_equal(aead_seal_once(key, iv, (const uint8_t *)"ad",
				     2, ref, len, ref),
		    0);
		assert_memory_equal(buf, ref, len + 16);
		/* A failed open leaves the context usable. */
		buf[len] ^= 1;
		assert_int_not_equal(aead_open(&o, n, (const uint8_t *)"ad", 2,
					 buf, len, buf + len),
		    0);
		memcpy(buf, ref, len + 16);
		assert_int_equal(aead_open(&o, n, (const uint8_t *)"ad", 2, buf,
				     len, buf + len),
		    0);
		if (len > 0)
			assert_int_equal(buf[len - 1], (uint8_t)n);
	}
	aead_clear(&s);
	aead_clear(&o);
	aead_clear(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_msg_type),
		cmocka_unit_test(test_le),
		cmocka_unit_test(test_hello),
		cmocka_unit_test(test_transport_hdr),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_kat_macs),
		cmocka_unit_test(test_kat_cookie_reply),
		cmocka_unit_test(test_kat_transport),
		cmocka_unit_test(test_rfc8439),
		cmocka_unit_test(test_aead_reuse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
