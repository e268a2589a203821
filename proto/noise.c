/*
 * Noise rev 34 state machines (spec §5), with the patterns as token
 * tables. HKDF is the spec's HMAC construction (§4.3), not RFC 5869
 * with an info string: the two agree only for this exact use, so the
 * spec's form is written out.
 */
#include <string.h>

#include "aead.h"
#include "noise.h"
#include "prim.h"

enum tok {
	T_END,
	T_E,
	T_ES,
	T_EE,
	T_PSK,
};

#define NOISE_MSGS     2
#define NOISE_MSG_DEAD (NOISE_MSGS + 1)

struct proto_desc {
	const char *name;
	bool psk;
	bool pre_s; /* the pre-message "<- s" (NK), or none (NN) */
	enum tok msgs[NOISE_MSGS][4];
};

static const struct proto_desc protos[] = {
	[NOISE_NK] = { "Noise_NK_25519_ChaChaPoly_SHA256", false, true,
	    { { T_E, T_ES, T_END }, { T_E, T_EE, T_END } } },
	[NOISE_NKPSK0] = { "Noise_NKpsk0_25519_ChaChaPoly_SHA256", true, true,
	    { { T_PSK, T_E, T_ES, T_END }, { T_E, T_EE, T_END } } },
	[NOISE_NN] = { "Noise_NN_25519_ChaChaPoly_SHA256", false, false,
	    { { T_E, T_END }, { T_E, T_EE, T_END } } },
	[NOISE_NNPSK0] = { "Noise_NNpsk0_25519_ChaChaPoly_SHA256", true, false,
	    { { T_PSK, T_E, T_END }, { T_E, T_EE, T_END } } },
};

const char *
noise_proto_name(enum noise_proto p)
{
	return protos[p].name;
}

/* HKDF(ck, ikm) of spec §4.3, with two or three outputs. */
static int
noise_hkdf(const uint8_t ck[NOISE_HASHLEN], const uint8_t *ikm, size_t len,
    uint8_t *o1, uint8_t *o2, uint8_t *o3)
{
	uint8_t tk[NOISE_HASHLEN], buf[NOISE_HASHLEN + 1];
	int rc = -1;

	if (prim_hmac(tk, ck, NOISE_HASHLEN, ikm, len) != 0)
		goto out;
	buf[0] = 0x01;
	if (prim_hmac(o1, tk, sizeof tk, buf, 1) != 0)
		goto out;
	memcpy(buf, o1, NOISE_HASHLEN);
	buf[NOISE_HASHLEN] = 0x02;
	if (prim_hmac(o2, tk, sizeof tk, buf, sizeof buf) != 0)
		goto out;
	if (o3 != NULL) {
		memcpy(buf, o2, NOISE_HASHLEN);
		buf[NOISE_HASHLEN] = 0x03;
		if (prim_hmac(o3, tk, sizeof tk, buf, sizeof buf) != 0)
			goto out;
	}
	rc = 0;
out:
	prim_wipe(tk, sizeof tk);
	prim_wipe(buf, sizeof buf);
	return rc;
}

void
noise_cipher_init(struct noise_cipher *cs, const uint8_t k[NOISE_KEYLEN])
{
	memcpy(cs->k, k, NOISE_KEYLEN);
	cs->n = 0;
	cs->has_key = true;
}

enum noise_err
noise_cipher_encrypt(struct noise_cipher *cs, const uint8_t *ad, size_t adlen,
    const uint8_t *in, size_t len, uint8_t *out)
{
	uint8_t iv[AEAD_NONCELEN];

	if (!cs->has_key) {
		memmove(out, in, len);
		return NOISE_OK;
	}
	/* 2^64-1 is reserved (spec §5.1). */
	if (cs->n == UINT64_MAX)
		return NOISE_ENONCE;
	aead_nonce(iv, cs->n);
	if (aead_seal_once(cs->k, iv, ad, adlen, in, len, out) != 0)
		return NOISE_ECRYPTO;
	cs->n++;
	return NOISE_OK;
}

