/*
 * vland-ifmgr: creates and deletes the bridge, taps, tun devices and
 * routes for vland, and nothing else (vland-ifmgr(8)). It trusts vland
 * for nothing: its policy comes from the configuration file, which it
 * reads itself at start and when vland asks for a reload, and every
 * request is checked against that policy, the host's own routes and the
 * record of what this process created. On exit it removes all of it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "config.h"
#include "dnsapply.h"
#include "ifmgr.h"
#include "owner.h"
#include "ipc.h"
#include "ipcmsg.h"
#include "log.h"
#include "nat.h"
#include "platform.h"
#include "privsep.h"
#include "proc.h"
#include "reaper.h"
#include "sandbox.h"
#include "vland_config.h"

struct ifmgr ifm;

/* The hub's device names its nftables table (nat.h). */
static const char *
nat_dev(void)
{
	return ifm.pol.mode == CFG_TAP ? ifm.pol.bridge : ifm.pol.interface;
}

static __attribute__((noreturn)) void
ifmgr_shutdown(int status)
{
	ifmgr_cleanup();
	if (ifm.nat_up)
		nat_remove(nat_dev());
	reaper_note_done(ifm.reaper);
	ipc_clear(&ifm.chan);
	plat_net_close();
	exit(status);
}

static void
on_reaper(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	log_warnx("the reaper is gone, stopping");
	ifmgr_shutdown(1);
}

/*
 * A link was deleted (ifindex 0: events were lost, so look). The hub's
 * bridge gone means every session's frames go nowhere: stop, in one
 * line, and let the supervisor start the hub again whole.
 */
static void
link_deleted(int ifindex)
{
	struct plat_link l;
	int rc;

	if (!ifm.bridge_up)
		return;
	/* Events were lost: only a bridge that is not there, or is now
	 * another device, was deleted; any other answer proves nothing. */
	if (ifindex == 0) {
		rc = plat_link_get(ifm.pol.bridge, &l);
		if ((rc == 0 && l.ifindex == ifm.bridge_ifindex) ||
		    (rc != 0 && rc != -ENODEV))
			return;
	} else if (ifindex != ifm.bridge_ifindex) {
		return;
	}
	log_warnx("bridge %s was deleted under the hub: stopping, so that "
		  "the hub starts again whole",
	    ifm.pol.bridge);
	ifm.bridge_up = false;
	ifmgr_shutdown(1);
}

static void
on_linkwatch(int fd, short ev, void *arg)
{
	(void)ev;
	(void)arg;
	plat_linkwatch_read(fd, link_deleted);
}

/* A burst of route changes (ours included) gives one look, a moment
 * after the last. */
static void
on_route_settled(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	ifmgr_underlay_recheck();
}

static void
on_routewatch(int fd, short ev, void *arg)
{
	static const struct timeval settle = { 0, 200000 };

	(void)ev;
	if (plat_routewatch_drain(fd))
		evtimer_add((struct event *)arg, &settle);
}

static void
on_signal(struct proc *p, int sig)
{
	(void)p;
	log_info("signal %d, cleaning up", sig);
	ifmgr_shutdown(0);
}

/*
 * Every device opens /dev/net/tun as our own user; Debian's udev makes
 * it mode 0666. Say so at start rather than at the first login.
 */
static void
tun_check_access(void)
{
	int fd;

	if ((fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC)) == -1)
		fatal("cannot open /dev/net/tun as %s (it must be mode 0666, "
		      "as Debian's udev makes it)",
		    VLAND_IFMGR_USER);
	close(fd);
}

/* Before the drop: netlink, and the policy while we may read the file. */
static void
ifmgr_load(struct proc *p)
{
	char errbuf[IPCMSG_ERRMSG_MAX + PATH_MAX];
	int e;

	ifm.cfgfile = p->opts.cfgfile;
	p->chan = &ifm.chan;
	if ((e = plat_net_open()) != 0) {
		errno = -e;
		fatal("netlink");
	}
	TAILQ_INIT(&ifm.devs);
	/* The policy, from the file itself, while we may still read it. */
	if (policy_load(ifm.cfgfile, &ifm.pol, errbuf, sizeof(errbuf)) == -1)
		fatalx("%s", errbuf);
	/* The DNS helper, while we are root: it keeps uid 0 (and nothing
	 * else) for resolvconf's files. Only for an endpoint whose file
	 * allows DNS settings, and before the reaper, which closes our
	 * end of it (reaper.c). */
	ifm.dnsfd = -1;
	if (ifm.pol.role == CFG_ENDPOINT && ifm.pol.dns)
		ifm.dnsfd = dnsapply_start(ifm.pol.interface);
}

