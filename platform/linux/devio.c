/*
 * devio.h on Linux: a device is a file descriptor.
 */
#include <sys/uio.h>
#include <unistd.h>

#include "devio.h"

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
