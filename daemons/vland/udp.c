/*
 * The hub's UDP sockets: one per listen address, opened as root so that
 * the large buffers (SO_RCVBUFFORCE) hold, before privileges are dropped.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "vland.h"

/* Several MiB: on a 2-core machine buffer size alone moved OpenVPN and
 * tinc by 40-73 % (DESIGN.md §3). */
#define UDP_BUFSZ (8 * 1024 * 1024)

static int
udp_open(const struct addr *a, uint16_t port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	char buf[ADDR_STRLEN];
	socklen_t len;
	int fd, one = 1, sz = UDP_BUFSZ;

	memset(&ss, 0, sizeof(ss));
	if (a->af == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr = a->v4;
		len = sizeof(*sin);
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sin6->sin6_addr = a->v6;
		len = sizeof(*sin6);
	}
	fd = socket(a->af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		fatal("socket");
	/* An IPv6 socket serves IPv6 only; 0.0.0.0 is its own socket. */
	if (a->af == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) == -1)
		fatal("IPV6_V6ONLY");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) == -1)
		log_warn("cannot enlarge the UDP buffers");
	if (bind(fd, (struct sockaddr *)&ss, len) == -1)
		fatal("bind %s port %u", addr_fmt(a, buf, sizeof(buf)), port);
	log_info("listening on %s port %u", addr_fmt(a, buf, sizeof(buf)),
	    port);
	return fd;
}

void
udp_open_all(void)
{
	size_t i;

	for (i = 0; i < vl.cfg->nlisten; i++)
		vl.udp[vl.nudp++] = udp_open(&vl.cfg->listen[i], vl.cfg->port);
}
