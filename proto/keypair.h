/*
 * Transport session keys and their limits, as data: nothing here reads a
 * clock. The caller passes "now" as milliseconds of a monotonic clock.
 *
 * A keypair is the result of one handshake: a send and a receive AEAD
 * context (keyed once), both indices, the send counter and the replay
 * window. A kp_set holds a session's previous / current / next keypairs
 * so that packets in flight across a rekey still open (WireGuard §6.3):
 * the initiator makes a new keypair current as soon as its handshake
 * completes; the responder parks it in next until the first transport
 * message under it arrives, which proves the initiator has it too.
 */
#ifndef VLAND_KEYPAIR_H
#define VLAND_KEYPAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aead.h"
#include "replay.h"
#include "wire.h"

/* WireGuard §6.1 (PROTOCOL.md, "Timers"). */
#define KP_REKEY_AFTER_MESSAGES	 ((uint64_t)1 << 60)
#define KP_REJECT_AFTER_MESSAGES REJECT_AFTER_MESSAGES
#define KP_REKEY_AFTER_TIME_MS	 120000
#define KP_REJECT_AFTER_TIME_MS	 180000
#define KP_REKEY_TIMEOUT_MS	 5000
#define KP_KEEPALIVE_TIMEOUT_MS	 10000
/* The initiator also rekeys when still receiving on a keypair this old. */
#define KP_REKEY_AFTER_TIME_RECV_MS                          \
	(KP_REJECT_AFTER_TIME_MS - KP_KEEPALIVE_TIMEOUT_MS - \
	    KP_REKEY_TIMEOUT_MS)

struct keypair {
	struct aead send, recv;
	struct replay replay;
	uint64_t send_counter; /* next counter to use */
	uint64_t created_ms;
	uint32_t local_index;  /* ours: peers put it in their messages */
	uint32_t remote_index; /* theirs: we put it in ours */
	bool initiator;
	bool valid;
};

/* What kp_open found in a message that opened. */
struct kp_rx {
	uint8_t type;	  /* WIRE_MSG_DATA or WIRE_MSG_CONTROL */
	uint8_t *payload; /* plaintext, in place in the message buffer */
	size_t len;	  /* 0 for a keepalive */
	uint64_t counter;
	bool rekey; /* the initiator should start a new handshake */
};

int kp_init(struct keypair *, const uint8_t send_key[AEAD_KEYLEN],
    const uint8_t recv_key[AEAD_KEYLEN], uint32_t local_index,
    uint32_t remote_index, bool initiator, uint64_t now_ms);
/* Free the contexts and wipe everything. Safe on a cleared keypair. */
void kp_clear(struct keypair *);

/* Past REJECT_AFTER_TIME: unusable both ways. */
bool kp_expired(const struct keypair *, uint64_t now_ms);
/*
 * Should sending on this keypair trigger a rekey: the initiator after
 * REKEY_AFTER_TIME, either side after REKEY_AFTER_MESSAGES (only the
 * initiator can act on it).
 */
bool kp_rekey_on_send(const struct keypair *, uint64_t now_ms);
/* Receiving: the initiator after REJECT - KEEPALIVE - REKEY_TIMEOUT. */
bool kp_rekey_on_recv(const struct keypair *, uint64_t now_ms);

/*
 * Seal a transport message in place. The caller puts len payload bytes
 * at buf + WIRE_TRANSPORT_HDR_LEN; buf must hold len +
 * WIRE_TRANSPORT_OVERHEAD bytes (cap). Fills header and counter,
 * encrypts, appends the tag; *msglen gets the message length. Refuses
 * (WIRE_EEXPIRED, WIRE_ELIMIT) once the keypair is past a reject limit.
 * *rekey (may be NULL) tells the initiator to start a handshake.
 */
enum wire_err kp_seal(struct keypair *, uint8_t type, uint8_t *buf, size_t len,
    size_t cap, size_t *msglen, uint64_t now_ms, bool *rekey);

/*
 * Open a transport message in place, on the keypair its receiver index
 * names (finding it is the caller's job; a mismatch is WIRE_EINDEX).
 * Order: header, expiry, replay pre-check, tag, then the replay window
 * is updated. On anything but WIRE_OK the message must be dropped.
 */
enum wire_err kp_open(struct keypair *, uint8_t *msg, size_t len,
    uint64_t now_ms, struct kp_rx *);

struct kp_set {
	struct keypair slot[3];
	struct keypair *prev, *cur, *next;
};

void kp_set_init(struct kp_set *);
void kp_set_clear(struct kp_set *);
/*
 * Take over kp (which is left cleared), into current for an initiator's
 * keypair and into next for a responder's.
 */
void kp_set_install(struct kp_set *, struct keypair *kp);
/* The keypair with this local index, or NULL. */
struct keypair *kp_set_lookup(struct kp_set *, uint32_t local_index);
/* The keypair to send with, or NULL if none is usable at now_ms. */
struct keypair *kp_set_sender(struct kp_set *, uint64_t now_ms);
/*
 * kp_open on the keypair the message names; a message that opens under
 * next confirms it: next becomes current, current previous.
 */
enum wire_err kp_set_open(struct kp_set *, uint8_t *msg, size_t len,
    uint64_t now_ms, struct kp_rx *);

#endif
