/*
 * Route sync: vland sends the whole route set each time; routes with a
 * known nexthop are installed, the others are deleted if we had
 * installed them. Every route is first checked (routecheck.h) against
 * the policy from the configuration file and against the host's own
 * routing table, so that no route of another protocol is ever replaced
 * or shadowed; only routes that carry our protocol number are replaced
 * or deleted. The answer lists each refusal with its reason.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ifmgr.h"
#include "log.h"
#include "platform.h"
#include "reaper.h"

static int
route_device(void)
{
	struct ifmgr_dev *d;

	if (ifm.pol.role == CFG_HUB && ifm.pol.mode == CFG_TAP)
		return ifm.bridge_up ? ifm.bridge_ifindex : 0;
	/* The endpoint's device, or the hub's tun: both are session 0. */
	TAILQ_FOREACH (d, &ifm.devs, entry)
		if (d->peerid == 0)
			return d->ifindex;
	return 0;
}

/* Is a our own address inside the tunnel? A route through it needs no
 * route here (SERVER's on the hub, a user's own on its endpoint). */
static bool
route_self(const struct addr *a)
{
	const struct prefix *ip6 =
	    ifm.pol.role == CFG_HUB ? &ifm.pol.ip6 : &ifm.ep_ip6;

	if (a->af == AF_INET6)
		return ip6->a.af == AF_INET6 && addr_cmp(a, &ip6->a) == 0;
	return addr_cmp(a,
		   ifm.pol.role == CFG_HUB ? &ifm.pol.ip.a : &ifm.ep_ip.a) == 0;
}

static void
route_forget(size_t i)
{
	ifm.routes[i] = ifm.routes[--ifm.nroutes];
}

/* Is there a route of ours for p on oif, of protocol 118 (of this run,
 * or left there by a crashed one), that a new one may replace? */
static bool
route_ours(const struct host_routes *host, const struct prefix *p, int oif)
{
	size_t i;

	for (i = 0; i < host->n; i++)
		if (host->r[i].protocol == PLAT_RTPROT_VLAND &&
		    host->r[i].oif == oif &&
		    addr_cmp(&host->r[i].dst.a, &p->a) == 0 &&
		    host->r[i].dst.len == p->len)
			return true;
	return false;
}

struct vland_links {
	int *ifindex;
	size_t n, max;
};

/* Devices that carry vland's mark: another vland's on this host (such
 * as a second endpoint's), or ours (told apart by the caller). */
static int
vland_link(const struct plat_link *l, void *arg)
{
	struct vland_links *o = arg;

	if (strncmp(l->alias, "vland:", 6) == 0 && o->n < o->max)
		o->ifindex[o->n++] = l->ifindex;
	return 0;
}

static bool
is_our_device(int ifindex)
{
	struct ifmgr_dev *d;

	if (ifm.bridge_up && ifindex == ifm.bridge_ifindex)
		return true;
	TAILQ_FOREACH (d, &ifm.devs, entry)
		if (d->ifindex == ifindex)
			return true;
	return false;
}

void
ifmgr_routecheck_ctx(struct routecheck_ctx *c, const struct addr *underlay)
{
	static int own[IPCMSG_ROUTES_MAX], others[1024];
	struct vland_links o = { others, 0,
		sizeof(others) / sizeof(others[0]) };
	struct ifmgr_dev *d;
	size_t i, n = 0, k = 0;

	memset(c, 0, sizeof(*c));
	c->pol = &ifm.pol;
	prefix_network(ifm.pol.role == CFG_HUB ? &ifm.pol.ip : &ifm.ep_ip,
	    &c->vpn);
	if (ifm.pol.role == CFG_HUB ? ifm.pol.ip6.a.af == AF_INET6
				    : ifm.ep_ip6.a.af == AF_INET6)
		prefix_network(ifm.pol.role == CFG_HUB ? &ifm.pol.ip6
						       : &ifm.ep_ip6,
		    &c->vpn6);
	if (underlay != NULL && ifm.pol.role == CFG_ENDPOINT)
		c->underlay = *underlay;
	if (plat_link_foreach(vland_link, &o) != 0)
		fatalx("cannot list links");
	for (i = 0; i < o.n; i++)
		if (!is_our_device(others[i]))
			others[k++] = others[i];
	/* The bridge we use (ours or the operator's) and our devices. */
	if (ifm.bridge_up)
		own[n++] = ifm.bridge_ifindex;
	TAILQ_FOREACH (d, &ifm.devs, entry)
		if (n < sizeof(own) / sizeof(own[0]))
			own[n++] = d->ifindex;
	c->own_oif = own;
	c->nown = n;
	c->vland_oif = others;
	c->nvland = k;
	c->own_protocol = PLAT_RTPROT_VLAND;
}

