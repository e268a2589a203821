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
 * What the separate process has and this has not: a reaper (what a
 * crashed vland.exe changed, its routes, addresses, MTU and MAC
 * parameter, is in the record beside its configuration, which the next
 * start undoes: platform/windows/iphlp.h), link events, stale names (no link marks on Windows),
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
#include "iphlp.h"
#include "reaper.h"
#include "routerec.h"

struct ifmgr ifm;

/*
 * The record of what vland changed (routerec.h): the configuration's
 * path with .rec for its extension (vland.yaml: vland.rec), in the
 * configuration's directory, which the service's account and the
 * administrators alone may write (README.md, "Windows endpoint"). One
 * configuration's, so that two vland.exe of two files beside each
 * other keep two records; then what a crashed run of this one left is
 * undone (vland.exe opened this configuration's control pipe first,
 * so no other runs it).
 */
static void
record_start(const char *cfgfile)
{
	char path[PATH_MAX];
	const char *s1 = strrchr(cfgfile, '\\'), *s2 = strrchr(cfgfile, '/');
	const char *base, *dot;
	int stem, rc;

	base = s1 == NULL ? s2 : s2 == NULL ? s1 : s1 > s2 ? s1 : s2;
	base = base != NULL ? base + 1 : cfgfile;
	dot = strrchr(base, '.');
	stem = dot != NULL && dot > base ? (int)(dot - cfgfile)
					 : (int)strlen(cfgfile);
	if (snprintf(path, sizeof(path), "%.*s.rec", stem, cfgfile) >=
	    (int)sizeof(path))
		fatalx("%s: path too long for its record", cfgfile);
	if (routerec_set_path(path) != 0)
		fatalx("%s: path too long for its record", cfgfile);
	if ((rc = iphlp_undo_all()) < 0)
		log_warnx("cannot undo all that %s says a vland.exe that "
			  "stopped changed: %s",
		    path, strerror(-rc));
	else if (rc > 0)
		log_info("undid %d changes a vland.exe that stopped left "
			 "(%s)",
		    rc, path);
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
	record_start(cfgfile);
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
