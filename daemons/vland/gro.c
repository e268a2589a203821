/*
 * Frames opened from UDP go to taps (and an endpoint's tun) through
 * here: consecutive segments of one TCP flow are joined (common/offload.h)
 * and written as one GSO frame at the end of each UDP batch, so the
 * kernel's bridge and TCP take one large frame instead of dozens.
 * Anything else is written at once, after what is pending for its
 * session, so a session's frames keep their order.
 */
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "devio.h"
#include "gro.h"
#include "session.h"

void
gro_init(struct gro *gr, bool eth, bool hub, struct counters *total)
{
	memset(gr, 0, sizeof(*gr));
	gr->eth = eth;
	gr->hub = hub;
	gr->total = total;
}

/* Write one frame with its virtio header: one writev, no copy. */
static bool
gro_write(struct session *s, const struct virtio_net_hdr *h,
    const uint8_t *frame, size_t len)
{
	struct iovec iov[2];

	/* writev does not write through these; iovec has no const. */
	iov[0].iov_base = (void *)(uintptr_t)h;
	iov[0].iov_len = sizeof(*h);
	iov[1].iov_base = (void *)(uintptr_t)frame;
	iov[1].iov_len = len;
	return plat_dev_writev(s->tapfd, iov, 2) == (ssize_t)(sizeof(*h) + len);
}

/* n frames of bytes written to s's tap, or not. */
static void
gro_count(struct gro *gr, struct session *s, unsigned n, size_t bytes,
    bool written)
{
	if (written)
		session_count_frames(gr->total, s, n, bytes, gr->hub);
	else
		session_count_drops(gr->total, s, DROP_TAP, n);
}

static void
gro_slot_flush(struct gro *gr, struct gro_slot *e)
{
	struct virtio_net_hdr h;

	off_gro_finish(&e->g, &h);
	gro_count(gr, e->s, e->nframes, e->bytes,
	    gro_write(e->s, &h, e->g.buf, e->g.len));
	e->s = NULL;
}

/* Flush s's slots (all of them, or those of frame's flow), oldest first. */
static void
gro_flush_session(struct gro *gr, struct session *s, const uint8_t *frame,
    size_t len)
{
	struct gro_slot *e, *oldest;
	size_t i;

	for (;;) {
		oldest = NULL;
		for (i = 0; i < GRO_SLOTS; i++) {
			e = &gr->slots[i];
			if (e->s != s ||
			    (frame != NULL &&
				!off_gro_same_flow(&e->g, frame, len)))
				continue;
			if (oldest == NULL || e->age < oldest->age)
				oldest = e;
		}
		if (oldest == NULL)
			return;
		gro_slot_flush(gr, oldest);
	}
}

static struct gro_slot *
gro_free_slot(struct gro *gr)
{
	struct gro_slot *oldest = &gr->slots[0];
	size_t i;

	for (i = 0; i < GRO_SLOTS; i++) {
		if (gr->slots[i].s == NULL)
			return &gr->slots[i];
		if (gr->slots[i].age < oldest->age)
			oldest = &gr->slots[i];
	}
	gro_slot_flush(gr, oldest);
	return oldest;
}

void
gro_add(struct gro *gr, struct session *s, const uint8_t *frame, size_t len)
{
	static const struct virtio_net_hdr none;
	struct gro_slot *e;
	size_t i;

	if (gr->plain) {
		struct iovec iov = { (void *)(uintptr_t)frame, len };

		gro_count(gr, s, 1, len,
		    plat_dev_writev(s->tapfd, &iov, 1) == (ssize_t)len);
		return;
	}
	for (i = 0; i < GRO_SLOTS; i++) {
		e = &gr->slots[i];
		if (e->s == s && off_gro_append(&e->g, frame, len)) {
			e->nframes++;
			e->bytes += len;
			return;
		}
	}
	/* Not the next segment of anything pending: what is pending for
	 * its flow (or, for a frame that cannot be joined, for the whole
	 * session) goes first. */
	e = gro_free_slot(gr);
	if (off_gro_start(&e->g, frame, len, gr->eth)) {
		e->s = NULL; /* not yet: the flush below must not see it */
		gro_flush_session(gr, s, frame, len);
		e->s = s;
		e->nframes = 1;
		e->bytes = len;
		e->age = gr->clock++;
		return;
	}
	gro_flush_session(gr, s, NULL, 0);
	gro_count(gr, s, 1, len, gro_write(s, &none, frame, len));
}

void
gro_flush(struct gro *gr)
{
	struct gro_slot *e;
	size_t i;

	/* Oldest first: the order frames of one session arrived in. */
	for (;;) {
		e = NULL;
		for (i = 0; i < GRO_SLOTS; i++)
			if (gr->slots[i].s != NULL &&
			    (e == NULL || gr->slots[i].age < e->age))
				e = &gr->slots[i];
		if (e == NULL)
			break;
		gro_slot_flush(gr, e);
	}
}

void
gro_session_gone(struct gro *gr, struct session *s)
{
	gro_flush_session(gr, s, NULL, 0);
}
