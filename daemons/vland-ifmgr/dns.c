/*
 * IF_DNS: the hub's DNS settings, as vland passes them on. vland is
 * not trusted with the host's resolver: the request is refused unless
 * the file vland-ifmgr read itself says dns: yes, the endpoint's own
 * device exists, and every server and domain passes dnsset.h's rules
 * (so nothing but addresses and host names reaches resolv.conf). The
 * settings go only to that device; the helper (dnsapply.h) applies them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dnsapply.h"
#include "ifmgr.h"
#include "log.h"

static struct dns_set applied; /* the last set given to the helper */
static int applied_ifindex;    /* 0: none */

void
ifmgr_dns(const struct ipc_hdr *h, const struct if_dns *r)
{
	struct ifmgr_dev *d;

	if (ifm.pol.role != CFG_ENDPOINT || !ifm.pol.dns || ifm.dnsfd == -1) {
		ifmgr_reply(h, EPERM, "DNS settings: not without dns: yes");
		return;
	}
	TAILQ_FOREACH (d, &ifm.devs, entry)
		if (d->peerid == 0)
			break;
	if (d == NULL) {
		ifmgr_reply(h, ENODEV, "DNS settings: no device yet");
		return;
	}
	if (!dns_set_valid(&r->set)) {
		ifmgr_reply(h, EINVAL,
		    "DNS settings: not valid name servers and domains");
		return;
	}
	/* Each rekey brings the same set again: no change, no work. */
	if (applied_ifindex == d->ifindex && dns_set_equal(&applied, &r->set)) {
		ifmgr_reply(h, 0, NULL);
		return;
	}
	applied = r->set;
	applied_ifindex = d->ifindex;
	dnsapply_set(ifm.dnsfd, d->name, d->ifindex, &r->set);
	ifmgr_reply(h, 0, NULL);
}

void
ifmgr_dns_remove(const char *ifname, int ifindex)
{
	static const struct dns_set none;

	if (ifm.dnsfd == -1 || applied_ifindex == 0 ||
	    applied_ifindex != ifindex)
		return;
	dnsapply_set(ifm.dnsfd, ifname, ifindex, &none);
	memset(&applied, 0, sizeof(applied));
	applied_ifindex = 0;
}
