/*
 * mac1, mac2 and cookie replies (cookie.h) on the one hash the daemon
 * already uses: HMAC-SHA256 cut to 16 bytes where WireGuard has keyed
 * BLAKE2s, so that checking mac1 costs an HMAC and no DH.
 */
#include <string.h>

#include "aead.h"
#include "cookie.h"
#include "prim.h"

int
cookie_keys_init(struct cookie_keys *k, const uint8_t hub_pub[WIRE_KEY_LEN])
{
	if (prim_sha256(k->mac1_key, "mac1----", 8, hub_pub, WIRE_KEY_LEN) !=
		0 ||
	    prim_sha256(k->cookie_key, "cookie--", 8, hub_pub, WIRE_KEY_LEN) !=
		0)
		return -1;
	return 0;
}

/* HMAC-SHA256(key, data)[0..16). */
static int
cookie_mac(uint8_t out[WIRE_MAC_LEN], const uint8_t *key, size_t keylen,
    const uint8_t *data, size_t len)
{
	uint8_t full[PRIM_HASHLEN];

	if (prim_hmac(full, key, keylen, data, len) != 0)
		return -1;
	memcpy(out, full, WIRE_MAC_LEN);
	/* The untruncated cookie MAC is as good as the cookie. */
	prim_wipe(full, sizeof full);
	return 0;
}

enum wire_err
cookie_add_macs(const struct cookie_keys *k, uint8_t *msg, size_t len,
    const uint8_t *cookie)
{
	size_t m1, m2;

	if (len < WIRE_HDR_LEN + 2 * WIRE_MAC_LEN)
		return WIRE_ESHORT;
	m1 = len - 2 * WIRE_MAC_LEN;
	m2 = len - WIRE_MAC_LEN;
	if (cookie_mac(msg + m1, k->mac1_key, sizeof k->mac1_key, msg, m1) != 0)
		return WIRE_EINTERNAL;
	if (cookie == NULL)
		memset(msg + m2, 0, WIRE_MAC_LEN);
	else if (cookie_mac(msg + m2, cookie, WIRE_COOKIE_LEN, msg, m2) != 0)
		return WIRE_EINTERNAL;
	return WIRE_OK;
}

enum wire_err
cookie_check_mac1(const struct cookie_keys *k, const uint8_t *msg, size_t len)
{
	uint8_t mac[WIRE_MAC_LEN];
	size_t m1;

	if (len < WIRE_HDR_LEN + 2 * WIRE_MAC_LEN)
		return WIRE_ESHORT;
	m1 = len - 2 * WIRE_MAC_LEN;
	if (cookie_mac(mac, k->mac1_key, sizeof k->mac1_key, msg, m1) != 0)
		return WIRE_EINTERNAL;
	return prim_equal(mac, msg + m1, WIRE_MAC_LEN) ? WIRE_OK : WIRE_EMAC1;
}

enum wire_err
cookie_check_mac2(const uint8_t cookie[WIRE_COOKIE_LEN], const uint8_t *msg,
    size_t len)
{
	uint8_t mac[WIRE_MAC_LEN];
	size_t m2;

	if (len < WIRE_HDR_LEN + 2 * WIRE_MAC_LEN)
		return WIRE_ESHORT;
	m2 = len - WIRE_MAC_LEN;
	if (cookie_mac(mac, cookie, WIRE_COOKIE_LEN, msg, m2) != 0)
		return WIRE_EINTERNAL;
	return prim_equal(mac, msg + m2, WIRE_MAC_LEN) ? WIRE_OK : WIRE_EMAC2;
}

size_t
cookie_addr_blob(uint8_t out[COOKIE_ADDR_MAX], const struct addr *a,
    uint16_t port)
{
	size_t n;

	if (a->af == AF_INET)
		n = 4;
	else if (a->af == AF_INET6)
		n = 16;
	else
		return 0;
	memcpy(out, a->b, n);
	out[n] = (uint8_t)(port >> 8);
	out[n + 1] = (uint8_t)port;
	return n + 2;
}

int
cookie_make(uint8_t cookie[WIRE_COOKIE_LEN],
    const uint8_t secret[COOKIE_SECRET_LEN], const uint8_t *addr,
    size_t addrlen)
{
	return cookie_mac(cookie, secret, COOKIE_SECRET_LEN, addr, addrlen);
}

enum wire_err
cookie_reply_create(const struct cookie_keys *k, uint32_t receiver,
    const uint8_t mac1[WIRE_MAC_LEN], const uint8_t cookie[WIRE_COOKIE_LEN],
    uint8_t out[WIRE_COOKIE_REPLY_LEN])
{
	wire_put_hdr(out, WIRE_MSG_COOKIE);
	wire_put_u32(out + WIRE_COOKIE_RECEIVER, receiver);
	/*
	 * 96 random bits under one key per hub public key: no XChaCha in
	 * OpenSSL 3.0, and collisions are negligible at rate-limited use.
	 */
	if (prim_random(out + WIRE_COOKIE_NONCE, WIRE_COOKIE_NONCELEN) != 0 ||
	    aead_seal_once(k->cookie_key, out + WIRE_COOKIE_NONCE, mac1,
		WIRE_MAC_LEN, cookie, WIRE_COOKIE_LEN,
		out + WIRE_COOKIE_SEALED) != 0) {
		memset(out, 0, WIRE_COOKIE_REPLY_LEN);
		return WIRE_EINTERNAL;
	}
	return WIRE_OK;
}

enum wire_err
cookie_reply_consume(const struct cookie_keys *k, const uint8_t *msg,
    size_t len, uint32_t receiver, const uint8_t mac1[WIRE_MAC_LEN],
    uint8_t cookie[WIRE_COOKIE_LEN])
{
	uint8_t tmp[WIRE_COOKIE_LEN];
	enum wire_err e;

	e = wire_check_fixed(msg, len, WIRE_MSG_COOKIE, WIRE_COOKIE_REPLY_LEN);
	if (e != WIRE_OK)
		return e;
	if (wire_get_u32(msg + WIRE_COOKIE_RECEIVER) != receiver)
		return WIRE_EINDEX;
	if (aead_open_once(k->cookie_key, msg + WIRE_COOKIE_NONCE, mac1,
		WIRE_MAC_LEN, msg + WIRE_COOKIE_SEALED,
		WIRE_COOKIE_LEN + WIRE_TAG_LEN, tmp) != 0)
		return WIRE_EDECRYPT;
	memcpy(cookie, tmp, WIRE_COOKIE_LEN);
	prim_wipe(tmp, sizeof tmp);
	return WIRE_OK;
}

bool
cookie_usable(uint64_t received_ms, uint64_t now_ms)
{
	if (now_ms < received_ms)
		return false;
	return now_ms - received_ms <
	    COOKIE_SECRET_MAX_AGE_MS - COOKIE_LATENCY_MS;
}
