/*
 * Encoders and decoders side by side, one pair per opcode, over a
 * bounds-checked cursor: a read past the end is WIRE_ESHORT, bytes left
 * after the last field WIRE_ELONG.
 */
#include <string.h>

#include "peermsg.h"
#include "pmsg_io.h"
#include "prim.h"

static enum wire_err
pmsg_route_check(const struct pmsg_route *rt)
{
	uint8_t max;

	if (rt->dst.a.af != AF_INET && rt->dst.a.af != AF_INET6)
		return WIRE_EVALUE;
	max = rt->dst.a.af == AF_INET ? 32 : 128;
	if (rt->dst.len > max || !prefix_is_network(&rt->dst))
		return WIRE_EVALUE;
	if (rt->nexthop.af != 0 && rt->nexthop.af != AF_INET &&
	    rt->nexthop.af != AF_INET6)
		return WIRE_EVALUE;
	if (rt->nexthop.af != 0 && addr_is_unspecified(&rt->nexthop))
		return WIRE_EVALUE;
	return WIRE_OK;
}

static enum wire_err
pmsg_routes_put(struct wr *w, const struct pmsg_route *r, uint16_t n)
{
	enum wire_err e;
	uint16_t i;

	if (n > PMSG_ROUTES_MAX)
		return WIRE_ECOUNT;
	if (!wr_u16(w, n))
		return WIRE_ESPACE;
	for (i = 0; i < n; i++) {
		if ((e = pmsg_route_check(&r[i])) != WIRE_OK)
			return e;
		if (!wr_u8(w, pmsg_af_code(&r[i].dst.a)) ||
		    !wr_u8(w, r[i].dst.len) ||
		    !wr_bytes(w, r[i].dst.a.b, addr_bytes(&r[i].dst.a)) ||
		    !wr_u8(w, pmsg_af_code(&r[i].nexthop)) ||
		    !wr_bytes(w, r[i].nexthop.b, addr_bytes(&r[i].nexthop)))
			return WIRE_ESPACE;
	}
	return WIRE_OK;
}

static enum wire_err
pmsg_routes_get(struct rd *r, struct pmsg_route *rt, uint16_t *count)
{
	enum wire_err e;
	uint16_t i, n;
	uint8_t af;

	if (!rd_u16(r, &n))
		return WIRE_ESHORT;
	if (n > PMSG_ROUTES_MAX)
		return WIRE_ECOUNT;
	for (i = 0; i < n; i++) {
		memset(&rt[i], 0, sizeof rt[i]);
		if (!rd_u8(r, &af) || !rd_u8(r, &rt[i].dst.len))
			return WIRE_ESHORT;
		if ((e = pmsg_addr_get(r, af, &rt[i].dst.a)) != WIRE_OK)
			return e;
		if (!rd_u8(r, &af))
			return WIRE_ESHORT;
		if (af != 0 &&
		    (e = pmsg_addr_get(r, af, &rt[i].nexthop)) != WIRE_OK)
			return e;
		if ((e = pmsg_route_check(&rt[i])) != WIRE_OK)
			return e;
	}
	*count = n;
	return WIRE_OK;
}

/* AUTH */

static enum wire_err
pmsg_auth_check(const char *user, size_t ulen, const char *pw, size_t pwlen)
{
	if (!username_valid(user, ulen))
		return WIRE_EUSERNAME;
	if (pwlen == 0 || pwlen > PMSG_PASSWORD_MAX ||
	    memchr(pw, '\0', pwlen) != NULL)
		return WIRE_EVALUE;
	return WIRE_OK;
}

enum wire_err
pmsg_auth_set(struct pmsg *m, const char *user, const char *password)
{
	size_t ulen = strnlen(user, USERNAME_MAX + 1);
	size_t pwlen = strnlen(password, PMSG_PASSWORD_MAX + 1);
	enum wire_err e;

	if ((e = pmsg_auth_check(user, ulen, password, pwlen)) != WIRE_OK)
		return e;
	memset(m, 0, sizeof *m);
	m->op = PMSG_AUTH;
	memcpy(m->u.auth.user, user, ulen);
	memcpy(m->u.auth.password, password, pwlen);
	m->u.auth.pwlen = pwlen;
	return WIRE_OK;
}

