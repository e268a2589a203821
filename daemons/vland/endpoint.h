/*
 * The endpoint role of vland (endpoint.c), when the file has a connect:
 * section. The rest of vland reaches it through endpoint_role (role.h);
 * these are the functions that table is made of.
 */
#ifndef VLAND_ENDPOINT_H
#define VLAND_ENDPOINT_H

#include "ipcmsg.h"
#include "session.h"

void endpoint_init(void);
void endpoint_udp_input(uint8_t *buf, size_t len, struct peer_addr *from);
void endpoint_dev_ready(const struct if_device *, int fd);
/* vland-ifmgr could not make the device; EPERM: it refused the hub's
 * address for this host (the session ends, the endpoint retries). */
void endpoint_dev_failed(int error, const char *why);
/* The device fails (deleted under us): vland stops, with status 1. */
void endpoint_dev_lost(struct session *, int err);
void endpoint_rekey_due(struct session *);
void endpoint_tick(void);
void endpoint_shutdown(void);
/* The address the hub gave us (af 0 before the first login). */
void endpoint_address(struct addr *, uint8_t *prefixlen, struct prefix *ip6);
/* The hub's last route set, as it came (refusals.h says what of it
 * vland-ifmgr installed). */
const struct pmsg_routes *endpoint_route_set(void);
/* The session with the hub (its device's). */
struct session *endpoint_session(void);

#endif
