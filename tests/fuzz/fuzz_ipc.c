/*
 * libFuzzer target: the IPC record decoder, fed through a real
 * SOCK_SEQPACKET pair as a broken peer would send it, then the payload
 * checks of the message catalogue (proto/ipcmsg.h) on what it returns.
 * The first input byte picks whether a descriptor rides along and
 * whether the channel accepts descriptors.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ipc.h"
#include "ipcmsg.h"

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

/* Reads that must not be optimised away. */
static volatile uint8_t sink;

/* A checked string must end inside its array. */
static void
check_str(const char *s, size_t n)
{
	if (ipcmsg_str_ok(s, n) && strlen(s) >= n)
		abort();
}

#define CHECK_STR(field) check_str((field), sizeof(field))

/* What the receivers do with a payload before they trust it. */
static void
check_payload(const struct ipc_msg *m)
{
	union {
		struct if_tap_req tap;
		struct if_device dev;
		struct ipc_result res;
		struct auth_check check;
		struct auth_user user;
	} u;
	const struct if_routes *h;
	const struct if_route *r = NULL;
	const struct if_routes_result *rh;
	const struct if_route_refusal *rr = NULL;
	uint32_t i;

	if (ipcmsg_type_name(m->hdr.type) == NULL)
		abort();
	if ((h = ipcmsg_routes_get(m->data, m->datalen, &r)) != NULL) {
		if (h->count > IPCMSG_ROUTES_MAX ||
		    m->datalen != ipcmsg_routes_size(h->count))
			abort();
		/* Read every entry, so ASan checks that each is inside. */
		for (i = 0; i < h->count; i++)
			sink = r[i].cidr.len ^ (uint8_t)r[i].nexthop.af;
	}
	if ((rh = ipcmsg_routes_result_get(m->data, m->datalen, &rr)) != NULL) {
		if (m->datalen != ipcmsg_routes_result_size(rh->count))
			abort();
		for (i = 0; i < rh->count; i++)
			sink = (uint8_t)strlen(rr[i].why) ^ rr[i].cidr.len;
	}
	switch (m->hdr.type) {
	case IMSG_IF_TAP_CREATE:
		if (ipc_get_exact(m, &u.tap, sizeof u.tap) == 0)
			CHECK_STR(u.tap.user);
		break;
	case IMSG_IF_DEVICE:
		if (ipc_get_exact(m, &u.dev, sizeof u.dev) == 0)
			CHECK_STR(u.dev.ifname);
		break;
	case IMSG_IF_RESULT:
	case IMSG_AUTH_RELOADED:
		if (ipc_get_exact(m, &u.res, sizeof u.res) == 0)
			CHECK_STR(u.res.msg);
		break;
	case IMSG_AUTH_CHECK:
		if (ipc_get_exact(m, &u.check, sizeof u.check) == 0) {
			CHECK_STR(u.check.user);
			CHECK_STR(u.check.password);
		}
		break;
	case IMSG_AUTH_RELEASE:
	case IMSG_AUTH_USER_GONE:
		if (ipc_get_exact(m, &u.user, sizeof u.user) == 0)
			CHECK_STR(u.user.user);
		break;
	}
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
		(void)ipc_get_exact(&m, out,
		    m.datalen < sizeof(out) ? m.datalen : sizeof(out));
		check_payload(&m);
		if (m.fd != -1)
			close(m.fd);
	}
	if (nullfd != -1)
		close(nullfd);
	ipc_clear(&chan);
	return 0;
}
