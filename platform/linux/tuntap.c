/*
 * Tap and tun devices on Linux, through /dev/net/tun (platform.h).
 * Devices are made exclusive, so that a device of the same name is
 * never taken over, and with virtio-net headers and offloads, so that
 * vland moves 64 KiB of TCP per read.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/if.h>
#include <linux/if_tun.h>

#include "platform.h"

static int
tuntap_open(const char *name, bool tap)
{
	struct ifreq ifr;
	int fd, e;

	if ((fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC)) == -1)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	/* IFF_TUN_EXCL: fail rather than attach to a device of that name
	 * that someone else made. */
	ifr.ifr_flags = (tap ? IFF_TAP : IFF_TUN) | IFF_NO_PI | IFF_TUN_EXCL;
	/* Each frame or packet comes with a virtio-net header, so that
	 * vland reads and writes up to 64 KiB of TCP at once (TSO/GSO);
	 * it cuts and joins segments itself (common/offload.h). */
	ifr.ifr_flags |= IFF_VNET_HDR;
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	if (ioctl(fd, TUNSETIFF, &ifr) == -1 ||
	    ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6) ==
		-1) {
		e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

int
plat_tap_open(const char *name)
{
	return tuntap_open(name, true);
}

int
plat_tun_open(const char *name)
{
	return tuntap_open(name, false);
}
