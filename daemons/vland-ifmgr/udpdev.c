/*
 * The test-only UDP device (connect: device: udp:ADDR:PORT in
 * vland.yaml(5)): an endpoint's frames as datagrams to a loopback
 * address, one frame (tap mode) or IP packet (tun mode) a datagram,
 * with no offload header. It lets a test run an endpoint where no
 * TAP driver is (wine) and answer what its "device" sends with a small
 * responder. It is no link of the system's: no name, address or route.
 *
 * The socket is opened and connected at start, before the sandbox
 * forbids new sockets (platform.h, plat_udp_connect); each device vland
 * gets is a duplicate of it.
 */
#include <errno.h>
#include <string.h>

#include "ifmgr.h"
#include "log.h"
#include "platform.h"

static int udpdev_fd = -1;

void
udpdev_start(const struct addr *a, uint16_t port)
{
	char s[ADDR_STRLEN];
	int fd;

	if ((fd = plat_udp_connect(a, port)) < 0)
		fatalx("UDP device: cannot connect to %s port %u: %s",
		    addr_fmt(a, s, sizeof(s)), port, strerror(-fd));
	udpdev_fd = fd;
	log_info("test-only UDP device: frames go to %s port %u",
	    addr_fmt(a, s, sizeof(s)), port);
}

int
udpdev_open(const char *name)
{
	(void)name;
	if (udpdev_fd == -1)
		return -ENODEV;
	return plat_udp_dup(udpdev_fd);
}
