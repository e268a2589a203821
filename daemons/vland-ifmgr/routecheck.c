/*
 * Route checks (routecheck.h). The rules, in vland-ifmgr(8)'s words:
 * on a hub a route must be one of the configured prefixes, and a prefix
 * the host already routes with another protocol is left to its owner;
 * on an endpoint, whose routes come from the hub, a route is refused if
 * it is the default route or covers it with the others, lies inside the
 * VPN subnet, covers the hub's own address outside the tunnel, or
 * overlaps any route of the host's but its default routes. Everywhere
 * the nexthop must be inside the VPN subnet of the route's family (an
 * IPv6 route's is the ip6 subnet, and without one it is refused).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routecheck.h"

static const char *
proto_name(uint8_t p, char *buf, size_t len)
{
	/* rtnetlink's protocol numbers, as ip route names them. */
	switch (p) {
	case 2:
		return "kernel";
	case 3:
		return "boot";
	case 4:
		return "static";
	case 16:
		return "dhcp";
	case 186:
		return "bgp";
	case 188:
		return "ospf";
	default:
		snprintf(buf, len, "%u", p);
		return buf;
	}
}

static void
host_route_fmt(const struct host_route *h, char *buf, size_t len)
{
	char d[PREFIX_STRLEN], g[ADDR_STRLEN], pb[8];

	prefix_fmt(&h->dst, d, sizeof(d));
	if (h->gw.af != 0)
		snprintf(buf, len, "%s via %s (proto %s)", d,
		    addr_fmt(&h->gw, g, sizeof(g)),
		    proto_name(h->protocol, pb, sizeof(pb)));
	else
		snprintf(buf, len, "%s (proto %s)", d,
		    proto_name(h->protocol, pb, sizeof(pb)));
}

/* Ours: on one of our own devices, connected or of our protocol. A
 * route of protocol 118 elsewhere is another vland's (or our pin). */
static bool
is_own(const struct routecheck_ctx *c, const struct host_route *h)
{
	size_t i;

	if (h->protocol != c->own_protocol && h->protocol != 2 /* kernel */)
		return false;
	for (i = 0; i < c->nown; i++)
		if (h->oif != 0 && h->oif == c->own_oif[i])
			return true;
	return false;
}

/* The connected route of another vland's device (another endpoint on
 * this host, of the same VPN or not). */
static bool
is_other_vland(const struct routecheck_ctx *c, const struct host_route *h)
{
	size_t i;

	for (i = 0; i < c->nvland; i++)
		if (h->oif != 0 && h->oif == c->vland_oif[i])
			return true;
	return false;
}

const struct host_route *
routecheck_same_dst(const struct routecheck_ctx *c, const struct prefix *p)
{
	size_t i;

	for (i = 0; c->host != NULL && i < c->host->n; i++) {
		const struct host_route *h = &c->host->r[i];

		if (!is_own(c, h) && h->dst.len == p->len &&
		    addr_cmp(&h->dst.a, &p->a) == 0)
			return h;
	}
	return NULL;
}

/* A host route of another protocol that overlaps p, default routes
 * aside (every prefix is inside those). With covering set, only one
 * that p would shadow (p inside it): a host route inside p stays more
 * specific than p and keeps its traffic. */
static const struct host_route *
overlapping(const struct routecheck_ctx *c, const struct prefix *p,
    bool covering, bool address)
{
	size_t i;

	for (i = 0; c->host != NULL && i < c->host->n; i++) {
		const struct host_route *h = &c->host->r[i];

		if (is_own(c, h) || h->dst.len == 0 || h->dst.a.af != p->a.af)
			continue;
		/* Two endpoints of one VPN on this host share its subnet:
		 * an address may, a pushed route may not. */
		if (address && is_other_vland(c, h) && h->dst.len == p->len &&
		    addr_cmp(&h->dst.a, &p->a) == 0)
			continue;
		if (covering ? h->dst.len <= p->len &&
			    prefix_contains(&h->dst, &p->a)
			     : prefix_overlaps(&h->dst, p))
			return h;
	}
	return NULL;
}

/* Is any prefix of set (or extra) inside net but longer than it? */
static bool
any_inside(const struct prefix *set, size_t n, const struct prefix *extra,
    const struct prefix *net)
{
	size_t i;

	for (i = 0; i <= n; i++) {
		const struct prefix *p = i < n ? &set[i] : extra;

		if (p != NULL && p->a.af == net->a.af && p->len > net->len &&
		    prefix_contains(net, &p->a))
			return true;
	}
	return false;
}

static bool
covers(const struct prefix *set, size_t n, const struct prefix *extra,
    const struct prefix *net)
{
	struct prefix half;
	size_t i;

	for (i = 0; i <= n; i++) {
		const struct prefix *p = i < n ? &set[i] : extra;

		if (p != NULL && p->a.af == net->a.af && p->len <= net->len &&
		    prefix_contains(p, &net->a))
			return true;
	}
	if (net->len >= addr_bytes(&net->a) * 8 ||
	    !any_inside(set, n, extra, net))
		return false;
	/* Both halves must be covered. */
	half = *net;
	half.len = (uint8_t)(net->len + 1);
	if (!covers(set, n, extra, &half))
		return false;
	half.a.b[net->len / 8] |= (uint8_t)(0x80 >> (net->len % 8));
	return covers(set, n, extra, &half);
}

