/*
 * The route set of a hub: the configured routes with each nexthop
 * resolved (SERVER: the hub; a user: that user's address while logged
 * in, else unknown and withdrawn; for an IPv6 route, the hub's or the
 * user's IPv6 address inside the tunnel). It changes only when a nexthop user
 * logs in or out or the routes are reloaded; each change gets a new
 * version. What is done with a new set (installed through vland-ifmgr,
 * sent to every endpoint) is hubroutes.c's; here is the set itself and
 * when it is announced by multicast in the original format.
 */
#ifndef VLAND_ROUTES_H
#define VLAND_ROUTES_H

#include "config.h"
#include "peermsg.h"

struct session_table;

/* What the set is made of. The routes are reloadable: given at each
 * computation, never kept. */
struct route_conf {
	const struct cfg_route *routes;
	size_t nroutes;
	struct addr hub;   /* the hub's address: SERVER's nexthop */
	struct prefix ip6; /* the hub's ip6 (af 0: none): SERVER's IPv6
			    * nexthop, and where a user's IPv6 address
			    * is made (addr_v6_embed) */
};

struct routes {
	struct pmsg_routes cur;
	int mcast_fd; /* -1: no announcements */
	uint64_t mcast_changed_ms;
	unsigned mcast_step; /* announcements made since the change */
};

/* The first set, version 1; no announcements. */
void routes_init(struct routes *, const struct route_conf *,
    const struct session_table *);
/* The set as it stands now (version 0). */
void routes_compute(const struct route_conf *, const struct session_table *,
    struct pmsg_routes *);
/* Recompute after a login, logout or reload: true if the set changed,
 * and it has a new version (and announcements start again). */
bool routes_update(struct routes *, const struct route_conf *,
    const struct session_table *, uint64_t now_ms);
const struct pmsg_routes *routes_current(const struct routes *);

/* Announce the set by multicast from now on (tap mode). */
void routes_multicast_open(struct routes *, uint64_t now_ms);
/* Whether an announcement is due now; it then counts as made. */
bool routes_multicast_due(struct routes *, uint64_t now_ms);
/* Announce the current set on the LAN of ifname, which has ifaddr. */
void routes_multicast_send(const struct routes *, const struct addr *ifaddr,
    const char *ifname);
/* The original format: 0x2b 0x01, then "CIDR>NEXTHOP\n" lines, for the
 * IPv4 routes only (the original listeners know no IPv6). */
size_t routes_multicast_format(const struct pmsg_routes *, char *buf,
    size_t len);

#endif