/* AUTH_FAIL: reason, and the wait only for "try later". */
static enum wire_err
pmsg_fail_put(struct wr *w, const struct pmsg_fail *f)
{
	if (f->reason == 0)
		return WIRE_EVALUE;
	if (f->reason == PMSG_FAIL_TRY_LATER &&
	    (f->wait == 0 || f->wait > PMSG_WAIT_MAX))
		return WIRE_EVALUE;
	if (!wr_u8(w, f->reason))
		return WIRE_ESPACE;
	if (f->reason == PMSG_FAIL_TRY_LATER && !wr_u16(w, f->wait))
		return WIRE_ESPACE;
	return WIRE_OK;
}

static enum wire_err
pmsg_fail_get(struct rd *r, struct pmsg_fail *f)
{
	if (!rd_u8(r, &f->reason))
		return WIRE_ESHORT;
	if (f->reason == 0)
		return WIRE_EVALUE;
	if (f->reason != PMSG_FAIL_TRY_LATER)
		return WIRE_OK;
	if (!rd_u16(r, &f->wait))
		return WIRE_ESHORT;
	return f->wait == 0 || f->wait > PMSG_WAIT_MAX ? WIRE_EVALUE : WIRE_OK;
}

static enum wire_err
pmsg_auth_put(struct wr *w, const struct pmsg_auth *a)
{
	size_t ulen = strnlen(a->user, sizeof a->user);
	enum wire_err e;

	if (a->pwlen > PMSG_PASSWORD_MAX)
		return WIRE_EVALUE;
	if ((e = pmsg_auth_check(a->user, ulen, a->password, a->pwlen)) !=
	    WIRE_OK)
		return e;
	if (w->cap - w->off < PMSG_AUTH_LEN - 1)
		return WIRE_ESPACE;
	/* Fixed size: the length of the ciphertext tells nothing. */
	memset(w->p + w->off, 0, PMSG_AUTH_LEN - 1);
	if (!wr_u8(w, (uint8_t)ulen) || !wr_bytes(w, a->user, ulen) ||
	    !wr_u16(w, (uint16_t)a->pwlen) ||
	    !wr_bytes(w, a->password, a->pwlen))
		return WIRE_ESPACE;
	w->off = PMSG_AUTH_LEN;
	return WIRE_OK;
}

static enum wire_err
pmsg_auth_get(struct rd *r, struct pmsg_auth *a)
{
	uint8_t ulen;
	uint16_t pwlen;
	enum wire_err e;

	if (r->len < PMSG_AUTH_LEN)
		return WIRE_ESHORT;
	if (r->len > PMSG_AUTH_LEN)
		return WIRE_ELONG;
	if (!rd_u8(r, &ulen))
		return WIRE_ESHORT;
	if (ulen == 0 || ulen > USERNAME_MAX)
		return WIRE_EUSERNAME;
	if (!rd_bytes(r, a->user, ulen) || !rd_u16(r, &pwlen))
		return WIRE_ESHORT;
	a->user[ulen] = '\0';
	if (pwlen == 0 || pwlen > PMSG_PASSWORD_MAX)
		return WIRE_EVALUE;
	if (!rd_bytes(r, a->password, pwlen))
		return WIRE_ESHORT;
	a->password[pwlen] = '\0';
	a->pwlen = pwlen;
	if ((e = pmsg_auth_check(a->user, ulen, a->password, pwlen)) != WIRE_OK)
		return e;
	if (!prim_is_zero(r->p + r->off, r->len - r->off))
		return WIRE_ERESERVED;
	r->off = r->len;
	return WIRE_OK;
}

/* AUTH_OK */

static enum wire_err
pmsg_opts_check(const uint8_t *p, size_t len)
{
	size_t off = 0;

	while (off < len) {
		if (len - off < 2)
			return WIRE_ESHORT;
		if (len - off - 2 < p[off + 1])
			return WIRE_ESHORT;
		off += 2 + (size_t)p[off + 1];
	}
	return WIRE_OK;
}

