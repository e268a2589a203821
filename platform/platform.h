/*
 * rtnetlink requests vland-ifmgr needs, over one libmnl socket. Every
 * call waits for the kernel's answer and returns 0 or -errno.
 */
#ifndef VLAND_PLATFORM_H
#define VLAND_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "hostroutes.h"

struct nl_link {
	int ifindex;
	int master; /* ifindex of the bridge it is attached to, or 0 */
	char name[16];
	char kind[16]; /* "bridge", "tun", ... or "" */
	char alias[64];
};

int nl_open(void);
void nl_close(void);

int nl_bridge_create(const char *name);
int nl_link_delete(int ifindex);
int nl_link_set_up(int ifindex);
int nl_link_set_mtu(int ifindex, unsigned mtu);
int nl_link_set_mac(int ifindex, const uint8_t mac[6]);
int nl_link_set_master(int ifindex, int master);
int nl_link_set_alias(int ifindex, const char *alias);
/* Look a link up by name; -ENODEV if there is none. */
int nl_link_get(const char *name, struct nl_link *out);
/* Call fn for every link; stops early if fn returns non-zero. */
int nl_link_foreach(int (*fn)(const struct nl_link *, void *), void *arg);

/* exists is set when the address was already there (-EEXIST is 0). */
int nl_addr_add(int ifindex, const struct prefix *p, bool *exists);
int nl_addr_del(int ifindex, const struct prefix *p);

/* Routes vland installs carry RTPROT_VLAND so they can be told apart. */
#define RTPROT_VLAND 0x76
/* Add a route (replace: one of ours with the same destination). */
int nl_route_install(int ifindex, const struct prefix *dst,
    const struct addr *gw, bool replace);
int nl_route_del(int ifindex, const struct prefix *dst);
/* The route the kernel would take to dst (its gateway and device). */
int nl_route_get(const struct addr *dst, struct host_route *out);
/* The main table's IPv4 routes (out->r is malloc'd; free it). */
int nl_route_dump(struct host_routes *out);
/* Delete every route on ifindex installed with protocol proto. */
int nl_route_flush_proto(int ifindex, int proto);

/*
 * Create a tap (tap true) or tun device named name. Returns the
 * non-blocking, close-on-exec descriptor or -errno. The device lives
 * while a descriptor to it is open (or until deleted).
 */
int tuntap_create(const char *name, bool tap);

/*
 * Link events (RTNLGRP_LINK), so that vland-ifmgr sees a device of ours
 * deleted under it instead of running on broken: a hub whose bridge is
 * gone stops, with one line, and its supervisor starts it again whole.
 */
/* The socket, before the sandbox; -errno on failure. */
int linkwatch_open(void);
/* Read what the kernel sent; fn(ifindex) for each link deleted. */
void linkwatch_read(int fd, void (*fn)(int ifindex));
void linkwatch_close(int fd);

#endif
