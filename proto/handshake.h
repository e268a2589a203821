/*
 * The vland handshake: Noise_NKpsk0_25519_ChaChaPoly_SHA256 in the
 * HANDSHAKE_INIT / HANDSHAKE_RESP framing of wire.h, with mac1/mac2.
 *
 *   endpoint (initiator)		hub (responder)
 *   hs_init_create   -- INIT -->	hs_init_consume: length, type,
 *					mac1 (a hash), mac2 if under load,
 *					then one DH; a wrong PSK fails here
 *   hs_resp_consume  <-- RESP --	hs_resp_create (status byte)
 *
 * Both ends finish with a keypair (keypair.h). The hub keeps no state
 * between its two calls but the struct hs the caller holds, usually on
 * the stack: nothing is allocated for a message that fails.
 */
#ifndef VLAND_HANDSHAKE_H
#define VLAND_HANDSHAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cookie.h"
#include "keypair.h"
#include "noise.h"
#include "wire.h"

#define HS_PSK_LEN NOISE_PSKLEN

/* What an endpoint pins: the hub's public key and the keys from it. */
struct hs_hub_pub {
	uint8_t pub[WIRE_KEY_LEN];
	struct cookie_keys ck;
};

/* What the hub holds: its static key pair, derived once. */
struct hs_hub {
	uint8_t priv[WIRE_KEY_LEN];
	struct hs_hub_pub id;
};

int hs_hub_pub_init(struct hs_hub_pub *, const uint8_t pub[WIRE_KEY_LEN]);
int hs_hub_init(struct hs_hub *, const uint8_t priv[WIRE_KEY_LEN]);
void hs_hub_clear(struct hs_hub *);

struct hs {
	struct noise_hs noise;
	uint32_t local_index;	    /* initiator: our sender index */
	uint32_t remote_index;	    /* responder: the initiator's */
	uint8_t mac1[WIRE_MAC_LEN]; /* initiator: mac1 we sent */
	bool initiator;
};

/*
 * The PSK from the "key:" setting (common/psk.h): a 64-hex or 44-base64
 * key is used as is, any other string as SHA-256("vland psk v1" || key);
 * no key (NULL or "") gives 32 zero bytes, which is plain NK strength.
 * Returns -1 for 44 characters ending in '=' that are not valid base64.
 */
int hs_psk_derive(uint8_t psk[HS_PSK_LEN], const char *key);

/*
 * Endpoint: build INIT for the hub whose public key is pinned. cookie
 * (NULL if none usable) fills mac2. hs keeps what the RESP needs; each
 * retry calls this again (a fresh ephemeral each time).
 */
enum wire_err hs_init_create(struct hs *, const struct hs_hub_pub *,
    const uint8_t psk[HS_PSK_LEN], const struct wire_hello *,
    uint32_t sender_index, const uint8_t *cookie, uint8_t out[WIRE_INIT_LEN]);

/*
 * hs_init_create with a fixed ephemeral private key, so that an INIT
 * can be reproduced byte for byte: for PROTOCOL.md's example exchange
 * and the tests, never for a real handshake.
 */
enum wire_err hs_init_create_fixed(struct hs *, const struct hs_hub_pub *,
    const uint8_t psk[HS_PSK_LEN], const struct wire_hello *,
    uint32_t sender_index, const uint8_t e[WIRE_KEY_LEN],
    uint8_t out[WIRE_INIT_LEN]);

/*
 * Hub: check and open an INIT. cookie is NULL when not under load, else
 * the cookie for the message's source address (WIRE_EMAC2 then means:
 * answer with a COOKIE_REPLY). Fills hello; decide the status with
 * hs_hello_status(). On error hs is cleared.
 */
enum wire_err hs_init_consume(struct hs *, const struct hs_hub *,
    const uint8_t psk[HS_PSK_LEN], const uint8_t *msg, size_t len,
    const uint8_t *cookie, struct wire_hello *);

/*
 * Hub, under load, after hs_init_consume() said WIRE_EMAC2: the
 * COOKIE_REPLY to that INIT (bound to its sender index and mac1).
 */
enum wire_err hs_cookie_reply(const struct hs_hub *,
    const uint8_t init[WIRE_INIT_LEN], const uint8_t cookie[WIRE_COOKIE_LEN],
    uint8_t out[WIRE_COOKIE_REPLY_LEN]);
/*
 * Endpoint: the cookie from a COOKIE_REPLY to our pending INIT; store it
 * with the time and pass it to the next hs_init_create() while
 * cookie_usable().
 */
enum wire_err hs_cookie_consume(const struct hs *, const struct hs_hub_pub *,
    const uint8_t *msg, size_t len, uint8_t cookie[WIRE_COOKIE_LEN]);

/* WIRE_STATUS_OK, _VERSION or _MODE for an endpoint's hello. */
uint8_t hs_hello_status(const struct wire_hello *, uint8_t hub_mode);

/*
 * Hub: answer the INIT just consumed. With WIRE_STATUS_OK, kp gets the
 * new keypair (local index sender_index), to go into the session's
 * kp_set as next; with any other status no keypair is made (kp may be
 * NULL). hs is cleared in every case.
 */
enum wire_err hs_resp_create(struct hs *, const struct hs_hub *,
    uint32_t sender_index, uint8_t status, uint64_t now_ms,
    uint8_t out[WIRE_RESP_LEN], struct keypair *kp);

/*
 * Endpoint: check and open a RESP to our pending INIT. WIRE_OK gives the
 * keypair; WIRE_EREFUSED means the hub said *status (not OK). A message
 * that fails before that leaves hs intact, so a forged RESP cannot
 * cancel the handshake; hs is cleared once the RESP was authentic.
 */
enum wire_err hs_resp_consume(struct hs *, const struct hs_hub_pub *,
    const uint8_t *msg, size_t len, uint64_t now_ms, uint8_t *status,
    struct keypair *kp);

void hs_clear(struct hs *);

/*
 * The keypair of a finished Noise handshake (both messages through):
 * Split(), the initiator sending with the first key and the responder
 * with the second, as every vland handshake does (with the hub and
 * between endpoints). The split keys are wiped; n is cleared by Split.
 * 0, or -1 (kp left cleared).
 */
int hs_split_keypair(struct noise_hs *n, bool initiator, uint32_t local_index,
    uint32_t remote_index, uint64_t now_ms, struct keypair *kp);

#endif
