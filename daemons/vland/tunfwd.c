#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "hub.h"
#include "log.h"
#include "routes.h"
#include "session.h"
#include "tunfwd.h"

static int tunfd = -1;
static struct event *tunev;
static struct counters hubtun; /* what went through the hub's tun */

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
tunfwd_v4_of(const struct addr *a, struct addr *v4)
{
	if (a->af == AF_INET) {
		*v4 = *a;
		return true;
	}
	return vl.cfg->ip6.a.af == AF_INET6 &&
	    addr_v6_extract(&vl.cfg->ip6, a, v4);
}

/* The session a destination belongs to, by address or routed prefix. */
static struct session *
tunfwd_lookup(const struct addr *dst)
{
	const struct cmsg_routes *r = routes_current();
	struct session *s, *best = NULL;
	struct addr v4;
	int bestlen = -1;
	uint16_t i;

	if (tunfwd_v4_of(dst, &v4) && (s = session_by_addr(&v4)) != NULL &&
	    s->state == SESS_UP)
		return s;
	for (i = 0; i < r->count; i++) {
		if (r->r[i].nexthop.af == 0 || r->r[i].dst.len <= bestlen ||
		    !prefix_contains(&r->r[i].dst, dst))
			continue;
		/* SERVER routes name the hub: the tun, not a session. */
		if (addr_cmp(&r->r[i].nexthop, &vl.cfg->ip.a) == 0) {
			best = NULL;
			bestlen = r->r[i].dst.len;
			continue;
		}
		s = session_by_addr(&r->r[i].nexthop);
		best = s != NULL && s->state == SESS_UP ? s : NULL;
		bestlen = r->r[i].dst.len;
	}
	return best;
}

/* May s send from src: its own address or a prefix routed to it. */
static bool
tunfwd_source_ok(const struct session *s, const struct addr *src)
{
	const struct cmsg_routes *r = routes_current();
	struct addr v4;
	uint16_t i;

	if (tunfwd_v4_of(src, &v4) && addr_cmp(&v4, &s->addr) == 0)
		return true;
	for (i = 0; i < r->count; i++)
		if (addr_cmp(&r->r[i].nexthop, &s->addr) == 0 &&
		    prefix_contains(&r->r[i].dst, src))
			return true;
	return false;
}

static void
tunfwd_to_session(struct session *t, const uint8_t *pkt, size_t len)
{
	uint8_t *slot = udp_tx_slot();

	if (len > PKT_MAX - WIRE_TRANSPORT_OVERHEAD) {
		sess_count_drop(t, DROP_TRUNC);
		return;
	}
	memcpy(slot + WIRE_TRANSPORT_HDR_LEN, pkt, len);
	sess_seal_data(t, slot, len);
}

void
tunfwd_from_session(struct session *s, const uint8_t *pkt, size_t len)
{
	struct addr src, dst;
	struct prefix vpn;
	struct session *t;

	if (ip_addrs(pkt, len, &src, &dst) == -1) {
		sess_count_drop(s, DROP_MALFORMED);
		return;
	}
	if (!tunfwd_source_ok(s, &src)) {
		sess_count_drop(s, DROP_SPOOF);
		return;
	}
	if ((t = tunfwd_lookup(&dst)) != NULL) {
		/* Endpoint to endpoint: never through the kernel. */
		tunfwd_to_session(t, pkt, len);
		return;
	}
	/* In the VPN subnet but nobody's: dropped here, not looped
	 * through the kernel. */
	prefix_network(dst.af == AF_INET6 ? &vl.cfg->ip6 : &vl.cfg->ip, &vpn);
	if (prefix_contains(&vpn, &dst) &&
	    addr_cmp(&dst, dst.af == AF_INET6 ? &vl.cfg->ip6.a
					      : &vl.cfg->ip.a) != 0) {
		sess_count_drop(s, DROP_NOROUTE);
		return;
	}
	if (tunfd == -1 || write(tunfd, pkt, len) != (ssize_t)len) {
		sess_count_drop(s, DROP_TAP);
		return;
	}
	hubtun.tx_packets++;
	hubtun.tx_bytes += len;
}

static void
tunfwd_input(int fd, short ev, void *arg)
{
	static uint8_t pkt[PKT_MAX];
	struct addr src, dst;
	struct session *t;
	ssize_t n;
	int i;

	(void)ev;
	(void)arg;
	for (i = 0; i < BATCH; i++) {
		n = read(fd, pkt, sizeof(pkt));
		if (n <= 0)
			break;
		if (ip_addrs(pkt, (size_t)n, &src, &dst) == -1) {
			sess_count_drop(NULL, DROP_MALFORMED);
			continue;
		}
		if ((t = tunfwd_lookup(&dst)) == NULL) {
			sess_count_drop(NULL, DROP_NOROUTE);
			continue;
		}
		hubtun.rx_packets++;
		hubtun.rx_bytes += (uint64_t)n;
		tunfwd_to_session(t, pkt, (size_t)n);
	}
	udp_flush();
}

void
tunfwd_ready(const struct if_device *d, int fd)
{
	tunfd = fd;
	tunev = event_new(vl.base, fd, EV_READ | EV_PERSIST, tunfwd_input,
	    NULL);
	if (tunev == NULL || event_add(tunev, NULL) == -1)
		fatalx("tun event");
	log_info("hub tun %s up", d->ifname);
}

void
tunfwd_close(void)
{
	if (tunev != NULL)
		event_free(tunev);
	if (tunfd != -1)
		close(tunfd);
	tunev = NULL;
	tunfd = -1;
}
