/*
 * Devices: the hub's bridge, the per-session taps, the endpoint's tap or
 * tun. Each one is recorded as it is made and removed at exit; devices
 * that are not ours are never changed beyond adding our taps and the hub
 * address to an operator's bridge.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devio.h"
#include "config.h"
#include "ifmgr.h"
#include "log.h"
#include "owner.h"
#include "platform.h"
#include "reaper.h"

/* Longer than a reply holds: the reply cuts it, gcc need not warn. */
static char errbuf[2 * IPCMSG_ERRMSG_MAX];

#define REFUSE(h, e, ...)                                      \
	do {                                                   \
		snprintf(errbuf, sizeof(errbuf), __VA_ARGS__); \
		ifmgr_reply((h), (e), errbuf);                 \
		return;                                        \
	} while (0)

/*
 * How each kind of device is made. The policy (below, by role and mode)
 * says what to make; the kind says how: its open function in the
 * platform (platform.h) and what it takes after. A port of a kind that
 * exists (a Windows tap, a macOS utun as the tun) implements only the
 * platform's open; a new type of device (macOS's feth, say) is an entry
 * here and its platform open function.
 */
struct dev_kind {
	const char *name; /* as the log lines name it */
	bool ethernet;	  /* frames with a MAC (tap, bridge); else IP (tun) */
	/* A link of the system's, with a name, ifindex, addresses and
	 * routes; false for the test-only UDP device (udpdev.c). */
	bool link;
	/* Make it: a descriptor for vland (tap, tun), 0 when vland
	 * has none (a bridge), or -errno. Never takes over a device that
	 * exists already (where devices are installed, plat_devices_installed,
	 * one that another program holds). */
	int (*open)(const char *name);
	/* Mark it ours (alias, owner.h), then its MAC (NULL: leave it)
	 * and MTU (0: leave it); 0 or -errno. fd is open's, or -1; name
	 * what open was given; *ifindex is updated if the link's index
	 * changed meanwhile. */
	int (*configure)(int fd, const char *name, int *ifindex,
	    const char *alias, unsigned mtu, const uint8_t *mac);
};

static int link_configure(int, const char *, int *, const char *, unsigned,
    const uint8_t *);
static int bridge_open(const char *);

enum { DEV_TAP, DEV_TUN, DEV_BRIDGE, DEV_UDP_TAP, DEV_UDP_TUN };

static const struct dev_kind dev_kinds[] = {
	[DEV_TAP] = { "tap", true, true, plat_tap_open, link_configure },
	[DEV_TUN] = { "tun", false, true, plat_tun_open, link_configure },
	[DEV_BRIDGE] = { "bridge", true, true, bridge_open, link_configure },
	/* Test-only (connect: device: udp:...): configured by nothing. */
	[DEV_UDP_TAP] = { "UDP device (test-only, tap)", true, false,
	    udpdev_open, NULL },
	[DEV_UDP_TUN] = { "UDP device (test-only, tun)", false, false,
	    udpdev_open, NULL },
};

static int
link_configure(int fd, const char *name, int *ifindex, const char *alias,
    unsigned mtu, const uint8_t *mac)
{
	struct plat_link l;
	int rc;

	/* The MAC before the MTU: on Windows setting the MAC restarts
	 * the adapter (platform/windows/tapmac.c), after which its index
	 * may be another. */
	if ((rc = plat_link_set_alias(*ifindex, alias)) != 0 ||
	    (mac != NULL && (rc = plat_link_set_mac(*ifindex, mac)) != 0))
		return rc;
	if (mac != NULL && fd >= 0) {
		if ((rc = plat_dev_link(fd, name, &l)) != 0)
			return rc;
		*ifindex = l.ifindex;
	}
	if (mtu != 0 && (rc = plat_link_set_mtu(*ifindex, mtu)) != 0)
		return rc;
	return 0;
}

const char *
ifmgr_dev_label(const char *name)
{
	return name[0] != '\0' ? name : "(the first adapter free)";
}

/* A bridge has no descriptor: vland reaches it through the taps. */
static int
bridge_open(const char *name)
{
	return plat_bridge_create(name);
}

