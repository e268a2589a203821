/*
 * Tun mode on the hub: IP packets are forwarded by destination inside
 * vland. An endpoint's address goes straight to its session; a route
 * whose nexthop is a user goes to that user's session (longest prefix);
 * an address of the VPN subnet that nobody has is dropped and counted,
 * and so is a packet for an endpoint its sender may not reach (isolate);
 * anything else goes to the hub's tun, where the kernel's routes and
 * firewall decide. A session may only send from its own address or from
 * a prefix routed to it.
 *
 * tunfwd.c decides where a packet goes, from a struct tunfwd and
 * nothing else; tundev.c is the hub's tun and carries the decisions
 * out (reads, writes, sealing for a session, counting drops).
 */
#ifndef VLAND_TUNFWD_H
#define VLAND_TUNFWD_H

#include <stddef.h>
#include <stdint.h>

#include "ipcmsg.h"
#include "peermsg.h"
#include "vland.h"

struct session;
struct session_table;

struct tunfwd {
	/* What decisions are made from. */
	const struct session_table *sessions;
	const struct pmsg_routes *routes; /* the hub's current set */
	struct prefix ip, ip6; /* the hub's, in the VPN; ip6 af 0: none */
	/* The hub's tun (tundev.c). */
	int fd; /* -1: not yet */
	struct event *ev;
	struct counters dev; /* what went through it */
};

enum tunfwd_verdict {
	TUNFWD_SESSION, /* to that session */
	TUNFWD_HUB,	/* into the hub's tun: the kernel decides */
	TUNFWD_DROP,	/* dropped, for the reason given */
	TUNFWD_IGNORE,	/* dropped, not counted: nothing wrong */
};

/* ip and ip6 are the configuration's (they need a restart to change);
 * routes stays where it is while its contents change. */
void tunfwd_init(struct tunfwd *, const struct session_table *,
    const struct pmsg_routes *routes, const struct prefix *ip,
    const struct prefix *ip6);
/*
 * Where a packet goes: from session from, or from the hub's tun (from
 * NULL; never TUNFWD_HUB then). *to is set for TUNFWD_SESSION, *why for
 * TUNFWD_DROP.
 */
enum tunfwd_verdict tunfwd_decide(const struct tunfwd *,
    const struct session *from, const uint8_t *pkt, size_t len,
    struct session **to, enum drop_reason *why);
/* Source and destination of an IPv4 or IPv6 packet; -1 if malformed. */
int ip_addrs(const uint8_t *pkt, size_t len, struct addr *src,
    struct addr *dst);

/* tundev.c */
void tunfwd_ready(struct tunfwd *, const struct if_device *, int fd);
/* A packet a session sent (decrypted, in the receive buffer). */
void tunfwd_from_session(struct tunfwd *, struct session *, const uint8_t *pkt,
    size_t len);
void tunfwd_close(struct tunfwd *);

#endif
