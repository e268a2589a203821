/*
 * Sending on a session and moving frames from its tap to UDP. Shared by
 * hub and endpoint: both ends of a session seal the same way.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "devio.h"
#include "gro.h"
#include "hub.h"
#include "transport.h"
#include "log.h"
#include "mode.h"
#include "mssclamp.h"
#include "offload.h"
#include "role.h"
#include "session.h"
#include "udp.h"
#include "wire.h"

void
transport_drops(struct session *s, enum drop_reason r, unsigned n)
{
	session_count_drops(&vl.total, s, r, n);
}

void
transport_drop(struct session *s, enum drop_reason r)
{
	transport_drops(s, r, 1);
}

/*
 * Counters are kept from the endpoint's point of view in both roles:
 * on a hub, what its tap receives is what the endpoint sent.
 */
static void
count_frames(struct session *s, unsigned n, size_t bytes, bool from_tap)
{
	session_count_frames(&vl.total, s, n, bytes,
	    vl.role->device_is_endpoint == from_tap);
}

static void
count_frame(struct session *s, size_t n, bool from_tap)
{
	count_frames(s, 1, n, from_tap);
}

void
transport_rx_frames(struct session *s, unsigned n, size_t bytes)
{
	count_frames(s, n, bytes, false);
}

void
transport_dev_attach(struct session *s, int fd, const char *ifname)
{
	transport_dev_close(s);
	s->tapfd = fd;
	snprintf(s->ifname, sizeof(s->ifname), "%s", ifname);
	s->tapev = event_new(vl.base, fd, EV_READ | EV_PERSIST,
	    transport_dev_input, s);
	if (s->tapev == NULL ||
	    event_priority_set(s->tapev, PRIO_DEVICE) == -1 ||
	    event_add(s->tapev, NULL) == -1)
		fatalx("tap event");
}

void
transport_dev_close(struct session *s)
{
	if (s->tapfd != -1)
		gro_session_gone(vl.gro, s);
	if (s->tapev != NULL)
		event_free(s->tapev);
	s->tapev = NULL;
	if (s->tapfd != -1)
		plat_dev_close(s->tapfd);
	s->tapfd = -1;
}

void
transport_rekey_due(struct session *s)
{
	/* Only endpoints initiate handshakes (PROTOCOL.md, "Timers"). */
	if (vl.role->rekey_due != NULL)
		vl.role->rekey_due(s);
}

/* Seal len bytes already at slot + header as type and queue them. */
static bool
seal_commit(struct session *s, uint8_t type, uint8_t *slot, size_t len,
    uint64_t now)
{
	struct keypair *kp;
	size_t msglen;
	bool rekey = false;

	if ((kp = kp_set_sender(&s->kps, now)) == NULL ||
	    kp_seal(kp, type, slot, len, PKT_MAX, &msglen, now, &rekey) !=
		WIRE_OK) {
		transport_drop(s, DROP_SEND);
		return false;
	}
	udp_tx_commit(vl.tx, &s->peer, msglen);
	s->last_tx_ms = now;
	/* After the commit: a rekey sends an INIT, which takes the next
	 * slot of the batch; before it, the INIT would take this one, over
	 * the message just sealed. */
	if (rekey)
		transport_rekey_due(s);
	return true;
}

void
transport_seal_data(struct session *s, uint8_t *slot, size_t len)
{
	if (seal_commit(s, WIRE_MSG_DATA, slot, len, now_ms()))
		count_frame(s, len, true);
}

void
transport_send_control(struct session *s, const struct pmsg *m)
{
	uint8_t *slot = udp_tx_slot(vl.tx);
	size_t len;

	if (pmsg_encode(m, slot + WIRE_TRANSPORT_HDR_LEN,
		PKT_MAX - WIRE_TRANSPORT_OVERHEAD, &len) != WIRE_OK) {
		log_warnx("cannot encode control message %u", m->op);
		return;
	}
	/* Sealing encrypts in place; if it fails, the plaintext (maybe a
	 * password) must not stay in the buffer. */
	if (!seal_commit(s, WIRE_MSG_CONTROL, slot, len, now_ms()))
		explicit_bzero(slot, WIRE_TRANSPORT_HDR_LEN + len);
	udp_flush(vl.tx);
}

void
transport_send_keepalive(struct session *s)
{
	seal_commit(s, WIRE_MSG_DATA, udp_tx_slot(vl.tx), 0, now_ms());
}

/* Seal one frame (at most a tunnel's payload) as data for s. */
static void
seal_frame(struct session *s, const uint8_t *frame, size_t len, uint64_t now)
{
	uint8_t *slot;

	if (len > PKT_MAX - WIRE_TRANSPORT_OVERHEAD) {
		transport_drop(s, DROP_TRUNC);
		return;
	}
	slot = udp_tx_slot(vl.tx);
	memcpy(slot + WIRE_TRANSPORT_HDR_LEN, frame, len);
	if (vl.mss_mtu != 0)
		mss_clamp(slot + WIRE_TRANSPORT_HDR_LEN, len, vl.mode->ethernet,
		    vl.mss_mtu);
	if (seal_commit(s, WIRE_MSG_DATA, slot, len, now))
		count_frame(s, len, true);
}

