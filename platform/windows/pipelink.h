/*
 * A named pipe's byte stream spliced to a socket that libevent can poll.
 * vland's control channel on Windows is a named pipe (ctlpipe.c says
 * why), and vlanctl.exe is its client; both ends then speak ipc.h's
 * records, which ipcwin.c reads and writes on a stream socket. A pipe
 * handle is not a socket: libevent polls sockets only, and ipcwin.c
 * calls recv and send. So the pipe is joined to one end of a connected
 * loopback TCP pair, and the caller gets the other end.
 *
 * Two threads move the bytes, as relay.c's do for a device, but a
 * stream's end must be passed on: when the pipe's client goes, the
 * socket is shut for sending (the caller reads its end of file), and
 * when the caller closes its socket, the pipe is closed. The link owns
 * the pipe handle and frees itself when both threads are done, so the
 * caller keeps nothing but its socket.
 */
#ifndef VLAND_PIPELINK_H
#define VLAND_PIPELINK_H

#include "winapi.h"

/*
 * Splice pipe (opened or created with FILE_FLAG_OVERLAPPED, connected)
 * to a new socket, *fd: a blocking stream socket of this process, not
 * inherited. The link owns pipe from here on, even on failure. 0 or
 * -errno.
 */
int pipelink_start(HANDLE pipe, int *fd);

#endif
