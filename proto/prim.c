/*
 * EVP wrappers. Each call creates and frees its OpenSSL objects: these
 * run once or a few times per handshake, never per data packet (the data
 * path is aead.c, which keeps its contexts).
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

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

/*
 * One HMAC context for the process, its digest set once: EVP_Q_mac
 * fetched HMAC and SHA-256 again at every call (3.4 us a call here,
 * and a handshake makes a dozen).
 */
int
prim_hmac(uint8_t out[PRIM_HASHLEN], const uint8_t *key, size_t keylen,
    const void *data, size_t len)
{
	static EVP_MAC_CTX *ctx;
	static char digest[] = "SHA256";
	static const uint8_t nokey[PRIM_HASHLEN];
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string("digest", digest, 0),
		OSSL_PARAM_construct_end(),
	};
	size_t outlen = 0;
	EVP_MAC *mac;
	int rc;

	if (ctx == NULL) {
		if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
			return -1;
		ctx = EVP_MAC_CTX_new(mac);
		EVP_MAC_free(mac); /* the context holds its own reference */
		if (ctx == NULL)
			return -1;
		if (EVP_MAC_CTX_set_params(ctx, params) != 1) {
			EVP_MAC_CTX_free(ctx);
			ctx = NULL;
			return -1;
		}
	}
	rc = EVP_MAC_init(ctx, key, keylen, NULL) == 1 &&
		EVP_MAC_update(ctx, data, len) == 1 &&
		EVP_MAC_final(ctx, out, &outlen, PRIM_HASHLEN) == 1 &&
		outlen == PRIM_HASHLEN
	    ? 0
	    : -1;
	/* Keyed with a handshake's chaining key, the context would keep
	 * what derives its last output: keyed again with nothing. */
	(void)EVP_MAC_init(ctx, nokey, sizeof(nokey), NULL);
	return rc;
}

/*
 * Private keys as OpenSSL objects, kept for their next use: importing a
 * raw X25519 private key computes its public key, one scalar
 * multiplication, as dear as the DH itself (75 of the 158 us a DH took
 * here). A hub uses its static key at every INIT, and a handshake its
 * ephemeral once for the public key and again for the DH; two entries,
 * the least recently used replaced, keep both. Single-threaded, as the
 * daemons are. Compared in constant time; EVP_PKEY_free cleanses.
 */
#define PK_CACHE 2

static struct {
	uint8_t priv[PRIM_DHLEN];
	EVP_PKEY *pk; /* NULL: empty */
	uint64_t used;
} pkc[PK_CACHE];
static uint64_t pk_clock;

static void
pk_drop(size_t i)
{
	EVP_PKEY_free(pkc[i].pk);
	pkc[i].pk = NULL;
	OPENSSL_cleanse(pkc[i].priv, sizeof(pkc[i].priv));
}

/* priv as an EVP_PKEY that the cache owns, or NULL. */
static EVP_PKEY *
pk_get(const uint8_t priv[PRIM_DHLEN])
{
	size_t i, slot = 0;

	for (i = 0; i < PK_CACHE; i++)
		if (pkc[i].pk != NULL &&
		    CRYPTO_memcmp(pkc[i].priv, priv, PRIM_DHLEN) == 0) {
			pkc[i].used = ++pk_clock;
			return pkc[i].pk;
		}
	for (i = 0; i < PK_CACHE; i++) {
		if (pkc[i].pk == NULL) {
			slot = i;
			break;
		}
		if (pkc[i].used < pkc[slot].used)
			slot = i;
	}
	pk_drop(slot);
	pkc[slot].pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv,
	    PRIM_DHLEN);
	if (pkc[slot].pk == NULL)
		return NULL;
	memcpy(pkc[slot].priv, priv, PRIM_DHLEN);
	pkc[slot].used = ++pk_clock;
	return pkc[slot].pk;
}

void
prim_x25519_forget(const uint8_t priv[PRIM_DHLEN])
{
	size_t i;

	for (i = 0; i < PK_CACHE; i++)
		if (pkc[i].pk != NULL &&
		    CRYPTO_memcmp(pkc[i].priv, priv, PRIM_DHLEN) == 0)
			pk_drop(i);
}

int
prim_x25519(uint8_t out[PRIM_DHLEN], const uint8_t priv[PRIM_DHLEN],
    const uint8_t pub[PRIM_DHLEN])
{
	EVP_PKEY *sk, *pk;
	EVP_PKEY_CTX *ctx = NULL;
	size_t len = PRIM_DHLEN;
	int rc = -1;

	sk = pk_get(priv);
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
	return rc;
}

int
prim_x25519_pub(uint8_t pub[PRIM_DHLEN], const uint8_t priv[PRIM_DHLEN])
{
	EVP_PKEY *sk = pk_get(priv);
	size_t len = PRIM_DHLEN;

	/* The same derivation as key_public (vlanctl pubkey, the
	 * daemon's key), through the cache. */
	if (sk == NULL || EVP_PKEY_get_raw_public_key(sk, pub, &len) != 1 ||
	    len != PRIM_DHLEN)
		return -1;
	return 0;
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
