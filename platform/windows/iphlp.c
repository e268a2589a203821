/*
 * platform.h's MTU, addresses and routes on Windows, through the IP
 * Helper API (netioapi.h), never by running netsh (issue #19, item 3;
 * doc/PORTING.md's table). Links are named by interface index as on
 * Linux, which the API takes beside the NET_LUID. Every call goes
 * through plat_winapi (winapi.h), so that the unit tests run this code
 * against fakes; it has not run against a real Windows yet.
 *
 * Windows routes cannot carry vland's mark (their protocol is
 * MIB_IPPROTO_NETMGMT), so the routes made here are written into a
 * record (routerec.h) and read back as ours from it: plat_route_dump
 * marks them PLAT_RTPROT_VLAND and plat_route_flush_ours deletes them,
 * a crashed run's too. Without a record (routerec_set_path not called)
 * none is ours, and flush_ours says it cannot. The addresses added
 * are recorded too, since an adapter is never deleted (iphlp.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "iphlp.h"
#include "platform.h"
#include "routerec.h"
#include "tapdev.h"
#include "winapi.h"

/* The errno a caller of platform.h expects for a Windows error. */
static int
win_errno(NETIO_STATUS e)
{
	switch (e) {
	case NO_ERROR:
		return 0;
	case ERROR_OBJECT_ALREADY_EXISTS:
		return -EEXIST;
	case ERROR_NOT_FOUND:
	case ERROR_FILE_NOT_FOUND:
		return -ENOENT;
	case ERROR_ACCESS_DENIED:
		return -EPERM;
	case ERROR_INVALID_PARAMETER:
		return -EINVAL;
	case ERROR_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	case ERROR_NOT_ENOUGH_MEMORY:
		return -ENOMEM;
	default:
		return -EIO;
	}
}

/* The interface's NET_LUID as the record keeps it. */
static int
luid_of(int ifindex, uint64_t *luid)
{
	NET_LUID l;
	NETIO_STATUS e;

	if ((e = plat_winapi->index_to_luid((NET_IFINDEX)ifindex, &l)) !=
	    NO_ERROR)
		return e == ERROR_FILE_NOT_FOUND ? -ENODEV : win_errno(e);
	*luid = l.Value;
	return 0;
}

static void
to_sockaddr(const struct addr *a, SOCKADDR_INET *s)
{
	memset(s, 0, sizeof(*s));
	if (a->af == AF_INET) {
		s->Ipv4.sin_family = AF_INET;
		memcpy(&s->Ipv4.sin_addr, &a->v4, 4);
	} else if (a->af == AF_INET6) {
		s->Ipv6.sin6_family = AF_INET6;
		memcpy(&s->Ipv6.sin6_addr, &a->v6, 16);
	}
}

static void
from_sockaddr(const SOCKADDR_INET *s, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	if (s->si_family == AF_INET) {
		a->af = AF_INET;
		memcpy(&a->v4, &s->Ipv4.sin_addr, 4);
	} else if (s->si_family == AF_INET6) {
		a->af = AF_INET6;
		memcpy(&a->v6, &s->Ipv6.sin6_addr, 16);
	}
}

/* A next hop of all zeros is "on the link", as af 0 is for vland. */
static bool
sockaddr_is_zero(const SOCKADDR_INET *s)
{
	static const uint8_t zero[16];

	if (s->si_family == AF_INET)
		return memcmp(&s->Ipv4.sin_addr, zero, 4) == 0;
	if (s->si_family == AF_INET6)
		return memcmp(&s->Ipv6.sin6_addr, zero, 16) == 0;
	return true;
}

/*
 * The MTU is per address family on Windows: set it for IPv4, and for
 * IPv6 where the interface has it (not found there is not an error).
 * SitePrefixLength must be 0 in an IPv4 row given to
 * SetIpInterfaceEntry, whatever Get returned.
 */
