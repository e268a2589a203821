/*
 * proto/aead.c builds ChaCha20-Poly1305 from OpenSSL's ChaCha20 and
 * Poly1305; here it must give, for every length from 0 to past a few
 * blocks and for the sizes the tunnel carries, the very bytes and tags
 * of OpenSSL's own ChaCha20-Poly1305 AEAD cipher, with the AD before
 * the message (as in a transport message) or elsewhere, of any length.
 * And what does not verify must not open, nor change the buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "aead.h"

static uint8_t key[AEAD_KEYLEN];

/* The reference: OpenSSL's AEAD cipher, as the RFC 8439 construction. */
static void
reference(uint64_t n, const uint8_t *ad, size_t adlen, const uint8_t *in,
    size_t len, uint8_t *out, uint8_t tag[AEAD_TAGLEN])
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	uint8_t iv[AEAD_NONCELEN];
	int outl;

	aead_nonce(iv, n);
	assert_non_null(c);
	assert_int_equal(EVP_EncryptInit_ex(c, EVP_chacha20_poly1305(), NULL,
			     key, iv),
	    1);
	if (adlen > 0)
		assert_int_equal(EVP_EncryptUpdate(c, NULL, &outl, ad,
				     (int)adlen),
		    1);
	if (len > 0)
		assert_int_equal(EVP_EncryptUpdate(c, out, &outl, in, (int)len),
		    1);
	assert_int_equal(EVP_EncryptFinal_ex(c, out + len, &outl), 1);
	assert_int_equal(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG,
			     AEAD_TAGLEN, tag),
	    1);
	EVP_CIPHER_CTX_free(c);
}

/* One message of len bytes with adlen of AD, contiguous or apart. */
static void
one(struct aead *s, struct aead *o, size_t len, size_t adlen, bool apart)
{
	static uint8_t pkt[64 + 9300 + AEAD_TAGLEN], want[9300], ad2[64],
	    plain[9300];
	uint8_t tag[AEAD_TAGLEN], wtag[AEAD_TAGLEN];
	uint8_t *ad = apart ? ad2 : pkt, *buf = pkt + (apart ? 0 : adlen);
	uint64_t n = len * 131 + adlen;
	size_t i;

	for (i = 0; i < len; i++)
		plain[i] = (uint8_t)(i * 13 + len);
	for (i = 0; i < adlen; i++)
		ad[i] = (uint8_t)(0xa5 ^ i);
	memcpy(buf, plain, len);
	reference(n, ad, adlen, plain, len, want, wtag);
	assert_int_equal(aead_seal(s, n, ad, adlen, buf, len, tag), 0);
	assert_memory_equal(buf, want, len);
	assert_memory_equal(tag, wtag, AEAD_TAGLEN);
	/* Opens, in place. */
	assert_int_equal(aead_open(o, n, ad, adlen, buf, len, tag), 0);
	assert_memory_equal(buf, plain, len);
	/* A wrong counter, tag, AD byte or ciphertext byte: refused, and
	 * the buffer is left as it was. */
	memcpy(buf, want, len);
	assert_int_equal(aead_open(o, n + 1, ad, adlen, buf, len, tag), -1);
	tag[len % AEAD_TAGLEN] ^= 0x10;
	assert_int_equal(aead_open(o, n, ad, adlen, buf, len, tag), -1);
	tag[len % AEAD_TAGLEN] ^= 0x10;
	if (adlen > 0) {
		ad[adlen - 1] ^= 1;
		assert_int_equal(aead_open(o, n, ad, adlen, buf, len, tag), -1);
		ad[adlen - 1] ^= 1;
	}
	if (len > 0) {
		buf[len / 2] ^= 0x80;
		assert_int_equal(aead_open(o, n, ad, adlen, buf, len, tag), -1);
		buf[len / 2] ^= 0x80;
	}
	assert_memory_equal(buf, want, len);
}

static void
test_against_openssl(void **state)
{
	static const size_t sizes[] = { 1023, 1024, 1025, 1400, 1406, 1420,
		1500, 9216 };
	static const size_t adlens[] = { 0, 5, 16, 32, 33 };
	struct aead s, o;
	size_t len, i;

	(void)state;
	for (i = 0; i < AEAD_KEYLEN; i++)
		key[i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(aead_init(&s, key, true), 0);
	assert_int_equal(aead_init(&o, key, false), 0);
	for (len = 0; len <= 200; len++)
		for (i = 0; i < sizeof(adlens) / sizeof(adlens[0]); i++) {
			one(&s, &o, len, adlens[i], false);
			one(&s, &o, len, adlens[i], true);
		}
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		one(&s, &o, sizes[i], 16, false);
		one(&s, &o, sizes[i], 13, true);
	}
	/* Each context works one way only. */
	{
		uint8_t b[8] = { 0 }, t[AEAD_TAGLEN];

		assert_int_equal(aead_seal(&o, 1, NULL, 0, b, 8, t), -1);
		assert_int_equal(aead_seal(&s, 1, NULL, 0, b, 8, t), 0);
		assert_int_equal(aead_open(&s, 1, NULL, 0, b, 8, t), -1);
	}
	aead_clear(&s);
	aead_clear(&o);
	aead_clear(&o);
}

/* The one-shot functions, out apart from in and out equal to in. */
static void
test_once(void **state)
{
	uint8_t iv[AEAD_NONCELEN] = { 9, 8, 7 }, in[300], out[300 + 16],
		want[300 + 16], back[300];
	int outl;
	size_t i;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();

	(void)state;
	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)i;
	assert_int_equal(EVP_EncryptInit_ex(c, EVP_chacha20_poly1305(), NULL,
			     key, iv),
	    1);
	assert_int_equal(EVP_EncryptUpdate(c, NULL, &outl, in, 7), 1);
	assert_int_equal(EVP_EncryptUpdate(c, want, &outl, in, 300), 1);
	assert_int_equal(EVP_EncryptFinal_ex(c, want + 300, &outl), 1);
	assert_int_equal(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, 16,
			     want + 300),
	    1);
	EVP_CIPHER_CTX_free(c);
	assert_int_equal(aead_seal_once(key, iv, in, 7, in, 300, out), 0);
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(aead_open_once(key, iv, in, 7, out, 316, back), 0);
	assert_memory_equal(back, in, 300);
	/* In place. */
	assert_int_equal(aead_open_once(key, iv, in, 7, out, 316, out), 0);
	assert_memory_equal(out, in, 300);
	assert_int_equal(aead_open_once(key, iv, in, 7, want, 15, back), -1);
	want[0] ^= 1;
	assert_int_equal(aead_open_once(key, iv, in, 7, want, 316, back), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_openssl),
		cmocka_unit_test(test_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
