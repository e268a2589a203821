/*
 * The test-only UDP device (connect: device: udp:ADDR:PORT in
 * vland.yaml(5)): an endpoint's frames as datagrams to a loopback
 * address, one frame (tap mode) or IP packet (tun mode) a datagram,
 * with no offload header. It lets a test run an endpoint where no
 * TAP driver is (wine) and answer what its "device" sends with a small
 * responder. It is no link of the system's: no name, address or route.
 *
 * The socket is opened and connected at start, before the sandbox
 * forbids new sockets (sandbox.h); each device vland gets is a
 * duplicate of it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ifmgr.h"
#include "log.h"

static int udpdev_fd = -1;

void
udpdev_start(const struct addr *a, uint16_t port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t sl;
	char s[ADDR_STRLEN];
	int fd;

	memset(&ss, 0, sizeof(ss));
	if (a->af == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_addr = a->v4;
		sin->sin_port = htons(port);
		sl = sizeof(*sin);
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = a->v6;
		sin6->sin6_port = htons(port);
		sl = sizeof(*sin6);
	}
	if ((fd = socket(a->af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		 0)) == -1)
		fatal("UDP device: socket");
	if (connect(fd, (struct sockaddr *)&ss, sl) == -1)
		fatal("UDP device: connect to %s port %u",
		    addr_fmt(a, s, sizeof(s)), port);
	udpdev_fd = fd;
	log_info("test-only UDP device: frames go to %s port %u",
	    addr_fmt(a, s, sizeof(s)), port);
}

int
udpdev_open(const char *name)
{
	int fd;

	(void)name;
	if (udpdev_fd == -1)
		return -ENODEV;
	if ((fd = fcntl(udpdev_fd, F_DUPFD_CLOEXEC, 0)) == -1)
		return -errno;
	return fd;
}
