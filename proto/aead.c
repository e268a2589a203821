/*
 * The EVP ChaCha20-Poly1305 provider keeps the key across an IV-only
 * re-initialisation (EVP_CipherInit_ex2 with a NULL cipher and key),
 * which resets the Poly1305 state and the lengths: that is what makes
 * the per-packet cost a nonce set plus the cipher itself.
 */
#include <openssl/evp.h>
#include <string.h>

#include "aead.h"
#include "prim.h"

void
aead_nonce(uint8_t iv[AEAD_NONCELEN], uint64_t n)
{
	int i;

	memset(iv, 0, 4);
	for (i = 0; i < 8; i++)
		iv[4 + i] = (uint8_t)(n >> (8 * i));
}

int
aead_init(struct aead *a, const uint8_t key[AEAD_KEYLEN], bool encrypt)
{
	EVP_CIPHER *c;
	int ok;

	a->ctx = NULL;
	if ((c = EVP_CIPHER_fetch(NULL, "ChaCha20-Poly1305", NULL)) == NULL)
		return -1;
	if ((a->ctx = EVP_CIPHER_CTX_new()) == NULL) {
		EVP_CIPHER_free(c);
		return -1;
	}
	ok = EVP_CipherInit_ex2(a->ctx, c, key, NULL, encrypt ? 1 : 0,
	    NULL);
	/* The context holds its own reference to the cipher. */
	EVP_CIPHER_free(c);
	if (ok != 1 || EVP_CIPHER_CTX_get_key_length(a->ctx) != AEAD_KEYLEN ||
	    EVP_CIPHER_CTX_get_iv_length(a->ctx) != AEAD_NONCELEN) {
		aead_clear(a);
		return -1;
	}
	return 0;
}

void
aead_clear(struct aead *a)
{
	/* EVP_CIPHER_CTX_free cleanses the provider context with the key. */
	EVP_CIPHER_CTX_free(a->ctx);
	a->ctx = NULL;
}

static int
aead_start(EVP_CIPHER_CTX *ctx, const uint8_t iv[AEAD_NONCELEN],
    const uint8_t *ad, size_t adlen)
{
	int outl;

	if (EVP_CipherInit_ex2(ctx, NULL, NULL, iv, -1, NULL) != 1)
		return -1;
	if (adlen > AEAD_MAXLEN)
		return -1;
	if (adlen > 0 &&
	    EVP_CipherUpdate(ctx, NULL, &outl, ad, (int)adlen) != 1)
		return -1;
	return 0;
}

static int
aead_seal_ctx(EVP_CIPHER_CTX *ctx, const uint8_t iv[AEAD_NONCELEN],
    const uint8_t *ad, size_t adlen, const uint8_t *in, uint8_t *out,
    size_t len, uint8_t tag[AEAD_TAGLEN])
{
	int outl;

	if (len > AEAD_MAXLEN || aead_start(ctx, iv, ad, adlen) != 0)
		return -1;
	if (len > 0 && (EVP_CipherUpdate(ctx, out, &outl, in, (int)len) != 1 ||
	    (size_t)outl != len))
		return -1;
	if (EVP_CipherFinal_ex(ctx, out + len, &outl) != 1 || outl != 0)
		return -1;
	if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, AEAD_TAGLEN,
		tag) != 1)
		return -1;
	return 0;
}

static int
aead_open_ctx(EVP_CIPHER_CTX *ctx, const uint8_t iv[AEAD_NONCELEN],
    const uint8_t *ad, size_t adlen, const uint8_t *in, uint8_t *out,
    size_t len, const uint8_t tag[AEAD_TAGLEN])
{
	uint8_t t[AEAD_TAGLEN];
	int outl;

	if (len > AEAD_MAXLEN || aead_start(ctx, iv, ad, adlen) != 0)
		return -1;
	if (len > 0 && (EVP_CipherUpdate(ctx, out, &outl, in, (int)len) != 1 ||
	    (size_t)outl != len))
		return -1;
	/* The ctrl takes a non-const pointer; the tag may be read-only. */
	memcpy(t, tag, sizeof t);
	if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, AEAD_TAGLEN, t) !=
	    1)
		return -1;
	if (EVP_CipherFinal_ex(ctx, out + len, &outl) != 1 || outl != 0)
		return -1;
	return 0;
}

int
aead_seal(struct aead *a, uint64_t n, const uint8_t *ad, size_t adlen,
    uint8_t *buf, size_t len, uint8_t tag[AEAD_TAGLEN])
{
	uint8_t iv[AEAD_NONCELEN];

	if (a->ctx == NULL || EVP_CIPHER_CTX_is_encrypting(a->ctx) != 1)
		return -1;
	aead_nonce(iv, n);
	return aead_seal_ctx(a->ctx, iv, ad, adlen, buf, buf, len, tag);
}

int
aead_open(struct aead *a, uint64_t n, const uint8_t *ad, size_t adlen,
    uint8_t *buf, size_t len, const uint8_t tag[AEAD_TAGLEN])
{
	uint8_t iv[AEAD_NONCELEN];

	if (a->ctx == NULL || EVP_CIPHER_CTX_is_encrypting(a->ctx) != 0)
		return -1;
	aead_nonce(iv, n);
	return aead_open_ctx(a->ctx, iv, ad, adlen, buf, buf, len, tag);
}

int
aead_seal_once(const uint8_t key[AEAD_KEYLEN],
    const uint8_t iv[AEAD_NONCELEN], const uint8_t *ad, size_t adlen,
    const uint8_t *in, size_t len, uint8_t *out)
{
	struct aead a;
	int rc;

	if (aead_init(&a, key, true) != 0)
		return -1;
	rc = aead_seal_ctx(a.ctx, iv, ad, adlen, in, out, len, out + len);
	aead_clear(&a);
	return rc;
}

int
aead_open_once(const uint8_t key[AEAD_KEYLEN],
    const uint8_t iv[AEAD_NONCELEN], const uint8_t *ad, size_t adlen,
    const uint8_t *in, size_t len, uint8_t *out)
{
	struct aead a;
	int rc;

	if (len < AEAD_TAGLEN)
		return -1;
	if (aead_init(&a, key, false) != 0)
		return -1;
	len -= AEAD_TAGLEN;
	rc = aead_open_ctx(a.ctx, iv, ad, adlen, in, out, len, in + len);
	aead_clear(&a);
	if (rc != 0)
		prim_wipe(out, len);
	return rc;
}