/*
 * The policy: a hub in tap mode makes a bridge and a tap per session; a
 * hub in tun mode one tun, and an endpoint one device of its mode.
 */
static bool
hub_bridged(void)
{
	return ifm.pol.role == CFG_HUB && ifm.pol.mode == CFG_TAP;
}

/* The kind of the one device of a hub in tun mode or of an endpoint. */
static const struct dev_kind *
own_kind(void)
{
	if (ifm.pol.udp_dev.af != 0)
		return &dev_kinds[ifm.pol.mode == CFG_TAP ? DEV_UDP_TAP
							  : DEV_UDP_TUN];
	return &dev_kinds[ifm.pol.mode == CFG_TAP ? DEV_TAP : DEV_TUN];
}

void
ifmgr_mac_from_addr(uint8_t mac[6], const struct addr *a)
{
	/* 62:e2 is 60:e2 of the original system with the locally
	 * administered bit set; the rest is the IPv4 address. */
	mac[0] = 0x62;
	mac[1] = 0xe2;
	memcpy(mac + 2, &a->v4, 4);
}

struct stale {
	int ifindex[64];
	char name[64][IFNAMSIZ];
	size_t n;
};

static int
stale_tap(const struct plat_link *l, void *arg)
{
	struct stale *st = arg;
	char kind[64];
	pid_t pid;

	/* Taps of a hub that still runs (on an operator's bridge that
	 * two hubs share) are not stale. */
	snprintf(kind, sizeof(kind), "%s%s", ALIAS_TAP, ifm.pol.bridge);
	if (owner_of(l->alias, kind, &pid) == OWNER_DEAD && st->n < 64) {
		st->ifindex[st->n] = l->ifindex;
		snprintf(st->name[st->n], IFNAMSIZ, "%s", l->name);
		st->n++;
	}
	return 0;
}

/*
 * Before anything is changed: the name this vland makes (its device, or
 * a hub's bridge) must not belong to another vland that runs. Removing
 * it would break that one; the newcomer stops instead, naming it.
 */
void
ifmgr_check_names(void)
{
	bool bridge = hub_bridged();
	const char *name = bridge ? ifm.pol.bridge : ifm.pol.interface;
	struct plat_link l;
	pid_t pid;

	if (!bridge && (!own_kind()->link || plat_devices_installed))
		return;
	if (plat_link_get(name, &l) != 0)
		return;
	if (owner_of(l.alias, bridge ? ALIAS_BRIDGE : ALIAS_DEV, &pid) ==
	    OWNER_LIVE)
		fatalx("%s belongs to another vland that is running, pid %d: "
		       "give this one another %s in %s",
		    name, (int)pid,
		    bridge			  ? "bridge:"
			: ifm.pol.role == CFG_HUB ? "interface:"
						  : "connect: interface:",
		    ifm.cfgfile);
}

void
ifmgr_remove_stale(void)
{
	struct stale st;
	size_t i;

	if (!hub_bridged())
		return;
	/* Collect first: no other request may run inside a dump. */
	st.n = 0;
	if (plat_link_foreach(stale_tap, &st) != 0)
		log_warnx("cannot list links to find stale taps");
	for (i = 0; i < st.n; i++)
		log_info("removing stale tap %s, left by a vland that stopped",
		    st.name[i]);
	if (plat_links_delete(st.ifindex, st.n) != 0)
		log_warnx("cannot remove some of the %zu stale taps", st.n);
}

static void
hub_addr_prefix(struct prefix *p)
{
	*p = ifm.pol.ip;
}

/* The IPv6 inside the tunnel (the hub's or an endpoint's). */
bool
ifmgr_ip6_ok(const struct prefix *p)
{
	return addr_v6_unicast(&p->a) && p->len >= 16 &&
	    p->len <= ADDR_V6_PREFIX_MAX;
}

/* The hub's IPv6 address too, if it has one. */
static int
hub_addr6_add(int ifindex, bool *exists)
{
	*exists = false;
	if (ifm.pol.ip6.a.af != AF_INET6)
		return 0;
	return plat_addr_add(ifindex, &ifm.pol.ip6, exists);
}

