/*
 * What iphlp.c (platform.h's addresses and routes on Windows) offers
 * the rest of platform/windows/ and vland.exe beyond platform.h: the
 * undoing of what the record (routerec.h) says vland changed. Routes
 * and addresses are deleted, the MTU and the adapter's MAC parameter
 * put back (the MAC takes effect at the adapter's next start), in that
 * order; each line is forgotten once undone or found gone, and a line
 * that failed is kept for the next try. The record is read as what it
 * should be, not trusted further: an address, MTU or MAC line is acted
 * on only for a tap-windows6 adapter vland holds (the MAC only at that
 * adapter's own key, and only a MAC value), on any other interface
 * only a host route (a full tunnel's pin to the hub); any other line
 * is forgotten untouched. Each returns how many lines it undid, or the
 * first error; -EOPNOTSUPP without a record.
 */
#ifndef VLAND_IPHLP_H
#define VLAND_IPHLP_H

#include <stdint.h>

/*
 * The lines of the adapter whose interface is luid and class subkey
 * key, which the caller holds open: at its "delete" (plat_link_delete;
 * the adapter stays installed, so what Linux's link deletion takes
 * along is undone here).
 */
int iphlp_undo_adapter(uint64_t luid, const char *key);
/*
 * Every line, at vland.exe's start: what a run that crashed left (the
 * record is its configuration's, whose control pipe, opened before,
 * says no other vland.exe runs it). An adapter's lines are undone while
 * this holds the adapter open; those of an adapter another program
 * holds wait for a later start.
 */
int iphlp_undo_all(void);

#endif
