/*
 * Where ctl.c's clients come from, per system: the listening end of the
 * control channel and who each client is. ctl.c reads and answers the
 * records (ipc.h) on the descriptor a client comes with, the same on
 * every system. Linux (ctlsock_unix.c): an AF_UNIX socket whose file
 * mode and peer credentials decide; Windows (ctlsock_win.c): a named
 * pipe whose security descriptor decides.
 */
#ifndef VLAND_CTLSOCK_H
#define VLAND_CTLSOCK_H

#include <stdbool.h>

struct config;

struct ctl_who {
	unsigned long uid; /* for the log */
	bool admin;	   /* may kick, reload, change the log level */
};

/* The listening end, made before the privilege drop: a descriptor for
 * the loop to poll. fatal() if it cannot be made. */
int ctlsock_open(const struct config *);
/*
 * A client when the listening end polls readable: its connected
 * descriptor for ipc_init, and who it is. -1 with errno: EAGAIN (none
 * now), EACCES (refused, and logged), or why accept failed (EMFILE...).
 */
int ctlsock_accept(int fd, struct ctl_who *who);
/* A client turned away before ipc_init (too many). */
void ctlsock_drop(int fd);
void ctlsock_close(int fd);

#endif
