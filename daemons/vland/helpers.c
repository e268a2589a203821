/*
 * vland's side of the helpers' channels: what vland-ifmgr and vland-auth
 * answer, and the suite stopped if either goes away. How they are
 * started is the system's: processes on Linux (helpers_spawn.c),
 * vland-ifmgr's code in-process on Windows (helpers_inproc.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "hub.h"
#include "ipcmsg.h"
#include "log.h"
#include "refusals.h"
#include "reload.h"
#include "role.h"
#include "vland.h"

void
helpers_hub_up(void)
{
	if (ipcmsg_send_if_hub_up(&vl.ifmgr.chan, 0, IFREQ_SETUP) == -1)
		fatal("IF_HUB_UP");
}

static void
helper_lost(struct helper *h)
{
	/* The suite stops with any of its processes; the init system
	 * restarts it. vland-ifmgr cleans up when it sees us go. */
	fatalx("lost %s", h->name);
}

static void
ifmgr_dispatch(struct ipc_chan *c, short ev, void *arg)
{
	struct helper *h = arg;
	struct ipc_result r;
	struct if_device d;
	struct ipc_msg m;
	int n;

	(void)ev;
	while ((n = ipc_read(c, &m)) == 1) {
		switch (m.hdr.type) {
		case IMSG_IF_RESULT:
			if (ipcmsg_get_result(&m, IPCMSG_IFMGR_TO_VLAND, &r) !=
			    IPCMSG_OK)
				fatalx("vland-ifmgr: malformed IF_RESULT");
			if (m.hdr.reqid == IFREQ_RELOAD)
				reload_ifmgr_result(&r);
			if (r.error == 0 || m.hdr.reqid == IFREQ_RELOAD)
				break;
			if (m.hdr.reqid != IFREQ_SETUP)
				log_warnx("vland-ifmgr: %s", r.msg);
			else
				vl.role->dev_failed(m.hdr.peerid, r.error,
				    r.msg);
			break;
		case IMSG_IF_ROUTES_RESULT: {
			const struct if_routes_result *rr;
			const struct if_route_refusal *ref;

			if (ipcmsg_get_routes_result(&m, IPCMSG_IFMGR_TO_VLAND,
				&rr, &ref) != IPCMSG_OK)
				fatalx(
				    "vland-ifmgr: malformed IF_ROUTES_RESULT");
			refusals_update(rr, ref);
			break;
		}
		case IMSG_IF_DEVICE:
			/* A descriptor, or word that it was lost. */
			if (ipcmsg_get_device(&m, IPCMSG_IFMGR_TO_VLAND, &d) !=
			    IPCMSG_OK)
				fatalx("vland-ifmgr: malformed IF_DEVICE");
			/* A session's device can be refused alone; the
			 * process's own cannot. */
			if (m.fd_lost && m.hdr.peerid != 0 &&
			    vl.role->dev_fd_lost != NULL)
				vl.role->dev_fd_lost(m.hdr.peerid, d.ifname);
			else if (m.fd_lost)
				fatalx("no descriptor left for %s: raise the "
				       "limit on open files (LimitNOFILE=)",
				    d.ifname);
			else
				vl.role->dev_ready(m.hdr.peerid, &d, m.fd);
			break;
		default:
			fatalx("vland-ifmgr: unexpected message %s",
			    ipcmsg_type_name(m.hdr.type));
		}
	}
	if (n == 0 || errno != EAGAIN)
		helper_lost(h);
}

static void
auth_dispatch(struct ipc_chan *c, short ev, void *arg)
{
	struct helper *h = arg;
	struct auth_result r;
	struct ipc_result res;
	struct auth_user u;
	struct ipc_msg m;
	int n;

	(void)ev;
	while ((n = ipc_read(c, &m)) == 1) {
		if (m.fd != -1)
			fatalx("vland-auth: unexpected descriptor");
		switch (m.hdr.type) {
		case IMSG_AUTH_RESULT:
			if (ipcmsg_get_auth_result(&m, IPCMSG_AUTH_TO_VLAND,
				&r) != IPCMSG_OK)
				fatalx("vland-auth: malformed AUTH_RESULT");
			hub_auth_result(m.hdr.peerid, &r);
			break;
		case IMSG_AUTH_USER_GONE:
			if (ipcmsg_get_auth_user(&m, IPCMSG_AUTH_TO_VLAND,
				&u) != IPCMSG_OK)
				fatalx("vland-auth: malformed AUTH_USER_GONE");
			reload_user_gone(u.user);
			break;
		case IMSG_AUTH_RELOADED:
			if (ipcmsg_get_result(&m, IPCMSG_AUTH_TO_VLAND, &res) !=
			    IPCMSG_OK)
				fatalx("vland-auth: malformed AUTH_RELOADED");
			reload_auth_result(&res);
			break;
		case IMSG_AUTH_CONFIG_TEXT: {
			const uint8_t *text;
			size_t len;

			/* Any bytes: the configuration parser judges them. */
			if (ipcmsg_get_text(&m, IPCMSG_AUTH_TO_VLAND, &text,
				&len) != IPCMSG_OK)
				fatalx(
				    "vland-auth: malformed AUTH_CONFIG_TEXT");
			reload_config_text(text, len);
			break;
		}
		default:
			fatalx("vland-auth: unexpected message %s",
			    ipcmsg_type_name(m.hdr.type));
		}
	}
	if (n == 0 || errno != EAGAIN)
		helper_lost(h);
}

void
helpers_events(void)
{
	if (ipc_event_set(&vl.ifmgr.chan, vl.base, ifmgr_dispatch, &vl.ifmgr) ==
	    -1)
		fatal("ipc_event_set");
	if (vl.auth.up &&
	    ipc_event_set(&vl.auth.chan, vl.base, auth_dispatch, &vl.auth) ==
		-1)
		fatal("ipc_event_set");
	helpers_local_events();
}
