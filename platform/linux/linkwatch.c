/*
 * Link events (see platform.h), on a netlink socket of their own: the
 * request socket of netlink.c expects only answers to its requests.
 * A full socket buffer (ENOBUFS) loses events; the links we watch are
 * then checked by name, so a deletion is never missed.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "log.h"
#include "platform.h"

/* A netlink socket that hears the route-netlink groups given. */
static int
nl_listen(unsigned groups)
{
	struct sockaddr_nl sa;
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    NETLINK_ROUTE);
	if (fd == -1)
		return -errno;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = groups;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

int
plat_linkwatch_open(void)
{
	return nl_listen(RTMGRP_LINK);
}

struct lw_cb {
	void (*fn)(int);
};

static int
lw_msg(const struct nlmsghdr *h, void *arg)
{
	const struct ifinfomsg *ifi;
	struct lw_cb *cb = arg;

	if (h->nlmsg_type != RTM_DELLINK ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return MNL_CB_OK;
	ifi = mnl_nlmsg_get_payload(h);
	cb->fn(ifi->ifi_index);
	return MNL_CB_OK;
}

void
plat_linkwatch_read(int fd, void (*fn)(int ifindex))
{
	static char buf[32768];
	struct lw_cb cb = { fn };
	ssize_t n;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n == -1 && errno == ENOBUFS) {
			/* Events were lost: fn(0) says "check by name". */
			fn(0);
			continue;
		}
		if (n <= 0)
			return;
		/* Events carry sequence 0 and port 0 (the kernel's). */
		mnl_cb_run(buf, (size_t)n, 0, 0, lw_msg, &cb);
	}
}

int
plat_routewatch_open(void)
{
	return nl_listen(RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE);
}

bool
plat_routewatch_drain(int fd)
{
	static char buf[32768];
	bool any = false;
	ssize_t n;

	/* What changed is looked up afresh: the events only wake us. */
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0 ||
	    (n == -1 && errno == ENOBUFS))
		any = true;
	return any;
}

void
plat_linkwatch_close(int fd)
{
	if (fd != -1)
		close(fd);
}
