#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <event2/event.h>

#include "hub.h"
#include "log.h"
#include "offload.h"
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
	const struct pmsg_routes *r = routes_current(vl.routes);
	struct session *s, *best = NULL;
	struct addr v4;
	int bestlen = -1;
	uint16_t i;

	if (tunfwd_v4_of(dst, &v4) &&
	    (s = session_by_addr(vl.sessions, &v4)) != NULL &&
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
		s = session_by_addr(vl.sessions, &r->r[i].nexthop);
		best = s != NULL && s->state == SESS_UP ? s : NULL;
		bestlen = r->r[i].dst.len;
	}
	return best;
}

/* May s send from src: its own address or a prefix routed to it. */
static bool
tunfwd_source_ok(const struct session *s, const struct addr *src)
{
	const struct pmsg_routes *r = routes_current(vl.routes);
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

/* One packet to the hub's tun, behind an empty virtio-net header. */
static bool
tunfwd_write(const uint8_t *pkt, size_t len)
{
	static const struct virtio_net_hdr none;
	struct iovec iov[2];

	if (tunfd == -1)
		return false;
	/* writev does not write through these; iovec has no const. */
	iov[0].iov_base = (void *)(uintptr_t)&none;
	iov[0].iov_len = sizeof(none);
	iov[1].iov_base = (void *)(uintptr_t)pkt;
	iov[1].iov_len = len;
	return writev(tunfd, iov, 2) == (ssize_t)(sizeof(none) + len);
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
		/* An endpoint's own kernel talks from link-local addresses
		 * (router and neighbour solicitations, MLD) that mean
		 * nothing across a routed tunnel: dropped, not a spoof. */
		if (src.af == AF_INET6 &&
		    (addr_is_unspecified(&src) ||
			(src.b[0] == 0xfe && (src.b[1] & 0xc0) == 0x80)))
			return;
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
	    addr_cmp(&dst,
		dst.af == AF_INET6 ? &vl.cfg->ip6.a : &vl.cfg->ip.a) != 0) {
		sess_count_drop(s, DROP_NOROUTE);
		return;
	}
	if (!tunfwd_write(pkt, len)) {
		sess_count_drop(s, DROP_TAP);
		return;
	}
	hubtun.tx_packets++;
	hubtun.tx_bytes += len;
}

/* A packet the kernel routed into the hub's tun, to its session. */
static void
tunfwd_kernel_packet(const uint8_t *pkt, size_t len)
{
	struct addr src, dst;
	struct session *t;

	if (ip_addrs(pkt, len, &src, &dst) == -1) {
		sess_count_drop(NULL, DROP_MALFORMED);
		return;
	}
	if ((t = tunfwd_lookup(&dst)) == NULL) {
		sess_count_drop(NULL, DROP_NOROUTE);
		return;
	}
	hubtun.rx_packets++;
	hubtun.rx_bytes += len;
	tunfwd_to_session(t, pkt, len);
}

/*
 * The tun has offloads (vland-ifmgr(8)): a read may be up to 64 KiB of
 * TCP, cut here into the segments the tunnel carries.
 */
static void
tunfwd_input(int fd, short ev, void *arg)
{
	static uint8_t buf[OFF_VNET_HDR_LEN + OFF_FRAME_MAX], seg[PKT_MAX];
	uint8_t *pkt = buf + OFF_VNET_HDR_LEN;
	struct virtio_net_hdr h;
	struct off_seg p;
	size_t len;
	ssize_t n;
	unsigned j;
	int i;

	(void)ev;
	(void)arg;
	for (i = 0; i < BATCH; i++) {
		n = read(fd, buf, sizeof(buf));
		if (n == -1 && errno != EAGAIN && errno != EINTR) {
			/* Deleted under us: it would fail forever. */
			log_warnx("the hub's tun failed (%s): it is gone; "
				  "stopping",
			    strerror(errno));
			event_del(tunev);
			vl.exitcode = 1;
			event_base_loopbreak(vl.base);
			return;
		}
		if (n <= 0)
			break;
		if ((size_t)n < OFF_VNET_HDR_LEN) {
			sess_count_drop(NULL, DROP_MALFORMED);
			continue;
		}
		memcpy(&h, buf, sizeof(h));
		len = (size_t)n - OFF_VNET_HDR_LEN;
		if (h.gso_type == VIRTIO_NET_HDR_GSO_NONE) {
			if ((h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
			    off_csum_complete(&h, pkt, len) == -1)
				sess_count_drop(NULL, DROP_MALFORMED);
			else
				tunfwd_kernel_packet(pkt, len);
			continue;
		}
		if (off_seg_plan(&h, pkt, len, false, &p) == -1 ||
		    p.hlen + p.mss > sizeof(seg)) {
			sess_count_drop(NULL, DROP_MALFORMED);
			continue;
		}
		for (j = 0; j < p.nseg; j++)
			tunfwd_kernel_packet(seg,
			    off_seg_build(&p, pkt, j, seg));
	}
	udp_flush();
	udp_device_batch();
}

void
tunfwd_ready(const struct if_device *d, int fd)
{
	tunfd = fd;
	tunev =
	    event_new(vl.base, fd, EV_READ | EV_PERSIST, tunfwd_input, NULL);
	if (tunev == NULL || event_priority_set(tunev, PRIO_DEVICE) == -1 ||
	    event_add(tunev, NULL) == -1)
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
