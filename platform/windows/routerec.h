/*
 * The record of what vland changed on Windows, so that it can be
 * undone at exit and, after a crash, at the next start. Linux marks
 * each of its routes (PLAT_RTPROT_VLAND) and deletes its devices with
 * their addresses; a Windows route cannot carry such a mark (a program
 * may set only MIB_IPPROTO_NETMGMT), and an adapter is installed, not
 * made: its addresses, its MTU and its MAC parameter would outlive the
 * run. So each change is written into a file first, by the
 * interface's NET_LUID (stable across restarts, unlike its index):
 *
 *   LUID route DST/LEN GW      a route (GW "-": on the link)
 *   LUID addr ADDR/LEN -       an address on the interface
 *   LUID mtu 4|6 OLD           the MTU it had, per family, before vland
 *   LUID mac KEY OLD           the adapter's MAC parameter before vland
 *                              (KEY its class subkey, OLD "-": none)
 *
 * (doc/PORTING.md, "Windows"; iphlp.h undoes them.) A route of the
 * table is taken as ours when the file has it.
 */
#ifndef VLAND_ROUTEREC_H
#define VLAND_ROUTEREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/* Lines read at most: a record of more is not vland's (an endpoint
 * records a few), and the rest is dropped at the next change. */
#define ROUTEREC_MAX 1024

/* Where the record is kept (a file of one configuration's: vland.exe
 * names it after its configuration file); NULL: none, nothing is
 * recorded and no route is found as ours. -ENAMETOOLONG (and no
 * record) for a path too long. */
int routerec_set_path(const char *path);
bool routerec_enabled(void);

/* One line of the record. */
struct routerec {
	uint64_t luid;
	char kind[8];	/* route, addr, mtu, mac */
	char key[64];	/* what it is about: DST, ADDR, 4|6, KEY */
	char value[64]; /* GW, -, OLD */
};

/*
 * Record kind key on luid with value, replacing the line of the same
 * luid, kind and key; with keep, a line that exists stays as it is
 * (the value before vland's first change is the one to restore). 0, or
 * -EIO if the file could not be written whole (nothing changed then);
 * 0 and nothing written without a record.
 */
int routerec_put(uint64_t luid, const char *kind, const char *key,
    const char *value, bool keep);
/* Forget that line (every line of luid and kind if key is NULL). */
int routerec_forget(uint64_t luid, const char *kind, const char *key);
/* The lines, at most max of them into out: how many. */
size_t routerec_list(struct routerec *out, size_t max);
/* Whether the record has kind key on luid; its value into value (of
 * len bytes) if value is not NULL. */
bool routerec_find(uint64_t luid, const char *kind, const char *key,
    char *value, size_t len);

/* Routes and addresses by their values, through the calls above. */
int routerec_add(uint64_t luid, const struct prefix *dst,
    const struct addr *gw);
/* Forget the route to dst on luid (every route of luid if dst is
 * NULL). */
int routerec_del(uint64_t luid, const struct prefix *dst);
bool routerec_has(uint64_t luid, const struct prefix *dst,
    const struct addr *gw);
int routerec_addr_add(uint64_t luid, const struct prefix *p);
int routerec_addr_del(uint64_t luid, const struct prefix *p);

#endif
