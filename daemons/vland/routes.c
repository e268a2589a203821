#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hub.h"
#include "ipcmsg.h"
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

static struct pmsg_routes cur;
static int mcast_fd = -1;
static uint64_t mcast_changed_ms;
static unsigned mcast_step = MCAST_STEPS; /* MCAST_STEPS: nothing due */

static void
routes_compute(struct pmsg_routes *out)
{
	const struct config *cfg = vl.cfg;
	struct session *s;
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < cfg->nroutes && i < PMSG_ROUTES_MAX; i++) {
		out->r[i].dst = cfg->routes[i].cidr;
		if (cfg->routes[i].server) {
			out->r[i].nexthop = cfg->ip.a;
			continue;
		}
		s = session_by_user(vl.sessions, cfg->routes[i].nexthop, NULL);
		if (s != NULL && s->state == SESS_UP)
			out->r[i].nexthop = s->addr;
	}
	out->count = (uint16_t)i;
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

static void
routes_install(void)
{
	struct if_routes *head;
	struct if_route *rt;
	size_t len = ipcmsg_routes_size(cur.count);
	uint16_t i;

	if ((head = calloc(1, len)) == NULL)
		fatal("calloc");
	head->version = cur.version;
	head->count = cur.count;
	rt = (struct if_route *)(head + 1);
	for (i = 0; i < cur.count; i++) {
		rt[i].cidr = cur.r[i].dst;
		rt[i].nexthop = cur.r[i].nexthop;
	}
	if (ipc_compose(&vl.ifmgr.chan, IMSG_IF_ROUTES, 0, IFREQ_ROUTES, -1,
		head, len) == -1)
		fatal("IF_ROUTES");
	free(head);
}

static void
routes_push(void)
{
	struct session *s;
	struct pmsg *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		fatal("calloc");
	m->op = PMSG_ROUTES;
	m->u.routes = cur;
	TAILQ_FOREACH (s, &vl.sessions->list, entry)
		if (s->state == SESS_UP)
			sess_send_control(s, m);
	free(m);
}

void
routes_init(void)
{
	memset(&cur, 0, sizeof(cur));
	cur.version = 1;
	routes_compute(&cur);
	cur.version = 1;
	if (vl.cfg->nroutes > 0)
		routes_install();
	if (vl.cfg->route_multicast && vl.cfg->mode == CFG_TAP) {
		mcast_fd = socket(AF_INET,
		    SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (mcast_fd == -1)
			fatal("multicast socket");
		mcast_changed_ms = now_ms();
		mcast_step = 0;
	}
}

const struct pmsg_routes *
routes_current(void)
{
	return &cur;
}

void
routes_update(void)
{
	struct pmsg_routes next;

	routes_compute(&next);
	if (routes_equal(&next, &cur))
		return;
	next.version = cur.version + 1;
	cur = next;
	log_info("route set %u", cur.version);
	routes_install();
	routes_push();
	if (mcast_fd != -1) {
		mcast_changed_ms = now_ms();
		mcast_step = 0;
	}
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

void
routes_multicast_due(void)
{
	struct sockaddr_in to;
	struct ip_mreqn mr;
	char buf[8192];
	size_t len;

	if (mcast_fd == -1 || mcast_step >= MCAST_STEPS ||
	    now_ms() < mcast_changed_ms + mcast_at_ms[mcast_step])
		return;
	mcast_step++;
	/* On the LAN of the bridge, named by the hub address it carries
	 * (the sandbox allows no if_nametoindex, which opens a socket). */
	memset(&mr, 0, sizeof(mr));
	mr.imr_address = vl.cfg->ip.a.v4;
	if (setsockopt(mcast_fd, IPPROTO_IP, IP_MULTICAST_IF, &mr,
		sizeof(mr)) == -1) {
		log_warn("route multicast: bridge %s", vl.cfg->bridge);
		return;
	}
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons(MCAST_PORT);
	inet_pton(AF_INET, MCAST_GROUP, &to.sin_addr);
	len = routes_multicast_format(&cur, buf, sizeof(buf));
	if (sendto(mcast_fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) ==
	    -1)
		log_warn("route multicast");
	else
		log_debug("route set %u announced by multicast", cur.version);
}
