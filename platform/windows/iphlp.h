/*
 * What iphlp.c (platform.h's addresses and routes on Windows) offers
 * the rest of platform/windows/ beyond platform.h.
 */
#ifndef VLAND_IPHLP_H
#define VLAND_IPHLP_H

/*
 * Remove what the record (routerec.h) says vland put on the interface
 * ifindex: its addresses deleted and its routes flushed, then both
 * forgotten. At an adapter's open (a crashed run's leftovers, since
 * the driver's one handle means no other vland has it) and at its
 * "delete" (plat_link_delete: the adapter stays installed, so what
 * Linux's link deletion takes along is removed here). 0 or -errno;
 * addresses or routes already gone are no error.
 */
int iphlp_clear_recorded(int ifindex);

#endif