int
plat_link_set_mtu(int ifindex, unsigned mtu)
{
	static const ADDRESS_FAMILY fams[] = { AF_INET, AF_INET6 };
	MIB_IPINTERFACE_ROW row;
	NETIO_STATUS e;
	size_t i;

	for (i = 0; i < sizeof(fams) / sizeof(fams[0]); i++) {
		plat_winapi->init_ip_interface(&row);
		row.Family = fams[i];
		row.InterfaceIndex = (NET_IFINDEX)ifindex;
		e = plat_winapi->get_ip_interface(&row);
		if (e == ERROR_NOT_FOUND && fams[i] == AF_INET6)
			continue;
		if (e != NO_ERROR)
			return win_errno(e);
		row.NlMtu = mtu;
		if (fams[i] == AF_INET)
			row.SitePrefixLength = 0;
		if ((e = plat_winapi->set_ip_interface(&row)) != NO_ERROR)
			return win_errno(e);
	}
	return 0;
}

static void
unicast_row(int ifindex, const struct prefix *p, MIB_UNICASTIPADDRESS_ROW *row)
{
	plat_winapi->init_unicast(row);
	row->InterfaceIndex = (NET_IFINDEX)ifindex;
	to_sockaddr(&p->a, &row->Address);
	row->OnLinkPrefixLength = p->len;
	/* Usable at once: the hub hands the addresses out, so no duplicate
	 * address detection (platform.h). */
	row->DadState = IpDadStatePreferred;
}

int
plat_addr_add(int ifindex, const struct prefix *p, bool *exists)
{
	MIB_UNICASTIPADDRESS_ROW row;
	NETIO_STATUS e;
	uint64_t luid = 0; /* set by luid_of; gcc -O2 cannot tell */
	int rc;

	*exists = false;
	if ((rc = luid_of(ifindex, &luid)) != 0)
		return rc;
	unicast_row(ifindex, p, &row);
	e = plat_winapi->create_unicast(&row);
	if (e == ERROR_OBJECT_ALREADY_EXISTS) {
		*exists = true;
		return 0;
	}
	if (e != NO_ERROR)
		return win_errno(e);
	/* Recorded before anything else can fail, so that what was
	 * added is found again (no partial change, platform.h). */
	if ((rc = routerec_addr_add(luid, p)) != 0 ||
	    (rc = tapdev_addressed(ifindex, p)) != 0) {
		(void)plat_winapi->delete_unicast(&row);
		(void)routerec_addr_del(luid, p);
	}
	return rc;
}

int
plat_addr_del(int ifindex, const struct prefix *p)
{
	MIB_UNICASTIPADDRESS_ROW row;
	NETIO_STATUS e;
	uint64_t luid = 0;
	int rc;

	if ((rc = luid_of(ifindex, &luid)) != 0)
		return rc;
	unicast_row(ifindex, p, &row);
	e = plat_winapi->delete_unicast(&row);
	if (e == NO_ERROR || e == ERROR_NOT_FOUND)
		(void)routerec_addr_del(luid, p);
	/* Linux says EADDRNOTAVAIL for an address that is not there. */
	return e == ERROR_NOT_FOUND ? -EADDRNOTAVAIL : win_errno(e);
}

static bool
same_prefix(const IP_ADDRESS_PREFIX *ip, const struct prefix *p)
{
	struct addr a;

	from_sockaddr(&ip->Prefix, &a);
	return ip->PrefixLength == p->len && addr_cmp(&a, &p->a) == 0;
}

/*
 * The table's route to dst (on ifindex, or any if ifindex is 0) into
 * *out: 0, -ESRCH if there is none, or the error of the table's read.
 */