void
ifmgr_bridge_up(const struct ipc_hdr *h)
{
	struct plat_link l;
	struct prefix p;
	uint8_t mac[6];
	const char *br = ifm.pol.bridge;
	char alias[OWNER_ALIAS_MAX];
	bool exists;
	const struct dev_kind *k = &dev_kinds[DEV_BRIDGE];
	pid_t pid;
	int rc;

	if (!hub_bridged())
		REFUSE(h, EPERM, "no bridge in this role or mode");
	if (ifm.bridge_up)
		REFUSE(h, EALREADY, "bridge %s is already up", br);
	rc = plat_link_get(br, &l);
	if (rc == 0) {
		if (strcmp(l.kind, "bridge") != 0)
			REFUSE(h, EEXIST, "%s exists and is not a bridge", br);
		switch (owner_of(l.alias, ALIAS_BRIDGE, &pid)) {
		case OWNER_LIVE:
			REFUSE(h, EEXIST,
			    "bridge %s belongs to another vland "
			    "that is running, pid %d",
			    br, (int)pid);
		case OWNER_NONE:
			ifm.bridge_ours = false;
			log_info("using bridge %s", br);
			break;
		default:
			ifm.bridge_ours = true;
			log_info("adopting bridge %s, left by a vland that "
				 "stopped",
			    br);
		}
	} else if (rc == -ENODEV) {
		if ((rc = k->open(br)) < 0 || (rc = plat_link_get(br, &l)) != 0)
			REFUSE(h, -rc, "cannot create bridge %s: %s", br,
			    strerror(-rc));
		ifm.bridge_ours = true;
		log_info("created bridge %s", br);
	} else {
		REFUSE(h, -rc, "%s: %s", br, strerror(-rc));
	}
	ifm.bridge_ifindex = l.ifindex;
	ifm.bridge_up = true;
	if (ifm.bridge_ours) {
		/* A fixed MAC, so the gateway's MAC never changes as taps
		 * come and go. */
		ifmgr_mac_from_addr(mac, &ifm.pol.ip.a);
		owner_alias(alias, sizeof(alias), ALIAS_BRIDGE);
		if ((rc = k->configure(-1, br, &l.ifindex, alias, 0, mac)) != 0)
			REFUSE(h, -rc, "cannot set up bridge %s: %s", br,
			    strerror(-rc));
	}
	hub_addr_prefix(&p);
	if ((rc = plat_addr_add(l.ifindex, &p, &exists)) != 0)
		REFUSE(h, -rc, "cannot add the hub address to %s: %s", br,
		    strerror(-rc));
	ifm.addr_added = !exists && !ifm.bridge_ours;
	if (ifm.addr_added)
		reaper_note_addr(ifm.reaper, &p);
	if ((rc = hub_addr6_add(l.ifindex, &exists)) != 0)
		REFUSE(h, -rc, "cannot add the hub IPv6 address to %s: %s", br,
		    strerror(-rc));
	ifm.addr6_added =
	    ifm.pol.ip6.a.af == AF_INET6 && !exists && !ifm.bridge_ours;
	if (ifm.addr6_added)
		reaper_note_addr(ifm.reaper, &ifm.pol.ip6);
	if ((rc = plat_link_set_up(l.ifindex)) != 0)
		REFUSE(h, -rc, "cannot bring %s up: %s", br, strerror(-rc));
	ifmgr_reply(h, 0, NULL);
}

static struct ifmgr_dev *
dev_find(uint32_t peerid)
{
	struct ifmgr_dev *d;

	TAILQ_FOREACH (d, &ifm.devs, entry)
		if (d->peerid == peerid)
			return d;
	return NULL;
}

/*
 * Make a device of kind k, mark it as ours (kind and maker, owner.h),
 * set MTU (and MAC, for an Ethernet kind), and record it. Returns the
 * device or NULL with errbuf set.
 */
