/*
 * Where a packet goes in tun mode (tunfwd.h): decided from the session
 * table, the route set and the hub's addresses, with no I/O, so that
 * tundev.c acts on it and a unit test can ask.
 */
#include <string.h>

#include "session.h"
#include "tunfwd.h"

void
tunfwd_init(struct tunfwd *f, const struct session_table *sessions,
    const struct pmsg_routes *routes, const struct prefix *ip,
    const struct prefix *ip6)
{
	memset(f, 0, sizeof(*f));
	f->sessions = sessions;
	f->routes = routes;
	f->ip = *ip;
	f->ip6 = *ip6;
	f->fd = -1;
}

int
ip_addrs(const uint8_t *pkt, size_t len, struct addr *src, struct addr *dst)
{
	size_t ihl, tot;

	memset(src, 0, sizeof(*src));
	memset(dst, 0, sizeof(*dst));
	if (len < 1)
		return -1;
	switch (pkt[0] >> 4) {
	case 4:
		if (len < 20)
			return -1;
		ihl = (size_t)(pkt[0] & 0xf) * 4;
		tot = (size_t)pkt[2] << 8 | pkt[3];
		if (ihl < 20 || tot < ihl || tot > len)
			return -1;
		src->af = dst->af = AF_INET;
		memcpy(&src->v4, pkt + 12, 4);
		memcpy(&dst->v4, pkt + 16, 4);
		return 0;
	case 6:
		if (len < 40 || 40 + ((size_t)pkt[4] << 8 | pkt[5]) > len)
			return -1;
		src->af = dst->af = AF_INET6;
		memcpy(&src->v6, pkt + 8, 16);
		memcpy(&dst->v6, pkt + 24, 16);
		return 0;
	default:
		return -1;
	}
}

/*
 * The IPv4 address of the endpoint whose address a is: a itself, or for
 * IPv6 the last 32 bits of an address of the ip6 prefix (addr_v6_embed).
 */
static bool
tunfwd_v4_of(const struct tunfwd *f, const struct addr *a, struct addr *v4)
{
	if (a->af == AF_INET) {
		*v4 = *a;
		return true;
	}
	return f->ip6.a.af == AF_INET6 && addr_v6_extract(&f->ip6, a, v4);
}

/* The session a destination belongs to, by address or routed prefix. */
static struct session *
tunfwd_lookup(const struct tunfwd *f, const struct addr *dst)
{
	const struct pmsg_routes *r = f->routes;
	struct session *s, *best = NULL;
	struct addr v4;
	int bestlen = -1;
	uint16_t i;

	if (tunfwd_v4_of(f, dst, &v4) &&
	    (s = session_by_addr(f->sessions, &v4)) != NULL &&
	    s->state == SESS_UP)
		return s;
	for (i = 0; i < r->count; i++) {
		if (r->r[i].nexthop.af == 0 || r->r[i].dst.len <= bestlen ||
		    !prefix_contains(&r->r[i].dst, dst))
			continue;
		/* SERVER routes name the hub: the tun, not a session. */
		if (addr_cmp(&r->r[i].nexthop, &f->ip.a) == 0 ||
		    addr_cmp(&r->r[i].nexthop, &f->ip6.a) == 0) {
			best = NULL;
			bestlen = r->r[i].dst.len;
			continue;
		}
		/* An IPv6 nexthop is a user's IPv6 address: its session is
		 * the one of the IPv4 address inside it. */
		s = tunfwd_v4_of(f, &r->r[i].nexthop, &v4)
		    ? session_by_addr(f->sessions, &v4)
		    : NULL;
		best = s != NULL && s->state == SESS_UP ? s : NULL;
		bestlen = r->r[i].dst.len;
	}
	return best;
}

/* May s send from src: its own address or a prefix routed to it. */
static bool
tunfwd_source_ok(const struct tunfwd *f, const struct session *s,
    const struct addr *src)
{
	const struct pmsg_routes *r = f->routes;
	struct addr v4;
	uint16_t i;

	if (tunfwd_v4_of(f, src, &v4) && addr_cmp(&v4, &s->addr) == 0)
		return true;
	for (i = 0; i < r->count; i++)
		if (r->r[i].nexthop.af != 0 &&
		    tunfwd_v4_of(f, &r->r[i].nexthop, &v4) &&
		    addr_cmp(&v4, &s->addr) == 0 &&
		    prefix_contains(&r->r[i].dst, src))
			return true;
	return false;
}

/* A packet the kernel routed into the hub's tun: to its session. */
static enum tunfwd_verdict
tunfwd_from_kernel(const struct tunfwd *f, const struct addr *dst,
    struct session **to, enum drop_reason *why)
{
	if ((*to = tunfwd_lookup(f, dst)) == NULL) {
		*why = DROP_NOROUTE;
		return TUNFWD_DROP;
	}
	return TUNFWD_SESSION;
}

enum tunfwd_verdict
tunfwd_decide(const struct tunfwd *f, const struct session *from,
    const uint8_t *pkt, size_t len, struct session **to, enum drop_reason *why)
{
	struct addr src, dst;
	struct prefix vpn;

	if (ip_addrs(pkt, len, &src, &dst) == -1) {
		*why = DROP_MALFORMED;
		return TUNFWD_DROP;
	}
	if (from == NULL)
		return tunfwd_from_kernel(f, &dst, to, why);
	if (!tunfwd_source_ok(f, from, &src)) {
		/* An endpoint's own kernel talks from link-local addresses
		 * (router and neighbour solicitations, MLD) that mean
		 * nothing across a routed tunnel: dropped, not a spoof. */
		if (src.af == AF_INET6 &&
		    (addr_is_unspecified(&src) ||
			(src.b[0] == 0xfe && (src.b[1] & 0xc0) == 0x80)))
			return TUNFWD_IGNORE;
		*why = DROP_SPOOF;
		return TUNFWD_DROP;
	}
	/* Endpoint to endpoint: never through the kernel, and only
	 * between those that may reach each other (isolate). */
	if ((*to = tunfwd_lookup(f, &dst)) != NULL) {
		if (session_may_reach(from, *to))
			return TUNFWD_SESSION;
		*to = NULL;
		*why = DROP_ISOLATED;
		return TUNFWD_DROP;
	}
	/* In the VPN subnet but nobody's: dropped here, not looped
	 * through the kernel. */
	prefix_network(dst.af == AF_INET6 ? &f->ip6 : &f->ip, &vpn);
	if (prefix_contains(&vpn, &dst) &&
	    addr_cmp(&dst, dst.af == AF_INET6 ? &f->ip6.a : &f->ip.a) != 0) {
		*why = DROP_NOROUTE;
		return TUNFWD_DROP;
	}
	return TUNFWD_HUB;
}
