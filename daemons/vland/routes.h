/*
 * The route set of a hub: the configured routes with each nexthop
 * resolved (SERVER: the hub; a user: that user's address while logged
 * in, else unknown and withdrawn). It changes only when a nexthop user
 * logs in or out; each change gets a new version, is installed on the
 * hub's bridge through vland-ifmgr, sent to every endpoint, and (if
 * configured) announced by multicast in the original format.
 */
#ifndef VLAND_ROUTES_H
#define VLAND_ROUTES_H

#include "peermsg.h"

void routes_init(void);
/* Recompute after a login or logout; push if the set changed. */
void routes_update(void);
const struct pmsg_routes *routes_current(void);
/* Send the multicast announcement if one is due (called from the tick). */
void routes_multicast_due(void);
/* The original format: 0x2b 0x01, then "CIDR>NEXTHOP\n" lines. */
size_t routes_multicast_format(const struct pmsg_routes *, char *buf,
    size_t len);

#endif
