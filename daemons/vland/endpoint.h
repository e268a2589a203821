#ifndef VLAND_ENDPOINT_H
#define VLAND_ENDPOINT_H

#include "ipcmsg.h"
#include "session.h"

void endpoint_init(void);
void endpoint_udp_input(uint8_t *buf, size_t len, struct peer_addr *from);
void endpoint_dev_ready(const struct if_device *, int fd);
void endpoint_dev_failed(const char *why);
void endpoint_rekey_due(struct session *);
void endpoint_tick(void);
void endpoint_shutdown(void);
/* The address the hub gave us (af 0 before the first login). */
void endpoint_address(struct addr *, uint8_t *prefixlen, struct prefix *ip6);
/* Routes of the hub's set in use (known nexthop, not ourselves). */
void endpoint_routes(uint32_t *count, uint32_t *version);

#endif