static struct ifmgr_dev *
dev_make(uint32_t peerid, const char *name, const struct dev_kind *k,
    const char *kind, unsigned mtu, const uint8_t *mac, int *err)
{
	struct ifmgr_dev *d;
	struct plat_link l;
	char alias[OWNER_ALIAS_MAX];
	int fd, rc;

	owner_alias(alias, sizeof(alias), kind);
	if ((fd = k->open(name)) < 0) {
		*err = -fd;
		snprintf(errbuf, sizeof(errbuf), "cannot create %s: %s",
		    ifmgr_dev_label(name), strerror(-fd));
		return NULL;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL)
		fatal("calloc");
	d->peerid = peerid;
	d->fd = fd;
	snprintf(d->name, sizeof(d->name), "%s", name);
	if (!k->link) {
		/* No link: nothing to mark or set; ifindex stays 0. */
		TAILQ_INSERT_TAIL(&ifm.devs, d, entry);
		return d;
	}
	if ((rc = plat_dev_link(fd, name, &l)) == 0) {
		d->ifindex = l.ifindex;
		/* An installed adapter taken by "" is named by the system. */
		if (d->name[0] == '\0')
			snprintf(d->name, sizeof(d->name), "%s", l.name);
		TAILQ_INSERT_TAIL(&ifm.devs, d, entry);
		if ((rc = k->configure(fd, name, &d->ifindex, alias, mtu,
			 k->ethernet ? mac : NULL)) == 0)
			return d;
	}
	*err = -rc;
	snprintf(errbuf, sizeof(errbuf), "cannot set up %s: %s",
	    ifmgr_dev_label(name), strerror(-rc));
	if (d->ifindex != 0) {
		TAILQ_REMOVE(&ifm.devs, d, entry);
		plat_link_delete(d->ifindex);
	}
	plat_dev_close(fd);
	free(d);
	return NULL;
}

static void
dev_remove(struct ifmgr_dev *d)
{
	int rc, i;

	/* ifindex 0: the UDP device, no link (and routes_remove(0)
	 * would mean all routes). */
	if (d->ifindex != 0) {
		ifmgr_dns_remove(d->name, d->ifindex);
		ifmgr_routes_remove(d->ifindex);
		for (i = 0; i < 2 && ifm.bridge_up; i++)
			if (d->neigh[i].af != 0)
				plat_neigh_del(ifm.bridge_ifindex,
				    &d->neigh[i]);
		rc = plat_link_delete(d->ifindex);
		if (rc != 0 && rc != -ENODEV)
			log_warnx("cannot delete %s", d->name);
	}
	plat_dev_close(d->fd);
	TAILQ_REMOVE(&ifm.devs, d, entry);
	free(d);
}

/*
 * The endpoint's address as a permanent neighbour of our bridge, at its
 * MAC (62:e2 and the address): see plat_neigh_set. Only an address in
 * the hub's subnet, and only on a bridge of ours, which takes its
 * entries along when it goes; an operator's bridge is left as it is.
 */
static void
tap_neighbour(struct ifmgr_dev *d, const struct if_tap_req *r)
{
	uint8_t mac[6] = { 0x62, 0xe2 };
	char a[ADDR_STRLEN];
	int rc, i;

	if (!ifm.bridge_ours || r->addr.af != AF_INET ||
	    !prefix_contains(&ifm.pol.ip, &r->addr))
		return;
	memcpy(mac + 2, &r->addr.v4.s_addr, 4);
	/* Its IPv4 address, and its IPv6 one (ip6: the same MAC) for
	 * neighbour discovery, whose table has the same limit. */
	d->neigh[0] = r->addr;
	if (ifm.pol.ip6.a.af == AF_INET6)
		addr_v6_embed(&ifm.pol.ip6, &r->addr, &d->neigh[1]);
	for (i = 0; i < 2 && d->neigh[i].af != 0; i++)
		if ((rc = plat_neigh_set(ifm.bridge_ifindex, &d->neigh[i],
			 mac)) != 0) {
			log_warnx("cannot set the neighbour entry of %s: %s",
			    addr_fmt(&d->neigh[i], a, sizeof(a)),
			    strerror(-rc));
			d->neigh[i].af = 0;
		}
}

