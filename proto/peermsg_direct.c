/*
 * ENDPOINT_INFO and PEER (peermsg.h), the messages of direct paths:
 * what an endpoint tells the hub about itself, and what the hub tells
 * each of two endpoints about the other. Values are checked both ways,
 * so the encoder never makes what the decoder refuses.
 */
#include <string.h>

#include "peermsg.h"
#include "pmsg_io.h"

/*
 * A place to send to: an IPv4 or IPv6 unicast address of some other
 * host. Not this host (0/8, 127/8, ::/96 with ::1, IPv4-mapped ::ffff/96
 * which names IPv4 hosts behind the other family's back), not link-local
 * (169.254/16: cloud metadata services live there; fe80::/10), not
 * multicast or broadcast (224/3, ff00::/8).
 */
static bool
cand_addr_ok(const struct addr *a)
{
	static const uint8_t zero[12],
	    mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (a->af == AF_INET)
		return a->b[0] != 0 && a->b[0] != 127 && a->b[0] < 224 &&
		    !(a->b[0] == 169 && a->b[1] == 254);
	return a->af == AF_INET6 && addr_v6_unicast(a) &&
	    memcmp(a->b, zero, 12) != 0 && memcmp(a->b, mapped, 12) != 0;
}

static bool
wr_addr(struct wr *w, const struct addr *a)
{
	return wr_u8(w, pmsg_af_code(a)) && wr_bytes(w, a->b, addr_bytes(a));
}

enum wire_err
pmsg_info_put(struct wr *w, const struct pmsg_info *in)
{
	uint8_t i;

	if (in->n > PMSG_LOCAL_MAX)
		return WIRE_ECOUNT;
	for (i = 0; i < in->n; i++)
		if (!cand_addr_ok(&in->a[i]))
			return WIRE_EVALUE;
	if (!wr_u8(w, in->flags) || !wr_u16(w, in->port) || !wr_u8(w, in->n))
		return WIRE_ESPACE;
	for (i = 0; i < in->n; i++)
		if (!wr_addr(w, &in->a[i]))
			return WIRE_ESPACE;
	return WIRE_OK;
}

enum wire_err
pmsg_info_get(struct rd *r, struct pmsg_info *in)
{
	enum wire_err e;
	uint8_t i, af;

	if (!rd_u8(r, &in->flags) || !rd_u16(r, &in->port) || !rd_u8(r, &in->n))
		return WIRE_ESHORT;
	if (in->n > PMSG_LOCAL_MAX)
		return WIRE_ECOUNT;
	for (i = 0; i < in->n; i++) {
		if (!rd_u8(r, &af))
			return WIRE_ESHORT;
		if ((e = pmsg_addr_get(r, af, &in->a[i])) != WIRE_OK)
			return e;
		if (!cand_addr_ok(&in->a[i]))
			return WIRE_EVALUE;
	}
	return WIRE_OK;
}

static enum wire_err
peer_check(const struct pmsg_peer *p, size_t ulen)
{
	uint8_t i;

	if (p->pair == 0 || !username_valid(p->user, ulen) ||
	    p->v4.af != AF_INET || addr_is_unspecified(&p->v4))
		return WIRE_EVALUE;
	if (p->v6.af != 0 && (p->v6.af != AF_INET6 || !addr_v6_unicast(&p->v6)))
		return WIRE_EVALUE;
	if (p->n == 0 || p->n > PMSG_CAND_MAX)
		return WIRE_ECOUNT;
	for (i = 0; i < p->n; i++)
		if (!cand_addr_ok(&p->c[i].a) || p->c[i].port == 0)
			return WIRE_EVALUE;
	return WIRE_OK;
}

enum wire_err
pmsg_peer_put(struct wr *w, const struct pmsg_peer *p)
{
	static const uint8_t zero16[16];
	size_t ulen = strnlen(p->user, USERNAME_MAX + 1);
	enum wire_err e;
	uint8_t i;

	if ((e = peer_check(p, ulen)) != WIRE_OK)
		return e;
	if (!wr_u32(w, p->pair) || !wr_u8(w, p->flags) ||
	    !wr_u8(w, (uint8_t)ulen) || !wr_bytes(w, p->user, ulen) ||
	    !wr_bytes(w, p->v4.b, 4) ||
	    !wr_bytes(w, p->v6.af == AF_INET6 ? p->v6.b : zero16, 16) ||
	    !wr_bytes(w, p->mac, PMSG_MAC_LEN) ||
	    !wr_bytes(w, p->secret, PMSG_SECRET_LEN) || !wr_u8(w, p->n))
		return WIRE_ESPACE;
	for (i = 0; i < p->n; i++)
		if (!wr_addr(w, &p->c[i].a) || !wr_u16(w, p->c[i].port))
			return WIRE_ESPACE;
	return WIRE_OK;
}

enum wire_err
pmsg_peer_get(struct rd *r, struct pmsg_peer *p)
{
	enum wire_err e;
	uint8_t ulen, i, af;

	if (!rd_u32(r, &p->pair) || !rd_u8(r, &p->flags) || !rd_u8(r, &ulen))
		return WIRE_ESHORT;
	if (ulen == 0 || ulen > USERNAME_MAX)
		return WIRE_EUSERNAME;
	if (!rd_bytes(r, p->user, ulen))
		return WIRE_ESHORT;
	p->user[ulen] = '\0';
	p->v4.af = AF_INET;
	p->v6.af = AF_INET6;
	if (!rd_bytes(r, p->v4.b, 4) || !rd_bytes(r, p->v6.b, 16) ||
	    !rd_bytes(r, p->mac, PMSG_MAC_LEN) ||
	    !rd_bytes(r, p->secret, PMSG_SECRET_LEN) || !rd_u8(r, &p->n))
		return WIRE_ESHORT;
	if (addr_is_unspecified(&p->v6))
		memset(&p->v6, 0, sizeof p->v6);
	if (p->n == 0 || p->n > PMSG_CAND_MAX)
		return WIRE_ECOUNT;
	for (i = 0; i < p->n; i++) {
		if (!rd_u8(r, &af))
			return WIRE_ESHORT;
		if ((e = pmsg_addr_get(r, af, &p->c[i].a)) != WIRE_OK)
			return e;
		if (!rd_u16(r, &p->c[i].port))
			return WIRE_ESHORT;
	}
	if (!username_valid(p->user, ulen))
		return WIRE_EUSERNAME;
	return peer_check(p, ulen);
}
