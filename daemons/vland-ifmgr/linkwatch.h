/*
 * Link events from the kernel (RTNLGRP_LINK), so that vland-ifmgr sees
 * a device of ours deleted under it instead of running on broken: a
 * hub whose bridge is gone stops, with one line, and its supervisor
 * starts it again whole.
 */
#ifndef IFMGR_LINKWATCH_H
#define IFMGR_LINKWATCH_H

/* The socket, before the sandbox; -errno on failure. */
int linkwatch_open(void);
/* Read what the kernel sent; fn(ifindex) for each link deleted. */
void linkwatch_read(int fd, void (*fn)(int ifindex));
void linkwatch_close(int fd);

#endif
