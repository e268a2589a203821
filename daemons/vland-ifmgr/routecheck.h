/*
 * Which routes vland-ifmgr may install: pure checks of one route against
 * the policy, the host's own routing table (a snapshot) and the routes
 * that came before it in the same set. No I/O: tests/unit/ifmgr drives
 * them with made-up tables.
 */
#ifndef IFMGR_ROUTECHECK_H
#define IFMGR_ROUTECHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "hostroutes.h"
#include "ipcmsg.h"
#include "policy.h"

/* What a check needs besides the route itself. */
struct routecheck_ctx {
	const struct ifmgr_policy *pol;
	struct prefix vpn;    /* the VPN subnet (network prefix) */
	struct prefix vpn6;   /* its IPv6 subnet (ip6); af 0: none */
	struct addr underlay; /* endpoint: the hub outside; af 0: none */
	bool underlay_pinned; /* a host route of ours keeps it outside */
	const struct host_routes *host;
	const int *own_oif; /* our devices: their connected routes
				      * and our protocol's are ours */
	size_t nown;
	const int *vland_oif; /* other vland instances' devices */
	size_t nvland;
	uint8_t own_protocol;	       /* the protocol number of our routes */
	const struct prefix *accepted; /* earlier in this set, refused too */
	size_t naccepted;
};

/*
 * Check route r. Returns 0 if it may be installed, or an enum
 * route_refusal with a one-line reason in why (naming the host route it
 * collides with, if that is the reason).
 */
uint32_t routecheck_route(const struct routecheck_ctx *,
    const struct if_route *r, char *why, size_t len);

/*
 * Check the network prefix of an endpoint's own address (its connected
 * route): the same checks as a pushed route, but for the default ones.
 */
uint32_t routecheck_address(const struct routecheck_ctx *,
    const struct prefix *net, char *why, size_t len);

/* Do the prefixes of family af in set, with extra if not NULL, cover the
 * default route of af (0.0.0.0/0 or ::/0)? */
bool routecheck_covers_default(sa_family_t af, const struct prefix *set,
    size_t n, const struct prefix *extra);

/* The host route with exactly this destination that is not ours. */
const struct host_route *routecheck_same_dst(const struct routecheck_ctx *,
    const struct prefix *);

#endif