static enum wire_err
pmsg_ok_check(const struct pmsg_auth_ok *ok)
{
	if (ok->addr.af != AF_INET || addr_is_unspecified(&ok->addr))
		return WIRE_EVALUE;
	if (ok->prefixlen == 0 || ok->prefixlen > 32)
		return WIRE_EVALUE;
	if (ok->mtu < PMSG_MTU_MIN || ok->mtu > PMSG_MTU_MAX)
		return WIRE_EVALUE;
	if (ok->keepalive == 0)
		return WIRE_EVALUE;
	if (ok->optslen > PMSG_OPTS_MAX)
		return WIRE_ECOUNT;
	return pmsg_opts_check(ok->opts, ok->optslen);
}

static enum wire_err
pmsg_ok_put(struct wr *w, const struct pmsg_auth_ok *ok)
{
	enum wire_err e;

	if ((e = pmsg_ok_check(ok)) != WIRE_OK)
		return e;
	if (!wr_bytes(w, ok->addr.b, 4) || !wr_u8(w, ok->prefixlen) ||
	    !wr_u16(w, ok->mtu) || !wr_u16(w, ok->keepalive) ||
	    !wr_bytes(w, ok->token, PMSG_TOKEN_LEN) ||
	    !wr_u32(w, ok->routes.version))
		return WIRE_ESPACE;
	if ((e = pmsg_routes_put(w, ok->routes.r, ok->routes.count)) != WIRE_OK)
		return e;
	if (!wr_u16(w, (uint16_t)ok->optslen) ||
	    !wr_bytes(w, ok->opts, ok->optslen))
		return WIRE_ESPACE;
	return WIRE_OK;
}

static enum wire_err
pmsg_ok_get(struct rd *r, struct pmsg_auth_ok *ok)
{
	enum wire_err e;
	uint16_t optslen;

	ok->addr.af = AF_INET;
	if (!rd_bytes(r, ok->addr.b, 4) || !rd_u8(r, &ok->prefixlen) ||
	    !rd_u16(r, &ok->mtu) || !rd_u16(r, &ok->keepalive) ||
	    !rd_bytes(r, ok->token, PMSG_TOKEN_LEN) ||
	    !rd_u32(r, &ok->routes.version))
		return WIRE_ESHORT;
	if ((e = pmsg_routes_get(r, ok->routes.r, &ok->routes.count)) !=
	    WIRE_OK)
		return e;
	if (!rd_u16(r, &optslen))
		return WIRE_ESHORT;
	if (optslen > PMSG_OPTS_MAX)
		return WIRE_ECOUNT;
	if (!rd_bytes(r, ok->opts, optslen))
		return WIRE_ESHORT;
	ok->optslen = optslen;
	return pmsg_ok_check(ok);
}

enum wire_err
pmsg_opt_add(struct pmsg_auth_ok *ok, uint8_t type, const void *val,
    uint8_t len)
{
	if (ok->optslen > PMSG_OPTS_MAX ||
	    PMSG_OPTS_MAX - ok->optslen < 2 + (size_t)len)
		return WIRE_ESPACE;
	ok->opts[ok->optslen] = type;
	ok->opts[ok->optslen + 1] = len;
	if (len > 0)
		memcpy(ok->opts + ok->optslen + 2, val, len);
	ok->optslen += 2 + (size_t)len;
	return WIRE_OK;
}

int
pmsg_opt_next(const struct pmsg_auth_ok *ok, size_t *off, struct pmsg_opt *o)
{
	size_t n = ok->optslen > PMSG_OPTS_MAX ? 0 : ok->optslen;

	/* The list was checked on decode; stay in bounds regardless. */
	if (*off >= n || n - *off < 2 || n - *off - 2 < ok->opts[*off + 1])
		return 0;
	o->type = ok->opts[*off];
	o->len = ok->opts[*off + 1];
	o->val = ok->opts + *off + 2;
	*off += 2 + (size_t)o->len;
	return 1;
}