void
ifmgr_tap_create(const struct ipc_hdr *h, const struct if_tap_req *r)
{
	const struct dev_kind *k = &dev_kinds[DEV_TAP];
	struct ifmgr_dev *d;
	struct plat_link l;
	char name[IFNAMSIZ], alias[64];
	int rc, err;

	if (!hub_bridged())
		REFUSE(h, EPERM, "no per-session taps in this role or mode");
	if (!ifm.bridge_up)
		REFUSE(h, ENODEV, "the bridge is not up");
	if (h->peerid == 0 || dev_find(h->peerid) != NULL)
		REFUSE(h, EEXIST, "session %u already has a tap", h->peerid);
	if (!username_valid(r->user, strlen(r->user)))
		REFUSE(h, EINVAL, "bad username");
	/* Name it after the user where that fits and is free, so that
	 * operators see who is who in ip link and tcpdump -i. */
	if (strlen(r->user) <= IFNAMSIZ - 1 - 3)
		snprintf(name, sizeof(name), "vl-%s", r->user);
	if (strlen(r->user) > IFNAMSIZ - 1 - 3 || plat_link_get(name, &l) == 0)
		snprintf(name, sizeof(name), "vlt%08x", h->peerid);
	snprintf(alias, sizeof(alias), "%s%s", ALIAS_TAP, ifm.pol.bridge);
	if ((d = dev_make(h->peerid, name, k, alias, ifm.pol.mtu, NULL,
		 &err)) == NULL) {
		ifmgr_reply(h, err, errbuf);
		return;
	}
	if ((rc = overflow_attach(d)) != 0 ||
	    (rc = plat_link_set_up(d->ifindex)) != 0) {
		snprintf(errbuf, sizeof(errbuf), "cannot attach %s: %s", name,
		    strerror(-rc));
		dev_remove(d);
		ifmgr_reply(h, -rc, errbuf);
		return;
	}
	log_info("%s %s for %s", k->name, name, r->user);
	tap_neighbour(d, r);
	ifmgr_reply_device(h, d);
}

/*
 * A device name for us: free, or taken by a device that a vland which
 * no longer runs left (removed); one of another running vland, or not
 * a vland's, is refused. Not where devices are installed ahead
 * (plat_devices_installed): there the open refuses an adapter in use,
 * and a dead run's addresses and routes go at the open.
 */
static int
claim_name(const struct ipc_hdr *h, const char *name)
{
	struct plat_link l;
	pid_t pid;

	if (plat_link_get(name, &l) != 0)
		return 0;
	switch (owner_of(l.alias, ALIAS_DEV, &pid)) {
	case OWNER_NONE:
		snprintf(errbuf, sizeof(errbuf), "%s exists and is not ours",
		    name);
		ifmgr_reply(h, EEXIST, errbuf);
		return -1;
	case OWNER_LIVE:
		snprintf(errbuf, sizeof(errbuf),
		    "%s belongs to another vland "
		    "that is running, pid %d",
		    name, (int)pid);
		ifmgr_reply(h, EEXIST, errbuf);
		return -1;
	default:
		break;
	}
	log_info("removing stale %s, left by a vland that stopped", name);
	plat_link_delete(l.ifindex);
	return 0;
}

/* Hub, tun mode: one tun with the hub address; vland routes by IP. */
/*
 * Give a new tun or tap its address (and IPv6 address, if af is set)
 * and bring it up; on failure remove it and answer h. 0 or -1.
 */
static int
dev_configure(const struct ipc_hdr *h, struct ifmgr_dev *d,
    const struct prefix *ip, const struct prefix *ip6)
{
	bool exists;
	int rc;

	if ((rc = plat_addr_add(d->ifindex, ip, &exists)) != 0 ||
	    (ip6->a.af == AF_INET6 &&
		(rc = plat_addr_add(d->ifindex, ip6, &exists)) != 0) ||
	    (rc = plat_link_set_up(d->ifindex)) != 0) {
		snprintf(errbuf, sizeof(errbuf), "cannot configure %s: %s",
		    d->name, strerror(-rc));
		dev_remove(d);
		ifmgr_reply(h, -rc, errbuf);
		return -1;
	}
	return 0;
}

