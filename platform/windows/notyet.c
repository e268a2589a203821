/*
 * The calls of platform.h that Windows does not have: bridges, veths,
 * bridge ports and neighbour entries are a hub's, which vland.exe is
 * not; link and route events are still to be written (doc/PORTING.md
 * says with what). Each says so with -EOPNOTSUPP, so that what asks
 * for one refuses with a reason; plat_link_foreach finds no link,
 * since no link carries vland's mark (links.c says why). IP Helper
 * needs no channel: plat_net_open has nothing to open.
 */
#include <errno.h>

#include "platform.h"

int
plat_net_open(void)
{
	return 0;
}

void
plat_net_close(void)
{
}

int
plat_bridge_create(const char *name)
{
	(void)name;
	return -EOPNOTSUPP;
}

int
plat_veth_create(const char *name, const char *peer)
{
	(void)name;
	(void)peer;
	return -EOPNOTSUPP;
}

int
plat_links_delete(const int *ifindex, size_t n)
{
	(void)ifindex;
	(void)n;
	return -EOPNOTSUPP;
}

int
plat_neigh_set(int ifindex, const struct addr *a, const uint8_t mac[6])
{
	(void)ifindex;
	(void)a;
	(void)mac;
	return -EOPNOTSUPP;
}

int
plat_neigh_del(int ifindex, const struct addr *a)
{
	(void)ifindex;
	(void)a;
	return -EOPNOTSUPP;
}

int
plat_link_set_master(int ifindex, int master)
{
	(void)ifindex;
	(void)master;
	return -EOPNOTSUPP;
}

int
plat_link_set_isolated(int ifindex, bool isolated)
{
	(void)ifindex;
	(void)isolated;
	return -EOPNOTSUPP;
}

/*
 * What vland-ifmgr walks the links for is the marks (owner.h) of
 * vland's devices, its own and other runs': route checks keep clear of
 * another vland's device, a hub finds stale taps. No Windows link
 * carries a mark (plat_link_set_alias is not there), so the walk finds
 * none: fn is called for no link. A real walk (GetAdaptersAddresses)
 * comes with the marks.
 */
int
plat_link_foreach(int (*fn)(const struct plat_link *, void *), void *arg)
{
	(void)fn;
	(void)arg;
	return 0;
}

int
plat_linkwatch_open(void)
{
	return -EOPNOTSUPP;
}

void
plat_linkwatch_read(int fd, void (*fn)(int ifindex))
{
	(void)fd;
	(void)fn;
}

void
plat_linkwatch_close(int fd)
{
	(void)fd;
}

int
plat_routewatch_open(void)
{
	return -EOPNOTSUPP;
}

bool
plat_routewatch_drain(int fd)
{
	(void)fd;
	return false;
}
