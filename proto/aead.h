/*
 * ChaCha20-Poly1305 (RFC 8439) as Noise uses it: 32-byte key, 16-byte
 * tag, nonce = 4 zero bytes || little-endian 64-bit counter.
 *
 * struct aead is the data path: one ChaCha20 and one Poly1305 EVP
 * context per direction, keyed once; each packet only sets the nonce
 * and runs over the caller's buffer, with no allocation. The _once
 * functions build a context per call and are for handshake and cookie
 * messages. Not thread-safe (one static scratch buffer).
 */
#ifndef VLAND_AEAD_H
#define VLAND_AEAD_H

#include <openssl/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AEAD_KEYLEN   32
#define AEAD_TAGLEN   16
#define AEAD_NONCELEN 12
/* The longest message: a UDP datagram's worth. */
#define AEAD_MAXLEN 65536

struct aead {
	EVP_CIPHER_CTX *ctx; /* ChaCha20; NULL when not keyed */
	EVP_MAC_CTX *mac;    /* Poly1305, keyed per message */
	bool encrypt;
};

/* The 12-byte nonce for counter n. */
void aead_nonce(uint8_t iv[AEAD_NONCELEN], uint64_t n);

/* Key a context for one direction. Returns 0 or -1. */
int aead_init(struct aead *, const uint8_t key[AEAD_KEYLEN], bool encrypt);
/* Free the context; the key material goes with it. Safe to repeat. */
void aead_clear(struct aead *);

/*
 * Encrypt buf[0..len) in place under counter n, authenticating ad too,
 * and write the tag to tag (which may follow buf directly). 0 or -1.
 */
int aead_seal(struct aead *, uint64_t n, const uint8_t *ad, size_t adlen,
    uint8_t *buf, size_t len, uint8_t tag[AEAD_TAGLEN]);
/*
 * Decrypt buf[0..len) in place. Returns 0, or -1 if the tag does not
 * verify (buf then holds garbage the caller must drop).
 */
int aead_open(struct aead *, uint64_t n, const uint8_t *ad, size_t adlen,
    uint8_t *buf, size_t len, const uint8_t tag[AEAD_TAGLEN]);

/* out[0..len + AEAD_TAGLEN) = seal(in[0..len)); out may equal in. */
int aead_seal_once(const uint8_t key[AEAD_KEYLEN],
    const uint8_t iv[AEAD_NONCELEN], const uint8_t *ad, size_t adlen,
    const uint8_t *in, size_t len, uint8_t *out);
/*
 * out[0..len - AEAD_TAGLEN) = open(in[0..len)), len counting the tag;
 * out may equal in. Returns 0, or -1 (short input or bad tag).
 */
int aead_open_once(const uint8_t key[AEAD_KEYLEN],
    const uint8_t iv[AEAD_NONCELEN], const uint8_t *ad, size_t adlen,
    const uint8_t *in, size_t len, uint8_t *out);

#endif