static int
find_route(int ifindex, const struct prefix *dst, MIB_IPFORWARD_ROW2 *out)
{
	MIB_IPFORWARD_TABLE2 *t = NULL;
	NETIO_STATUS e;
	ULONG i;
	int rc = -ESRCH;

	if ((e = plat_winapi->get_routes(dst->a.af, &t)) != NO_ERROR)
		return win_errno(e);
	for (i = 0; i < t->NumEntries; i++) {
		if (same_prefix(&t->Table[i].DestinationPrefix, dst) &&
		    (ifindex == 0 ||
			t->Table[i].InterfaceIndex == (NET_IFINDEX)ifindex)) {
			*out = t->Table[i];
			rc = 0;
			break;
		}
	}
	plat_winapi->free_table(t);
	return rc;
}

/*
 * replace: the route to dst that exists (the caller checked it is ours)
 * is deleted and the new one created. Windows keys a route by its next
 * hop too, so SetIpForwardEntry2 cannot move it to another gateway; for
 * that moment there is no route to dst.
 */
int
plat_route_install(int ifindex, const struct prefix *dst, const struct addr *gw,
    bool replace)
{
	MIB_IPFORWARD_ROW2 row, old;
	NETIO_STATUS e;
	uint64_t luid = 0; /* set by luid_of; gcc -O2 cannot tell */
	int rc;

	if ((rc = luid_of(ifindex, &luid)) != 0)
		return rc;
	if (replace) {
		rc = find_route(0, dst, &old);
		if (rc == 0 &&
		    (e = plat_winapi->delete_route(&old)) != NO_ERROR)
			return win_errno(e);
		if (rc != 0 && rc != -ESRCH)
			return rc;
		if (rc == 0 &&
		    (rc = routerec_del(old.InterfaceLuid.Value, dst)) != 0)
			return rc;
	}
	plat_winapi->init_route(&row);
	row.InterfaceIndex = (NET_IFINDEX)ifindex;
	to_sockaddr(&dst->a, &row.DestinationPrefix.Prefix);
	row.DestinationPrefix.PrefixLength = dst->len;
	if (gw != NULL && gw->af != 0)
		to_sockaddr(gw, &row.NextHop);
	else
		row.NextHop.si_family = dst->a.af;
	/* The only protocol the API lets a program set (PORTING.md). */
	row.Protocol = MIB_IPPROTO_NETMGMT;
	if ((e = plat_winapi->create_route(&row)) != NO_ERROR)
		return win_errno(e);
	/* A route that is not in the record would outlive a crash: none
	 * is left that way (platform.h: no partial change). */
	if ((rc = routerec_add(luid, dst, gw)) != 0)
		(void)plat_winapi->delete_route(&row);
	return rc;
}

int
plat_route_del(int ifindex, const struct prefix *dst)
{
	MIB_IPFORWARD_ROW2 row;
	NETIO_STATUS e;
	int rc;

	if ((rc = find_route(ifindex, dst, &row)) != 0)
		return rc;
	if ((e = plat_winapi->delete_route(&row)) != NO_ERROR)
		return win_errno(e);
	return routerec_del(row.InterfaceLuid.Value, dst);
}

int
plat_route_get(const struct addr *dst, struct host_route *out)
{
	MIB_IPFORWARD_ROW2 row;
	SOCKADDR_INET d, src;
	NETIO_STATUS e;

	memset(out, 0, sizeof(*out));
	to_sockaddr(dst, &d);
	if ((e = plat_winapi->best_route(NULL, 0, NULL, &d, 0, &row, &src)) !=
	    NO_ERROR)
		return e == ERROR_NOT_FOUND ? -ENETUNREACH : win_errno(e);
	from_sockaddr(&row.DestinationPrefix.Prefix, &out->dst.a);
	out->dst.len = row.DestinationPrefix.PrefixLength;
	if (!sockaddr_is_zero(&row.NextHop))
		from_sockaddr(&row.NextHop, &out->gw);
	out->oif = (int)row.InterfaceIndex;
	return 0;
}

