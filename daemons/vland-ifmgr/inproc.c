/*
 * vland-ifmgr inside vland.exe (Windows): the same request handlers and
 * policy checks (serve.c, devices.c, routes.c, dns.c, policy.c), on
 * one end of a loopback TCP pair whose other end is vland's helper
 * channel, served by vland's own event loop. Windows has no fork and
 * no descriptor passing, and its privileges are not split yet
 * (platform/windows/privsep.c), so a second process would buy nothing:
 * the policy still comes from the file, read here, never from vland's
 * requests, and the channel carries the same records (ipcwin.c hands
 * a device over as a duplicate socket of this process).
 *
 * What the separate process has and this has not: a reaper (a crashed
 * vland.exe leaves its addresses and routes on the adapter, which the
 * record, vland.rec beside the configuration, lets the next run's open
 * of the adapter find and remove: platform/windows/iphlp.h), link events, stale names (no link marks on Windows),
 * NAT and the DNS helper (an endpoint's DNS settings are not applied
 * on Windows yet).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "dnsapply.h"
#include "ifmgr.h"
#include "log.h"
#include "platform.h"
#include "reaper.h"
#include "routerec.h"

struct ifmgr ifm;

/* The record of what vland put on the adapter (routerec.h): vland.rec
 * in the configuration's directory, which the service's account and
 * the administrators alone may write (README.md, "Windows endpoint"). */
static void
record_beside(const char *cfgfile)
{
	char path[PATH_MAX];
	const char *slash = strrchr(cfgfile, '\\'), *s2 = strrchr(cfgfile, '/');
	int dir;

	if (s2 != NULL && (slash == NULL || s2 > slash))
		slash = s2;
	dir = slash != NULL ? (int)(slash - cfgfile) + 1 : 0;
	if (snprintf(path, sizeof(path), "%.*svland.rec", dir, cfgfile) >=
	    (int)sizeof(path))
		fatalx("%s: path too long for its record", cfgfile);
	routerec_set_path(path);
}

void
ifmgr_inproc_start(const char *cfgfile, int fd)
{
	char errbuf[IPCMSG_ERRMSG_MAX + PATH_MAX];
	int e;

	ifm.cfgfile = cfgfile;
	ifm.reaper = -1;
	ifm.dnsfd = -1;
	TAILQ_INIT(&ifm.devs);
	if ((e = plat_net_open()) != 0) {
		errno = -e;
		fatal("IP Helper");
	}
	if (policy_load(cfgfile, &ifm.pol, errbuf, sizeof(errbuf)) == -1)
		fatalx("%s", errbuf);
	record_beside(cfgfile);
	if (ifm.pol.udp_dev.af != 0)
		udpdev_start(&ifm.pol.udp_dev, ifm.pol.udp_dev_port);
	if (ipc_init(&ifm.chan, fd, 1) == -1)
		fatal("ipc_init");
	ifmgr_policy_log(" (in-process)");
}

void
ifmgr_inproc_events(struct event_base *base)
{
	if (ipc_event_set(&ifm.chan, base, ifmgr_serve, NULL) == -1)
		fatal("ipc_event_set");
}

/* At vland.exe's exit: remove what we made, close our end. */
void
ifmgr_inproc_stop(void)
{
	if (ifm.chan.fd == -1 && TAILQ_EMPTY(&ifm.devs))
		return;
	ifmgr_cleanup();
	ipc_clear(&ifm.chan);
	plat_net_close();
}

void
ifmgr_channel_closed(void)
{
	log_debug("vland closed the channel, cleaning up");
	ifmgr_inproc_stop();
}

/* No reaper in-process (above): nothing to tell it. */
void
reaper_note_bridge(int fd, const char *bridge)
{
	(void)fd;
	(void)bridge;
}

void
reaper_note_addr(int fd, const struct prefix *p)
{
	(void)fd;
	(void)p;
}

void
reaper_note_route(int fd, const struct prefix *p, int oif)
{
	(void)fd;
	(void)p;
	(void)oif;
}

void
reaper_note_nat(int fd, const char *dev)
{
	(void)fd;
	(void)dev;
}

void
reaper_note_done(int fd)
{
	(void)fd;
}

/* No DNS helper (above): dns.c never calls it with dnsfd -1. */
void
dnsapply_set(int fd, const char *ifname, int ifindex, const struct dns_set *set)
{
	(void)fd;
	(void)ifname;
	(void)ifindex;
	(void)set;
}

/* No hub in vland.exe: no bridge for a tap to join. */
int
overflow_attach(struct ifmgr_dev *d)
{
	(void)d;
	return -EOPNOTSUPP;
}

void
overflow_remove_all(void)
{
}
