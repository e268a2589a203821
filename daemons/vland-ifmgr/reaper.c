/*
 * The reaper (reaper.h). Notes come as fixed-size records on a
 * SOCK_SEQPACKET pair; when vland-ifmgr's end closes without the done
 * note, the reaper deletes what the notes and the owner marks name, and
 * never a device that another vland made.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ifmgr.h"
#include "log.h"
#include "nat.h"
#include "owner.h"
#include "platform.h"
#include "privsep.h"
#include "reaper.h"
#include "sandbox.h"

struct reaper_note {
	char type; /* 'B' bridge, 'A' address, 'R' route to the hub, 'N'
		    * the nftables table of the device named in bridge */
	char bridge[IFNAMSIZ];
	struct prefix addr;
	int oif;
};

/* Addresses we added to an operator's bridge: IPv4 [0] and IPv6 [1]. */
struct reaper_state {
	char bridge[IFNAMSIZ];
	bool addr_added[2];
	struct prefix addr[2];
	bool pinned; /* a full tunnel's host route to the hub */
	struct prefix pin;
	int pin_oif;
	char nat_dev[IFNAMSIZ]; /* "" no nftables table */
};

static struct reaper_state rs;

static int
reap_link(const struct plat_link *l, void *arg)
{
	char kind[64];
	int *targets = arg;
	pid_t pid;

	/* Only what this vland made: never another running hub's. */
	snprintf(kind, sizeof(kind), "%s%s", ALIAS_TAP, rs.bridge);
	if (owner_of(l->alias, kind, &pid) == OWNER_SELF ||
	    (owner_of(l->alias, ALIAS_BRIDGE, &pid) == OWNER_SELF &&
		strcmp(l->name, rs.bridge) == 0)) {
		if (targets[0] < 63)
			targets[++targets[0]] = l->ifindex;
	}
	return 0;
}

static void
reap(void)
{
	struct plat_link br;
	int targets[64] = { 0 }, i, rounds;

	/* An endpoint's own device and routes go with its descriptor; the
	 * route that kept the hub outside a full tunnel does not. */
	if (rs.pinned)
		plat_route_del(rs.pin_oif, &rs.pin);
	if (rs.nat_dev[0] != '\0')
		nat_remove(rs.nat_dev);
	if (rs.bridge[0] == '\0')
		return;
	/* Collect first: no request may run inside the dump. A hub may
	 * leave thousands (taps, overflow bridges): 63 at a time, until a
	 * dump finds fewer, or the links are not going away. */
	for (rounds = 0; rounds < 2000; rounds++) {
		targets[0] = 0;
		plat_link_foreach(reap_link, targets);
		plat_links_delete(targets + 1, (size_t)targets[0]);
		if (targets[0] < 63)
			break;
	}
	for (i = 0; i < 2; i++)
		if (rs.addr_added[i] && plat_link_get(rs.bridge, &br) == 0)
			plat_addr_del(br.ifindex, &rs.addr[i]);
	/* Routes on an operator's bridge carry our protocol mark. */
	if (plat_link_get(rs.bridge, &br) == 0)
		plat_route_flush_ours(br.ifindex);
}

static __attribute__((noreturn)) void
reaper_main(int fd)
{
	struct reaper_note n;
	ssize_t r;
	int i;

	log_procinit("vland-ifmgr reaper");
	for (;;) {
		r = read(fd, &n, sizeof(n));
		if (r == -1 && errno == EINTR)
			continue;
		if (r != (ssize_t)sizeof(n))
			break;
		if (n.type == 'B' && memchr(n.bridge, '\0', IFNAMSIZ) != NULL)
			memcpy(rs.bridge, n.bridge, IFNAMSIZ);
		else if (n.type == 'N' &&
		    memchr(n.bridge, '\0', IFNAMSIZ) != NULL)
			memcpy(rs.nat_dev, n.bridge, IFNAMSIZ);
		else if (n.type == 'A') {
			i = n.addr.a.af == AF_INET6;
			rs.addr[i] = n.addr;
			rs.addr_added[i] = true;
		} else if (n.type == 'a') {
			rs.addr_added[0] = rs.addr_added[1] = false;
		} else if (n.type == 'R') {
			rs.pinned = true;
			rs.pin = n.addr;
			rs.pin_oif = n.oif;
		} else if (n.type == 'r') {
			rs.pinned = false;
		} else if (n.type == 'X') {
			/* vland-ifmgr cleaned up itself. */
			_exit(0);
		}
	}
	reap();
	_exit(0);
}

/* The reaper's start (spawn.c did the rest): not the DNS helper's
 * channel either, since that helper must see vland-ifmgr go. */
static void
reaper_child(int fd)
{
	if (ifm.dnsfd != -1)
		close(ifm.dnsfd);
	sandbox_enter(SANDBOX_IFMGR);
	reaper_main(fd);
}

int
reaper_start(void)
{
	return ifmgr_spawn(reaper_child);
}

static void
reaper_send(int fd, const struct reaper_note *n)
{
	if (write(fd, n, sizeof(*n)) != (ssize_t)sizeof(*n))
		fatal("reaper");
}

void
reaper_note_bridge(int fd, const char *bridge)
{
	struct reaper_note n;

	memset(&n, 0, sizeof(n));
	n.type = 'B';
	snprintf(n.bridge, sizeof(n.bridge), "%s", bridge);
	reaper_send(fd, &n);
}

void
reaper_note_nat(int fd, const char *dev)
{
	struct reaper_note n;

	memset(&n, 0, sizeof(n));
	n.type = 'N';
	snprintf(n.bridge, sizeof(n.bridge), "%s", dev);
	reaper_send(fd, &n);
}

void
reaper_note_addr(int fd, const struct prefix *p)
{
	struct reaper_note n;

	memset(&n, 0, sizeof(n));
	n.type = p != NULL ? 'A' : 'a';
	if (p != NULL)
		n.addr = *p;
	reaper_send(fd, &n);
}

void
reaper_note_route(int fd, const struct prefix *p, int oif)
{
	struct reaper_note n;

	memset(&n, 0, sizeof(n));
	n.type = p != NULL ? 'R' : 'r';
	if (p != NULL)
		n.addr = *p;
	n.oif = oif;
	reaper_send(fd, &n);
}

void
reaper_note_done(int fd)
{
	struct reaper_note n;

	memset(&n, 0, sizeof(n));
	n.type = 'X';
	reaper_send(fd, &n);
}
