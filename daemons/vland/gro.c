/*
 * Frames opened from UDP go to taps (and an endpoint's tun) through here: consecutive segments
 * of one TCP flow are joined (common/offload.h) and written as one GSO
 * frame at the end of each UDP batch, so the kernel's bridge and TCP
 * take one large frame instead of dozens. Anything else is written at
 * once, after what is pending for its session, so a session's frames
 * keep their order.
 */
#include <string.h>
#include <sys/uio.h>

#include "gro.h"
#include "hub.h"
#include "offload.h"
#include "session.h"

#define GRO_SLOTS 8

struct gro_slot {
	struct session *s; /* NULL: free */
	unsigned nframes, age;
	size_t bytes; /* for the counters: the frames as received */
	struct off_gro g;
};

static struct gro_slot slots[GRO_SLOTS];
static unsigned gro_clock;

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
	return writev(s->tapfd, iov, 2) == (ssize_t)(sizeof(*h) + len);
}

static void
gro_slot_flush(struct gro_slot *e)
{
	struct virtio_net_hdr h;

	off_gro_finish(&e->g, &h);
	if (!gro_write(e->s, &h, e->g.buf, e->g.len))
		sess_count_drops(e->s, DROP_TAP, e->nframes);
	else
		sess_count_rx_frames(e->s, e->nframes, e->bytes);
	e->s = NULL;
}

/* Flush s's slots (all of them, or those of frame's flow), oldest first. */
static void
gro_flush_session(struct session *s, const uint8_t *frame, size_t len)
{
	struct gro_slot *e, *oldest;
	size_t i;

	for (;;) {
		oldest = NULL;
		for (i = 0; i < GRO_SLOTS; i++) {
			e = &slots[i];
			if (e->s != s ||
			    (frame != NULL &&
				!off_gro_same_flow(&e->g, frame, len)))
				continue;
			if (oldest == NULL || e->age < oldest->age)
				oldest = e;
		}
		if (oldest == NULL)
			return;
		gro_slot_flush(oldest);
	}
}

static struct gro_slot *
gro_free_slot(void)
{
	struct gro_slot *oldest = &slots[0];
	size_t i;

	for (i = 0; i < GRO_SLOTS; i++) {
		if (slots[i].s == NULL)
			return &slots[i];
		if (slots[i].age < oldest->age)
			oldest = &slots[i];
	}
	gro_slot_flush(oldest);
	return oldest;
}

void
gro_add(struct session *s, const uint8_t *frame, size_t len)
{
	static const struct virtio_net_hdr none;
	struct gro_slot *e;
	size_t i;

	for (i = 0; i < GRO_SLOTS; i++) {
		e = &slots[i];
		if (e->s == s && off_gro_append(&e->g, frame, len)) {
			e->nframes++;
			e->bytes += len;
			return;
		}
	}
	/* Not the next segment of anything pending: what is pending for
	 * its flow (or, for a frame that cannot be joined, for the whole
	 * session) goes first. */
	e = gro_free_slot();
	if (off_gro_start(&e->g, frame, len, vl.cfg->mode == CFG_TAP)) {
		e->s = NULL; /* not yet: the flush below must not see it */
		gro_flush_session(s, frame, len);
		e->s = s;
		e->nframes = 1;
		e->bytes = len;
		e->age = gro_clock++;
		return;
	}
	gro_flush_session(s, NULL, 0);
	if (!gro_write(s, &none, frame, len))
		sess_count_drops(s, DROP_TAP, 1);
	else
		sess_count_rx_frames(s, 1, len);
}

void
gro_flush(void)
{
	struct gro_slot *e;
	size_t i;

	/* Oldest first: the order frames of one session arrived in. */
	for (;;) {
		e = NULL;
		for (i = 0; i < GRO_SLOTS; i++)
			if (slots[i].s != NULL &&
			    (e == NULL || slots[i].age < e->age))
				e = &slots[i];
		if (e == NULL)
			break;
		gro_slot_flush(e);
	}
}

void
gro_session_gone(struct session *s)
{
	gro_flush_session(s, NULL, 0);
}
