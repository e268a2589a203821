/*
 * The few cryptographic primitives the protocol is built from, over
 * OpenSSL 3.0 EVP: SHA-256, HMAC-SHA256, X25519 and the CSPRNG. Nothing
 * here is specific to Noise or to vland's framing.
 */
#ifndef VLAND_PRIM_H
#define VLAND_PRIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PRIM_HASHLEN 32
#define PRIM_DHLEN   32

/* SHA-256 of a || b (either part may be empty). Returns 0 or -1. */
int prim_sha256(uint8_t out[PRIM_HASHLEN], const void *a, size_t alen,
    const void *b, size_t blen);

/* HMAC-SHA256(key, data). Returns 0 or -1. */
int prim_hmac(uint8_t out[PRIM_HASHLEN], const uint8_t *key, size_t keylen,
    const void *data, size_t len);

/*
 * X25519(priv, pub). Returns 0, or -1 when OpenSSL refuses the
 * computation, which it does for an all-zero result (a low-order peer
 * point): the protocol treats that as a failed handshake.
 */
int prim_x25519(uint8_t out[PRIM_DHLEN], const uint8_t priv[PRIM_DHLEN],
    const uint8_t pub[PRIM_DHLEN]);

/* The public key of an X25519 private key. Returns 0 or -1. */
int prim_x25519_pub(uint8_t pub[PRIM_DHLEN], const uint8_t priv[PRIM_DHLEN]);

/*
 * The two calls above keep the last two private keys they were given
 * as OpenSSL objects (see prim.c): the hub's static key and the
 * ephemeral of the handshake at hand. Drop priv's now (a handshake's
 * ephemeral, once the handshake is done), so that no copy of it
 * outlives the handshake.
 */
void prim_x25519_forget(const uint8_t priv[PRIM_DHLEN]);

/* Bytes from the OpenSSL CSPRNG (secret quality). Returns 0 or -1. */
int prim_random(void *buf, size_t len);

/* Constant-time equality of two buffers of the same length. */
bool prim_equal(const void *a, const void *b, size_t len);

/* Constant-time test for an all-zero buffer. */
bool prim_is_zero(const void *buf, size_t len);

/* Erase a secret; the compiler may not drop it. */
void prim_wipe(void *buf, size_t len);

#endif
