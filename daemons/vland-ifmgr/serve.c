/*
 * vland-ifmgr's side of its channel to vland: every request read,
 * checked against the policy (the handlers of devices.c, routes.c,
 * dns.c) and answered. The same code whether vland-ifmgr is a process
 * of its own (ifmgr.c, Linux) or runs inside vland.exe on its end of a
 * loopback pair (inproc.c, Windows): the checks do not depend on how
 * the requests come.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ifmgr.h"
#include "ipc.h"
#include "ipcmsg.h"
#include "log.h"

static void reply_result(const struct ipc_hdr *h, int error, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

/* The message is cut to what IF_RESULT carries, in the log as well. */
static void
reply_result(const struct ipc_hdr *h, int error, const char *fmt, ...)
{
	char msg[IPCMSG_ERRMSG_MAX];
	va_list ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		if (error != 0)
			log_warnx("refused %s: %s", ipcmsg_type_name(h->type),
			    msg);
	}
	if (ipcmsg_send_if_result(&ifm.chan, h->peerid, h->reqid, error,
		fmt != NULL ? msg : NULL) == -1)
		fatal("ipc_compose");
}

void
ifmgr_reply_device(const struct ipc_hdr *h, const struct ifmgr_dev *d)
{
	if (ipcmsg_send_if_device(&ifm.chan, h->peerid, h->reqid, d->fd,
		d->name, d->ifindex) == -1)
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

/* Log the policy in one line. */
void
ifmgr_policy_log(const char *when)
{
	const struct ifmgr_policy *p = &ifm.pol;
	bool br = p->role == CFG_HUB && p->mode == CFG_TAP;

	log_info("policy from %s%s: %s, %s mode, %s %s, %zu route prefixes",
	    ifm.cfgfile, when, p->role == CFG_HUB ? "hub" : "endpoint",
	    cfg_mode_name(p->mode),
	    br			     ? "bridge"
		: p->udp_dev.af != 0 ? "device"
				     : "interface",
	    br			     ? p->bridge
		: p->udp_dev.af != 0 ? "udp (test-only)"
				     : ifmgr_dev_label(p->interface),
	    p->nallowed);
}

/*
 * vland says "reload now": read the file again. Only the route prefixes
 * may change; a file that changes anything else, or does not parse,
 * leaves the policy as it was.
 */
static void
policy_reload(const struct ipc_hdr *h)
{
	struct ifmgr_policy *next;
	const char *key;
	char err[IPCMSG_ERRMSG_MAX];

	if ((next = calloc(1, sizeof(*next))) == NULL)
		fatal("calloc");
	if (policy_load(ifm.cfgfile, next, err, sizeof(err)) == -1) {
		ifmgr_reply(h, EINVAL, err);
	} else if ((key = policy_restart_needed(&ifm.pol, next)) != NULL) {
		snprintf(err, sizeof(err),
		    "%s changed, which needs a restart; policy kept", key);
		ifmgr_reply(h, EINVAL, err);
	} else {
		ifm.pol = *next;
		ifmgr_policy_log(" (reloaded)");
		ifmgr_reply(h, 0, NULL);
	}
	free(next);
}

void
ifmgr_serve(struct ipc_chan *c, short ev, void *arg)
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
		switch (m.hdr.type) {
		case IMSG_IF_HUB_UP:
			if (ipcmsg_get_none(&m, IPCMSG_VLAND_TO_IFMGR) !=
			    IPCMSG_OK)
				fatalx("IF_HUB_UP: wrong size");
			if (ifm.pol.mode == CFG_TUN)
				ifmgr_hub_tun_up(&m.hdr);
			else
				ifmgr_bridge_up(&m.hdr);
			break;
		case IMSG_IF_TAP_CREATE: {
			struct if_tap_req r;

			if (ipcmsg_get_tap_req(&m, IPCMSG_VLAND_TO_IFMGR, &r) !=
			    IPCMSG_OK)
				fatalx("IF_TAP_CREATE: malformed");
			ifmgr_tap_create(&m.hdr, &r);
			break;
		}
		case IMSG_IF_DEV_CREATE: {
			struct if_dev_req r;

			if (ipcmsg_get_dev_req(&m, IPCMSG_VLAND_TO_IFMGR, &r) !=
			    IPCMSG_OK)
				fatalx("IF_DEV_CREATE: malformed");
			ifmgr_dev_create(&m.hdr, &r);
			break;
		}
		case IMSG_IF_DEV_DELETE:
			if (ipcmsg_get_none(&m, IPCMSG_VLAND_TO_IFMGR) !=
			    IPCMSG_OK)
				fatalx("IF_DEV_DELETE: wrong size");
			ifmgr_dev_delete(&m.hdr);
			break;
		case IMSG_IF_ROUTES: {
			const struct if_routes *rh;
			const struct if_route *rt;

			if (ipcmsg_get_routes(&m, IPCMSG_VLAND_TO_IFMGR, &rh,
				&rt) != IPCMSG_OK)
				fatalx("IF_ROUTES: malformed");
			ifmgr_routes_sync(&m.hdr, rh, rt);
			break;
		}
		case IMSG_IF_DNS: {
			struct if_dns r;

			if (ipcmsg_get_dns(&m, IPCMSG_VLAND_TO_IFMGR, &r) !=
			    IPCMSG_OK)
				fatalx("IF_DNS: malformed");
			ifmgr_dns(&m.hdr, &r);
			break;
		}
		case IMSG_IF_RELOAD:
			if (ipcmsg_get_none(&m, IPCMSG_VLAND_TO_IFMGR) !=
			    IPCMSG_OK)
				fatalx("IF_RELOAD: wrong size");
			policy_reload(&m.hdr);
			break;
		case IMSG_LOG_VERBOSE:
			if (ipcmsg_get_int(&m, IPCMSG_VLAND_TO_IFMGR, &v) !=
			    IPCMSG_OK)
				fatalx("LOG_VERBOSE: malformed");
			log_setverbose(v.value);
			break;
		default:
			fatalx("unexpected message type %u", m.hdr.type);
		}
	}
	if (n == 0) {
		ifmgr_channel_closed();
		return;
	}
	if (errno != EAGAIN)
		fatal("ipc_read");
}