static bool
pmsg_ipv6_ok(const struct prefix *p)
{
	/* A unicast host address: not ::, not multicast or link-local. */
	return addr_v6_unicast(&p->a) && p->len >= PMSG_IPV6_LEN_MIN &&
	    p->len <= PMSG_IPV6_LEN_MAX;
}

enum wire_err
pmsg_ok_set_ipv6(struct pmsg_auth_ok *ok, const struct prefix *p)
{
	uint8_t v[PMSG_OPT_IPV6_LEN];

	if (!pmsg_ipv6_ok(p))
		return WIRE_EVALUE;
	memcpy(v, p->a.b, 16);
	v[16] = p->len;
	return pmsg_opt_add(ok, PMSG_OPT_IPV6, v, sizeof(v));
}

int
pmsg_ok_ipv6(const struct pmsg_auth_ok *ok, struct prefix *p)
{
	struct pmsg_opt o;
	struct prefix got;
	size_t off = 0;
	int found = 0;

	while (pmsg_opt_next(ok, &off, &o)) {
		if (o.type != PMSG_OPT_IPV6)
			continue;
		if (found || o.len != PMSG_OPT_IPV6_LEN)
			return -1;
		memset(&got, 0, sizeof(got));
		got.a.af = AF_INET6;
		memcpy(got.a.b, o.val, 16);
		got.len = o.val[16];
		if (!pmsg_ipv6_ok(&got))
			return -1;
		found = 1;
	}
	if (found)
		*p = got;
	return found;
}

enum wire_err
pmsg_ok_set_hub(struct pmsg_auth_ok *ok, const struct addr *v4,
    const struct addr *v6)
{
	enum wire_err e;

	if (v4->af != AF_INET || v4->v4.s_addr == 0)
		return WIRE_EVALUE;
	if ((e = pmsg_opt_add(ok, PMSG_OPT_HUB4, v4->b, 4)) != WIRE_OK)
		return e;
	if (v6 == NULL || v6->af != AF_INET6)
		return WIRE_OK;
	if (!addr_v6_unicast(v6))
		return WIRE_EVALUE;
	return pmsg_opt_add(ok, PMSG_OPT_HUB6, v6->b, 16);
}

int
pmsg_ok_hub(const struct pmsg_auth_ok *ok, struct addr *v4, struct addr *v6)
{
	struct pmsg_opt o;
	size_t off = 0;

	memset(v4, 0, sizeof(*v4));
	memset(v6, 0, sizeof(*v6));
	while (pmsg_opt_next(ok, &off, &o)) {
		if (o.type == PMSG_OPT_HUB4) {
			if (v4->af != 0 || o.len != 4)
				return -1;
			v4->af = AF_INET;
			memcpy(v4->b, o.val, 4);
			if (v4->v4.s_addr == 0)
				return -1;
		} else if (o.type == PMSG_OPT_HUB6) {
			if (v6->af != 0 || o.len != 16)
				return -1;
			v6->af = AF_INET6;
			memcpy(v6->b, o.val, 16);
			if (!addr_v6_unicast(v6))
				return -1;
		}
	}
	return 0;
}

/* DNS */

/* Types ascending from min (the TLV list was checked). */
static bool
pmsg_dns_ordered(const uint8_t *p, size_t len, uint8_t min)
{
	size_t off;

	for (off = 0; off < len; off += 2 + (size_t)p[off + 1]) {
		if (p[off] < min)
			return false;
		min = p[off];
	}
	return true;
}

