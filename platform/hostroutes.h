/*
 * The host's routing table as vland-ifmgr sees it: the platform lists it,
 * routecheck.c judges new routes against it. Kept apart so that neither
 * needs the other's headers (linux/if.h and net/if.h clash).
 */
#ifndef IFMGR_HOSTROUTES_H
#define IFMGR_HOSTROUTES_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/* A route of the host's main table, as the kernel listed it. */
struct host_route {
	struct prefix dst;
	struct addr gw;	  /* af 0: none */
	int oif;	  /* 0: none */
	uint8_t protocol; /* RTPROT_* */
};

struct host_routes {
	struct host_route *r;
	size_t n;
};

#endif