enum noise_err
noise_cipher_decrypt(struct noise_cipher *cs, const uint8_t *ad, size_t adlen,
    const uint8_t *in, size_t len, uint8_t *out)
{
	uint8_t iv[AEAD_NONCELEN];

	if (!cs->has_key) {
		memmove(out, in, len);
		return NOISE_OK;
	}
	if (len < NOISE_TAGLEN)
		return NOISE_ELEN;
	if (cs->n == UINT64_MAX)
		return NOISE_ENONCE;
	aead_nonce(iv, cs->n);
	/* On failure n stays, as the spec asks. */
	if (aead_open_once(cs->k, iv, ad, adlen, in, len, out) != 0)
		return NOISE_EDECRYPT;
	cs->n++;
	return NOISE_OK;
}

void
noise_cipher_clear(struct noise_cipher *cs)
{
	prim_wipe(cs, sizeof *cs);
}

static int
noise_mix_hash(struct noise_symmetric *ss, const uint8_t *data, size_t len)
{
	return prim_sha256(ss->h, ss->h, sizeof ss->h, data, len);
}

static int
noise_mix_key(struct noise_symmetric *ss, const uint8_t *ikm, size_t len)
{
	uint8_t tk[NOISE_HASHLEN];

	if (noise_hkdf(ss->ck, ikm, len, ss->ck, tk, NULL) != 0)
		return -1;
	noise_cipher_init(&ss->cs, tk);
	prim_wipe(tk, sizeof tk);
	return 0;
}

static int
noise_mix_key_and_hash(struct noise_symmetric *ss, const uint8_t *ikm,
    size_t len)
{
	uint8_t th[NOISE_HASHLEN], tk[NOISE_HASHLEN];
	int rc = -1;

	if (noise_hkdf(ss->ck, ikm, len, ss->ck, th, tk) == 0 &&
	    noise_mix_hash(ss, th, sizeof th) == 0) {
		noise_cipher_init(&ss->cs, tk);
		rc = 0;
	}
	prim_wipe(th, sizeof th);
	prim_wipe(tk, sizeof tk);
	return rc;
}

static enum noise_err
noise_encrypt_and_hash(struct noise_symmetric *ss, const uint8_t *in,
    size_t len, uint8_t *out, size_t *outlen)
{
	enum noise_err e;
	size_t n = len + (ss->cs.has_key ? NOISE_TAGLEN : 0);

	e = noise_cipher_encrypt(&ss->cs, ss->h, sizeof ss->h, in, len, out);
	if (e != NOISE_OK)
		return e;
	if (noise_mix_hash(ss, out, n) != 0)
		return NOISE_ECRYPTO;
	*outlen = n;
	return NOISE_OK;
}

static enum noise_err
noise_decrypt_and_hash(struct noise_symmetric *ss, const uint8_t *in,
    size_t len, uint8_t *out, size_t *outlen)
{
	enum noise_err e;

	e = noise_cipher_decrypt(&ss->cs, ss->h, sizeof ss->h, in, len, out);
	if (e != NOISE_OK)
		return e;
	if (noise_mix_hash(ss, in, len) != 0)
		return NOISE_ECRYPTO;
	*outlen = len - (ss->cs.has_key ? NOISE_TAGLEN : 0);
	return NOISE_OK;
}

enum noise_err
noise_hs_init(struct noise_hs *hs, enum noise_proto proto, bool initiator,
    const uint8_t *prologue, size_t prologue_len, const uint8_t *s,
    const uint8_t *spub, const uint8_t *rs, const uint8_t *psk)
{
	const struct proto_desc *pd;
	size_t namelen;
	int rc;

	memset(hs, 0, sizeof *hs);
	hs->msg = NOISE_MSG_DEAD;
	if ((unsigned)proto >= sizeof protos / sizeof protos[0])
		return NOISE_ESTATE;
	pd = &protos[proto];
	if ((pd->pre_s && initiator && rs == NULL) ||
	    (pd->pre_s && !initiator && s == NULL) || (pd->psk && psk == NULL))
		return NOISE_ESTATE;
	hs->proto = proto;
	hs->initiator = initiator;

	namelen = strlen(pd->name);
	if (namelen <= NOISE_HASHLEN)
		memcpy(hs->ss.h, pd->name, namelen);
	else if (prim_sha256(hs->ss.h, pd->name, namelen, NULL, 0) != 0)
		goto fail;
	memcpy(hs->ss.ck, hs->ss.h, NOISE_HASHLEN);
	if (noise_mix_hash(&hs->ss, prologue, prologue_len) != 0)
		goto fail;

	/* Pre-message "<- s": both sides hash the responder's public key. */
	if (pd->pre_s) {
		if (initiator)
			memcpy(hs->rs, rs, NOISE_DHLEN);
		else {
			memcpy(hs->s, s, NOISE_DHLEN);
			if (spub != NULL)
				memcpy(hs->rs, spub, NOISE_DHLEN);
			else if (prim_x25519_pub(hs->rs, s) != 0)
				goto fail;
		}
		rc = noise_mix_hash(&hs->ss, hs->rs, NOISE_DHLEN);
		if (!initiator)
			memset(hs->rs, 0, sizeof hs->rs);
		if (rc != 0)
			goto fail;
	}
	if (pd->psk)
		memcpy(hs->psk, psk, NOISE_PSKLEN);
	hs->msg = 0;
	return NOISE_OK;
fail:
	noise_hs_clear(hs);
	return NOISE_ECRYPTO;
}