static enum wire_err
pmsg_dns_put(struct wr *w, const struct pmsg_dns *d)
{
	size_t i, len, optslen = 0;
	uint8_t af;

	if (!dns_set_valid(&d->set))
		return WIRE_EVALUE;
	for (i = 0; i < d->set.nservers; i++)
		optslen += 2 + addr_bytes(&d->set.servers[i]);
	for (i = 0; i < d->set.nsearch; i++)
		optslen += 2 + strlen(d->set.search[i]);
	if (d->extralen > PMSG_OPTS_MAX ||
	    pmsg_opts_check(d->extra, d->extralen) != WIRE_OK)
		return WIRE_EVALUE;
	if (!pmsg_dns_ordered(d->extra, d->extralen, PMSG_DNS_SEARCH + 1))
		return WIRE_EVALUE;
	optslen += d->extralen;
	if (optslen > PMSG_OPTS_MAX)
		return WIRE_ECOUNT;
	if (!wr_u32(w, d->version) || !wr_u16(w, (uint16_t)optslen))
		return WIRE_ESPACE;
	for (i = 0; i < d->set.nservers; i++) {
		af = (uint8_t)addr_bytes(&d->set.servers[i]);
		if (!wr_u8(w, PMSG_DNS_SERVER) || !wr_u8(w, af) ||
		    !wr_bytes(w, d->set.servers[i].b, af))
			return WIRE_ESPACE;
	}
	for (i = 0; i < d->set.nsearch; i++) {
		len = strlen(d->set.search[i]);
		if (!wr_u8(w, PMSG_DNS_SEARCH) || !wr_u8(w, (uint8_t)len) ||
		    !wr_bytes(w, d->set.search[i], len))
			return WIRE_ESPACE;
	}
	if (!wr_bytes(w, d->extra, d->extralen))
		return WIRE_ESPACE;
	return WIRE_OK;
}

/* Values are checked here, so a decoded set is one dns_set_valid(). */
static enum wire_err
pmsg_dns_get(struct rd *r, struct pmsg_dns *d)
{
	uint8_t opts[PMSG_OPTS_MAX], type, len;
	uint16_t optslen;
	size_t off = 0;
	struct addr *a;

	if (!rd_u32(r, &d->version) || !rd_u16(r, &optslen))
		return WIRE_ESHORT;
	if (optslen > PMSG_OPTS_MAX)
		return WIRE_ECOUNT;
	if (!rd_bytes(r, opts, optslen))
		return WIRE_ESHORT;
	if (pmsg_opts_check(opts, optslen) != WIRE_OK)
		return WIRE_ESHORT;
	if (!pmsg_dns_ordered(opts, optslen, PMSG_DNS_SERVER))
		return WIRE_EVALUE;
	while (off < optslen) {
		type = opts[off];
		len = opts[off + 1];
		if (type > PMSG_DNS_SEARCH) {
			/* A later type: the rest, as it came. */
			memcpy(d->extra, opts + off, optslen - off);
			d->extralen = optslen - off;
			break;
		}
		off += 2;
		if (type == PMSG_DNS_SERVER) {
			if ((len != 4 && len != 16) ||
			    d->set.nservers == DNS_SERVERS_MAX)
				return WIRE_EVALUE;
			a = &d->set.servers[d->set.nservers++];
			a->af = len == 4 ? AF_INET : AF_INET6;
			memcpy(a->b, opts + off, len);
		} else if (type == PMSG_DNS_SEARCH) {
			if (d->set.nsearch == DNS_SEARCH_MAX ||
			    !dns_name_valid((const char *)opts + off, len))
				return WIRE_EVALUE;
			memcpy(d->set.search[d->set.nsearch], opts + off, len);
			d->set.search[d->set.nsearch++][len] = '\0';
		}
		off += len;
	}
	return dns_set_valid(&d->set) ? WIRE_OK : WIRE_EVALUE;
}

/* The catalogue. */

