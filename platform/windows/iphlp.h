/*
 * What iphlp.c (platform.h's addresses and routes on Windows) offers
 * the rest of platform/windows/ and vland.exe beyond platform.h.
 */
#ifndef VLAND_IPHLP_H
#define VLAND_IPHLP_H

/*
 * Undo what the record (routerec.h) says vland changed: on the
 * interface ifindex, or everywhere with ifindex 0. Its routes and
 * addresses deleted, its MTU and the adapter's MAC parameter put back
 * (the MAC takes effect at the adapter's next start), in that order;
 * each line forgotten once undone or found gone, a line that failed
 * kept for the next try. At an adapter's "delete" (plat_link_delete:
 * the adapter stays installed, so what Linux's link deletion takes
 * along is removed here) and, everywhere, at vland.exe's start (what a
 * run that crashed left: the record is its configuration's, and that
 * configuration's control pipe, opened before, says no other vland.exe
 * runs it). How many lines were undone, or the first error;
 * -EOPNOTSUPP without a record.
 */
int iphlp_undo_recorded(int ifindex);

#endif
