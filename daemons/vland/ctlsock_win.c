/*
 * ctlsock.h on Windows: the named pipe of platform/windows/ctlpipe.h
 * (whose head comment says why a pipe). Every client the pipe lets in
 * is an administrator or SYSTEM (its DACL), so every client may change
 * things; control-group and control-admin-group, which name Unix
 * groups, are not used here.
 */
#include <errno.h>
#include <string.h>

#include "config.h"
#include "ctlpipe.h"
#include "ctlsock.h"
#include "log.h"

static struct ctlpipe *pipe_listener;

int
ctlsock_open(const struct config *cfg)
{
	int fd, rc;

	if ((rc = ctlpipe_listen(cfg->control, &pipe_listener, &fd)) ==
	    -EADDRINUSE)
		fatalx("control pipe %s: another vland is running",
		    cfg->control);
	if (rc != 0)
		fatalx("control pipe %s: %s", cfg->control, strerror(-rc));
	log_info("control pipe %s, for SYSTEM and Administrators",
	    cfg->control);
	return fd;
}

int
ctlsock_accept(int fd, struct ctl_who *who)
{
	int cfd;

	(void)fd;
	if ((cfd = ctlpipe_accept(pipe_listener)) == -1)
		return -1;
	who->uid = 0;
	who->admin = true;
	return cfd;
}

void
ctlsock_drop(int fd)
{
	closesocket((SOCKET)fd);
}

void
ctlsock_close(int fd)
{
	(void)fd;
	ctlpipe_close(pipe_listener);
	pipe_listener = NULL;
}
