/*
 * The handshake of handshake.h: the two Noise messages framed and
 * checked in the order that makes a forged one cheapest to refuse (length
 * and mac1 before any DH), and a RESP opened on a copy of the state, so
 * that a forged one spends nothing of the endpoint's.
 */
#include <string.h>

#include "handshake.h"
#include "psk.h"
#include "keyenc.h"
#include "prim.h"

#define HS_NOISE_MSG1 (WIRE_INIT_MAC1 - WIRE_INIT_E)
#define HS_NOISE_MSG2 (WIRE_RESP_MAC1 - WIRE_RESP_E)

int
hs_hub_pub_init(struct hs_hub_pub *h, const uint8_t pub[WIRE_KEY_LEN])
{
	memcpy(h->pub, pub, WIRE_KEY_LEN);
	return cookie_keys_init(&h->ck, pub);
}

int
hs_hub_init(struct hs_hub *h, const uint8_t priv[WIRE_KEY_LEN])
{
	uint8_t pub[WIRE_KEY_LEN];

	memcpy(h->priv, priv, WIRE_KEY_LEN);
	if (prim_x25519_pub(pub, priv) != 0 ||
	    hs_hub_pub_init(&h->id, pub) != 0) {
		hs_hub_clear(h);
		return -1;
	}
	return 0;
}

void
hs_hub_clear(struct hs_hub *h)
{
	prim_x25519_forget(h->priv); /* prim.c's copy too */
	prim_wipe(h, sizeof *h);
}

int
hs_psk_derive(uint8_t psk[HS_PSK_LEN], const char *key)
{
	if (key == NULL || *key == '\0') {
		memset(psk, 0, HS_PSK_LEN);
		return 0;
	}
	return psk_from_text(psk, key) == 0 ? 0 : -1;
}

static enum wire_err
hs_noise_err(enum noise_err e)
{
	switch (e) {
	case NOISE_OK:
		return WIRE_OK;
	case NOISE_EDH:
		return WIRE_EDH;
	case NOISE_EDECRYPT:
		return WIRE_EDECRYPT;
	case NOISE_ELEN:
	case NOISE_ESTATE:
	case NOISE_ENONCE:
	case NOISE_ECRYPTO:
		break;
	}
	/* The framing fixes all lengths: the rest is our own failure. */
	return WIRE_EINTERNAL;
}

static enum wire_err
hs_noise_start(struct hs *hs, bool initiator, const uint8_t *s,
    const uint8_t *spub, const uint8_t *rs, const uint8_t psk[HS_PSK_LEN])
{
	enum noise_err e;

	e = noise_hs_init(&hs->noise, NOISE_NKPSK0, initiator,
	    (const uint8_t *)WIRE_PROLOGUE, strlen(WIRE_PROLOGUE), s, spub, rs,
	    psk);
	if (e != NOISE_OK)
		return hs_noise_err(e);
	hs->initiator = initiator;
	return WIRE_OK;
}

static enum wire_err
hs_init_build(struct hs *hs, const struct hs_hub_pub *hub,
    const uint8_t psk[HS_PSK_LEN], const struct wire_hello *hello,
    uint32_t sender_index, const uint8_t *cookie, const uint8_t *e_fixed,
    uint8_t out[WIRE_INIT_LEN])
{
	uint8_t pt[WIRE_HELLO_LEN];
	enum wire_err e;
	size_t n = 0;

	if ((e = wire_hello_encode(hello, pt)) != WIRE_OK)
		return e;
	if ((e = hs_noise_start(hs, true, NULL, NULL, hub->pub, psk)) !=
	    WIRE_OK)
		goto fail;
	if (e_fixed != NULL)
		noise_hs_set_ephemeral(&hs->noise, e_fixed);
	wire_put_hdr(out, WIRE_MSG_INIT);
	wire_put_u32(out + WIRE_INIT_SENDER, sender_index);
	e = hs_noise_err(noise_hs_write(&hs->noise, pt, sizeof pt,
	    out + WIRE_INIT_E, HS_NOISE_MSG1, &n));
	if (e == WIRE_OK && n != HS_NOISE_MSG1)
		e = WIRE_EINTERNAL;
	if (e == WIRE_OK)
		e = cookie_add_macs(&hub->ck, out, WIRE_INIT_LEN, cookie);
	if (e != WIRE_OK)
		goto fail;
	hs->local_index = sender_index;
	memcpy(hs->mac1, out + WIRE_INIT_MAC1, WIRE_MAC_LEN);
	return WIRE_OK;
fail:
	memset(out, 0, WIRE_INIT_LEN);
	hs_clear(hs);
	return e;
}