void
transport_forward(struct session *t, const uint8_t *frame, size_t len)
{
	seal_frame(t, frame, len, now_ms());
}

/*
 * vland-ifmgr opens every tap and tun with offloads (IFF_VNET_HDR): one
 * read may return up to 64 KiB of TCP (TSO), cut here into the segments
 * the tunnel carries, each sealed straight into its UDP slot; or a frame
 * whose checksum is left to us. Returns the number of datagrams queued,
 * or -1 when the tap is empty.
 */
static int
dev_read(struct session *s, int fd, uint64_t now)
{
	static uint8_t buf[OFF_VNET_HDR_LEN + OFF_FRAME_MAX];
	struct virtio_net_hdr h;
	struct off_seg p;
	uint8_t *frame = buf + OFF_VNET_HDR_LEN, *slot;
	size_t len, n;
	ssize_t r;
	unsigned i;

	if (vl.dev_plain) {
		/* No header: the frame alone, as if behind an empty one. */
		memset(buf, 0, OFF_VNET_HDR_LEN);
		r = plat_dev_read(fd, frame, OFF_FRAME_MAX);
		if (r > 0)
			r += OFF_VNET_HDR_LEN;
		/* The UDP device's responder is not there (yet): the
		 * frame is lost, the device is not. */
		else if (r == -1 && errno == ECONNREFUSED)
			return 0;
	} else {
		r = plat_dev_read(fd, buf, sizeof(buf));
	}
	if (r <= 0) {
		/* Any other error is the device gone (deleted under us,
		 * EBADFD): it would be readable, and fail, forever. */
		if (r == -1 && errno != EAGAIN && errno != EINTR)
			vl.role->dev_lost(s, errno);
		return -1;
	}
	if ((size_t)r < OFF_VNET_HDR_LEN) {
		transport_drop(s, DROP_MALFORMED);
		return 0;
	}
	memcpy(&h, buf, sizeof(h));
	len = (size_t)r - OFF_VNET_HDR_LEN;
	/* All segments of a read go to one destination. */
	if (vl.role->frame_target != NULL)
		s = vl.role->frame_target(s, frame, len, now);
	if (h.gso_type == VIRTIO_NET_HDR_GSO_NONE) {
		if ((h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
		    off_csum_complete(&h, frame, len) == -1) {
			transport_drop(s, DROP_MALFORMED);
			return 0;
		}
		seal_frame(s, frame, len, now);
		return 1;
	}
	if (off_seg_plan(&h, frame, len, vl.mode->ethernet, &p) == -1 ||
	    p.hlen + p.mss > PKT_MAX - WIRE_TRANSPORT_OVERHEAD) {
		transport_drop(s, DROP_MALFORMED);
		return 0;
	}
	for (i = 0; i < p.nseg; i++) {
		slot = udp_tx_slot(vl.tx);
		n = off_seg_build(&p, frame, i, slot + WIRE_TRANSPORT_HDR_LEN);
		if (seal_commit(s, WIRE_MSG_DATA, slot, n, now))
			count_frame(s, n, true);
	}
	return (int)p.nseg;
}

/*
 * Frames from the tap go out sealed, up to a batch per wake-up so one
 * busy tap cannot starve the others (libevent calls again if more wait).
 */
void
transport_dev_input(evutil_socket_t fd, short ev, void *arg)
{
	struct session *s = arg;
	uint64_t now = now_ms();
	int i, queued, got;

	(void)ev;
	for (i = 0, queued = 0; i < BATCH && queued < BATCH; i++) {
		/* -1: empty, or the device is gone and s with it. */
		if ((got = dev_read(s, fd, now)) == -1)
			break;
		queued += got;
	}
	udp_flush(vl.tx);
	udp_device_batch(vl.rx);
}

/* A data message opened on s: keepalives answered, frames to the role. */
void
transport_data_input(struct session *s, uint8_t *payload, size_t len)
{
	if (len == 0) {
		if (vl.role->answers_keepalives)
			transport_send_keepalive(s);
		return;
	}
	if (s->state != SESS_UP) {
		transport_drop(s, DROP_STATE);
		return;
	}
	if (vl.mss_mtu != 0)
		mss_clamp(payload, len, vl.mode->ethernet, vl.mss_mtu);
	vl.role->data_input(s, payload, len);
}

void
transport_to_device(struct session *s, const uint8_t *frame, size_t len)
{
	if (s->tapfd == -1) {
		transport_drop(s, DROP_STATE);
		return;
	}
	gro_add(vl.gro, s, frame, len);
}
