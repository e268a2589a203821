/*
 * The helpers on Windows: vland-ifmgr's code runs inside vland.exe
 * (daemons/vland-ifmgr/inproc.c says why), on one end of a connected
 * loopback TCP pair (libevent's evutil_socketpair: Windows has no
 * socketpair) whose other end is vland's channel, so that vland asks
 * and is answered exactly as it is by the process on Linux. There is
 * no vland-auth: it checks a hub's logins, and vland.exe is an
 * endpoint only.
 */
#include <stdlib.h>
#include <sys/socket.h>

#include <event2/util.h>

#include "ifmgr.h"
#include "log.h"
#include "role.h"
#include "vland.h"

static void
helpers_reap(void)
{
	/* What vland-ifmgr made goes, whatever ends vland.exe. */
	ifmgr_inproc_stop();
}

void
helpers_start(int foreground, int verbose)
{
	evutil_socket_t sv[2];

	(void)foreground;
	(void)verbose;
	if (vl.role->serves_logins)
		fatalx("vland.exe runs an endpoint only; a hub needs Linux");
	if (vland_wsa_start() == -1 ||
	    evutil_socketpair(AF_INET, SOCK_STREAM, 0, sv) == -1)
		fatal("socketpair");
	/* Socket handles as vland's int descriptors (winnet.h). */
	ifmgr_inproc_start(vl.cfgreal, (int)sv[1]);
	if (ipc_init(&vl.ifmgr.chan, (int)sv[0], 1) == -1)
		fatal("ipc_init");
	vl.ifmgr.name = "vland-ifmgr (in-process)";
	vl.ifmgr.up = true;
	if (atexit(helpers_reap) != 0)
		fatalx("atexit");
}

void
helpers_local_events(void)
{
	ifmgr_inproc_events(vl.base);
}
