/*
 * Noise protocol framework, revision 34, for exactly four protocols:
 *
 *	Noise_NKpsk0_25519_ChaChaPoly_SHA256	(endpoint and hub)
 *	Noise_NNpsk0_25519_ChaChaPoly_SHA256	(endpoint and endpoint, direct)
 *	Noise_NK_25519_ChaChaPoly_SHA256	(kept for the test vectors)
 *	Noise_NN_25519_ChaChaPoly_SHA256	(the same)
 *
 *	NK:	<- s			NKpsk0:	<- s
 *		...				...
 *		-> e, es			-> psk, e, es
 *		<- e, ee			<- e, ee
 *
 *	NN:	-> e			NNpsk0:	-> psk, e
 *		<- e, ee			<- e, ee
 *
 * CipherState, SymmetricState and HandshakeState follow the spec's
 * names and rules, including PSK mode's MixKey(e.pub) after every e
 * token. Secrets are wiped by noise_hs_clear() and on every failure.
 */
#ifndef VLAND_NOISE_H
#define VLAND_NOISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NOISE_DHLEN   32
#define NOISE_HASHLEN 32
#define NOISE_KEYLEN  32
#define NOISE_PSKLEN  32
#define NOISE_TAGLEN  16
/* Spec §3: a Noise message is at most 65535 bytes. */
#define NOISE_MSG_MAX 65535

enum noise_proto {
	NOISE_NK,
	NOISE_NKPSK0,
	NOISE_NN,
	NOISE_NNPSK0,
};

enum noise_err {
	NOISE_OK = 0,
	NOISE_ESTATE,	/* call out of order, or handshake finished */
	NOISE_ELEN,	/* message too short / too long / buffer too small */
	NOISE_EDH,	/* X25519 refused (low-order point) */
	NOISE_EDECRYPT, /* AEAD tag did not verify */
	NOISE_ENONCE,	/* nonce space exhausted */
	NOISE_ECRYPTO,	/* OpenSSL failure (allocation, provider) */
};

struct noise_cipher {
	uint8_t k[NOISE_KEYLEN];
	uint64_t n;
	bool has_key;
};

struct noise_symmetric {
	uint8_t ck[NOISE_HASHLEN];
	uint8_t h[NOISE_HASHLEN];
	struct noise_cipher cs;
};

struct noise_hs {
	struct noise_symmetric ss;
	enum noise_proto proto;
	bool initiator;
	int msg;		 /* index of the next message, 0..2; 2 = done */
	uint8_t s[NOISE_DHLEN];	 /* responder: static private */
	uint8_t e[NOISE_DHLEN];	 /* ephemeral private */
	uint8_t ep[NOISE_DHLEN]; /* ephemeral public */
	uint8_t rs[NOISE_DHLEN]; /* remote static public */
	uint8_t re[NOISE_DHLEN]; /* remote ephemeral public */
	uint8_t psk[NOISE_PSKLEN];
	uint8_t e_fixed[NOISE_DHLEN];
	bool has_e_fixed;
};

/* The spec's protocol name ("Noise_NK_..."). */
const char *noise_proto_name(enum noise_proto);

/* CipherState, usable on its own for transport (Split's output). */
void noise_cipher_init(struct noise_cipher *, const uint8_t k[NOISE_KEYLEN]);
/* out gets len + NOISE_TAGLEN bytes (len if the state has no key). */
enum noise_err noise_cipher_encrypt(struct noise_cipher *, const uint8_t *ad,
    size_t adlen, const uint8_t *in, size_t len, uint8_t *out);
/* out gets len - NOISE_TAGLEN bytes (len if the state has no key). */
enum noise_err noise_cipher_decrypt(struct noise_cipher *, const uint8_t *ad,
    size_t adlen, const uint8_t *in, size_t len, uint8_t *out);
void noise_cipher_clear(struct noise_cipher *);

/*
 * Initialize(): s is the responder's static private key and spub its
 * public key (NULL: derived from s, at the cost of a scalar
 * multiplication); both NULL for the initiator. rs is the initiator's
 * pinned responder public key (NULL for the responder). NN and NNpsk0
 * have no static keys: s, spub and rs are ignored. psk is required for
 * the psk0 patterns and ignored for the others.
 */
enum noise_err noise_hs_init(struct noise_hs *, enum noise_proto,
    bool initiator, const uint8_t *prologue, size_t prologue_len,
    const uint8_t *s, const uint8_t *spub, const uint8_t *rs,
    const uint8_t *psk);

/*
 * Test hook: the next e token uses this private key instead of a fresh
 * random one (the vectors fix both ephemerals).
 */
void noise_hs_set_ephemeral(struct noise_hs *, const uint8_t e[NOISE_DHLEN]);

/* WriteMessage: out gets the message, *outlen its length. */
enum noise_err noise_hs_write(struct noise_hs *, const uint8_t *payload,
    size_t len, uint8_t *out, size_t outcap, size_t *outlen);
/* ReadMessage: payload gets the plaintext, *paylen its length. */
enum noise_err noise_hs_read(struct noise_hs *, const uint8_t *msg, size_t len,
    uint8_t *payload, size_t paycap, size_t *paylen);

/* True once both messages went through. */
bool noise_hs_done(const struct noise_hs *);
/*
 * The handshake hash h (channel binding): final once done, and gone
 * after noise_hs_split().
 */
void noise_hs_hash(const struct noise_hs *, uint8_t h[NOISE_HASHLEN]);

/*
 * Split(): k1 protects initiator to responder, k2 the other way. Only
 * after the handshake is done; the handshake state is wiped.
 */
enum noise_err noise_hs_split(struct noise_hs *, uint8_t k1[NOISE_KEYLEN],
    uint8_t k2[NOISE_KEYLEN]);

void noise_hs_clear(struct noise_hs *);

#endif
