/*
 * The direct handshake between two endpoints (PROTOCOL.md: "Direct
 * paths"): Noise_NNpsk0_25519_ChaChaPoly_SHA256 keyed by the pair
 * secret the hub gave both in its PEER messages, framed as
 *
 * 6 DIRECT_INIT (68 bytes), Noise message 1 (psk, e), its payload the
 *   attempt's counter:
 *	  0  4	type 6, reserved
 *	  4  4	pair id (from PEER: how the responder finds the secret)
 *	  8  4	sender index
 *	 12 32	e
 *	 44 24	u64 counter sealed, + tag: one more for each new INIT of
 *		the pair, so that the responder refuses an old one replayed
 * 7 DIRECT_RESP (60 bytes, smaller than the INIT), message 2 (e, ee):
 *	  0  4	type 7, reserved
 *	  4  4	sender index
 *	  8  4	receiver index (the INIT's sender index)
 *	 12 32	e
 *	 44 16	tag of the empty payload
 * 8 DIRECT_PROBE (8 bytes), sent only to open NAT mappings; never
 *   answered:
 *	  0  4	type 8, reserved
 *	  4  4	pair id
 *
 * Prologue: "vland direct v1" followed by the pair id (u32, little
 * endian), so an INIT moved to another pair fails its tag. Both ends
 * finish with a keypair (keypair.h): the initiator sends with the first
 * Split() key, as an endpoint does towards the hub. No mac1, no cookie:
 * without the pair id nothing costs a DH, and the responder answers at
 * most a few INITs a second for each pair (the daemon's limit).
 */
#ifndef VLAND_DIRECT_H
#define VLAND_DIRECT_H

#include <stdint.h>
#include <stddef.h>

#include "keypair.h"
#include "noise.h"
#include "wire.h"

#define DIRECT_PROLOGUE	  "vland direct v1"
#define DIRECT_SECRET_LEN NOISE_PSKLEN

#define DIRECT_INIT_PAIR    4
#define DIRECT_INIT_SENDER  8
#define DIRECT_INIT_E	    12
#define DIRECT_INIT_COUNTER 44
#define DIRECT_INIT_LEN	    68

#define DIRECT_RESP_SENDER   4
#define DIRECT_RESP_RECEIVER 8
#define DIRECT_RESP_E	     12
#define DIRECT_RESP_LEN	     60

#define DIRECT_PROBE_PAIR 4
#define DIRECT_PROBE_LEN  8

/* The initiator's side of one attempt. */
struct dhs {
	struct noise_hs noise;
	uint32_t pair;
	uint32_t local_index;
};

/*
 * Initiator: build an INIT, attempt number counter (more than the
 * last of the pair). e_fixed is NULL but in tests (a fixed ephemeral
 * private key).
 */
enum wire_err dhs_init_create(struct dhs *,
    const uint8_t psk[DIRECT_SECRET_LEN], uint32_t pair, uint32_t sender_index,
    uint64_t counter, const uint8_t *e_fixed, uint8_t out[DIRECT_INIT_LEN]);

/* The pair id of an INIT or a PROBE, after checking length, type and
 * reserved bytes: the receiver's lookup, before any crypto. */
enum wire_err direct_pair_of(const uint8_t *msg, size_t len, uint8_t type,
    uint32_t *pair);

/*
 * Responder: open an INIT of the pair whose secret is psk and answer
 * it in one step (nothing is kept between the two): kp gets the new
 * keypair (local index sender_index), out the RESP, *counter the INIT's
 * attempt number. An INIT whose counter is not above min_counter is
 * refused (WIRE_EREPLAY) after opening, before anything is made. On
 * error nothing is made.
 */
enum wire_err dhs_respond(const uint8_t psk[DIRECT_SECRET_LEN],
    const uint8_t *msg, size_t len, uint32_t sender_index,
    const uint8_t *e_fixed, uint64_t now_ms, uint64_t min_counter,
    uint64_t *counter, uint8_t out[DIRECT_RESP_LEN], struct keypair *kp);

/*
 * Initiator: check and open a RESP to our INIT. A RESP that fails
 * leaves dhs as it was (a forged one cannot end the attempt); one
 * that opens gives the keypair and clears dhs.
 */
enum wire_err dhs_resp_consume(struct dhs *, const uint8_t *msg, size_t len,
    uint64_t now_ms, struct keypair *kp);

void dhs_clear(struct dhs *);

void direct_probe_put(uint8_t out[DIRECT_PROBE_LEN], uint32_t pair);

#endif