int
plat_route_dump(struct host_routes *out)
{
	MIB_IPFORWARD_TABLE2 *t = NULL;
	NETIO_STATUS e;
	ULONG i;

	out->r = NULL;
	out->n = 0;
	if ((e = plat_winapi->get_routes(AF_INET, &t)) != NO_ERROR)
		return win_errno(e);
	if (t->NumEntries > 0 &&
	    (out->r = calloc(t->NumEntries, sizeof(*out->r))) == NULL) {
		plat_winapi->free_table(t);
		return -ENOMEM;
	}
	for (i = 0; i < t->NumEntries; i++) {
		struct host_route *r = &out->r[out->n++];
		const MIB_IPFORWARD_ROW2 *w = &t->Table[i];

		from_sockaddr(&w->DestinationPrefix.Prefix, &r->dst.a);
		r->dst.len = w->DestinationPrefix.PrefixLength;
		if (!sockaddr_is_zero(&w->NextHop))
			from_sockaddr(&w->NextHop, &r->gw);
		r->oif = (int)w->InterfaceIndex;
		/* Ours by the record (the head comment says why), else
		 * Windows' protocol number. */
		r->protocol =
		    routerec_has(w->InterfaceLuid.Value, &r->dst, &r->gw)
		    ? PLAT_RTPROT_VLAND
		    : (uint8_t)w->Protocol;
	}
	plat_winapi->free_table(t);
	return 0;
}

/*
 * The recorded routes out of ifindex's interface that the table still
 * has are deleted; then the record forgets the interface's routes,
 * those already gone too (a crashed run's, removed with the adapter).
 */
int
plat_route_flush_ours(int ifindex)
{
	MIB_IPFORWARD_TABLE2 *t = NULL;
	MIB_IPFORWARD_ROW2 *w;
	struct prefix dst;
	struct addr gw;
	NETIO_STATUS e;
	uint64_t luid = 0; /* set by luid_of; gcc -O2 cannot tell */
	ULONG i;
	int rc;

	if (!routerec_enabled())
		return -EOPNOTSUPP;
	if ((rc = luid_of(ifindex, &luid)) != 0)
		return rc;
	if ((e = plat_winapi->get_routes(AF_UNSPEC, &t)) != NO_ERROR)
		return win_errno(e);
	for (i = 0; i < t->NumEntries; i++) {
		w = &t->Table[i];
		if (w->InterfaceLuid.Value != luid)
			continue;
		from_sockaddr(&w->DestinationPrefix.Prefix, &dst.a);
		dst.len = w->DestinationPrefix.PrefixLength;
		memset(&gw, 0, sizeof(gw));
		if (!sockaddr_is_zero(&w->NextHop))
			from_sockaddr(&w->NextHop, &gw);
		if (!routerec_has(luid, &dst, &gw))
			continue;
		if ((e = plat_winapi->delete_route(w)) != NO_ERROR &&
		    e != ERROR_NOT_FOUND && rc == 0)
			rc = win_errno(e);
	}
	plat_winapi->free_table(t);
	if (rc != 0)
		return rc;
	return routerec_del(luid, NULL);
}

int
iphlp_clear_recorded(int ifindex)
{
	struct prefix a[16];
	uint64_t luid = 0;
	size_t n, i;
	int rc, r;

	if (!routerec_enabled())
		return 0;
	if ((rc = luid_of(ifindex, &luid)) != 0)
		return rc;
	/* An endpoint records two (IPv4 and IPv6); more than 16 is not a
	 * record of ours, and the rest are forgotten with them. */
	n = routerec_addrs(luid, a, sizeof(a) / sizeof(a[0]));
	for (i = 0; i < n; i++)
		if ((r = plat_addr_del(ifindex, &a[i])) != 0 &&
		    r != -EADDRNOTAVAIL)
			return r;
	if ((rc = routerec_addr_del(luid, NULL)) != 0)
		return rc;
	return plat_route_flush_ours(ifindex);
}
