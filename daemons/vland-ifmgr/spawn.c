/*
 * vland-ifmgr's helper processes (the reaper, the DNS helper): each a
 * child at the other end of a socketpair, which must not keep the
 * channel to vland (its end must close when vland-ifmgr dies, so that
 * vland notices) and outlives a SIGTERM, SIGINT or SIGHUP meant for the
 * group, since its work starts when vland-ifmgr is gone.
 */
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ifmgr.h"
#include "log.h"
#include "privsep.h"

int
ifmgr_spawn(void (*child)(int fd))
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		fatal("socketpair");
	switch ((pid = fork())) {
	case -1:
		fatal("fork");
	case 0:
		close(sv[0]);
		close(PRIV_IPC_FD);
		signal(SIGTERM, SIG_IGN);
		signal(SIGINT, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		child(sv[1]);
		_exit(
		    0); /* child never returns; if it did, nothing is left to do */
	default:
		close(sv[1]);
		return sv[0];
	}
}
