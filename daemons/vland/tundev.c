/*
 * The hub's tun (tun mode): packets from sessions and from the kernel go
 * where tunfwd_decide says; this side does the reading, writing, sealing
 * and counting.
 */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <event2/event.h>

#include "devio.h"
#include "hub.h"
#include "log.h"
#include "offload.h"
#include "session.h"
#include "transport.h"
#include "tunfwd.h"
#include "udp.h"

/* One packet to the hub's tun, behind an empty virtio-net header. */
static bool
tunfwd_write(int fd, const uint8_t *pkt, size_t len)
{
	static const struct virtio_net_hdr none;
	struct iovec iov[2];

	if (fd == -1)
		return false;
	/* writev does not write through these; iovec has no const. */
	iov[0].iov_base = (void *)(uintptr_t)&none;
	iov[0].iov_len = sizeof(none);
	iov[1].iov_base = (void *)(uintptr_t)pkt;
	iov[1].iov_len = len;
	return plat_dev_writev(fd, iov, 2) == (ssize_t)(sizeof(none) + len);
}

void
tunfwd_from_session(struct tunfwd *f, struct session *s, const uint8_t *pkt,
    size_t len)
{
	struct session *t;
	enum drop_reason why;

	switch (tunfwd_decide(f, s, pkt, len, &t, &why)) {
	case TUNFWD_SESSION:
		transport_forward(t, pkt, len);
		break;
	case TUNFWD_HUB:
		if (!tunfwd_write(f->fd, pkt, len)) {
			transport_drop(s, DROP_TAP);
			break;
		}
		f->dev.tx_packets++;
		f->dev.tx_bytes += len;
		break;
	case TUNFWD_DROP:
		transport_drop(s, why);
		break;
	case TUNFWD_IGNORE:
		break;
	}
}

/* A packet the kernel routed into the hub's tun, to its session. */
static void
tunfwd_kernel_packet(struct tunfwd *f, const uint8_t *pkt, size_t len)
{
	struct session *t;
	enum drop_reason why;

	if (tunfwd_decide(f, NULL, pkt, len, &t, &why) != TUNFWD_SESSION) {
		transport_drop(NULL, why);
		return;
	}
	f->dev.rx_packets++;
	f->dev.rx_bytes += len;
	transport_forward(t, pkt, len);
}

/*
 * The tun has offloads (vland-ifmgr(8)): a read may be up to 64 KiB of
 * TCP, cut here into the segments the tunnel carries.
 */
static void
tunfwd_input(evutil_socket_t fd, short ev, void *arg)
{
	static uint8_t buf[OFF_VNET_HDR_LEN + OFF_FRAME_MAX], seg[PKT_MAX];
	struct tunfwd *f = arg;
	uint8_t *pkt = buf + OFF_VNET_HDR_LEN;
	struct virtio_net_hdr h;
	struct off_seg p;
	size_t len;
	ssize_t n;
	unsigned j;
	int i;

	(void)ev;
	for (i = 0; i < BATCH; i++) {
		n = plat_dev_read(fd, buf, sizeof(buf));
		if (n == -1 && errno != EAGAIN && errno != EINTR) {
			/* Deleted under us: it would fail forever. */
			log_warnx("the hub's tun failed (%s): it is gone; "
				  "stopping",
			    strerror(errno));
			event_del(f->ev);
			vl.exitcode = 1;
			event_base_loopbreak(vl.base);
			return;
		}
		if (n <= 0)
			break;
		if ((size_t)n < OFF_VNET_HDR_LEN) {
			transport_drop(NULL, DROP_MALFORMED);
			continue;
		}
		memcpy(&h, buf, sizeof(h));
		len = (size_t)n - OFF_VNET_HDR_LEN;
		if (h.gso_type == VIRTIO_NET_HDR_GSO_NONE) {
			if ((h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
			    off_csum_complete(&h, pkt, len) == -1)
				transport_drop(NULL, DROP_MALFORMED);
			else
				tunfwd_kernel_packet(f, pkt, len);
			continue;
		}
		if (off_seg_plan(&h, pkt, len, false, &p) == -1 ||
		    p.hlen + p.mss > sizeof(seg)) {
			transport_drop(NULL, DROP_MALFORMED);
			continue;
		}
		for (j = 0; j < p.nseg; j++)
			tunfwd_kernel_packet(f, seg,
			    off_seg_build(&p, pkt, j, seg));
	}
	udp_flush(vl.tx);
	udp_device_batch(vl.rx);
}

void
tunfwd_ready(struct tunfwd *f, const struct if_device *d, int fd)
{
	f->fd = fd;
	f->ev = event_new(vl.base, fd, EV_READ | EV_PERSIST, tunfwd_input, f);
	if (f->ev == NULL || event_priority_set(f->ev, PRIO_DEVICE) == -1 ||
	    event_add(f->ev, NULL) == -1)
		fatalx("tun event");
	log_info("hub tun %s up", d->ifname);
}

void
tunfwd_close(struct tunfwd *f)
{
	if (f->ev != NULL)
		event_free(f->ev);
	if (f->fd != -1)
		plat_dev_close(f->fd);
	f->ev = NULL;
	f->fd = -1;
}