static void
ifmgr_setup(struct proc *p)
{
	(void)p;
	tun_check_access();
	/* Our maker, for the marks on what we make (owner.h); then no
	 * name of another running vland is touched, not even by our
	 * reaper. */
	/* vland gone already (we were handed to init) owns nothing. */
	if (getppid() == 1)
		fatalx("vland, which started us, is gone");
	if (owner_init(getppid()) == -1)
		fatal("cannot read the start time of vland, pid %d",
		    (int)getppid());
	ifmgr_check_names();
	ifm.reaper = reaper_start();
	/* After the reaper, which has no use for it; before the sandbox,
	 * which allows no new socket. */
	if (ifm.pol.udp_dev.af != 0)
		udpdev_start(&ifm.pol.udp_dev, ifm.pol.udp_dev_port);
	if (ifm.pol.role == CFG_HUB && ifm.pol.mode == CFG_TAP)
		reaper_note_bridge(ifm.reaper, ifm.pol.bridge);
	/* The reaper hears of the table first: if we die between, it
	 * deletes one that may not be there, which is harmless. */
	if (ifm.pol.role == CFG_HUB && ifm.pol.nat[0] != '\0') {
		char err[256];

		reaper_note_nat(ifm.reaper, nat_dev());
		if (nat_setup(&ifm.pol, nat_dev(), err, sizeof(err)) == -1)
			fatalx("nat: cannot set up the masquerade out of %s: "
			       "%s",
			    ifm.pol.nat, err);
		ifm.nat_up = true;
	}
	ifmgr_remove_stale();
	ifmgr_policy_log("");
}

static void
ifmgr_events(struct proc *p)
{
	struct event *rev, *lwev;
	int lw;

	if ((rev = event_new(p->base, ifm.reaper, EV_READ, on_reaper, NULL)) ==
		NULL ||
	    event_add(rev, NULL) == -1)
		fatalx("reaper event");
	/* A hub's bridge deleted under it must be noticed (platform.h). */
	if (ifm.pol.role == CFG_HUB && ifm.pol.mode == CFG_TAP) {
		if ((lw = plat_linkwatch_open()) < 0) {
			errno = -lw;
			fatal("link events");
		}
		if ((lwev = event_new(p->base, lw, EV_READ | EV_PERSIST,
			 on_linkwatch, NULL)) == NULL ||
		    event_add(lwev, NULL) == -1)
			fatalx("link event");
	}
	/* A full tunnel's way to the hub follows the host when it roams. */
	if (ifm.pol.full_tunnel) {
		struct event *settled, *rwev;
		int rw;

		if ((rw = plat_routewatch_open()) < 0) {
			errno = -rw;
			fatal("route events");
		}
		if ((settled = evtimer_new(p->base, on_route_settled, NULL)) ==
			NULL ||
		    (rwev = event_new(p->base, rw, EV_READ | EV_PERSIST,
			 on_routewatch, settled)) == NULL ||
		    event_add(rwev, NULL) == -1)
			fatalx("route event");
	}
}

/* vland is gone: so are we, and what we made. */
void
ifmgr_channel_closed(void)
{
	log_debug("vland closed the channel, cleaning up");
	ifmgr_shutdown(0);
}

/* The loop ends only if it fails: whatever we made goes with us. */
static int
ifmgr_stop(struct proc *p, int loop_rc)
{
	(void)p;
	(void)loop_rc;
	ifmgr_shutdown(1);
}

static const struct proc_spec ifmgr_spec = {
	.name = "vland-ifmgr",
	.usage = "vland-ifmgr [-dv] -f file",
	.required = "f",
	.channel = true,
	.pass_fd = true, /* the taps and tun devices, to vland */
	.dispatch = ifmgr_serve,
	/*
	 * Keeps: CAP_NET_ADMIN, to create and configure the bridge, taps and
	 * tun devices (TUNSETIFF) and to change addresses and routes, as a
	 * user of its own (never uid 0): /dev/net/tun is mode 0666, so
	 * opening it needs no more. The group that may read the
	 * configuration, for reloads. No chroot, because every new device
	 * opens /dev/net/tun and the file may sit anywhere. Its DNS helper,
	 * forked in load before the drop, keeps uid 0 and nothing else
	 * (dnsapply.h).
	 */
	.drop = { VLAND_IFMGR_USER, VLAND_GROUP, NULL, true },
	.sandbox = SANDBOX_IFMGR,
	.sig_handle = { SIGTERM, SIGINT },
	/* Reload is vland's business; a hangup must not stop us. */
	.sig_ignore = { SIGHUP, SIGPIPE },
	.on_signal = on_signal,
	.load = ifmgr_load,
	.setup = ifmgr_setup,
	.events = ifmgr_events,
	.shutdown = ifmgr_stop,
};

int
main(int argc, char *argv[])
{
	return proc_run(&ifmgr_spec, argc, argv);
}