enum wire_err
hs_init_create(struct hs *hs, const struct hs_hub_pub *hub,
    const uint8_t psk[HS_PSK_LEN], const struct wire_hello *hello,
    uint32_t sender_index, const uint8_t *cookie, uint8_t out[WIRE_INIT_LEN])
{
	return hs_init_build(hs, hub, psk, hello, sender_index, cookie, NULL,
	    out);
}

enum wire_err
hs_init_create_fixed(struct hs *hs, const struct hs_hub_pub *hub,
    const uint8_t psk[HS_PSK_LEN], const struct wire_hello *hello,
    uint32_t sender_index, const uint8_t e[WIRE_KEY_LEN],
    uint8_t out[WIRE_INIT_LEN])
{
	return hs_init_build(hs, hub, psk, hello, sender_index, NULL, e, out);
}

enum wire_err
hs_init_consume(struct hs *hs, const struct hs_hub *hub,
    const uint8_t psk[HS_PSK_LEN], const uint8_t *msg, size_t len,
    const uint8_t *cookie, struct wire_hello *hello)
{
	uint8_t pt[WIRE_HELLO_LEN];
	enum wire_err e;
	size_t n = 0;

	/* hs may be uninitialised: the hub keeps it on its stack. */
	hs_clear(hs);
	/* Cheapest first: no DH for anyone who does not know our key. */
	if ((e = wire_check_fixed(msg, len, WIRE_MSG_INIT, WIRE_INIT_LEN)) !=
	    WIRE_OK)
		goto fail;
	if ((e = cookie_check_mac1(&hub->id.ck, msg, len)) != WIRE_OK)
		goto fail;
	if (cookie != NULL &&
	    (e = cookie_check_mac2(cookie, msg, len)) != WIRE_OK)
		goto fail;
	if ((e = hs_noise_start(hs, false, hub->priv, hub->id.pub, NULL,
		 psk)) != WIRE_OK)
		goto fail;
	e = hs_noise_err(noise_hs_read(&hs->noise, msg + WIRE_INIT_E,
	    HS_NOISE_MSG1, pt, sizeof pt, &n));
	if (e == WIRE_OK && n != sizeof pt)
		e = WIRE_EINTERNAL;
	if (e == WIRE_OK)
		e = wire_hello_decode(pt, hello);
	prim_wipe(pt, sizeof pt);
	if (e != WIRE_OK)
		goto fail;
	hs->remote_index = wire_get_u32(msg + WIRE_INIT_SENDER);
	return WIRE_OK;
fail:
	hs_clear(hs);
	return e;
}

enum wire_err
hs_cookie_reply(const struct hs_hub *hub, const uint8_t init[WIRE_INIT_LEN],
    const uint8_t cookie[WIRE_COOKIE_LEN], uint8_t out[WIRE_COOKIE_REPLY_LEN])
{
	return cookie_reply_create(&hub->id.ck,
	    wire_get_u32(init + WIRE_INIT_SENDER), init + WIRE_INIT_MAC1,
	    cookie, out);
}

enum wire_err
hs_cookie_consume(const struct hs *hs, const struct hs_hub_pub *hub,
    const uint8_t *msg, size_t len, uint8_t cookie[WIRE_COOKIE_LEN])
{
	if (!hs->initiator)
		return WIRE_EINTERNAL;
	return cookie_reply_consume(&hub->ck, msg, len, hs->local_index,
	    hs->mac1, cookie);
}

uint8_t
hs_hello_status(const struct wire_hello *hello, uint8_t hub_mode)
{
	if (hello->version != WIRE_VERSION)
		return WIRE_STATUS_VERSION;
	if (hello->mode != hub_mode)
		return WIRE_STATUS_MODE;
	return WIRE_STATUS_OK;
}

