/*
 * The direct handshake of direct.h. Lengths, type and indices are
 * checked before any DH; a RESP is opened on a copy of the state, as
 * the hub's is (handshake.c), so that a forged one spends nothing.
 */
#include <string.h>

#include "direct.h"
#include "handshake.h"
#include "prim.h"

/* Noise message 1: e, the sealed counter; message 2: e, an empty tag. */
#define DIRECT_NOISE_MSG1 (DIRECT_INIT_LEN - DIRECT_INIT_E)
#define DIRECT_NOISE_MSG2 (DIRECT_RESP_LEN - DIRECT_RESP_E)

/* The empty payload of the RESP (a buffer, never NULL, for OpenSSL). */
static uint8_t none[1];

static enum wire_err
dhs_noise_err(enum noise_err e)
{
	switch (e) {
	case NOISE_OK:
		return WIRE_OK;
	case NOISE_EDH:
		return WIRE_EDH;
	case NOISE_EDECRYPT:
		return WIRE_EDECRYPT;
	default:
		return WIRE_EINTERNAL;
	}
}

static enum wire_err
dhs_start(struct noise_hs *n, bool initiator,
    const uint8_t psk[DIRECT_SECRET_LEN], uint32_t pair)
{
	uint8_t pro[sizeof(DIRECT_PROLOGUE) - 1 + 4];

	memcpy(pro, DIRECT_PROLOGUE, sizeof(DIRECT_PROLOGUE) - 1);
	wire_put_u32(pro + sizeof(DIRECT_PROLOGUE) - 1, pair);
	return dhs_noise_err(noise_hs_init(n, NOISE_NNPSK0, initiator, pro,
	    sizeof pro, NULL, NULL, NULL, psk));
}

enum wire_err
dhs_init_create(struct dhs *d, const uint8_t psk[DIRECT_SECRET_LEN],
    uint32_t pair, uint32_t sender_index, uint64_t counter,
    const uint8_t *e_fixed, uint8_t out[DIRECT_INIT_LEN])
{
	uint8_t ctr[8];
	enum wire_err e;
	size_t n = 0;

	memset(d, 0, sizeof *d);
	if ((e = dhs_start(&d->noise, true, psk, pair)) != WIRE_OK)
		goto fail;
	if (e_fixed != NULL)
		noise_hs_set_ephemeral(&d->noise, e_fixed);
	wire_put_hdr(out, WIRE_MSG_DIRECT_INIT);
	wire_put_u32(out + DIRECT_INIT_PAIR, pair);
	wire_put_u32(out + DIRECT_INIT_SENDER, sender_index);
	wire_put_u64(ctr, counter);
	e = dhs_noise_err(noise_hs_write(&d->noise, ctr, sizeof ctr,
	    out + DIRECT_INIT_E, DIRECT_NOISE_MSG1, &n));
	if (e == WIRE_OK && n != DIRECT_NOISE_MSG1)
		e = WIRE_EINTERNAL;
	if (e != WIRE_OK)
		goto fail;
	d->pair = pair;
	d->local_index = sender_index;
	return WIRE_OK;
fail:
	memset(out, 0, DIRECT_INIT_LEN);
	dhs_clear(d);
	return e;
}

enum wire_err
direct_pair_of(const uint8_t *msg, size_t len, uint8_t type, uint32_t *pair)
{
	size_t want =
	    type == WIRE_MSG_DIRECT_INIT ? DIRECT_INIT_LEN : DIRECT_PROBE_LEN;
	enum wire_err e;

	if (type != WIRE_MSG_DIRECT_INIT && type != WIRE_MSG_DIRECT_PROBE)
		return WIRE_ETYPE;
	if ((e = wire_check_fixed(msg, len, type, want)) != WIRE_OK)
		return e;
	*pair = wire_get_u32(msg + 4);
	return WIRE_OK;
}