/* Does a route of the set, one to install, cover the hub's address?
 * A default route does not count: it is refused (an older hub sends
 * one), and a pin for nothing would stay until the next set. */
static bool
underlay_covered(const struct if_routes *rh, const struct if_route *rt)
{
	size_t i;

	for (i = 0; i < rh->count; i++)
		if (rt[i].nexthop.af != 0 && !route_self(&rt[i].nexthop) &&
		    rt[i].cidr.len != 0 && prefix_is_network(&rt[i].cidr) &&
		    prefix_contains(&rt[i].cidr, &rh->underlay))
			return true;
	return false;
}

/*
 * The host's own way to the hub: the most specific route of the main
 * table that covers it and is not vland's (our pin, another vland's, any
 * route on a tunnel), the lowest metric first. Read from the table, not
 * asked of the kernel, since the kernel's answer is our pin once it is
 * there, and it must follow the host when the endpoint roams. False if
 * there is none that names a device (a multipath route, say).
 */
static bool
underlay_path(const struct addr *hub, const struct host_routes *host,
    const struct routecheck_ctx *ctx, struct host_route *out)
{
	const struct host_route *best = NULL;
	size_t i, k;

	for (i = 0; i < host->n; i++) {
		const struct host_route *h = &host->r[i];
		bool tunnel = false;

		if (h->protocol == PLAT_RTPROT_VLAND || h->oif == 0 ||
		    h->dst.a.af != hub->af || !prefix_contains(&h->dst, hub))
			continue;
		for (k = 0; k < ctx->nown; k++)
			tunnel |= h->oif == ctx->own_oif[k];
		for (k = 0; k < ctx->nvland; k++)
			tunnel |= h->oif == ctx->vland_oif[k];
		if (tunnel)
			continue;
		if (best == NULL || h->dst.len > best->dst.len ||
		    (h->dst.len == best->dst.len && h->metric < best->metric))
			best = h;
	}
	if (best == NULL)
		return false;
	*out = *best;
	return true;
}

/*
 * Full tunnel: keep the way to the hub outside the tunnel with a host
 * route of ours through the path it takes now (unless the host already
 * has one). Returns true if the hub's address is kept out; the pin, if
 * made, goes into *pin for the record.
 */
static bool
underlay_pin(const struct addr *hub, const struct host_routes *host,
    const struct routecheck_ctx *ctx, struct ifmgr_route *pin, bool *made)
{
	struct host_route via;
	struct prefix p;
	char a[ADDR_STRLEN];
	size_t i;
	int rc;

	const struct host_route *h;

	*made = false;
	p.a = *hub;
	p.len = (uint8_t)(addr_bytes(hub) * 8);
	/* A host route of the host's own keeps the hub outside already. */
	if ((h = routecheck_same_dst(ctx, &p)) != NULL &&
	    h->protocol != PLAT_RTPROT_VLAND)
		return true;
	if (!underlay_path(hub, host, ctx, &via) &&
	    ((rc = plat_route_get(hub, &via)) != 0 || via.oif == 0)) {
		log_warnx("full tunnel: no route to the hub %s: %s",
		    addr_fmt(hub, a, sizeof(a)),
		    strerror(rc ? -rc : ENETUNREACH));
		return false;
	}
	for (i = 0; i < ctx->nown; i++)
		if (via.oif == ctx->own_oif[i])
			return false; /* already through a tunnel */
	/* Ours on any device may be replaced: that is the pin moving. */
	rc = plat_route_install(via.oif, &p, via.gw.af != 0 ? &via.gw : NULL,
	    (h = routecheck_same_dst(ctx, &p)) != NULL &&
		h->protocol == PLAT_RTPROT_VLAND);
	if (rc != 0) {
		log_warnx("full tunnel: cannot pin the hub %s: %s",
		    addr_fmt(hub, a, sizeof(a)), strerror(-rc));
		return false;
	}
	pin->cidr = p;
	pin->gw = via.gw;
	pin->ifindex = via.oif;
	*made = true;
	return true;
}

