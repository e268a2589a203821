/*
 * The record of the routes vland made on Windows. Linux marks each of
 * its routes (PLAT_RTPROT_VLAND) so that a crashed run's are found in
 * the table; a Windows route cannot carry such a mark (a program may set
 * only MIB_IPPROTO_NETMGMT), so iphlp.c writes each route it makes into
 * a file, by the interface's NET_LUID (stable across restarts, unlike
 * its index), destination and gateway, and takes a route of the table
 * as ours when the file has it (doc/PORTING.md, "Windows").
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
/* Forget the route to dst on luid (every one if dst is NULL). */
int routerec_del(uint64_t luid, const struct prefix *dst);
bool routerec_has(uint64_t luid, const struct prefix *dst,
    const struct addr *gw);

#endif
