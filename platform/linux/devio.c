/*
 * devio.h on Linux: a device is a file descriptor.
 */
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "devio.h"

/* IFF_VNET_HDR on every tap and tun (tuntap.c). */
const bool plat_dev_vnet_hdr = true;

ssize_t
plat_dev_read(int fd, void *buf, size_t len)
{
	return read(fd, buf, len);
}

ssize_t
plat_dev_writev(int fd, const struct iovec *iov, int iovcnt)
{
	return writev(fd, iov, iovcnt);
}

void
plat_dev_close(int fd)
{
	close(fd);
}

bool
plat_fds_spare(int fd, int n)
{
	int fds[8], got, i;

	if (n > 8)
		n = 8;
	for (got = 0; got < n; got++)
		if ((fds[got] = fcntl(fd, F_DUPFD_CLOEXEC, 0)) == -1)
			break;
	for (i = 0; i < got; i++)
		close(fds[i]);
	return got == n;
}
