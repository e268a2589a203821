/*
 * Denial-of-service defence for handshakes, after WireGuard §5.3/§5.4.7:
 * mac1 proves the sender knows the hub's public key (a hash, no DH);
 * under load, mac2 proves it can receive at its source address, via a
 * cookie the hub sent there in a COOKIE_REPLY. Layouts are in wire.h.
 *
 * The hub owns the cookie secret R and its clock: it replaces R every
 * COOKIE_SECRET_MAX_AGE_MS and passes cookie_make() the address of each
 * message; nothing here reads a clock or keeps state.
 */
#ifndef VLAND_COOKIE_H
#define VLAND_COOKIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "wire.h"

#define COOKIE_SECRET_LEN	 32
#define COOKIE_SECRET_MAX_AGE_MS 120000
/* The endpoint stops using a cookie this much before R may change. */
#define COOKIE_LATENCY_MS 5000
/* IPv6 address and port. */
#define COOKIE_ADDR_MAX 18

/* Keys derived once from the hub's static public key. */
struct cookie_keys {
	uint8_t mac1_key[WIRE_KEY_LEN];	  /* SHA256("mac1----" || pub) */
	uint8_t cookie_key[WIRE_KEY_LEN]; /* SHA256("cookie--" || pub) */
};

int cookie_keys_init(struct cookie_keys *, const uint8_t hub_pub[WIRE_KEY_LEN]);

/*
 * Fill the last 32 bytes (mac1, mac2) of a handshake message of length
 * len; mac2 is zero when cookie is NULL.
 */
enum wire_err cookie_add_macs(const struct cookie_keys *, uint8_t *msg,
    size_t len, const uint8_t *cookie);
/* mac1 of a handshake message of length len: WIRE_OK or WIRE_EMAC1. */
enum wire_err cookie_check_mac1(const struct cookie_keys *, const uint8_t *msg,
    size_t len);
/* mac2 against the cookie for the sender: WIRE_OK or WIRE_EMAC2. */
enum wire_err cookie_check_mac2(const uint8_t cookie[WIRE_COOKIE_LEN],
    const uint8_t *msg, size_t len);

/* address bytes || port (network order); returns the length, 0 if no af. */
size_t cookie_addr_blob(uint8_t out[COOKIE_ADDR_MAX], const struct addr *,
    uint16_t port);
/* cookie = HMAC-SHA256(R, addr blob)[0..16). Returns 0 or -1. */
int cookie_make(uint8_t cookie[WIRE_COOKIE_LEN],
    const uint8_t secret[COOKIE_SECRET_LEN], const uint8_t *addr,
    size_t addrlen);

/*
 * Hub: the COOKIE_REPLY to a handshake message whose mac1 was valid.
 * receiver is that message's sender index, mac1 its mac1. The nonce is
 * random.
 */
enum wire_err cookie_reply_create(const struct cookie_keys *, uint32_t receiver,
    const uint8_t mac1[WIRE_MAC_LEN], const uint8_t cookie[WIRE_COOKIE_LEN],
    uint8_t out[WIRE_COOKIE_REPLY_LEN]);
/*
 * Endpoint: open a COOKIE_REPLY for our pending INIT (sender index
 * receiver, mac1 as we sent it). The endpoint only stores the cookie and
 * uses it on its next scheduled retry, never resending at once.
 */
enum wire_err cookie_reply_consume(const struct cookie_keys *,
    const uint8_t *msg, size_t len, uint32_t receiver,
    const uint8_t mac1[WIRE_MAC_LEN], uint8_t cookie[WIRE_COOKIE_LEN]);

/* May a cookie received at received_ms still be used at now_ms? */
bool cookie_usable(uint64_t received_ms, uint64_t now_ms);

#endif
