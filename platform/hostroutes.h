/*
 * The host's routing table as vland-ifmgr sees it: the platform lists it
 * (plat_route_dump, plat_route_get), routecheck.c judges new routes
 * against it. Kept apart so that routecheck.c, which is pure and tested
 * with made-up tables, needs nothing else of the platform's.
 */
#ifndef VLAND_HOSTROUTES_H
#define VLAND_HOSTROUTES_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/* A route of the host's main table, as the system listed it. */
struct host_route {
	struct prefix dst;
	struct addr gw;	  /* af 0: none */
	int oif;	  /* 0: none */
	uint8_t protocol; /* RTPROT_*; ours: PLAT_RTPROT_VLAND */
	uint32_t metric;  /* of two routes to one prefix, the lower wins */
};

struct host_routes {
	struct host_route *r;
	size_t n;
};

#endif
