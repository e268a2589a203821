/*
 * A hub's taps past one bridge's ports. A Linux bridge numbers its
 * ports in ten bits and takes at most 1,023 ("Exchange full" after
 * that). When the hub's bridge is full, a tap goes to an overflow
 * bridge of ours, joined to the hub's by a veth pair: the first tap of
 * the hub's bridge is moved to the new overflow bridge to free the port
 * the veth takes there. Frames between endpoints are switched by vland
 * itself (switch: hub) and never cross a bridge; what does (to and from
 * the hub, broadcasts) crosses two. With isolate, both ends keep taps
 * apart: the taps are isolated ports, and so is the veth's end on the
 * hub's bridge, so that taps of two overflow bridges do not meet there.
 *
 * Overflow bridges, veths and taps carry the taps' mark (owner.h), so
 * that the next start and the reaper remove them as they remove taps;
 * they stay until vland-ifmgr stops.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ifmgr.h"
#include "log.h"
#include "owner.h"
#include "platform.h"

/* At most this many overflow bridges: 64 of them hold 65,000 taps. */
#define OVERFLOW_MAX 64

static struct overflow {
	int bridge;	      /* its ifindex */
	int uplink;	      /* the veth's end on the hub's bridge */
	char name[IFNAMSIZ];  /* the bridge's */
	char vname[IFNAMSIZ]; /* the veth's end on the hub's bridge */
} ovf[OVERFLOW_MAX];
static size_t novf;

/* Mark, MTU, up: what every link of ours gets. */
static int
link_ready(const char *name, int *ifindex)
{
	char alias[OWNER_ALIAS_MAX], kind[OWNER_ALIAS_MAX];
	struct plat_link l;
	int rc;

	snprintf(kind, sizeof(kind), "%s%s", ALIAS_TAP, ifm.pol.bridge);
	owner_alias(alias, sizeof(alias), kind);
	if ((rc = plat_link_get(name, &l)) != 0 ||
	    (rc = plat_link_set_alias(l.ifindex, alias)) != 0 ||
	    (rc = plat_link_set_mtu(l.ifindex, ifm.pol.mtu)) != 0 ||
	    (rc = plat_link_set_up(l.ifindex)) != 0)
		return rc;
	*ifindex = l.ifindex;
	return 0;
}

/* Attach a link to a bridge, an isolated port if isolate says so. */
static int
attach(int ifindex, int bridge, bool isolated)
{
	int rc;

	if ((rc = plat_link_set_master(ifindex, bridge)) != 0)
		return rc;
	return isolated ? plat_link_set_isolated(ifindex, true) : 0;
}

/* Delete a link we made by its name, if it is there. */
static void
delete_named(const char *name)
{
	struct plat_link l;

	if (plat_link_get(name, &l) == 0)
		plat_link_delete(l.ifindex);
}

/* A tap of ours on the hub's bridge, to move to a new overflow bridge:
 * the newest, so that long-lived sessions are not disturbed. */
static struct ifmgr_dev *
tap_on_hub_bridge(void)
{
	struct ifmgr_dev *d, *last = NULL;

	TAILQ_FOREACH (d, &ifm.devs, entry)
		if (d->master == ifm.bridge_ifindex)
			last = d;
	return last;
}

/* A new overflow bridge, joined to the hub's; its index or -errno. */
static int
overflow_add(void)
{
	struct overflow *o = &ovf[novf];
	struct ifmgr_dev *moved;
	char peer[IFNAMSIZ];
	int rc, peer_ifindex;

	if (novf == OVERFLOW_MAX)
		return -EXFULL;
	if ((moved = tap_on_hub_bridge()) == NULL)
		return -EXFULL; /* an operator's bridge, full of theirs */
	/* Named after the hub's bridge's ifindex: unique on the host. */
	snprintf(o->name, sizeof(o->name), "vlo%d-%zu", ifm.bridge_ifindex,
	    novf + 1);
	snprintf(o->vname, sizeof(o->vname), "vlu%d-%zua", ifm.bridge_ifindex,
	    novf + 1);
	snprintf(peer, sizeof(peer), "vlu%d-%zub", ifm.bridge_ifindex,
	    novf + 1);
	if ((rc = plat_bridge_create(o->name)) != 0)
		return rc;
	if ((rc = link_ready(o->name, &o->bridge)) != 0 ||
	    (rc = plat_veth_create(o->vname, peer)) != 0)
		goto fail_bridge;
	if ((rc = link_ready(o->vname, &o->uplink)) != 0 ||
	    (rc = link_ready(peer, &peer_ifindex)) != 0 ||
	    (rc = attach(peer_ifindex, o->bridge, false)) != 0 ||
	    (rc = attach(moved->ifindex, o->bridge, ifm.pol.isolate)) != 0)
		goto fail_veth;
	moved->master = o->bridge;
	if ((rc = attach(o->uplink, ifm.bridge_ifindex, ifm.pol.isolate)) !=
	    0) {
		/* The moved tap goes back where it was. */
		if (attach(moved->ifindex, ifm.bridge_ifindex,
			ifm.pol.isolate) == 0)
			moved->master = ifm.bridge_ifindex;
		goto fail_veth;
	}
	log_info("bridge %s is full: overflow bridge %s joined to it by %s "
		 "(%s moved there)",
	    ifm.pol.bridge, o->name, o->vname, moved->name);
	return (int)novf++;

fail_veth:
	delete_named(o->vname); /* and its peer with it */
fail_bridge:
	if (moved->master == o->bridge)
		moved->master = 0; /* detached when its bridge goes */
	delete_named(o->name);
	memset(o, 0, sizeof(*o));
	return rc;
}

int
overflow_attach(struct ifmgr_dev *d)
{
	size_t i;
	int rc;

	rc = attach(d->ifindex, ifm.bridge_ifindex, ifm.pol.isolate);
	for (i = 0; rc == -EXFULL && i < novf; i++) {
		rc = attach(d->ifindex, ovf[i].bridge, ifm.pol.isolate);
		if (rc == 0)
			d->master = ovf[i].bridge;
	}
	if (rc == 0 && d->master == 0)
		d->master = ifm.bridge_ifindex;
	if (rc != -EXFULL)
		return rc;
	if ((rc = overflow_add()) < 0)
		return rc;
	i = (size_t)rc;
	if ((rc = attach(d->ifindex, ovf[i].bridge, ifm.pol.isolate)) == 0)
		d->master = ovf[i].bridge;
	return rc;
}

void
overflow_remove_all(void)
{
	size_t i;

	for (i = 0; i < novf; i++) {
		log_info("deleting overflow bridge %s", ovf[i].name);
		/* Deleting one end of a veth deletes both. */
		plat_link_delete(ovf[i].uplink);
		plat_link_delete(ovf[i].bridge);
	}
	memset(ovf, 0, sizeof(ovf));
	novf = 0;
}