void
noise_hs_set_ephemeral(struct noise_hs *hs, const uint8_t e[NOISE_DHLEN])
{
	memcpy(hs->e_fixed, e, NOISE_DHLEN);
	hs->has_e_fixed = true;
}

static enum noise_err
noise_gen_e(struct noise_hs *hs)
{
	if (hs->has_e_fixed) {
		memcpy(hs->e, hs->e_fixed, NOISE_DHLEN);
		prim_wipe(hs->e_fixed, sizeof hs->e_fixed);
		hs->has_e_fixed = false;
	} else if (prim_random(hs->e, NOISE_DHLEN) != 0)
		return NOISE_ECRYPTO;
	if (prim_x25519_pub(hs->ep, hs->e) != 0)
		return NOISE_ECRYPTO;
	return NOISE_OK;
}

/* es, ee: the same DH on both sides, from each side's own keys. */
static enum noise_err
noise_dh_token(struct noise_hs *hs, enum tok t)
{
	uint8_t dh[NOISE_DHLEN];
	const uint8_t *priv, *pub;
	int rc;

	if (t == T_ES) {
		priv = hs->initiator ? hs->e : hs->s;
		pub = hs->initiator ? hs->rs : hs->re;
	} else {
		priv = hs->e;
		pub = hs->re;
	}
	if (prim_x25519(dh, priv, pub) != 0)
		return NOISE_EDH;
	rc = noise_mix_key(&hs->ss, dh, sizeof dh);
	prim_wipe(dh, sizeof dh);
	return rc == 0 ? NOISE_OK : NOISE_ECRYPTO;
}

static enum noise_err
noise_psk_token(struct noise_hs *hs)
{
	if (noise_mix_key_and_hash(&hs->ss, hs->psk, NOISE_PSKLEN) != 0)
		return NOISE_ECRYPTO;
	return NOISE_OK;
}

/* After e is known on either side: MixHash(e), and MixKey(e) in PSK mode. */
static enum noise_err
noise_e_mix(struct noise_hs *hs, const uint8_t pub[NOISE_DHLEN])
{
	if (noise_mix_hash(&hs->ss, pub, NOISE_DHLEN) != 0)
		return NOISE_ECRYPTO;
	if (protos[hs->proto].psk &&
	    noise_mix_key(&hs->ss, pub, NOISE_DHLEN) != 0)
		return NOISE_ECRYPTO;
	return NOISE_OK;
}

/* Is the next message ours to write (or, with !writing, to read)? */
static bool
noise_turn(const struct noise_hs *hs, bool writing)
{
	bool initiator_sends;

	if (hs->msg < 0 || hs->msg >= NOISE_MSGS)
		return false;
	/* Even messages go from the initiator to the responder. */
	initiator_sends = hs->msg % 2 == 0;
	return (initiator_sends == hs->initiator) == writing;
}