/* A refusal for the answer; logged loudly only when an honest vland
 * could not have asked (a hub's routes all come from the file). */
static void
refusal_add(struct if_routes_result *res, struct if_route_refusal *out,
    const struct prefix *p, uint32_t reason, const char *why)
{
	struct if_route_refusal *r = &out[res->count++];
	char pb[PREFIX_STRLEN];

	memset(r, 0, sizeof(*r));
	r->cidr = *p;
	r->reason = reason;
	snprintf(r->why, sizeof(r->why), "%s", why);
	prefix_fmt(p, pb, sizeof(pb));
	if (ifm.pol.role == CFG_HUB && reason != RR_COLLISION &&
	    reason != RR_KERNEL)
		log_warnx("refused route %s from vland: %s", pb, why);
	else
		log_debug("route %s refused: %s", pb, why);
}

static void
reply_routes(const struct ipc_hdr *h, struct if_routes_result *res)
{
	if (ipcmsg_send_if_routes_result(&ifm.chan, h->peerid, h->reqid, res) ==
	    -1)
		fatal("ipc_compose");
}

void
ifmgr_routes_sync(const struct ipc_hdr *h, const struct if_routes *rh,
    const struct if_route *rt)
{
	struct ifmgr_route next[IPCMSG_ROUTES_MAX + 1]; /* and a pin */
	struct prefix accepted[IPCMSG_ROUTES_MAX];	/* checked before */
	struct routecheck_ctx ctx;
	struct host_routes host;
	struct if_routes_result *res;
	struct if_route_refusal *ref;
	char why[IPCMSG_ERRMSG_MAX], p[PREFIX_STRLEN], a[ADDR_STRLEN];
	size_t i, nnext = 0, nacc = 0;
	uint32_t reason;
	bool pinned = false;
	int ifindex, rc;

	if ((res = calloc(1, ipcmsg_routes_result_size(IPCMSG_ROUTES_MAX))) ==
	    NULL)
		fatal("calloc");
	ref = (struct if_route_refusal *)(res + 1);
	res->version = rh->version;
	/* The test-only UDP device is no link: every route is refused. */
	if (ifm.pol.udp_dev.af != 0) {
		for (i = 0; i < rh->count; i++)
			if (rt[i].nexthop.af != 0 &&
			    !route_self(&rt[i].nexthop))
				refusal_add(res, ref, &rt[i].cidr, RR_KERNEL,
				    "the test-only UDP device carries no "
				    "routes");
		log_info("route set %u: 0 installed, %u refused (the "
			 "test-only UDP device carries no routes)",
		    rh->version, res->count);
		reply_routes(h, res);
		free(res);
		return;
	}
	if ((ifindex = route_device()) == 0) {
		ifmgr_reply(h, ENODEV, "no device to bind routes to");
		free(res);
		return;
	}
	if ((rc = plat_route_dump(&host)) != 0)
		fatalx("cannot list the host's routes: %s", strerror(-rc));
	ifmgr_routecheck_ctx(&ctx, &rh->underlay);
	ctx.host = &host;
	ctx.accepted = accepted;
	/* Of the hub's family: the other family's halves leave it alone. */
	if (ifm.pol.full_tunnel &&
	    (rh->underlay.af == AF_INET || rh->underlay.af == AF_INET6) &&
	    underlay_covered(rh, rt))
		ctx.underlay_pinned = underlay_pin(&rh->underlay, &host, &ctx,
		    &next[nnext], &pinned);
	if (pinned)
		nnext++;
	for (i = 0; i < rh->count; i++) {
		/* Unknown nexthop or ourselves: nothing to install. */
		if (rt[i].nexthop.af == 0 || route_self(&rt[i].nexthop))
			continue;
		ctx.naccepted = nacc;
		prefix_fmt(&rt[i].cidr, p, sizeof(p));
		reason = routecheck_route(&ctx, &rt[i], why, sizeof(why));
		/* Refused or not (but for covering the default itself), a
		 * prefix counts towards covering the default: a hub may
		 * not get 128/1 in by spoiling 0/1. */
		if (reason != RR_DEFAULT)
			accepted[nacc++] = rt[i].cidr;
		if (reason != 0) {
			refusal_add(res, ref, &rt[i].cidr, reason, why);
			continue;
		}
		rc = plat_route_install(ifindex, &rt[i].cidr, &rt[i].nexthop,
		    route_ours(&host, &rt[i].cidr, ifindex));
		if (rc != 0) {
			snprintf(why, sizeof(why), "%s",
			    rc == -EEXIST ? "the host has a route there"
					  : strerror(-rc));
			refusal_add(res, ref, &rt[i].cidr,
			    rc == -EEXIST ? RR_COLLISION : RR_KERNEL, why);
			continue;
		}
		log_debug("route %s via %s", p,
		    addr_fmt(&rt[i].nexthop, a, sizeof(a)));
		next[nnext].cidr = rt[i].cidr;
		next[nnext].gw = rt[i].nexthop;
		next[nnext].ifindex = ifindex;
		nnext++;
	}
	free(host.r);
	/* What we had and no longer want goes (plat_route_del matches our
	 * protocol number, so only our own route can be deleted). */
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
		rc = plat_route_del(ifm.routes[i].ifindex, &ifm.routes[i].cidr);
		if (rc != 0 && rc != -ESRCH && rc != -ENODEV)
			log_warnx("cannot delete route %s: %s", p,
			    strerror(-rc));
	}
	memcpy(ifm.routes, next, nnext * sizeof(next[0]));
	ifm.nroutes = nnext;
	/* If we die, the reaper takes the pin away too. */
	ifm.pinned = pinned;
	ifm.underlay = rh->underlay;
	reaper_note_route(ifm.reaper, pinned ? &next[0].cidr : NULL,
	    pinned ? next[0].ifindex : 0);
	res->installed = (uint32_t)nnext;
	log_info("route set %u: %zu installed, %u refused", rh->version, nnext,
	    res->count);
	reply_routes(h, res);
	free(res);
}

