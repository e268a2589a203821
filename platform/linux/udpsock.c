/*
 * The test-only UDP device's socket on Linux (platform.h): a connected
 * UDP socket, and duplicates of it with F_DUPFD_CLOEXEC (dup is in
 * every sandbox's allowlist; socket is not). A refused datagram comes
 * back as ECONNREFUSED on the next read, which vland's plain device
 * path takes as a lost frame.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "platform.h"

int
plat_udp_connect(const struct addr *a, uint16_t port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t sl;
	int fd, e;

	memset(&ss, 0, sizeof(ss));
	if (a->af == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_addr = a->v4;
		sin->sin_port = htons(port);
		sl = sizeof(*sin);
	} else if (a->af == AF_INET6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = a->v6;
		sin6->sin6_port = htons(port);
		sl = sizeof(*sin6);
	} else {
		return -EAFNOSUPPORT;
	}
	if ((fd = socket(a->af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		 0)) == -1)
		return -errno;
	if (connect(fd, (struct sockaddr *)&ss, sl) == -1) {
		e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

int
plat_udp_dup(int fd)
{
	int d;

	if ((d = fcntl(fd, F_DUPFD_CLOEXEC, 0)) == -1)
		return -errno;
	return d;
}
