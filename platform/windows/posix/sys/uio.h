/*
 * <sys/uio.h> for the win64 build, which mingw-w64 lacks: struct iovec,
 * POSIX's scatter-gather element, which vland's buffers use whatever
 * the system (platform.h's plat_dev_writev takes it; Winsock's WSABUF
 * is the same pair in the other order, so it is copied, not cast).
 */
#ifndef VLAND_WIN_SYS_UIO_H
#define VLAND_WIN_SYS_UIO_H

#include <stddef.h>

struct iovec {
	void *iov_base;
	size_t iov_len;
};

#endif
