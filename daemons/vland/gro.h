/*
 * Frames opened from UDP go to taps (and an endpoint's tun) through
 * here: consecutive segments of one TCP flow are joined (offload.h) and
 * written as one GSO frame at the end of each UDP batch. The state is
 * the caller's struct gro.
 */
#ifndef VLAND_GRO_H
#define VLAND_GRO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "offload.h"

struct counters;
struct session;

/* Flows being joined at once, all sessions together. */
#define GRO_SLOTS 8

struct gro_slot {
	struct session *s; /* NULL: free */
	unsigned nframes, age;
	size_t bytes; /* for the counters: the frames as received */
	struct off_gro g;
};

struct gro {
	struct gro_slot slots[GRO_SLOTS];
	unsigned clock; /* ages the slots: oldest written first */
	bool eth;	/* frames are Ethernet (taps), else IP (a tun) */
	/* Counting what is written: on a hub, what its taps receive is
	 * what the endpoint sent (vland.h); in total and on the session. */
	bool hub;
	/* The device takes plain frames (vl.dev_plain): none is joined,
	 * each is written alone, with no virtio-net header. */
	bool plain;
	struct counters *total;
};

void gro_init(struct gro *, bool eth, bool hub, struct counters *total);
/* A frame opened on s, for its tap (one opened with IFF_VNET_HDR). */
void gro_add(struct gro *, struct session *s, const uint8_t *frame, size_t len);
/* Write everything pending: at the end of each UDP batch. */
void gro_flush(struct gro *);
/* s is going away: write what is pending for it first. */
void gro_session_gone(struct gro *, struct session *s);

#endif
