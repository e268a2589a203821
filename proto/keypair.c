/*
 * Sealing and opening transport messages with a session's keypairs
 * (keypair.h): a send counter is spent even when sealing fails, so it is
 * never used twice, and only a message that authenticates moves the
 * replay window.
 */
#include <string.h>

#include "keypair.h"
#include "prim.h"

int
kp_init(struct keypair *kp, const uint8_t send_key[AEAD_KEYLEN],
    const uint8_t recv_key[AEAD_KEYLEN], uint32_t local_index,
    uint32_t remote_index, bool initiator, uint64_t now_ms)
{
	memset(kp, 0, sizeof *kp);
	if (aead_init(&kp->send, send_key, true) != 0)
		return -1;
	if (aead_init(&kp->recv, recv_key, false) != 0) {
		aead_clear(&kp->send);
		return -1;
	}
	replay_init(&kp->replay);
	kp->local_index = local_index;
	kp->remote_index = remote_index;
	kp->initiator = initiator;
	kp->created_ms = now_ms;
	kp->valid = true;
	return 0;
}

void
kp_clear(struct keypair *kp)
{
	aead_clear(&kp->send);
	aead_clear(&kp->recv);
	prim_wipe(kp, sizeof *kp);
}

/* A clock that seems to run backwards counts as age 0, not as huge. */
static uint64_t
kp_age(const struct keypair *kp, uint64_t now_ms)
{
	return now_ms > kp->created_ms ? now_ms - kp->created_ms : 0;
}

bool
kp_expired(const struct keypair *kp, uint64_t now_ms)
{
	return !kp->valid || kp_age(kp, now_ms) >= KP_REJECT_AFTER_TIME_MS;
}

bool
kp_rekey_on_send(const struct keypair *kp, uint64_t now_ms)
{
	return kp->send_counter >= KP_REKEY_AFTER_MESSAGES ||
	    (kp->initiator && kp_age(kp, now_ms) >= KP_REKEY_AFTER_TIME_MS);
}

bool
kp_rekey_on_recv(const struct keypair *kp, uint64_t now_ms)
{
	return kp->initiator &&
	    kp_age(kp, now_ms) >= KP_REKEY_AFTER_TIME_RECV_MS;
}

enum wire_err
kp_seal(struct keypair *kp, uint8_t type, uint8_t *buf, size_t len, size_t cap,
    size_t *msglen, uint64_t now_ms, bool *rekey)
{
	struct wire_transport_hdr h;

	if (type != WIRE_MSG_DATA && type != WIRE_MSG_CONTROL)
		return WIRE_ETYPE;
	if (type == WIRE_MSG_CONTROL && len == 0)
		return WIRE_ESHORT;
	if (len > WIRE_PAYLOAD_MAX)
		return WIRE_ELONG;
	if (cap < len + WIRE_TRANSPORT_OVERHEAD)
		return WIRE_ESPACE;
	if (kp_expired(kp, now_ms))
		return WIRE_EEXPIRED;
	if (kp->send_counter >= KP_REJECT_AFTER_MESSAGES)
		return WIRE_ELIMIT;
	h.type = type;
	h.receiver = kp->remote_index;
	/* Consumed even if sealing fails: a counter is never used twice. */
	h.counter = kp->send_counter++;
	wire_transport_hdr_put(buf, &h);
	if (aead_seal(&kp->send, h.counter, buf, WIRE_TRANSPORT_HDR_LEN,
		buf + WIRE_TRANSPORT_HDR_LEN, len,
		buf + WIRE_TRANSPORT_HDR_LEN + len) != 0)
		return WIRE_EINTERNAL;
	*msglen = len + WIRE_TRANSPORT_OVERHEAD;
	if (rekey != NULL)
		*rekey = kp_rekey_on_send(kp, now_ms);
	return WIRE_OK;
}

static enum wire_err
kp_replay_err(enum replay_res r)
{
	switch (r) {
	case REPLAY_OK:
		return WIRE_OK;
	case REPLAY_DUP:
		return WIRE_EREPLAY;
	case REPLAY_OLD:
		return WIRE_EOLD;
	case REPLAY_LIMIT:
		return WIRE_ELIMIT;
	}
	return WIRE_EREPLAY;
}

enum wire_err
kp_open(struct keypair *kp, uint8_t *msg, size_t len, uint64_t now_ms,
    struct kp_rx *rx)
{
	struct wire_transport_hdr h;
	enum wire_err e;
	size_t n;

