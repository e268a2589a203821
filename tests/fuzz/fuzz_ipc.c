/*
 * libFuzzer target: the IPC record decoder, fed through a real
 * SOCK_SEQPACKET pair as a broken peer would send it, then every getter
 * of the message catalogue (proto/ipcmsg.h), for every way a message
 * may come, on what it returns.
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

/*
 * A message the getter for the way dir took: it is one of the table's,
 * sent that way, and what the getter promised holds.
 */
static void
check_ok(const struct ipc_msg *m, enum ipcmsg_dir dir)
{
	const struct ipcmsg_desc *d = ipcmsg_desc(m->hdr.type);

	if (d == NULL || (d->dir & dir) == 0)
		abort();
	if (d->fd != (m->fd != -1 || m->fd_lost))
		abort();
}

/* Every getter, every way: at most one takes a message. */
static void
check_getters(const struct ipc_msg *m, enum ipcmsg_dir dir)
{
	union {
		struct ipc_int i;
		struct ipc_result res;
		struct if_dns dns;
		struct if_tap_req tap;
		struct if_dev_req dreq;
		struct if_device dev;
		struct auth_check check;
		struct auth_user user;
		struct auth_result ares;
	} u;
	const struct if_routes *h;
	const struct if_route *r;
	const struct if_routes_result *rh;
	const struct if_route_refusal *rr;
	const uint8_t *text;
	size_t len;
	uint32_t i;
	int n = 0;

	if (ipcmsg_get_none(m, dir) == IPCMSG_OK) {
		n++;
		if (m->datalen != 0)
			abort();
	}
	if (ipcmsg_get_int(m, dir, &u.i) == IPCMSG_OK)
		n++;
	if (ipcmsg_get_result(m, dir, &u.res) == IPCMSG_OK) {
		n++;
		CHECK_STR(u.res.msg);
	}
	if (ipcmsg_get_tap_req(m, dir, &u.tap) == IPCMSG_OK) {
		n++;
		CHECK_STR(u.tap.user);
	}
	if (ipcmsg_get_dns(m, dir, &u.dns) == IPCMSG_OK) {
		n++;
		if (u.dns.set.nservers > DNS_SERVERS_MAX ||
		    u.dns.set.nsearch > DNS_SEARCH_MAX)
			abort();
		for (i = 0; i < DNS_SEARCH_MAX; i++)
			CHECK_STR(u.dns.set.search[i]);
	}
	if (ipcmsg_get_dev_req(m, dir, &u.dreq) == IPCMSG_OK)
		n++;
	if (ipcmsg_get_device(m, dir, &u.dev) == IPCMSG_OK) {
		n++;
		CHECK_STR(u.dev.ifname);
	}
	if (ipcmsg_get_routes(m, dir, &h, &r) == IPCMSG_OK) {
		n++;
		if (h->count > IPCMSG_ROUTES_MAX ||
		    m->datalen != ipcmsg_routes_size(h->count))
			abort();
		/* Read every entry, so ASan checks that each is inside. */
		for (i = 0; i < h->count; i++)
			sink = r[i].cidr.len ^ (uint8_t)r[i].nexthop.af;
	}
	if (ipcmsg_get_routes_result(m, dir, &rh, &rr) == IPCMSG_OK) {
		n++;
		if (m->datalen != ipcmsg_routes_result_size(rh->count))
			abort();
		for (i = 0; i < rh->count; i++) {
			CHECK_STR(rr[i].why);
			sink = (uint8_t)strlen(rr[i].why) ^ rr[i].cidr.len;
		}
	}
	if (ipcmsg_get_auth_check(m, dir, &u.check) == IPCMSG_OK) {
		n++;
		CHECK_STR(u.check.user);
		CHECK_STR(u.check.password);
		if (u.check.source.af != AF_INET &&
		    u.check.source.af != AF_INET6)
			abort();
	}
	if (ipcmsg_get_auth_user(m, dir, &u.user) == IPCMSG_OK) {
		n++;
		CHECK_STR(u.user.user);
	}
	if (ipcmsg_get_auth_result(m, dir, &u.ares) == IPCMSG_OK) {
		n++;
		if (u.ares.status == AUTH_S_OK &&
		    (u.ares.address.af != AF_INET || u.ares.prefixlen < 8 ||
			u.ares.prefixlen > 30))
			abort();
	}
	if (ipcmsg_get_text(m, dir, &text, &len) == IPCMSG_OK) {
		n++;
		if (text != m->data || len != m->datalen)
			abort();
	}
	if (n > 1)
		abort();
	if (n == 1)
		check_ok(m, dir);
}

/* What the receivers do with a message before they trust it. */
static void
check_payload(const struct ipc_msg *m)
{
	static const enum ipcmsg_dir dirs[] = { IPCMSG_VLAND_TO_IFMGR,
		IPCMSG_IFMGR_TO_VLAND, IPCMSG_VLAND_TO_AUTH,
		IPCMSG_AUTH_TO_VLAND };
	size_t i;

	if (ipcmsg_type_name(m->hdr.type) == NULL)
		abort();
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		check_getters(m, dirs[i]);
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
