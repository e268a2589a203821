/*
 * The reaper: a child of vland-ifmgr with the same single capability
 * whose only job is to remove vland's devices and routes if vland-ifmgr
 * dies without doing it itself (SIGKILL, a crash). It learns what to
 * look for from a few notes vland-ifmgr sends it and from the marks on
 * the devices (interface aliases, route protocol).
 */
#ifndef IFMGR_REAPER_H
#define IFMGR_REAPER_H

#include "addr.h"

/* Fork the reaper. Returns the descriptor to send notes on. */
int reaper_start(void);

/* Notes for the reaper: the bridge name, and the hub address when it
 * was added to an operator's bridge. */
void reaper_note_bridge(int fd, const char *bridge);
void reaper_note_addr(int fd, const struct prefix *p); /* NULL: removed */
/* The full tunnel's host route to the hub (NULL: none any more). */
void reaper_note_route(int fd, const struct prefix *p, int oif);
/* The hub's nftables table, named after its device dev (nat.h). */
void reaper_note_nat(int fd, const char *dev);
/* vland-ifmgr removed everything itself; the reaper may go. */
void reaper_note_done(int fd);

#endif
