/*
 * ctlconn.h on Windows: vland.exe's named pipe (platform/windows/
 * ctlpipe.h), spliced to a socket so that ipcwin.c reads and writes
 * the records as vland.exe does. Only SYSTEM and Administrators may
 * open it: under UAC, vlanctl.exe runs elevated.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctlconn.h"
#include "ctlpipe.h"
#include "ipc.h"

/* How long to wait while every instance of the pipe is busy. */
#define BUSY_WAIT_MS 5000

int
ctl_connect(struct ipc_chan *c, const char *path)
{
	WSADATA wsa;
	u_long off = 0;
	int fd, rc;

	if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
		fprintf(stderr, "vlanctl: Winsock did not start\n");
		return -1;
	}
	if ((rc = ctlpipe_connect(path, BUSY_WAIT_MS, &fd)) != 0) {
		fprintf(stderr, "vlanctl: %s: %s%s\n", path, strerror(-rc),
		    rc == -EACCES	? " (run vlanctl as administrator)"
			: rc == -ENOENT ? " (is vland running?)"
					: "");
		return -1;
	}
	if (ipc_init(c, fd, 0) == -1) {
		fprintf(stderr, "vlanctl: %s: %s\n", path, strerror(errno));
		return -1;
	}
	/* A simple client: it waits for each record. */
	if (ioctlsocket((SOCKET)fd, FIONBIO, &off) != 0) {
		fprintf(stderr, "vlanctl: %s: cannot block\n", path);
		return -1;
	}
	return 0;
}