	if ((e = wire_transport_hdr_get(msg, len, &h)) != WIRE_OK)
		return e;
	if (h.receiver != kp->local_index)
		return WIRE_EINDEX;
	if (kp_expired(kp, now_ms))
		return WIRE_EEXPIRED;
	if ((e = kp_replay_err(replay_check(&kp->replay, h.counter))) !=
	    WIRE_OK)
		return e;
	n = len - WIRE_TRANSPORT_OVERHEAD;
	if (aead_open(&kp->recv, h.counter, msg, WIRE_TRANSPORT_HDR_LEN,
		msg + WIRE_TRANSPORT_HDR_LEN, n,
		msg + WIRE_TRANSPORT_HDR_LEN + n) != 0)
		return WIRE_EDECRYPT;
	/* Only an authentic message may move the window. */
	if ((e = kp_replay_err(replay_update(&kp->replay, h.counter))) !=
	    WIRE_OK)
		return e;
	rx->type = h.type;
	rx->payload = msg + WIRE_TRANSPORT_HDR_LEN;
	rx->len = n;
	rx->counter = h.counter;
	rx->rekey = kp_rekey_on_recv(kp, now_ms);
	return WIRE_OK;
}

void
kp_set_init(struct kp_set *s)
{
	memset(s, 0, sizeof *s);
}

void
kp_set_clear(struct kp_set *s)
{
	int i;

	for (i = 0; i < 3; i++)
		kp_clear(&s->slot[i]);
	s->prev = s->cur = s->next = NULL;
}

static void
kp_set_drop(struct keypair **p)
{
	if (*p != NULL)
		kp_clear(*p);
	*p = NULL;
}

void
kp_set_install(struct kp_set *s, struct keypair *kp)
{
	struct keypair *free_slot = NULL;
	int i;

	if (kp->initiator) {
		/*
		 * A pending next (not possible while hubs never initiate)
		 * is newer than current: keep it as previous instead.
		 */
		kp_set_drop(&s->prev);
		if (s->next != NULL) {
			kp_set_drop(&s->cur);
			s->prev = s->next;
			s->next = NULL;
		} else {
			s->prev = s->cur;
		}
		s->cur = NULL;
	} else {
		/*
		 * Until confirmed, the new keypair is unused; previous would
		 * be dropped at confirmation anyway.
		 */
		kp_set_drop(&s->next);
		kp_set_drop(&s->prev);
	}
	for (i = 0; i < 3 && free_slot == NULL; i++)
		if (&s->slot[i] != s->prev && &s->slot[i] != s->cur &&
		    &s->slot[i] != s->next)
			free_slot = &s->slot[i];
	/* Three slots, at most two in use here: there is always one. */
	kp_clear(free_slot);
	memcpy(free_slot, kp, sizeof *kp);
	/* The contexts moved; clear kp's copy without freeing them. */
	prim_wipe(kp, sizeof *kp);
	if (free_slot->initiator)
		s->cur = free_slot;
	else
		s->next = free_slot;
}

struct keypair *
kp_set_lookup(struct kp_set *s, uint32_t local_index)
{
	if (s->cur != NULL && s->cur->local_index == local_index)
		return s->cur;
	if (s->next != NULL && s->next->local_index == local_index)
		return s->next;
	if (s->prev != NULL && s->prev->local_index == local_index)
		return s->prev;
	return NULL;
}

struct keypair *
kp_set_sender(struct kp_set *s, uint64_t now_ms)
{
	if (s->cur == NULL || kp_expired(s->cur, now_ms) ||
	    s->cur->send_counter >= KP_REJECT_AFTER_MESSAGES)
		return NULL;
	return s->cur;
}

enum wire_err
kp_set_open(struct kp_set *s, uint8_t *msg, size_t len, uint64_t now_ms,
    struct kp_rx *rx)
{
	struct wire_transport_hdr h;
	struct keypair *kp;
	enum wire_err e;

	if ((e = wire_transport_hdr_get(msg, len, &h)) != WIRE_OK)
		return e;
	if ((kp = kp_set_lookup(s, h.receiver)) == NULL)
		return WIRE_EINDEX;
	if ((e = kp_open(kp, msg, len, now_ms, rx)) != WIRE_OK)
		return e;
	if (kp == s->next) {
		kp_set_drop(&s->prev);
		s->prev = s->cur;
		s->cur = s->next;
		s->next = NULL;
	}
	return WIRE_OK;
}