enum wire_err
dhs_respond(const uint8_t psk[DIRECT_SECRET_LEN], const uint8_t *msg,
    size_t len, uint32_t sender_index, const uint8_t *e_fixed, uint64_t now_ms,
    uint64_t min_counter, uint64_t *counter, uint8_t out[DIRECT_RESP_LEN],
    struct keypair *kp)
{
	struct noise_hs n;
	uint8_t ctr[8];
	uint32_t pair;
	enum wire_err e;
	size_t got = 0;

	memset(out, 0, DIRECT_RESP_LEN);
	if ((e = direct_pair_of(msg, len, WIRE_MSG_DIRECT_INIT, &pair)) !=
	    WIRE_OK)
		return e;
	if ((e = dhs_start(&n, false, psk, pair)) != WIRE_OK)
		return e;
	if (e_fixed != NULL)
		noise_hs_set_ephemeral(&n, e_fixed);
	e = dhs_noise_err(noise_hs_read(&n, msg + DIRECT_INIT_E,
	    DIRECT_NOISE_MSG1, ctr, sizeof ctr, &got));
	if (e == WIRE_OK && got != sizeof ctr)
		e = WIRE_EINTERNAL;
	if (e != WIRE_OK)
		goto out;
	/* An INIT of an earlier attempt, replayed: nothing is made. */
	if ((*counter = wire_get_u64(ctr)) <= min_counter) {
		e = WIRE_EREPLAY;
		goto out;
	}
	wire_put_hdr(out, WIRE_MSG_DIRECT_RESP);
	wire_put_u32(out + DIRECT_RESP_SENDER, sender_index);
	wire_put_u32(out + DIRECT_RESP_RECEIVER,
	    wire_get_u32(msg + DIRECT_INIT_SENDER));
	e = dhs_noise_err(noise_hs_write(&n, none, 0, out + DIRECT_RESP_E,
	    DIRECT_NOISE_MSG2, &got));
	if (e == WIRE_OK && got != DIRECT_NOISE_MSG2)
		e = WIRE_EINTERNAL;
	if (e != WIRE_OK)
		goto out;
	if (hs_split_keypair(&n, false, sender_index,
		wire_get_u32(msg + DIRECT_INIT_SENDER), now_ms, kp) != 0)
		e = WIRE_EINTERNAL;
out:
	if (e != WIRE_OK)
		memset(out, 0, DIRECT_RESP_LEN);
	noise_hs_clear(&n);
	return e;
}

enum wire_err
dhs_resp_consume(struct dhs *d, const uint8_t *msg, size_t len, uint64_t now_ms,
    struct keypair *kp)
{
	struct noise_hs tmp;
	enum wire_err e;
	size_t n = 0;

	if ((e = wire_check_fixed(msg, len, WIRE_MSG_DIRECT_RESP,
		 DIRECT_RESP_LEN)) != WIRE_OK)
		return e;
	if (d->local_index == 0 ||
	    wire_get_u32(msg + DIRECT_RESP_RECEIVER) != d->local_index)
		return WIRE_EINDEX;
	memcpy(&tmp, &d->noise, sizeof tmp);
	e = dhs_noise_err(noise_hs_read(&tmp, msg + DIRECT_RESP_E,
	    DIRECT_NOISE_MSG2, none, sizeof none, &n));
	if (e != WIRE_OK) {
		prim_wipe(&tmp, sizeof tmp);
		return e;
	}
	if (hs_split_keypair(&tmp, true, d->local_index,
		wire_get_u32(msg + DIRECT_RESP_SENDER), now_ms, kp) != 0)
		e = WIRE_EINTERNAL;
	prim_wipe(&tmp, sizeof tmp);
	dhs_clear(d);
	return e;
}

void
dhs_clear(struct dhs *d)
{
	/* Before the wipe: prim.c finds its copy by the key. */
	prim_x25519_forget(d->noise.e);
	prim_wipe(d, sizeof *d);
	noise_hs_clear(&d->noise);
}

void
direct_probe_put(uint8_t out[DIRECT_PROBE_LEN], uint32_t pair)
{
	wire_put_hdr(out, WIRE_MSG_DIRECT_PROBE);
	wire_put_u32(out + DIRECT_PROBE_PAIR, pair);
}
