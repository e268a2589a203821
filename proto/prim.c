/*
 * EVP wrappers. Each call creates and frees its OpenSSL objects: these
 * run once or a few times per handshake, never per data packet (the data
 * path is aead.c, which keeps its contexts).
 */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "keyfile.h"
#include "prim.h"

int
prim_sha256(uint8_t out[PRIM_HASHLEN], const void *a, size_t alen,
    const void *b, size_t blen)
{
	EVP_MD_CTX *ctx;
	unsigned int len = 0;
	int rc = -1;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	if (EVP_DigestInit_ex2(ctx, EVP_sha256(), NULL) == 1 &&
	    (alen == 0 || EVP_DigestUpdate(ctx, a, alen) == 1) &&
	    (blen == 0 || EVP_DigestUpdate(ctx, b, blen) == 1) &&
	    EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == PRIM_HASHLEN)
		rc = 0;
	EVP_MD_CTX_free(ctx);
	return rc;
}

int
prim_hmac(uint8_t out[PRIM_HASHLEN], const uint8_t *key, size_t keylen,
    const void *data, size_t len)
{
	size_t outlen = 0;

	if (EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, keylen, data,
		len, out, PRIM_HASHLEN, &outlen) == NULL ||
	    outlen != PRIM_HASHLEN)
		return -1;
	return 0;
}

int
prim_x25519(uint8_t out[PRIM_DHLEN], const uint8_t priv[PRIM_DHLEN],
    const uint8_t pub[PRIM_DHLEN])
{
	EVP_PKEY *sk = NULL, *pk = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	size_t len = PRIM_DHLEN;
	int rc = -1;

	sk = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv,
	    PRIM_DHLEN);
	pk =
	    EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, pub, PRIM_DHLEN);
	if (sk == NULL || pk == NULL)
		goto out;
	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, sk, NULL)) == NULL)
		goto out;
	if (EVP_PKEY_derive_init(ctx) != 1 ||
	    EVP_PKEY_derive_set_peer(ctx, pk) != 1 ||
	    EVP_PKEY_derive(ctx, out, &len) != 1 || len != PRIM_DHLEN)
		goto out;
	/* OpenSSL already refuses a zero result; do not depend on it. */
	if (prim_is_zero(out, PRIM_DHLEN))
		goto out;
	rc = 0;
out:
	if (rc != 0)
		OPENSSL_cleanse(out, PRIM_DHLEN);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	EVP_PKEY_free(sk);
	return rc;
}

int
prim_x25519_pub(uint8_t pub[PRIM_DHLEN], const uint8_t priv[PRIM_DHLEN])
{
	/* One derivation for the daemon, vlanctl pubkey and Noise. */
	return key_public(pub, priv);
}

int
prim_random(void *buf, size_t len)
{
	if (len > INT32_MAX)
		return -1;
	return RAND_priv_bytes(buf, (int)len) == 1 ? 0 : -1;
}

bool
prim_equal(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}

bool
prim_is_zero(const void *buf, size_t len)
{
	const volatile uint8_t *p = buf;
	uint8_t acc = 0;
	size_t i;

	for (i = 0; i < len; i++)
		acc |= p[i];
	return acc == 0;
}

void
prim_wipe(void *buf, size_t len)
{
	OPENSSL_cleanse(buf, len);
}
