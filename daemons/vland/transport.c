/*
 * Sending on a session and moving frames from its tap to UDP. Shared by
 * hub and endpoint: both ends of a session seal the same way.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "endpoint.h"
#include "hub.h"
#include "log.h"
#include "session.h"
#include "tunfwd.h"
#include "wire.h"

void
sess_count_drop(struct session *s, enum drop_reason r)
{
	vl.total.drops[r]++;
	if (s != NULL)
		s->c.drops[r]++;
}

/*
 * Counters are kept from the endpoint's point of view in both roles:
 * on a hub, what its tap receives is what the endpoint sent.
 */
static void
count_frame(struct session *s, size_t n, bool from_tap)
{
	bool endpoint_sent = (vl.cfg->role == CFG_ENDPOINT) == from_tap;

	if (endpoint_sent) {
		s->c.tx_packets++;
		s->c.tx_bytes += n;
		vl.total.tx_packets++;
		vl.total.tx_bytes += n;
	} else {
		s->c.rx_packets++;
		s->c.rx_bytes += n;
		vl.total.rx_packets++;
		vl.total.rx_bytes += n;
	}
}

void
session_rekey_due(struct session *s)
{
	/* Only endpoints initiate handshakes (PROTOCOL-NOTES §3.5). */
	if (vl.cfg->role == CFG_ENDPOINT)
		endpoint_rekey_due(s);
}

/* Seal len bytes already at slot + header as type and queue them. */
static bool
sess_seal_commit(struct session *s, uint8_t type, uint8_t *slot, size_t len,
    uint64_t now)
{
	struct keypair *kp;
	size_t msglen;
	bool rekey = false;

	if ((kp = kp_set_sender(&s->kps, now)) == NULL ||
	    kp_seal(kp, type, slot, len, PKT_MAX, &msglen, now, &rekey) !=
		WIRE_OK) {
		sess_count_drop(s, DROP_SEND);
		return false;
	}
	if (rekey)
		session_rekey_due(s);
	udp_tx_commit(&s->peer, msglen);
	s->last_tx_ms = now;
	return true;
}

void
sess_seal_data(struct session *s, uint8_t *slot, size_t len)
{
	if (sess_seal_commit(s, WIRE_MSG_DATA, slot, len, now_ms()))
		count_frame(s, len, true);
}

void
sess_send_control(struct session *s, const struct cmsg *m)
{
	uint8_t *slot = udp_tx_slot();
	size_t len;

	if (cmsg_encode(m, slot + WIRE_TRANSPORT_HDR_LEN,
		PKT_MAX - WIRE_TRANSPORT_OVERHEAD, &len) != WIRE_OK) {
		log_warnx("cannot encode control message %u", m->op);
		return;
	}
	/* Sealing encrypts in place; if it fails, the plaintext (maybe a
	 * password) must not stay in the buffer. */
	if (!sess_seal_commit(s, WIRE_MSG_CONTROL, slot, len, now_ms()))
		explicit_bzero(slot, WIRE_TRANSPORT_HDR_LEN + len);
	udp_flush();
}

void
sess_send_keepalive(struct session *s)
{
	sess_seal_commit(s, WIRE_MSG_DATA, udp_tx_slot(), 0, now_ms());
}

/*
 * Frames from the tap go out sealed, up to a batch per wake-up so one
 * busy tap cannot starve the others (libevent calls again if more wait).
 */
void
sess_tap_input(int fd, short ev, void *arg)
{
	struct session *s = arg;
	uint64_t now = now_ms();
	uint8_t *slot;
	ssize_t n;
	int i;

	(void)ev;
	for (i = 0; i < BATCH; i++) {
		slot = udp_tx_slot();
		n = read(fd, slot + WIRE_TRANSPORT_HDR_LEN,
		    PKT_MAX - WIRE_TRANSPORT_OVERHEAD);
		if (n <= 0) {
			if (n == -1 && errno != EAGAIN && errno != EINTR)
				log_warn("%s: read", s->ifname);
			break;
		}
		if (sess_seal_commit(s, WIRE_MSG_DATA, slot, (size_t)n, now))
			count_frame(s, (size_t)n, true);
	}
	udp_flush();
}

/* A data message opened on s: frames to the tap, keepalives answered. */
void
sess_data_input(struct session *s, const uint8_t *payload, size_t len)
{
	if (len == 0) {
		if (vl.cfg->role == CFG_HUB)
			sess_send_keepalive(s);
		return;
	}
	if (s->state != SESS_UP) {
		sess_count_drop(s, DROP_STATE);
		return;
	}
	if (vl.cfg->role == CFG_HUB && vl.cfg->mode == CFG_TUN) {
		count_frame(s, len, false);
		tunfwd_from_session(s, payload, len);
		return;
	}
	if (s->tapfd == -1) {
		sess_count_drop(s, DROP_STATE);
		return;
	}
	if (write(s->tapfd, payload, len) != (ssize_t)len) {
		sess_count_drop(s, DROP_TAP);
		return;
	}
	count_frame(s, len, false);
}
