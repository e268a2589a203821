/*
 * The hub's route set (routes.h). A set equal to the current one gets no
 * new version, so that versions count real changes and nothing is sent
 * for nothing; the multicast announcement is repeated on a schedule,
 * since multicast may be lost.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "routes.h"
#include "session.h"

#define MCAST_GROUP "224.0.0.1"
#define MCAST_PORT  9999
/*
 * When, after a change, the set is announced: 50 ms as the original
 * system did, then again, since multicast is best effort and a bridge
 * whose ports just changed has been seen to lose the first datagrams.
 * Listeners apply the latest set, so repeats are harmless.
 */
static const uint64_t mcast_at_ms[] = { 50, 1000, 3000, 10000 };
#define MCAST_STEPS (sizeof(mcast_at_ms) / sizeof(mcast_at_ms[0]))

/* The nexthop of configured route i now (af 0: unknown). */
static void
route_nexthop(const struct route_conf *c, const struct session_table *st,
    size_t i, struct addr *out)
{
	/* An IPv6 route goes through an IPv6 nexthop: the kernel takes no
	 * gateway of the other family. The configuration gives IPv6 routes
	 * only with ip6. */
	bool v6 = c->routes[i].cidr.a.af == AF_INET6;
	struct session *s;

	memset(out, 0, sizeof(*out));
	if (v6 && c->ip6.a.af != AF_INET6)
		return;
	if (c->routes[i].server) {
		*out = v6 ? c->ip6.a : c->hub;
		return;
	}
	s = session_by_user(st, c->routes[i].nexthop, NULL);
	if (s == NULL || s->state != SESS_UP)
		return;
	if (v6)
		addr_v6_embed(&c->ip6, &s->addr, out);
	else
		*out = s->addr;
}

void
routes_compute(const struct route_conf *c, const struct session_table *st,
    struct pmsg_routes *out)
{
	struct addr nh;
	size_t i, n = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < c->nroutes && n < PMSG_ROUTES_MAX; i++) {
		route_nexthop(c, st, i, &nh);
		out->r[n].dst = c->routes[i].cidr;
		out->r[n++].nexthop = nh;
		if (c->routes[i].cidr.len != 0)
			continue;
		/* The full tunnel: a default route goes out as its two
		 * halves, which an endpoint installs beside its own
		 * default (more specific, so they win, and the original
		 * is still there when they go). The configuration leaves
		 * room for the second half. */
		out->r[n - 1].dst.len = 1;
		if (n == PMSG_ROUTES_MAX)
			break;
		out->r[n] = out->r[n - 1];
		out->r[n++].dst.a.b[0] = 0x80;
	}
	out->count = (uint16_t)n;
}

static bool
routes_equal(const struct pmsg_routes *a, const struct pmsg_routes *b)
{
	uint16_t i;

	if (a->count != b->count)
		return false;
	for (i = 0; i < a->count; i++)
		if (addr_cmp(&a->r[i].dst.a, &b->r[i].dst.a) != 0 ||
		    a->r[i].dst.len != b->r[i].dst.len ||
		    addr_cmp(&a->r[i].nexthop, &b->r[i].nexthop) != 0)
			return false;
	return true;
}

void
routes_init(struct routes *r, const struct route_conf *c,
    const struct session_table *st)
{
	memset(r, 0, sizeof(*r));
	routes_compute(c, st, &r->cur);
	r->cur.version = 1;
	r->mcast_fd = -1;
	r->mcast_step = MCAST_STEPS; /* nothing due */
}

const struct pmsg_routes *
routes_current(const struct routes *r)
{
	return &r->cur;
}

bool
routes_update(struct routes *r, const struct route_conf *c,
    const struct session_table *st, uint64_t now)
{
	struct pmsg_routes next;

	routes_compute(c, st, &next);
	if (routes_equal(&next, &r->cur))
		return false;
	next.version = r->cur.version + 1;
	r->cur = next;
	if (r->mcast_fd != -1) {
		r->mcast_changed_ms = now;
		r->mcast_step = 0;
	}
	return true;
}

void
routes_multicast_open(struct routes *r, uint64_t now)
{
	r->mcast_fd =
	    socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (r->mcast_fd == -1)
		fatal("multicast socket");
	r->mcast_changed_ms = now;
	r->mcast_step = 0;
}

size_t
routes_multicast_format(const struct pmsg_routes *r, char *buf, size_t len)
{
	char p[PREFIX_STRLEN], a[ADDR_STRLEN];
	size_t off = 2;
	uint16_t i;
	int n;

	if (len < 2)
		return 0;
	buf[0] = 0x2b;
	buf[1] = 0x01;
	for (i = 0; i < r->count; i++) {
		if (r->r[i].dst.a.af != AF_INET)
			continue;
		n = snprintf(buf + off, len - off, "%s>%s\n",
		    prefix_fmt(&r->r[i].dst, p, sizeof(p)),
		    r->r[i].nexthop.af == 0
			? "UNKNOW_IP"
			: addr_fmt(&r->r[i].nexthop, a, sizeof(a)));
		if (n < 0 || (size_t)n >= len - off)
			break;
		off += (size_t)n;
	}
	return off;
}

bool
routes_multicast_due(struct routes *r, uint64_t now)
{
	if (r->mcast_fd == -1 || r->mcast_step >= MCAST_STEPS ||
	    now < r->mcast_changed_ms + mcast_at_ms[r->mcast_step])
		return false;
	r->mcast_step++;
	return true;
}

void
routes_multicast_send(const struct routes *r, const struct addr *ifaddr,
    const char *ifname)
{
	struct sockaddr_in to;
	struct in_addr ifa = ifaddr->v4;
	char buf[8192];
	size_t len;

	/* On the LAN of the bridge, named by the hub address it carries
	 * (the sandbox allows no if_nametoindex, which opens a socket). */
	if (setsockopt(r->mcast_fd, IPPROTO_IP, IP_MULTICAST_IF,
		(const void *)&ifa, sizeof(ifa)) == -1) {
		log_warn("route multicast: bridge %s", ifname);
		return;
	}
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons(MCAST_PORT);
	inet_pton(AF_INET, MCAST_GROUP, &to.sin_addr);
	len = routes_multicast_format(&r->cur, buf, sizeof(buf));
	if (sendto(r->mcast_fd, buf, len, 0, (struct sockaddr *)&to,
		sizeof(to)) == -1)
		log_warn("route multicast");
	else
		log_debug("route set %u announced by multicast",
		    r->cur.version);
}