enum noise_err
noise_hs_write(struct noise_hs *hs, const uint8_t *payload, size_t len,
    uint8_t *out, size_t outcap, size_t *outlen)
{
	const enum tok *t;
	enum noise_err e = NOISE_OK;
	size_t off = 0, n;

	if (!noise_turn(hs, true))
		return NOISE_ESTATE;
	if (outcap > NOISE_MSG_MAX)
		outcap = NOISE_MSG_MAX;
	for (t = protos[hs->proto].msgs[hs->msg]; *t != T_END; t++) {
		switch (*t) {
		case T_E:
			if (outcap - off < NOISE_DHLEN) {
				e = NOISE_ELEN;
				goto fail;
			}
			if ((e = noise_gen_e(hs)) != NOISE_OK ||
			    (e = noise_e_mix(hs, hs->ep)) != NOISE_OK)
				goto fail;
			memcpy(out + off, hs->ep, NOISE_DHLEN);
			off += NOISE_DHLEN;
			break;
		case T_ES:
		case T_EE:
			if ((e = noise_dh_token(hs, *t)) != NOISE_OK)
				goto fail;
			break;
		case T_PSK:
			if ((e = noise_psk_token(hs)) != NOISE_OK)
				goto fail;
			break;
		case T_END:
			break;
		}
	}
	n = hs->ss.cs.has_key ? NOISE_TAGLEN : 0;
	if (outcap - off < n || outcap - off - n < len) {
		e = NOISE_ELEN;
		goto fail;
	}
	if ((e = noise_encrypt_and_hash(&hs->ss, payload, len, out + off,
		 &n)) != NOISE_OK)
		goto fail;
	*outlen = off + n;
	hs->msg++;
	return NOISE_OK;
fail:
	noise_hs_clear(hs);
	return e;
}

enum noise_err
noise_hs_read(struct noise_hs *hs, const uint8_t *msg, size_t len,
    uint8_t *payload, size_t paycap, size_t *paylen)
{
	const enum tok *t;
	enum noise_err e = NOISE_OK;
	size_t off = 0, n;

	if (!noise_turn(hs, false))
		return NOISE_ESTATE;
	if (len > NOISE_MSG_MAX)
		return NOISE_ELEN;
	for (t = protos[hs->proto].msgs[hs->msg]; *t != T_END; t++) {
		switch (*t) {
		case T_E:
			if (len - off < NOISE_DHLEN) {
				e = NOISE_ELEN;
				goto fail;
			}
			memcpy(hs->re, msg + off, NOISE_DHLEN);
			off += NOISE_DHLEN;
			if ((e = noise_e_mix(hs, hs->re)) != NOISE_OK)
				goto fail;
			break;
		case T_ES:
		case T_EE:
			if ((e = noise_dh_token(hs, *t)) != NOISE_OK)
				goto fail;
			break;
		case T_PSK:
			if ((e = noise_psk_token(hs)) != NOISE_OK)
				goto fail;
			break;
		case T_END:
			break;
		}
	}
	n = hs->ss.cs.has_key ? NOISE_TAGLEN : 0;
	if (len - off < n || len - off - n > paycap) {
		e = NOISE_ELEN;
		goto fail;
	}
	if ((e = noise_decrypt_and_hash(&hs->ss, msg + off, len - off, payload,
		 paylen)) != NOISE_OK)
		goto fail;
	hs->msg++;
	return NOISE_OK;
fail:
	noise_hs_clear(hs);
	return e;
}

bool
noise_hs_done(const struct noise_hs *hs)
{
	return hs->msg == NOISE_MSGS;
}

void
noise_hs_hash(const struct noise_hs *hs, uint8_t h[NOISE_HASHLEN])
{
	memcpy(h, hs->ss.h, NOISE_HASHLEN);
}

enum noise_err
noise_hs_split(struct noise_hs *hs, uint8_t k1[NOISE_KEYLEN],
    uint8_t k2[NOISE_KEYLEN])
{
	static const uint8_t empty[1];
	enum noise_err e = NOISE_OK;

	if (!noise_hs_done(hs))
		return NOISE_ESTATE;
	if (noise_hkdf(hs->ss.ck, empty, 0, k1, k2, NULL) != 0) {
		prim_wipe(k1, NOISE_KEYLEN);
		prim_wipe(k2, NOISE_KEYLEN);
		e = NOISE_ECRYPTO;
	}
	noise_hs_clear(hs);
	return e;
}

void
noise_hs_clear(struct noise_hs *hs)
{
	/* The ephemeral's copy in prim.c too (an all-zero e was never
	 * given to it, and finds nothing). */
	prim_x25519_forget(hs->e);
	prim_wipe(hs, sizeof *hs);
	hs->msg = NOISE_MSG_DEAD;
}
