/*
 * The hub's own switch (tap mode, `switch: hub`): a unicast frame from
 * one endpoint to another endpoint's MAC is sealed straight for that
 * endpoint's session, as tun mode forwards, instead of going through
 * the first endpoint's tap, the kernel bridge and the second's tap. The
 * owner of such a MAC is known without learning: 62:e2 followed by its
 * IPv4 address (l2filter.h). Everything else (the hub's own MAC,
 * broadcast, multicast, MACs of LANs bridged behind an endpoint) goes to
 * the bridge as before. Pure: decided from the session table alone, so
 * that a unit test can ask.
 */
#ifndef VLAND_L2SWITCH_H
#define VLAND_L2SWITCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct session;
struct session_table;

struct l2switch {
	const struct session_table *sessions;
	bool on; /* switch: hub; off (bridge): every frame to the bridge */
	/* isolate: the bridge's ports are isolated (vland-ifmgr), so the
	 * bridge carries frames only between an endpoint and the hub;
	 * what endpoints may exchange (allow), the switch carries. */
	bool isolate;
};

enum l2switch_verdict {
	L2SW_BRIDGE,  /* to the sender's tap, for the kernel bridge */
	L2SW_SESSION, /* sealed for *to */
	L2SW_DENY,    /* for an endpoint the sender may not reach */
	/* broadcast or multicast while isolated: to the bridge, and a copy
	 * sealed for every session l2switch_floods_to says */
	L2SW_FLOOD,
};

void l2switch_init(struct l2switch *, const struct session_table *);
/* Where a frame from session from (already checked by l2filter) goes. */
enum l2switch_verdict l2switch_decide(const struct l2switch *,
    const struct session *from, const uint8_t *frame, size_t len,
    struct session **to);

/* Does a flooded frame from from go to t? */
bool l2switch_floods_to(const struct l2switch *, const struct session *from,
    const struct session *t);

#endif