enum wire_err
hs_resp_create(struct hs *hs, const struct hs_hub *hub, uint32_t sender_index,
    uint8_t status, uint64_t now_ms, uint8_t out[WIRE_RESP_LEN],
    struct keypair *kp)
{
	enum wire_err e;
	size_t n = 0;

	if (hs->initiator || (status == WIRE_STATUS_OK && kp == NULL)) {
		e = WIRE_EINTERNAL;
		goto fail;
	}
	wire_put_hdr(out, WIRE_MSG_RESP);
	wire_put_u32(out + WIRE_RESP_SENDER, sender_index);
	wire_put_u32(out + WIRE_RESP_RECEIVER, hs->remote_index);
	e = hs_noise_err(noise_hs_write(&hs->noise, &status, 1,
	    out + WIRE_RESP_E, HS_NOISE_MSG2, &n));
	if (e == WIRE_OK && n != HS_NOISE_MSG2)
		e = WIRE_EINTERNAL;
	if (e == WIRE_OK)
		e = cookie_add_macs(&hub->id.ck, out, WIRE_RESP_LEN, NULL);
	if (e != WIRE_OK)
		goto fail;
	if (status == WIRE_STATUS_OK &&
	    hs_split_keypair(&hs->noise, false, sender_index, hs->remote_index,
		now_ms, kp) != 0) {
		e = WIRE_EINTERNAL;
		goto fail;
	}
	hs_clear(hs);
	return WIRE_OK;
fail:
	memset(out, 0, WIRE_RESP_LEN);
	hs_clear(hs);
	return e;
}

enum wire_err
hs_resp_consume(struct hs *hs, const struct hs_hub_pub *hub, const uint8_t *msg,
    size_t len, uint64_t now_ms, uint8_t *status, struct keypair *kp)
{
	struct noise_hs tmp;
	uint8_t st = 0;
	enum wire_err e;
	size_t n = 0;

	if (!hs->initiator)
		return WIRE_EINTERNAL;
	if ((e = wire_check_fixed(msg, len, WIRE_MSG_RESP, WIRE_RESP_LEN)) !=
	    WIRE_OK)
		return e;
	if ((e = cookie_check_mac1(&hub->ck, msg, len)) != WIRE_OK)
		return e;
	/* We never hand out cookies, so a hub has none to use. */
	if (!prim_is_zero(msg + WIRE_RESP_MAC2, WIRE_MAC_LEN))
		return WIRE_EMAC2;
	if (wire_get_u32(msg + WIRE_RESP_RECEIVER) != hs->local_index)
		return WIRE_EINDEX;
	/* Work on a copy: a forged RESP must not spend our state. */
	memcpy(&tmp, &hs->noise, sizeof tmp);
	e = hs_noise_err(
	    noise_hs_read(&tmp, msg + WIRE_RESP_E, HS_NOISE_MSG2, &st, 1, &n));
	if (e == WIRE_OK && n != 1)
		e = WIRE_EINTERNAL;
	if (e != WIRE_OK) {
		prim_wipe(&tmp, sizeof tmp);
		return e;
	}
	*status = st;
	if (st != WIRE_STATUS_OK)
		e = WIRE_EREFUSED;
	else if (hs_split_keypair(&tmp, true, hs->local_index,
		     wire_get_u32(msg + WIRE_RESP_SENDER), now_ms, kp) != 0)
		e = WIRE_EINTERNAL;
	prim_wipe(&tmp, sizeof tmp);
	hs_clear(hs);
	return e;
}

int
hs_split_keypair(struct noise_hs *n, bool initiator, uint32_t local_index,
    uint32_t remote_index, uint64_t now_ms, struct keypair *kp)
{
	uint8_t k1[NOISE_KEYLEN], k2[NOISE_KEYLEN];
	int rc = -1;

	if (noise_hs_split(n, k1, k2) == NOISE_OK)
		rc = kp_init(kp, initiator ? k1 : k2, initiator ? k2 : k1,
		    local_index, remote_index, initiator, now_ms);
	prim_wipe(k1, sizeof k1);
	prim_wipe(k2, sizeof k2);
	return rc;
}

void
hs_clear(struct hs *hs)
{
	/* Before the wipe: prim.c finds its copy by the key. */
	prim_x25519_forget(hs->noise.e);
	prim_wipe(hs, sizeof *hs);
	noise_hs_clear(&hs->noise);
}
