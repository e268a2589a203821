/*
 * vland-ifmgr: creates and deletes the bridge, taps, tun devices and
 * routes for vland, and nothing else (vland-ifmgr(8)). It trusts vland
 * for nothing but the policy in the first message, which vland sends
 * while it still runs as root and before it reads the network: every
 * later request is checked against that policy and against the record of
 * what this process created. On exit it removes all of it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/event.h>

#include "config.h"
#include "ifmgr.h"
#include "ipc.h"
#include "ipcmsg.h"
#include "log.h"
#include "netlink.h"
#include "privsep.h"
#include "reaper.h"

struct ifmgr ifm;

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: vland-ifmgr [-dv]\n");
	exit(1);
}

static void
reply_result(const struct ipc_hdr *h, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
reply_result(const struct ipc_hdr *h, int error, const char *fmt, ...)
{
	struct ipc_result r;
	va_list ap;

	memset(&r, 0, sizeof(r));
	r.error = error;
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(r.msg, sizeof(r.msg), fmt, ap);
		va_end(ap);
		if (error != 0)
			log_warnx("refused %s: %s", ipcmsg_type_name(h->type),
			    r.msg);
	}
	if (ipc_compose(&ifm.chan, IMSG_IF_RESULT, h->peerid, h->reqid, -1, &r,
		sizeof(r)) == -1)
		fatal("ipc_compose");
}

void
ifmgr_reply_device(const struct ipc_hdr *h, const struct ifmgr_dev *d)
{
	struct if_device dev;

	memset(&dev, 0, sizeof(dev));
	snprintf(dev.ifname, sizeof(dev.ifname), "%s", d->name);
	dev.ifindex = d->ifindex;
	if (ipc_compose(&ifm.chan, IMSG_IF_DEVICE, h->peerid, h->reqid, d->fd,
		&dev, sizeof(dev)) == -1)
		fatal("ipc_compose");
}

void
ifmgr_reply(const struct ipc_hdr *h, int error, const char *msg)
{
	if (msg != NULL)
		reply_result(h, error, "%s", msg);
	else
		reply_result(h, error, NULL);
}

static void
ifmgr_shutdown(int status)
{
	ifmgr_cleanup();
	reaper_note_done(ifm.reaper);
	ipc_clear(&ifm.chan);
	nl_close();
	exit(status);
}

static void
dispatch_init(const struct ipc_msg *m)
{
	struct if_init *in = &ifm.init;
	size_t i;

	if (ifm.inited)
		fatalx("IF_INIT sent twice");
	if (ipc_get_exact(m, in, sizeof(*in)) == -1)
		fatalx("IF_INIT: wrong size %zu", m->datalen);
	if (in->role > CFG_ENDPOINT || in->mode > CFG_TUN ||
	    !IPCMSG_STR_OK(in->bridge) || !IPCMSG_STR_OK(in->interface) ||
	    in->nallowed > IPCMSG_ROUTES_MAX)
		fatalx("IF_INIT: malformed");
	if (in->role == CFG_HUB && in->mode == CFG_TAP &&
	    !ifname_valid(in->bridge))
		fatalx("IF_INIT: bad bridge name");
	if ((in->role == CFG_ENDPOINT || in->mode == CFG_TUN) &&
	    !ifname_valid(in->interface))
		fatalx("IF_INIT: bad interface name");
	if (in->role == CFG_HUB && in->ip.a.af != AF_INET)
		fatalx("IF_INIT: bad hub address");
	if (in->ip6.a.af != 0 && !ifmgr_ip6_ok(&in->ip6))
		fatalx("IF_INIT: bad hub IPv6 address");
	for (i = 0; i < in->nallowed; i++)
		if (!prefix_is_network(&in->allowed[i]))
			fatalx("IF_INIT: bad route prefix");
	if (in->mtu < CFG_MTU_MIN || in->mtu > CFG_MTU_MAX)
		fatalx("IF_INIT: bad mtu");
	ifm.inited = true;
	if (in->role == CFG_HUB && in->mode == CFG_TAP)
		reaper_note_bridge(ifm.reaper, in->bridge);
	ifmgr_remove_stale();
	log_info("policy: %s, %s mode, %s %s, %u allowed routes",
	    in->role == CFG_HUB ? "hub" : "endpoint",
	    cfg_mode_name((enum cfg_mode)in->mode),
	    in->role == CFG_HUB && in->mode == CFG_TAP ? "bridge"
						       : "interface",
	    in->role == CFG_HUB && in->mode == CFG_TAP ? in->bridge
						       : in->interface,
	    in->nallowed);
	reply_result(&m->hdr, 0, NULL);
}

static void
dispatch(struct ipc_chan *c, short ev, void *arg)
{
	struct ipc_msg m;
	struct ipc_int v;
	int n;

	(void)ev;
	(void)arg;
	while ((n = ipc_read(c, &m)) == 1) {
		if (m.fd != -1)
			fatalx("%s: unexpected descriptor",
			    ipcmsg_type_name(m.hdr.type));
		if (!ifm.inited && m.hdr.type != IMSG_IF_INIT)
			fatalx("%s before IF_INIT",
			    ipcmsg_type_name(m.hdr.type));
		switch (m.hdr.type) {
		case IMSG_IF_INIT:
			dispatch_init(&m);
			break;
		case IMSG_IF_HUB_UP:
			if (m.datalen != 0)
				fatalx("IF_HUB_UP: wrong size");
			if (ifm.init.mode == CFG_TUN)
				ifmgr_hub_tun_up(&m.hdr);
			else
				ifmgr_bridge_up(&m.hdr);
			break;
		case IMSG_IF_TAP_CREATE: {
			struct if_tap_req r;

			if (ipc_get_exact(&m, &r, sizeof(r)) == -1 ||
			    !IPCMSG_STR_OK(r.user))
				fatalx("IF_TAP_CREATE: malformed");
			ifmgr_tap_create(&m.hdr, &r);
			break;
		}
		case IMSG_IF_DEV_CREATE: {
			struct if_dev_req r;

			if (ipc_get_exact(&m, &r, sizeof(r)) == -1)
				fatalx("IF_DEV_CREATE: malformed");
			ifmgr_dev_create(&m.hdr, &r);
			break;
		}
		case IMSG_IF_DEV_DELETE:
			if (m.datalen != 0)
				fatalx("IF_DEV_DELETE: wrong size");
			ifmgr_dev_delete(&m.hdr);
			break;
		case IMSG_IF_ROUTES: {
			const struct if_routes *rh;
			const struct if_route *rt;

			if ((rh = ipcmsg_routes_get(m.data, m.datalen, &rt)) ==
			    NULL)
				fatalx("IF_ROUTES: malformed");
			ifmgr_routes_sync(&m.hdr, rh, rt);
			break;
		}
		case IMSG_IF_ALLOWED: {
			struct if_allowed *al;
			uint32_t i;

			if ((al = malloc(sizeof(*al))) == NULL)
				fatal("malloc");
			if (ipc_get_exact(&m, al, sizeof(*al)) == -1 ||
			    al->nallowed > IPCMSG_ROUTES_MAX)
				fatalx("IF_ALLOWED: malformed");
			for (i = 0; i < al->nallowed; i++)
				if (!prefix_is_network(&al->allowed[i]))
					fatalx("IF_ALLOWED: bad prefix");
			if (ifm.init.role != CFG_HUB)
				fatalx("IF_ALLOWED on an endpoint");
			ifm.init.nallowed = al->nallowed;
			memcpy(ifm.init.allowed, al->allowed,
			    sizeof(al->allowed));
			free(al);
			log_info("policy: %u allowed routes after a reload",
			    ifm.init.nallowed);
			ifmgr_reply(&m.hdr, 0, NULL);
			break;
		}
		case IMSG_LOG_VERBOSE:
			if (ipc_get_exact(&m, &v, sizeof(v)) == -1)
				fatalx("LOG_VERBOSE: malformed");
			log_setverbose(v.value);
			break;
		default:
			fatalx("unexpected message type %u", m.hdr.type);
		}
	}
	if (n == 0) {
		log_debug("vland closed the channel, cleaning up");
		ifmgr_shutdown(0);
	}
	if (errno != EAGAIN)
		fatal("ipc_read");
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

static void
on_signal(int sig, short ev, void *arg)
{
	(void)ev;
	(void)arg;
	log_info("signal %d, cleaning up", sig);
	ifmgr_shutdown(0);
}

int
main(int argc, char *argv[])
{
	struct event_base *base;
	struct event *sigs[2], *rev;
	struct priv_drop drop = {NULL, NULL, true};
	int ch, foreground = 0, verbose = 0, e, i;
	const int signos[2] = {SIGTERM, SIGINT};
	socklen_t len;
	int type;

	while ((ch = getopt(argc, argv, "dv")) != -1) {
		switch (ch) {
		case 'd':
			foreground = 1;
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	log_procinit("vland-ifmgr");
	log_init(foreground, LOG_DAEMON);
	log_setverbose(verbose);

	len = sizeof(type);
	if (getsockopt(PRIV_IPC_FD, SOL_SOCKET, SO_TYPE, &type, &len) == -1 ||
	    type != SOCK_SEQPACKET)
		fatalx("must be started by vland(8), with its socket on "
		       "descriptor %d",
		    PRIV_IPC_FD);
	if ((e = nl_open()) != 0) {
		errno = -e;
		fatal("netlink");
	}
	TAILQ_INIT(&ifm.devs);

	/*
	 * Keeps: CAP_NET_ADMIN, to create and configure the bridge, taps and
	 * tun devices (TUNSETIFF) and to change addresses and routes. It
	 * stays uid 0 without any other capability: /dev/net/tun is mode
	 * 0666, so opening it needs no more, and uid 0 without
	 * CAP_DAC_OVERRIDE can read or write nothing beyond what root
	 * owns. No chroot, because every new device opens /dev/net/tun.
	 */
	priv_drop(&drop);
	priv_log_protections();
	ifm.reaper = reaper_start();

	if ((base = event_base_new()) == NULL)
		fatalx("event_base_new");
	if (ipc_init(&ifm.chan, PRIV_IPC_FD, 1) == -1 ||
	    ipc_event_set(&ifm.chan, base, dispatch, NULL) == -1)
		fatal("ipc");
	if ((rev = event_new(base, ifm.reaper, EV_READ, on_reaper, NULL)) ==
	    NULL || event_add(rev, NULL) == -1)
		fatalx("reaper event");
	for (i = 0; i < 2; i++) {
		sigs[i] = evsignal_new(base, signos[i], on_signal, NULL);
		if (sigs[i] == NULL || evsignal_add(sigs[i], NULL) == -1)
			fatalx("signal");
	}
	/* Reload is vland's business; a hangup must not stop us. */
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	event_base_dispatch(base);
	ifmgr_shutdown(1);
}
