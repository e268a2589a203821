/*
 * vland's reads and writes of a device it got from vland-ifmgr (a tap,
 * a tun, the test-only UDP device), whatever the system: on Linux the
 * descriptor is a file (read, writev, close); on Windows every device
 * vland sees is a socket (the UDP device, or the loopback socket a
 * tap-windows6 adapter is relayed to: platform/windows/relay.h), which
 * the C library's read and write do not take, so recv, WSASend and
 * closesocket (and a tap's relay stopped first: tapdev.h). Separate
 * from platform.h, whose calls are vland-ifmgr's: this is the one part
 * vland's data path links (vland-ifmgr closes its devices with it
 * too).
 *
 * Each returns as read(2) and writev(2) do: the bytes, or -1 with errno;
 * EAGAIN when nothing is there (non-blocking), ECONNREFUSED when the
 * UDP device's peer refused an earlier datagram.
 */
#ifndef VLAND_DEVIO_H
#define VLAND_DEVIO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct iovec;

/*
 * Whether a tap or tun's frames carry Linux's virtio-net header (and
 * its offloads, common/offload.h): true on Linux; false on Windows,
 * whose adapters give plain frames, as the test-only UDP device does
 * everywhere (vland's plain device path, vl.dev_plain).
 */
extern const bool plat_dev_vnet_hdr;

ssize_t plat_dev_read(int fd, void *buf, size_t len);
ssize_t plat_dev_writev(int fd, const struct iovec *iov, int iovcnt);
void plat_dev_close(int fd);
/* Could n more descriptors be opened now (Linux: n duplicates of fd
 * made and closed again)? A device a hub would lose at its limit of
 * open files is refused before it is made. */
bool plat_fds_spare(int fd, int n);

#endif