bool
routecheck_covers_default(sa_family_t af, const struct prefix *set, size_t n,
    const struct prefix *extra)
{
	struct prefix all;

	memset(&all, 0, sizeof(all));
	all.a.af = af;
	return covers(set, n, extra, &all);
}

/*
 * Would r, with the routes before it, the host's own routes and the way
 * to the hub, cover the default route? The hub would then get all the
 * host's traffic but its LANs: a full tunnel in all but name.
 */
static bool
covers_all_but_host(const struct routecheck_ctx *c, const struct prefix *r)
{
	struct prefix *set;
	size_t i, n = 0,
		  max = c->naccepted + 1 + (c->host != NULL ? c->host->n : 0);
	bool all;

	if ((set = calloc(max, sizeof(*set))) == NULL)
		return true; /* out of memory: refuse */
	for (i = 0; i < c->naccepted; i++)
		set[n++] = c->accepted[i];
	for (i = 0; c->host != NULL && i < c->host->n; i++)
		if (!is_own(c, &c->host->r[i]) && c->host->r[i].dst.len != 0)
			set[n++] = c->host->r[i].dst;
	if (c->underlay.af == r->a.af) {
		set[n].a = c->underlay;
		set[n++].len = (uint8_t)(addr_bytes(&c->underlay) * 8);
	}
	all = routecheck_covers_default(r->a.af, set, n, r);
	free(set);
	return all;
}

static uint32_t refuse(uint32_t reason, char *why, size_t len, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static uint32_t
refuse(uint32_t reason, char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return reason;
}

/* The checks a prefix gets on an endpoint, for a route or an address
 * (covering: a full tunnel's route may cover the host's routes). */
static uint32_t
endpoint_prefix(const struct routecheck_ctx *c, const struct prefix *p,
    bool covering, bool address, char *why, size_t len)
{
	const struct host_route *h;
	char hb[PREFIX_STRLEN + 64], a[ADDR_STRLEN];

	if (c->underlay.af == p->a.af && prefix_contains(p, &c->underlay) &&
	    !c->underlay_pinned)
		return refuse(RR_UNDERLAY, why, len,
		    "covers the hub's address %s outside the tunnel",
		    addr_fmt(&c->underlay, a, sizeof(a)));
	if ((h = overlapping(c, p, covering, address)) != NULL) {
		host_route_fmt(h, hb, sizeof(hb));
		return refuse(RR_COLLISION, why, len,
		    "overlaps the host's route %s", hb);
	}
	return 0;
}

uint32_t
routecheck_route(const struct routecheck_ctx *c, const struct if_route *r,
    char *why, size_t len)
{
	const struct host_route *h;
	const struct prefix *vpn =
	    r->cidr.a.af == AF_INET6 ? &c->vpn6 : &c->vpn;
	char hb[PREFIX_STRLEN + 64];

	if ((r->cidr.a.af != AF_INET && r->cidr.a.af != AF_INET6) ||
	    !prefix_is_network(&r->cidr))
		return refuse(RR_FAMILY, why, len, "%s",
		    "not an IPv4 or IPv6 network prefix");
	/* The kernel takes a gateway of the route's own family only. */
	if (r->nexthop.af != 0 && r->nexthop.af != r->cidr.a.af)
		return refuse(RR_FAMILY, why, len, "%s",
		    "nexthop of the other address family");
	/* An IPv6 route needs IPv6 inside the tunnel: its nexthop is
	 * there, and so is what it must not cover. */
	if (r->cidr.a.af == AF_INET6 && vpn->a.af != AF_INET6)
		return refuse(RR_FAMILY, why, len, "%s",
		    "an IPv6 route, but no IPv6 inside the tunnel");
	if (r->nexthop.af != 0 && !prefix_contains(vpn, &r->nexthop))
		return refuse(RR_NEXTHOP, why, len, "%s",
		    "nexthop outside the VPN subnet");
	if (c->pol->role == CFG_HUB) {
		if (!policy_route_configured(c->pol, &r->cidr))
			return refuse(RR_NOT_CONFIGURED, why, len, "%s",
			    "not a route of the configuration");
		if ((h = routecheck_same_dst(c, &r->cidr)) != NULL) {
			host_route_fmt(h, hb, sizeof(hb));
			return refuse(RR_COLLISION, why, len,
			    "the host already has %s", hb);
		}
		return 0;
	}
	/* The host's own default route is never replaced: a full tunnel
	 * is the pair of halves, more specific than it. */
	if (r->cidr.len == 0)
		return refuse(RR_DEFAULT, why, len, "%s",
		    !c->pol->full_tunnel ? "a default route"
			: r->cidr.a.af == AF_INET6
			? "a default route (a full tunnel takes ::/1 and "
			  "8000::/1)"
			: "a default route (a full tunnel takes 0.0.0.0/1 and "
			  "128.0.0.0/1)");
	if (r->cidr.len >= vpn->len && prefix_contains(vpn, &r->cidr.a))
		return refuse(RR_VPN, why, len, "%s", "inside the VPN subnet");
	if (!c->pol->full_tunnel && covers_all_but_host(c, &r->cidr))
		return refuse(RR_DEFAULT, why, len, "%s",
		    "with the routes before it, covers the default route");
	return endpoint_prefix(c, &r->cidr, c->pol->full_tunnel, false, why,
	    len);
}

uint32_t
routecheck_address(const struct routecheck_ctx *c, const struct prefix *net,
    char *why, size_t len)
{
	return endpoint_prefix(c, net, false, true, why, len);
}
