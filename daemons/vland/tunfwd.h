/*
 * Tun mode on the hub: IP packets are forwarded by destination inside
 * vland. An endpoint's address goes straight to its session; a route
 * whose nexthop is a user goes to that user's session (longest prefix);
 * an address of the VPN subnet that nobody has is dropped and counted;
 * anything else goes to the hub's tun, where the kernel's routes and
 * firewall decide. A session may only send from its own address or from
 * a prefix routed to it.
 */
#ifndef VLAND_TUNFWD_H
#define VLAND_TUNFWD_H

#include <stddef.h>
#include <stdint.h>

#include "ipcmsg.h"

struct session;

void tunfwd_ready(const struct if_device *, int fd);
/* A packet a session sent (decrypted, in the receive buffer). */
void tunfwd_from_session(struct session *, const uint8_t *pkt, size_t len);
void tunfwd_close(void);

/* Source and destination of an IPv4 or IPv6 packet; -1 if malformed. */
int ip_addrs(const uint8_t *pkt, size_t len, struct addr *src,
    struct addr *dst);

#endif