enum wire_err
pmsg_encode(const struct pmsg *m, uint8_t *buf, size_t cap, size_t *len)
{
	struct wr w = { buf, cap, 0 };
	enum wire_err e = WIRE_OK;

	if (!wr_u8(&w, m->op))
		return WIRE_ESPACE;
	switch (m->op) {
	case PMSG_AUTH:
		e = pmsg_auth_put(&w, &m->u.auth);
		break;
	case PMSG_AUTH_RESUME:
		if (!wr_bytes(&w, m->u.token, PMSG_TOKEN_LEN))
			e = WIRE_ESPACE;
		break;
	case PMSG_AUTH_OK:
		e = pmsg_ok_put(&w, &m->u.ok);
		break;
	case PMSG_AUTH_FAIL:
		e = pmsg_fail_put(&w, &m->u.fail);
		break;
	case PMSG_ROUTES:
		if (!wr_u32(&w, m->u.routes.version))
			e = WIRE_ESPACE;
		else
			e = pmsg_routes_put(&w, m->u.routes.r,
			    m->u.routes.count);
		break;
	case PMSG_DNS:
		e = pmsg_dns_put(&w, &m->u.dns);
		break;
	case PMSG_ENDPOINT_INFO:
		e = pmsg_info_put(&w, &m->u.info);
		break;
	case PMSG_PEER:
		e = pmsg_peer_put(&w, &m->u.peer);
		break;
	case PMSG_PEER_GONE:
		e = m->u.pair == 0	    ? WIRE_EVALUE
		    : wr_u32(&w, m->u.pair) ? WIRE_OK
					    : WIRE_ESPACE;
		break;
	case PMSG_BYE:
		break;
	default:
		e = WIRE_ETYPE;
	}
	if (e != WIRE_OK) {
		prim_wipe(buf, w.off);
		return e;
	}
	*len = w.off;
	return WIRE_OK;
}

enum wire_err
pmsg_decode(const uint8_t *buf, size_t len, struct pmsg *m)
{
	struct rd r = { buf, len, 0 };
	enum wire_err e = WIRE_OK;

	memset(m, 0, sizeof *m);
	if (!rd_u8(&r, &m->op))
		return WIRE_ESHORT;
	switch (m->op) {
	case PMSG_AUTH:
		e = pmsg_auth_get(&r, &m->u.auth);
		break;
	case PMSG_AUTH_RESUME:
		if (!rd_bytes(&r, m->u.token, PMSG_TOKEN_LEN))
			e = WIRE_ESHORT;
		break;
	case PMSG_AUTH_OK:
		e = pmsg_ok_get(&r, &m->u.ok);
		break;
	case PMSG_AUTH_FAIL:
		e = pmsg_fail_get(&r, &m->u.fail);
		break;
	case PMSG_ROUTES:
		if (!rd_u32(&r, &m->u.routes.version))
			e = WIRE_ESHORT;
		else
			e = pmsg_routes_get(&r, m->u.routes.r,
			    &m->u.routes.count);
		break;
	case PMSG_DNS:
		e = pmsg_dns_get(&r, &m->u.dns);
		break;
	case PMSG_ENDPOINT_INFO:
		e = pmsg_info_get(&r, &m->u.info);
		break;
	case PMSG_PEER:
		e = pmsg_peer_get(&r, &m->u.peer);
		break;
	case PMSG_PEER_GONE:
		e = !rd_u32(&r, &m->u.pair) ? WIRE_ESHORT
		    : m->u.pair == 0	    ? WIRE_EVALUE
					    : WIRE_OK;
		break;
	case PMSG_BYE:
		break;
	default:
		e = WIRE_ETYPE;
	}
	if (e == WIRE_OK && r.off != r.len)
		e = WIRE_ELONG;
	if (e != WIRE_OK)
		pmsg_clear(m);
	return e;
}

void
pmsg_clear(struct pmsg *m)
{
	prim_wipe(m, sizeof *m);
}

const char *
pmsg_fail_str(uint8_t reason)
{
	switch (reason) {
	case PMSG_FAIL_CREDENTIALS:
		return "bad username or password";
	case PMSG_FAIL_LOGGED_IN:
		return "user already logged in";
	case PMSG_FAIL_POOL:
		return "address pool exhausted";
	case PMSG_FAIL_INTERNAL:
		return "internal error on the hub";
	case PMSG_FAIL_VERSION:
		return "protocol version mismatch";
	case PMSG_FAIL_MODE:
		return "tap/tun mode mismatch";
	case PMSG_FAIL_TRY_LATER:
		return "try later";
	}
	return "unknown reason";
}