void
ifmgr_hub_tun_up(const struct ipc_hdr *h)
{
	struct ifmgr_dev *d;
	const struct dev_kind *k = own_kind();
	const char *name = ifm.pol.interface;
	int err;

	if (ifm.pol.role != CFG_HUB || ifm.pol.mode != CFG_TUN)
		REFUSE(h, EPERM, "no hub tun in this role or mode");
	if (dev_find(0) != NULL)
		REFUSE(h, EALREADY, "the hub tun is already up");
	if (claim_name(h, name) == -1)
		return;
	if ((d = dev_make(0, name, k, ALIAS_DEV, ifm.pol.mtu, NULL, &err)) ==
	    NULL) {
		ifmgr_reply(h, err, errbuf);
		return;
	}
	if (dev_configure(h, d, &ifm.pol.ip, &ifm.pol.ip6) == -1)
		return;
	log_info("hub %s %s up", k->name, name);
	ifmgr_reply_device(h, d);
}

/*
 * The hub's address for an endpoint makes a connected route for its
 * prefix: it gets the checks of a pushed route, so that it can neither
 * shadow a route of the host's nor capture the way to the hub.
 */
static bool
address_refused(const struct ipc_hdr *h, const struct prefix *ip,
    const struct addr *underlay)
{
	struct routecheck_ctx ctx;
	struct host_routes host;
	struct prefix net;
	char why[IPCMSG_ERRMSG_MAX], p[PREFIX_STRLEN];
	int rc;

	if ((rc = plat_route_dump(&host)) != 0)
		fatalx("cannot list the host's routes: %s", strerror(-rc));
	ifmgr_routecheck_ctx(&ctx, underlay);
	ctx.host = &host;
	prefix_network(ip, &net);
	rc = (int)routecheck_address(&ctx, &net, why, sizeof(why));
	free(host.r);
	if (rc == 0)
		return false;
	snprintf(errbuf, sizeof(errbuf), "address %s refused: %s",
	    prefix_fmt(ip, p, sizeof(p)), why);
	ifmgr_reply(h, EPERM, errbuf);
	return true;
}

void
ifmgr_dev_create(const struct ipc_hdr *h, const struct if_dev_req *r)
{
	struct ifmgr_dev *d;
	uint8_t mac[6];
	const struct dev_kind *k = own_kind();
	const char *name = ifm.pol.interface;
	char udpname[IFNAMSIZ];
	int err;

	if (!k->link) {
		snprintf(udpname, sizeof(udpname), "udp-%u",
		    ifm.pol.udp_dev_port);
		name = udpname;
	}

	if (ifm.pol.role != CFG_ENDPOINT)
		REFUSE(h, EPERM, "only an endpoint has its own device");
	if (h->peerid != 0 || dev_find(0) != NULL)
		REFUSE(h, EEXIST, "the device already exists");
	if (r->ip.a.af != AF_INET || r->ip.len < 8 || r->ip.len > 30 ||
	    r->mtu < CFG_MTU_MIN || r->mtu > CFG_MTU_MAX ||
	    (r->ip6.a.af != 0 && !ifmgr_ip6_ok(&r->ip6)))
		REFUSE(h, EINVAL, "bad address or MTU");
	ifmgr_mac_from_addr(mac, &r->ip.a);
	if (k->ethernet && memcmp(mac, r->mac, 6) != 0)
		REFUSE(h, EINVAL, "the MAC must be 62:e2 and the address");
	/* A device of ours left by a crashed run is replaced; one that is
	 * not ours is left alone. */
	if (k->link && !plat_devices_installed && claim_name(h, name) == -1)
		return;
	if (address_refused(h, &r->ip, &r->underlay))
		return;
	if ((d = dev_make(0, name, k, ALIAS_DEV, r->mtu, mac, &err)) == NULL) {
		ifmgr_reply(h, err, errbuf);
		return;
	}
	if (k->link && dev_configure(h, d, &r->ip, &r->ip6) == -1)
		return;
	ifm.ep_ip = r->ip;
	ifm.ep_ip6 = r->ip6;
	log_info("%s %s up", k->name, d->name);
	ifmgr_reply_device(h, d);
}

