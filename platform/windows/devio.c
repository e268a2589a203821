/*
 * devio.h on Windows: every device vland gets is a socket (devio.h says
 * why), read with recv and written with one WSASend, Winsock's errors
 * given back as the errnos vland's data path tests.
 */
#include <errno.h>
#include <limits.h>

#include "devio.h"
#include "tapdev.h"
#include "winapi.h"

#include <sys/uio.h>

/* tap-windows6 has no offload header (doc/PORTING.md). */
const bool plat_dev_vnet_hdr = false;

/* Winsock's last error as the errno read and writev would set. */
static int
wsa_errno(void)
{
	switch (WSAGetLastError()) {
	case WSAEWOULDBLOCK:
		return EAGAIN;
	case WSAEINTR:
		return EINTR;
	case WSAECONNRESET: /* UDP: an earlier datagram refused */
		return ECONNREFUSED;
	case WSAEMSGSIZE:
		return EMSGSIZE;
	case WSAENOTSOCK:
		return EBADF;
	default:
		return EIO;
	}
}

ssize_t
plat_dev_read(int fd, void *buf, size_t len)
{
	int n;

	if (len > INT_MAX)
		len = INT_MAX;
	if ((n = recv((SOCKET)fd, buf, (int)len, 0)) == SOCKET_ERROR) {
		errno = wsa_errno();
		return -1;
	}
	return n;
}

ssize_t
plat_dev_writev(int fd, const struct iovec *iov, int iovcnt)
{
	WSABUF b[8];
	DWORD sent;
	int i;

	if (iovcnt < 0 || iovcnt > 8) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < iovcnt; i++) {
		b[i].buf = iov[i].iov_base;
		b[i].len = (ULONG)iov[i].iov_len;
	}
	if (WSASend((SOCKET)fd, b, (DWORD)iovcnt, &sent, 0, NULL, NULL) != 0) {
		errno = wsa_errno();
		return -1;
	}
	return (ssize_t)sent;
}

/* Windows has no limit of that kind (sys/resource.h). */
bool
plat_fds_spare(int fd, int n)
{
	(void)fd;
	(void)n;
	return true;
}

/* A tap-windows6 adapter's socket stops its relay and lets the adapter
 * go (tapdev.c); any other is a socket alone. */
void
plat_dev_close(int fd)
{
	if (tapdev_adapter(fd) != NULL)
		tapdev_close(fd);
	else
		closesocket((SOCKET)fd);
}
