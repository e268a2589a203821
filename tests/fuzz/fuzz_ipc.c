/*
 * libFuzzer target: the IPC record decoder, fed through a real
 * SOCK_SEQPACKET pair as a broken peer would send it. The first input
 * byte picks whether a descriptor rides along and whether the channel
 * accepts descriptors.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ipc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
send_raw(int fd, const uint8_t *buf, size_t len, int passfd)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} cm;
	struct msghdr mh;
	struct iovec iov;
	struct cmsghdr *c;

	memset(&mh, 0, sizeof(mh));
	iov.iov_base = (void *)(uintptr_t)buf;
	iov.iov_len = len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (passfd != -1) {
		memset(&cm, 0, sizeof(cm));
		mh.msg_control = cm.b;
		mh.msg_controllen = sizeof(cm.b);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_len = CMSG_LEN(sizeof(int));
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		memcpy(CMSG_DATA(c), &passfd, sizeof(int));
	}
	(void)sendmsg(fd, &mh, MSG_DONTWAIT);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ipc_chan chan;
	struct ipc_msg m;
	uint8_t out[64];
	int sv[2], nullfd = -1, rc;

	if (size < 1)
		return 0;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == -1)
		abort();
	if (data[0] & 1)
		nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (ipc_init(&chan, sv[1], data[0] & 2) == -1)
		abort();
	send_raw(sv[0], data + 1, size - 1, nullfd);
	close(sv[0]);
	while ((rc = ipc_read(&chan, &m)) == 1) {
		if (m.datalen > IPC_MAX_PAYLOAD)
			abort();
		(void)ipc_get_exact(&m, out, m.datalen < sizeof(out)
			? m.datalen
			: sizeof(out));
		if (m.fd != -1)
			close(m.fd);
	}
	if (nullfd != -1)
		close(nullfd);
	ipc_clear(&chan);
	return 0;
}
