/*
 * vland-auth: the user and address-pool process of vland (vland-auth(8)).
 * It is started by vland with its IPC socket on descriptor 3 and is of
 * no use on its own, so it refuses to run otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "log.h"

int
main(void)
{
	int type;
	socklen_t len = sizeof(type);

	log_procinit("vland-auth");
	log_init(1, 0);
	if (getsockopt(3, SOL_SOCKET, SO_TYPE, &type, &len) == -1 ||
	    type != SOCK_SEQPACKET)
		fatalx("must be started by vland(8), with its socket on "
		       "descriptor 3");
	fatalx("the user and pool manager is not implemented in this version");
}
