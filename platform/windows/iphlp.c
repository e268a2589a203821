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
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iphlp.h"
#include "platform.h"
#include "routerec.h"
#include "tapdev.h"
#include "tapwin.h"
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
 * SetIpInterfaceEntry, whatever Get returned. The MTU it had is
 * recorded first (Windows keeps the setting: iphlp.h puts it back).
 */
int
plat_link_set_mtu(int ifindex, unsigned mtu)
{
	static const ADDRESS_FAMILY fams[] = { AF_INET, AF_INET6 };
	MIB_IPINTERFACE_ROW row;
	NETIO_STATUS e;
	uint64_t luid = 0; /* set by luid_of; gcc -O2 cannot tell */
	char old[16];
	size_t i;
	int rc;

	if ((rc = luid_of(ifindex, &luid)) != 0)
		return rc;
	for (i = 0; i < sizeof(fams) / sizeof(fams[0]); i++) {
		plat_winapi->init_ip_interface(&row);
		row.Family = fams[i];
		row.InterfaceIndex = (NET_IFINDEX)ifindex;
		e = plat_winapi->get_ip_interface(&row);
		if (e == ERROR_NOT_FOUND && fams[i] == AF_INET6)
			continue;
		if (e != NO_ERROR)
			return win_errno(e);
		snprintf(old, sizeof(old), "%lu", (unsigned long)row.NlMtu);
		if ((rc = routerec_put(luid, "mtu",
			 fams[i] == AF_INET ? "4" : "6", old, true)) != 0)
			return rc;
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
	char a[PREFIX_STRLEN];
	bool was;
	int rc;

	*exists = false;
	if ((rc = luid_of(ifindex, &luid)) != 0)
		return rc;
	/* One the record has is this run's (a dead run's were undone at
	 * the start); one that is there and not recorded is someone
	 * else's (an administrator's static address), never recorded, so
	 * never removed, but a tun still needs its mode. */
	was = routerec_find(luid, "addr", prefix_fmt(p, a, sizeof(a)), NULL, 0);
	unicast_row(ifindex, p, &row);
	if (!was && plat_winapi->get_unicast(&row) == NO_ERROR) {
		*exists = true;
		return tapdev_addressed(ifindex, p);
	}
	/* Recorded before it is made, so that a crash in between leaves
	 * a line that finds nothing, never an address no record has
	 * (which the next run would take for someone else's). */
	if (!was && (rc = routerec_addr_add(luid, p)) != 0)
		return rc;
	unicast_row(ifindex, p, &row);
	e = plat_winapi->create_unicast(&row);
	if (e == ERROR_OBJECT_ALREADY_EXISTS) {
		/* Made meanwhile by someone else: theirs. */
		*exists = !was;
		if (!was)
			(void)routerec_addr_del(luid, p);
		return tapdev_addressed(ifindex, p);
	}
	if (e == NO_ERROR && (rc = tapdev_addressed(ifindex, p)) != 0)
		(void)plat_winapi->delete_unicast(&row);
	else if (e != NO_ERROR)
		rc = win_errno(e);
	if (rc != 0 && !was)
		(void)routerec_addr_del(luid, p);
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

/* A row of the table as vland's destination and gateway (af 0: on the
 * link). */
static void
row_route(const MIB_IPFORWARD_ROW2 *w, struct prefix *dst, struct addr *gw)
{
	from_sockaddr(&w->DestinationPrefix.Prefix, &dst->a);
	dst->len = w->DestinationPrefix.PrefixLength;
	memset(gw, 0, sizeof(*gw));
	if (!sockaddr_is_zero(&w->NextHop))
		from_sockaddr(&w->NextHop, gw);
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
 * The table's route to dst that the record has (ours) into *out: 0;
 * -EEXIST if the routes to dst are all someone else's, -ESRCH if there
 * is none, or the error of the table's read.
 */
static int
find_our_route(const struct prefix *dst, MIB_IPFORWARD_ROW2 *out)
{
	MIB_IPFORWARD_TABLE2 *t = NULL;
	struct prefix d;
	struct addr g;
	NETIO_STATUS e;
	ULONG i;
	int rc = -ESRCH;

	if ((e = plat_winapi->get_routes(dst->a.af, &t)) != NO_ERROR)
		return win_errno(e);
	for (i = 0; i < t->NumEntries && rc != 0; i++) {
		if (!same_prefix(&t->Table[i].DestinationPrefix, dst))
			continue;
		row_route(&t->Table[i], &d, &g);
		if (routerec_has(t->Table[i].InterfaceLuid.Value, dst, &g)) {
			*out = t->Table[i];
			rc = 0;
		} else {
			rc = -EEXIST;
		}
	}
	plat_winapi->free_table(t);
	return rc;
}

/*
 * replace: the route to dst that exists (the caller checked it is ours,
 * and the record must say so too: another's is -EEXIST) is deleted and
 * the new one created. Windows keys a route by its next hop too, so
 * SetIpForwardEntry2 cannot move it to another gateway; for that moment
 * there is no route to dst. Without replace, a route to dst that exists
 * is -EEXIST, before anything is recorded.
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
	rc = find_our_route(dst, &old);
	if (rc == -EEXIST || (rc == 0 && !replace))
		return -EEXIST;
	if (rc != 0 && rc != -ESRCH)
		return rc;
	if (rc == 0) {
		if ((e = plat_winapi->delete_route(&old)) != NO_ERROR)
			return win_errno(e);
		if ((rc = routerec_del(old.InterfaceLuid.Value, dst)) != 0)
			return rc;
	}
	/* Recorded first, as an address is (plat_addr_add). */
	if ((rc = routerec_add(luid, dst, gw)) != 0)
		return rc;
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
	if ((e = plat_winapi->create_route(&row)) != NO_ERROR) {
		(void)routerec_del(luid, dst);
		return win_errno(e);
	}
	return 0;
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
	if ((e = plat_winapi->get_routes(AF_UNSPEC, &t)) != NO_ERROR)
		return win_errno(e);
	if (t->NumEntries > 0 &&
	    (out->r = calloc(t->NumEntries, sizeof(*out->r))) == NULL) {
		plat_winapi->free_table(t);
		return -ENOMEM;
	}
	for (i = 0; i < t->NumEntries; i++) {
		struct host_route *r = &out->r[out->n++];
		const MIB_IPFORWARD_ROW2 *w = &t->Table[i];

		row_route(w, &r->dst, &r->gw);
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
		row_route(w, &dst, &gw);
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

/* The recorded route r, if the table still has it: deleted. */
static NETIO_STATUS
undo_route(const struct routerec *r, const MIB_IPFORWARD_TABLE2 *t)
{
	const MIB_IPFORWARD_ROW2 *w;
	char d[PREFIX_STRLEN], g[ADDR_STRLEN];
	struct prefix dst;
	struct addr gw;
	ULONG i;

	for (i = 0; i < t->NumEntries; i++) {
		w = &t->Table[i];
		if (w->InterfaceLuid.Value != r->luid)
			continue;
		row_route(w, &dst, &gw);
		if (strcmp(prefix_fmt(&dst, d, sizeof(d)), r->key) == 0 &&
		    strcmp(gw.af != 0 ? addr_fmt(&gw, g, sizeof(g)) : "-",
			r->value) == 0)
			return plat_winapi->delete_route(w);
	}
	return ERROR_NOT_FOUND;
}

static NETIO_STATUS
undo_addr(const struct routerec *r)
{
	MIB_UNICASTIPADDRESS_ROW row;
	struct prefix p;

	if (prefix_parse(r->key, &p) == -1)
		return ERROR_NOT_FOUND; /* not a line of ours: dropped */
	plat_winapi->init_unicast(&row);
	row.InterfaceLuid.Value = r->luid;
	to_sockaddr(&p.a, &row.Address);
	row.OnLinkPrefixLength = p.len;
	return plat_winapi->delete_unicast(&row);
}

/* An MTU vland would have found: at least IPv4's 576 or IPv6's 1280. */
static NETIO_STATUS
undo_mtu(const struct routerec *r)
{
	MIB_IPINTERFACE_ROW row;
	NETIO_STATUS e;
	unsigned long mtu;
	bool v4 = strcmp(r->key, "4") == 0;
	char *end;

	mtu = strtoul(r->value, &end, 10);
	if ((!v4 && strcmp(r->key, "6") != 0) || *end != '\0' ||
	    mtu < (v4 ? 576 : 1280) || mtu > 65535)
		return ERROR_NOT_FOUND; /* not a line of ours: dropped */
	plat_winapi->init_ip_interface(&row);
	row.Family = v4 ? AF_INET : AF_INET6;
	row.InterfaceLuid.Value = r->luid;
	if ((e = plat_winapi->get_ip_interface(&row)) != NO_ERROR)
		return e;
	row.NlMtu = (ULONG)mtu;
	if (v4)
		row.SitePrefixLength = 0;
	return plat_winapi->set_ip_interface(&row);
}

/* A MAC parameter vland could have found: "-" (none), or 12 hex
 * digits with : - . between bytes if any, as the driver reads it. */
static bool
mac_value_ok(const char *v)
{
	size_t digits = 0;

	if (strcmp(v, "-") == 0)
		return true;
	for (; *v != '\0'; v++) {
		if (isxdigit((unsigned char)*v))
			digits++;
		else if (strchr(":-.", *v) == NULL)
			return false;
	}
	return digits == 12;
}

/* The adapter's MAC parameter put back: only the adapter's own key. */
static NETIO_STATUS
undo_mac(const struct routerec *r, const char *key)
{
	int rc;

	if (key == NULL || strcmp(r->key, key) != 0 || !mac_value_ok(r->value))
		return ERROR_NOT_FOUND; /* not a line of ours: dropped */
	rc = tapwin_mac_param_set(r->key,
	    strcmp(r->value, "-") == 0 ? "" : r->value);
	return rc == 0	    ? NO_ERROR
	    : rc == -ENOENT ? ERROR_NOT_FOUND
			    : ERROR_ACCESS_DENIED;
}

/* A host route (/32, /128): all vland puts on an interface that is not
 * its adapter (a full tunnel's pin to the hub). */
static bool
host_route(const struct routerec *r)
{
	struct prefix p;

	return strcmp(r->kind, "route") == 0 && prefix_parse(r->key, &p) == 0 &&
	    p.len == (p.a.af == AF_INET ? 32 : 128);
}

/*
 * Undo one line: routes in pass 0, then addresses, the MTU, the MAC.
 * key: the adapter's class subkey when luid is vland's adapter, held
 * open; NULL for another interface, where only a host route is vland's.
 */
static NETIO_STATUS
undo(const struct routerec *r, int pass, const MIB_IPFORWARD_TABLE2 *t,
    const char *key)
{
	static const char *const order[] = { "route", "addr", "mtu", "mac" };
	int k;

	for (k = 0; k < 4 && strcmp(r->kind, order[k]) != 0; k++)
		;
	if (k == 4)
		return pass == 0 ? ERROR_NOT_FOUND : ERROR_NO_MORE_ITEMS;
	if (k != pass)
		return ERROR_NO_MORE_ITEMS;
	if (key == NULL && !host_route(r))
		return ERROR_NOT_FOUND; /* not vland's to undo: dropped */
	switch (pass) {
	case 0:
		return undo_route(r, t);
	case 1:
		return undo_addr(r);
	case 2:
		return undo_mtu(r);
	default:
		return undo_mac(r, key);
	}
}

static struct routerec lines[ROUTEREC_MAX];

/* Undo the lines of luid (key as undo takes it): how many, or the
 * first error. */
static int
undo_luid(uint64_t luid, const char *key)
{
	MIB_IPFORWARD_TABLE2 *t = NULL;
	NETIO_STATUS e;
	size_t n, i;
	int pass, rc = 0, done = 0;

	if (!routerec_enabled())
		return -EOPNOTSUPP;
	if ((e = plat_winapi->get_routes(AF_UNSPEC, &t)) != NO_ERROR)
		return win_errno(e);
	n = routerec_list(lines, ROUTEREC_MAX);
	for (pass = 0; pass < 4; pass++) {
		for (i = 0; i < n; i++) {
			if (lines[i].luid != luid)
				continue;
			e = undo(&lines[i], pass, t, key);
			if (e == ERROR_NO_MORE_ITEMS)
				continue;
			/* Gone already (with its interface, say), or not
			 * vland's: forgotten. A line that failed stays,
			 * for the next try. */
			if (e != NO_ERROR && e != ERROR_NOT_FOUND &&
			    e != ERROR_FILE_NOT_FOUND) {
				if (rc == 0)
					rc = win_errno(e);
				continue;
			}
			if (routerec_forget(lines[i].luid, lines[i].kind,
				lines[i].key) == 0 &&
			    e == NO_ERROR)
				done++;
		}
	}
	plat_winapi->free_table(t);
	return rc != 0 ? rc : done;
}

int
iphlp_undo_adapter(uint64_t luid, const char *key)
{
	return undo_luid(luid, key);
}

int
iphlp_undo_all(void)
{
	static uint64_t seen[ROUTEREC_MAX];
	struct tapwin t;
	size_t n, i, k, nseen = 0;
	int rc, r, done = 0;

	if (!routerec_enabled())
		return -EOPNOTSUPP;
	n = routerec_list(lines, ROUTEREC_MAX);
	for (i = 0; i < n; i++) {
		for (k = 0; k < nseen && seen[k] != lines[i].luid; k++)
			;
		if (k < nseen)
			continue;
		seen[nseen++] = lines[i].luid;
	}
	rc = 0;
	for (k = 0; k < nseen; k++) {
		if (tapwin_find_luid(seen[k], &t) != 0) {
			/* Not an adapter of the driver's: only its host
			 * routes are vland's. */
			r = undo_luid(seen[k], NULL);
		} else if ((r = tapwin_reopen(&t)) == 0) {
			/* Held, so no other vland.exe uses it. */
			r = undo_luid(seen[k], t.key);
			tapwin_close(&t);
		} else {
			/* Another program holds it (another configuration's
			 * vland.exe, say), or it does not open: its lines
			 * wait for a start that can hold it. */
			continue;
		}
		if (r < 0 && rc == 0)
			rc = r;
		else if (r > 0)
			done += r;
	}
	return rc != 0 ? rc : done;
}