void
ifmgr_dev_delete(const struct ipc_hdr *h)
{
	struct ifmgr_dev *d;

	if ((d = dev_find(h->peerid)) == NULL)
		REFUSE(h, ENOENT, "no device for session %u", h->peerid);
	log_info("deleting %s", d->name);
	dev_remove(d);
	ifmgr_reply(h, 0, NULL);
}

/*
 * Every device's link in one request: a hub that stops with a thousand
 * taps would otherwise spend 18 s deleting them one by one, and its
 * endpoints could not come back to the next hub until it is done.
 * dev_remove then finds each link gone (ifindex 0) and closes its
 * descriptor.
 */
struct ours {
	char kind[64]; /* the alias our taps carry */
	struct ifmgr_dev **dev;
	bool *mine;
	size_t n;
};

/* Which of our devices' indices still name a tap marked ours: an index
 * a tap had could have gone to a link moved in from another namespace,
 * which the group must not take along. */
static int
mark_ours(const struct plat_link *l, void *arg)
{
	struct ours *o = arg;
	pid_t pid;
	size_t i;

	if (owner_of(l->alias, o->kind, &pid) != OWNER_SELF)
		return 0;
	for (i = 0; i < o->n; i++)
		if (o->dev[i]->ifindex == l->ifindex)
			o->mine[i] = true;
	return 0;
}

static void
links_remove_all(void)
{
	struct ifmgr_dev *d;
	struct ours o;
	int *ifindex = NULL;
	size_t i, n = 0;

	memset(&o, 0, sizeof(o));
	snprintf(o.kind, sizeof(o.kind), "%s%s", ALIAS_TAP, ifm.pol.bridge);
	/* A hub's taps (a session's: peerid set), which all carry o.kind. */
	TAILQ_FOREACH (d, &ifm.devs, entry)
		if (d->ifindex != 0 && d->peerid != 0)
			o.n++;
	if (o.n < 2 || (o.dev = calloc(o.n, sizeof(*o.dev))) == NULL ||
	    (o.mine = calloc(o.n, sizeof(*o.mine))) == NULL ||
	    (ifindex = calloc(o.n, sizeof(*ifindex))) == NULL)
		goto out;
	i = 0;
	TAILQ_FOREACH (d, &ifm.devs, entry)
		if (d->ifindex != 0 && d->peerid != 0)
			o.dev[i++] = d;
	/* Collect first: no other request may run inside a dump. */
	if (plat_link_foreach(mark_ours, &o) != 0)
		goto out;
	for (i = 0; i < o.n; i++) {
		if (!o.mine[i]) {
			/* Gone, or its index now another's: dev_remove
			 * only closes the descriptor. */
			o.dev[i]->ifindex = 0;
			continue;
		}
		ifmgr_dns_remove(o.dev[i]->name, o.dev[i]->ifindex);
		ifindex[n++] = o.dev[i]->ifindex;
	}
	if (n > 0)
		log_info("deleting %zu devices", n);
	if (n > 0 && plat_links_delete(ifindex, n) == 0)
		for (i = 0; i < o.n; i++)
			if (o.mine[i])
				o.dev[i]->ifindex = 0;
out:
	free(o.dev);
	free(o.mine);
	free(ifindex);
}

void
ifmgr_cleanup(void)
{
	struct ifmgr_dev *d;
	struct prefix p;

	ifmgr_routes_remove(0);
	links_remove_all();
	while ((d = TAILQ_FIRST(&ifm.devs)) != NULL)
		dev_remove(d);
	overflow_remove_all();
	if (!ifm.bridge_up)
		return;
	if (ifm.bridge_ours) {
		log_info("deleting bridge %s", ifm.pol.bridge);
		plat_link_delete(ifm.bridge_ifindex);
	} else if (ifm.addr_added || ifm.addr6_added) {
		hub_addr_prefix(&p);
		if (ifm.addr_added)
			plat_addr_del(ifm.bridge_ifindex, &p);
		if (ifm.addr6_added)
			plat_addr_del(ifm.bridge_ifindex, &ifm.pol.ip6);
		reaper_note_addr(ifm.reaper, NULL);
	}
	ifm.bridge_up = false;
}
