/*
 * vlanctl's connection to vland's control channel, per system: an
 * AF_UNIX socket on Linux (ctlconn.c), a named pipe on Windows
 * (ctlconn_win.c). Either way the channel is ipc.h's, and show.c sends
 * and reads the same records on it.
 */
#ifndef VLANCTL_CTLCONN_H
#define VLANCTL_CTLCONN_H

struct ipc_chan;

/* Connect to path and set up c, blocking (a simple client waits for
 * each record). 0, or -1 after saying why on stderr. */
int ctl_connect(struct ipc_chan *c, const char *path);

#endif
