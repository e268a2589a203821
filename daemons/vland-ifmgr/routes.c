/*
 * Route sync: vland sends the whole route set each time; routes with a
 * known nexthop are replaced in place, the others are deleted if we had
 * installed them. Every route is checked against the policy first: on a
 * hub only the configured prefixes, on an endpoint anything but a
 * default route or the VPN subnet itself, and always a nexthop inside
 * the VPN subnet.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "ifmgr.h"
#include "log.h"
#include "netlink.h"

static bool
route_allowed(const struct if_route *r, char *why, size_t len)
{
	const struct prefix *vpn = ifm.init.role == CFG_HUB ? &ifm.init.ip
							   : &ifm.ep_ip;
	struct prefix net;
	size_t i;

	if (!prefix_is_network(&r->cidr) || r->cidr.a.af != AF_INET) {
		snprintf(why, len, "not an IPv4 network prefix");
		return false;
	}
	if (r->nexthop.af != 0 && !prefix_contains(vpn, &r->nexthop)) {
		snprintf(why, len, "nexthop outside the VPN subnet");
		return false;
	}
	if (ifm.init.role == CFG_HUB) {
		for (i = 0; i < ifm.init.nallowed; i++)
			if (addr_cmp(&ifm.init.allowed[i].a, &r->cidr.a) == 0 &&
			    ifm.init.allowed[i].len == r->cidr.len)
				return true;
		snprintf(why, len, "not in the configuration");
		return false;
	}
	prefix_network(vpn, &net);
	if (r->cidr.len == 0) {
		snprintf(why, len, "a default route");
		return false;
	}
	if (r->cidr.len >= net.len && prefix_contains(&net, &r->cidr.a)) {
		snprintf(why, len, "inside the VPN subnet");
		return false;
	}
	return true;
}

static int
route_device(void)
{
	struct ifmgr_dev *d;

	if (ifm.init.role == CFG_HUB && ifm.init.mode == CFG_TAP)
		return ifm.bridge_up ? ifm.bridge_ifindex : 0;
	/* The endpoint's device, or the hub's tun: both are session 0. */
	TAILQ_FOREACH(d, &ifm.devs, entry)
		if (d->peerid == 0)
			return d->ifindex;
	return 0;
}

static const struct addr *
route_self(void)
{
	return ifm.init.role == CFG_HUB ? &ifm.init.ip.a : &ifm.ep_ip.a;
}

static void
route_forget(size_t i)
{
	ifm.routes[i] = ifm.routes[--ifm.nroutes];
}

void
ifmgr_routes_sync(const struct ipc_hdr *h, const struct if_routes *rh,
    const struct if_route *rt)
{
	struct ifmgr_route next[IPCMSG_ROUTES_MAX];
	char why[64], p[PREFIX_STRLEN], a[ADDR_STRLEN];
	char err[IPCMSG_ERRMSG_MAX] = "";
	size_t i, nnext = 0;
	int ifindex, rc, first = 0;

	if ((ifindex = route_device()) == 0) {
		ifmgr_reply(h, ENODEV, "no device to bind routes to");
		return;
	}
	for (i = 0; i < rh->count; i++) {
		if (!route_allowed(&rt[i], why, sizeof(why))) {
			snprintf(err, sizeof(err), "route %s refused: %s",
			    prefix_fmt(&rt[i].cidr, p, sizeof(p)), why);
			ifmgr_reply(h, EPERM, err);
			return;
		}
	}
	for (i = 0; i < rh->count; i++) {
		prefix_fmt(&rt[i].cidr, p, sizeof(p));
		if (rt[i].nexthop.af == 0 ||
		    addr_cmp(&rt[i].nexthop, route_self()) == 0)
			continue;
		rc = nl_route_replace(ifindex, &rt[i].cidr, &rt[i].nexthop);
		if (rc != 0) {
			if (first == 0) {
				first = -rc;
				snprintf(err, sizeof(err), "route %s: %s", p,
				    strerror(-rc));
			}
			continue;
		}
		log_debug("route %s via %s", p,
		    addr_fmt(&rt[i].nexthop, a, sizeof(a)));
		next[nnext].cidr = rt[i].cidr;
		next[nnext].gw = rt[i].nexthop;
		next[nnext].ifindex = ifindex;
		nnext++;
	}
	/* What we had and no longer want goes. */
	for (i = 0; i < ifm.nroutes; i++) {
		size_t j;
		bool keep = false;

		for (j = 0; j < nnext; j++)
			if (addr_cmp(&next[j].cidr.a, &ifm.routes[i].cidr.a) ==
				0 &&
			    next[j].cidr.len == ifm.routes[i].cidr.len)
				keep = true;
		if (keep)
			continue;
		log_debug("route %s withdrawn",
		    prefix_fmt(&ifm.routes[i].cidr, p, sizeof(p)));
		rc = nl_route_del(ifm.routes[i].ifindex, &ifm.routes[i].cidr);
		if (rc != 0 && rc != -ESRCH && rc != -ENODEV)
			log_warnx("cannot delete route %s: %s", p,
			    strerror(-rc));
	}
	memcpy(ifm.routes, next, nnext * sizeof(next[0]));
	ifm.nroutes = nnext;
	log_info("route set %u: %zu installed", rh->version, nnext);
	ifmgr_reply(h, first, first ? err : NULL);
}

/* Forget (and delete) routes on ifindex, or all of them for 0. */
void
ifmgr_routes_remove(int ifindex)
{
	char p[PREFIX_STRLEN];
	size_t i = 0;

	while (i < ifm.nroutes) {
		if (ifindex != 0 && ifm.routes[i].ifindex != ifindex) {
			i++;
			continue;
		}
		if (nl_route_del(ifm.routes[i].ifindex, &ifm.routes[i].cidr) !=
		    0)
			log_debug("route %s already gone",
			    prefix_fmt(&ifm.routes[i].cidr, p, sizeof(p)));
		route_forget(i);
	}
}