/*
 * The host's routes changed: if the way to the hub moved (the endpoint
 * roamed to another gateway or link), move the pin with it, so that the
 * tunnel keeps going outside itself. A hub no longer reachable outside
 * keeps the pin it had, for when the path comes back.
 */
void
ifmgr_underlay_recheck(void)
{
	struct routecheck_ctx ctx;
	struct host_routes host;
	struct host_route via;
	struct ifmgr_route *pin = &ifm.routes[0];
	char a[ADDR_STRLEN], g[ADDR_STRLEN];
	int rc;

	if (!ifm.pinned || ifm.nroutes == 0)
		return;
	if ((rc = plat_route_dump(&host)) != 0) {
		log_warnx("full tunnel: cannot list the host's routes: %s",
		    strerror(-rc));
		return;
	}
	ifmgr_routecheck_ctx(&ctx, &ifm.underlay);
	ctx.host = &host;
	if (!underlay_path(&ifm.underlay, &host, &ctx, &via) ||
	    (via.oif == pin->ifindex && addr_cmp(&via.gw, &pin->gw) == 0 &&
		routecheck_same_dst(&ctx, &pin->cidr) != NULL)) {
		free(host.r);
		return;
	}
	free(host.r);
	rc = plat_route_install(via.oif, &pin->cidr,
	    via.gw.af != 0 ? &via.gw : NULL, true);
	if (rc != 0) {
		log_warnx("full tunnel: cannot move the pin to the hub %s: %s",
		    addr_fmt(&ifm.underlay, a, sizeof(a)), strerror(-rc));
		return;
	}
	log_info("full tunnel: the hub %s is now reached via %s (device %d)",
	    addr_fmt(&ifm.underlay, a, sizeof(a)),
	    via.gw.af != 0 ? addr_fmt(&via.gw, g, sizeof(g)) : "the link",
	    via.oif);
	pin->gw = via.gw;
	pin->ifindex = via.oif;
	reaper_note_route(ifm.reaper, &pin->cidr, pin->ifindex);
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
		if (plat_route_del(ifm.routes[i].ifindex,
			&ifm.routes[i].cidr) != 0)
			log_debug("route %s already gone",
			    prefix_fmt(&ifm.routes[i].cidr, p, sizeof(p)));
		/* The pin is [0]: once gone, another route takes its place. */
		if (i == 0)
			ifm.pinned = false;
		route_forget(i);
	}
}
