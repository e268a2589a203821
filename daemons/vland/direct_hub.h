/*
 * The hub's side of direct paths (PROTOCOL.md, "Direct paths"): it
 * introduces two endpoints to each other with a PEER message each when
 * traffic between them passes through it, and tells each with PEER_GONE
 * when the other leaves. It stays the authority: only endpoints that
 * said they take direct paths (ENDPOINT_INFO), with the hub's direct:
 * on and isolate's rules letting the two meet, are introduced.
 */
#ifndef VLAND_DIRECT_HUB_H
#define VLAND_DIRECT_HUB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

struct pmsg_info;
struct session;
struct dpair;

/* A pair in one session's list (session.h: pairs). A pair is in two
 * lists, each threaded through a link of its own: one LIST_ENTRY per
 * list, since the macros update a neighbour through the same field. */
struct dpair_link {
	LIST_ENTRY(dpair_link) e;
	struct dpair *p;
};

/* How often the hub sends a pair's PEERs again; an endpoint forgets a
 * peer after PEERS_LEASE_MS (peers.c) without one. */
#define DIRECT_PEER_REFRESH_MS 30000

/* What s reported about itself (an ENDPOINT_INFO from an UP session). */
void direct_hub_info(struct session *s, const struct pmsg_info *);
/* A frame of s's, just accepted, bound for another endpoint. Cheap when
 * direct: is off or s does not take direct paths. */
void direct_hub_frame(struct session *s, const uint8_t *frame, size_t len);
/* Every tick: the PEERs that are due again. */
void direct_hub_tick(uint64_t now);
/* s is ending: PEER_GONE to each endpoint it was introduced to. */
void direct_hub_session_gone(struct session *s);
/* After a reload (direct:, isolate's groups and allow): end the pairs
 * the new configuration no longer lets meet. */
void direct_hub_reload(void);
/* Pairs introduced now, for vlanctl and /metrics. */
size_t direct_hub_pairs(void);

#endif
