/*
 * vland's control channel on Windows: a named pipe (\\.\pipe\NAME).
 *
 * Why a pipe and not an AF_UNIX socket, which Windows 10 1803 and later
 * have and which would let ctl.c take clients as on Linux: wine 8,
 * where vland.exe is tested, has none (socket(AF_UNIX, SOCK_STREAM, 0)
 * fails there with WSAEAFNOSUPPORT), and a Windows AF_UNIX socket is a
 * file whose access is the directory's ACL, not a descriptor of our
 * own. A pipe is in every Windows and in wine, takes a security
 * descriptor when it is made, and turns remote clients away
 * (PIPE_REJECT_REMOTE_CLIENTS). Each client's pipe is spliced to a
 * loopback socket (pipelink.h), so ctl.c's records and their handling
 * are Linux's, unchanged.
 *
 * Who may connect: the pipe's DACL (ctlpipe_sd) allows SYSTEM and the
 * Administrators group and nobody else, which also keeps anyone else
 * from making an instance of the same name (FILE_CREATE_PIPE_INSTANCE).
 * Under UAC an administrator's vlanctl.exe must run elevated. Wine
 * stores the DACL but does not enforce it (nor FILE_FLAG_FIRST_PIPE_
 * INSTANCE): tests check the descriptor, not a refusal.
 */
#ifndef VLAND_CTLPIPE_H
#define VLAND_CTLPIPE_H

#include "winapi.h"

/* The prefix every pipe name has. */
#define CTLPIPE_PREFIX "\\\\.\\pipe\\"

struct ctlpipe;

/*
 * Listen on pipe name: *fd (a non-blocking socket) becomes readable
 * when a client has connected, and ctlpipe_accept then gives it. 0,
 * -EADDRINUSE if a server already answers there, or -errno.
 */
int ctlpipe_listen(const char *name, struct ctlpipe **out, int *fd);
/* A connected client's socket (ipc.h's stream, non-blocking), or -1
 * with errno EAGAIN when none is waiting. */
int ctlpipe_accept(struct ctlpipe *);
/* Stop listening; clients already accepted stay. */
void ctlpipe_close(struct ctlpipe *);

/* The client: connect to pipe name, waiting up to wait_ms while every
 * instance is busy. *fd is a blocking socket spliced to the pipe. 0 or
 * -errno (-ENOENT: nobody listens there; -EACCES: the DACL refused). */
int ctlpipe_connect(const char *name, DWORD wait_ms, int *fd);

/* The pipe's security descriptor: a protected DACL allowing SYSTEM and
 * Administrators full access (SDDL D:P(A;;GA;;;SY)(A;;GA;;;BA)). Freed
 * with LocalFree. NULL on failure. */
PSECURITY_DESCRIPTOR ctlpipe_sd(void);

#endif
