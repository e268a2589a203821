/*
 * The record of the routes vland made on Windows. Linux marks each of
 * its routes (PLAT_RTPROT_VLAND) so that a crashed run's are found in
 * the table; a Windows route cannot carry such a mark (a program may set
 * only MIB_IPPROTO_NETMGMT), so iphlp.c writes each route it makes into
 * a file, by the interface's NET_LUID (stable across restarts, unlike
 * its index), destination and gateway, and takes a route of the table
 * as ours when the file has it (doc/PORTING.md, "Windows"). The
 * addresses it puts on an adapter are recorded the same way: Linux
 * deletes a device with its addresses, while a Windows adapter stays
 * installed and would keep a crashed run's address (iphlp.h).
 */
#ifndef VLAND_ROUTEREC_H
#define VLAND_ROUTEREC_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"

/* Where the record is kept (a file vland-ifmgr's part alone writes);
 * NULL: none, and no route is found as ours. */
void routerec_set_path(const char *path);
bool routerec_enabled(void);
/* 0, or -EIO if the file could not be written whole. */
int routerec_add(uint64_t luid, const struct prefix *dst,
    const struct addr *gw);
/* Forget the route to dst on luid (every route of luid if dst is
 * NULL). */
int routerec_del(uint64_t luid, const struct prefix *dst);
bool routerec_has(uint64_t luid, const struct prefix *dst,
    const struct addr *gw);

/* The address p on luid, as routerec_add; forgotten by routerec_addr_del
 * (every address of luid if p is NULL). */
int routerec_addr_add(uint64_t luid, const struct prefix *p);
int routerec_addr_del(uint64_t luid, const struct prefix *p);
/* The recorded addresses of luid, at most max of them into out: how
 * many. */
size_t routerec_addrs(uint64_t luid, struct prefix *out, size_t max);

#endif
