/*
 * vland's side of the helper processes: start them by absolute path with
 * their socket on descriptor 3 and the configuration file's path (each
 * reads its policy from the file itself), and stop the suite if either
 * goes away.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "hub.h"
#include "ipcmsg.h"
#include "log.h"
#include "privsep.h"
#include "refusals.h"
#include "reload.h"
#include "role.h"
#include "vland.h"
#include "vland_config.h"

static void helpers_reap(void);

static void
helper_start(struct helper *h, const char *name, char *argv[], int pass_fd)
{
	char path[512];
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		fatal("socketpair");
	snprintf(path, sizeof(path), "%s/%s", priv_libexec_dir(), name);
	/* Said here, in one line: a child whose exec fails can only exit. */
	if (access(path, X_OK) == -1)
		fatal("cannot run %s", path);
	argv[0] = path;
	h->name = name;
	h->pid = priv_exec_child(path, argv, sv[1]);
	close(sv[1]);
	if (ipc_init(&h->chan, sv[0], pass_fd) == -1)
		fatal("ipc_init");
	h->up = true;
	log_debug("started %s, pid %d", path, (int)h->pid);
}

void
helpers_start(int foreground, int verbose)
{
	char *argv[8];
	char flags[8] = "-", fopt[] = "-f", uopt[] = "-u";
	char user[] = VLAND_AUTH_USER;
	int n = 1;

	if (foreground)
		strcat(flags, "d");
	while (verbose-- > 0 && strlen(flags) < sizeof(flags) - 1)
		strcat(flags, "v");

	if (strlen(flags) > 1)
		argv[n++] = flags;
	argv[n++] = fopt;
	argv[n++] = vl.cfgreal;
	argv[n] = NULL;
	helper_start(&vl.ifmgr, "vland-ifmgr", argv, 1);
	if (atexit(helpers_reap) != 0)
		fatalx("atexit");

	if (!vl.role->serves_logins)
		return;
	/* vland-auth chroots to the directory of this absolute path. */
	n = 1;
	if (strlen(flags) > 1)
		argv[n++] = flags;
	argv[n++] = fopt;
	argv[n++] = vl.cfgreal;
	argv[n++] = uopt;
	argv[n++] = user;
	argv[n] = NULL;
	helper_start(&vl.auth, "vland-auth", argv, 0);
}

void
helpers_hub_up(void)
{
	if (ipc_compose(&vl.ifmgr.chan, IMSG_IF_HUB_UP, 0, IFREQ_SETUP, -1,
		NULL, 0) == -1)
		fatal("IF_HUB_UP");
}

/*
 * At exit, whatever the reason: close the channels, so that each helper
 * stops and vland-ifmgr removes what it made, and wait for them (at most
 * HELPER_EXIT_MS), so that a vland started right after this one exits
 * finds no bridge, tap or route of ours left to be deleted under it.
 */
#define HELPER_EXIT_MS 10000

static void
helpers_reap(void)
{
	struct helper *hs[2] = { &vl.ifmgr, &vl.auth };
	const struct timespec step = { 0, 20 * 1000 * 1000 };
	int i, waited;

	for (i = 0; i < 2; i++)
		if (hs[i]->pid > 0 && hs[i]->chan.fd != -1)
			ipc_clear(&hs[i]->chan);
	for (i = 0; i < 2; i++) {
		if (hs[i]->pid <= 0)
			continue;
		for (waited = 0; waited < HELPER_EXIT_MS; waited += 20) {
			if (waitpid(hs[i]->pid, NULL, WNOHANG) != 0)
				break;
			nanosleep(&step, NULL);
		}
		if (waited >= HELPER_EXIT_MS)
			log_warnx("%s (pid %d) did not stop within %d s",
			    hs[i]->name, (int)hs[i]->pid,
			    HELPER_EXIT_MS / 1000);
		hs[i]->pid = 0;
	}
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
			if (m.fd != -1 ||
			    ipc_get_exact(&m, &r, sizeof(r)) == -1 ||
			    !IPCMSG_STR_OK(r.msg))
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

			if (m.fd != -1 ||
			    (rr = ipcmsg_routes_result_get(m.data, m.datalen,
				 &ref)) == NULL)
				fatalx(
				    "vland-ifmgr: malformed IF_ROUTES_RESULT");
			refusals_update(rr, ref);
			break;
		}
		case IMSG_IF_DEVICE:
			if ((m.fd == -1 && !m.fd_lost) ||
			    ipc_get_exact(&m, &d, sizeof(d)) == -1 ||
			    !IPCMSG_STR_OK(d.ifname))
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
			if (ipc_get_exact(&m, &r, sizeof(r)) == -1 ||
			    (r.status == AUTH_S_OK &&
				(r.address.af != AF_INET || r.prefixlen < 8 ||
				    r.prefixlen > 30)))
				fatalx("vland-auth: malformed AUTH_RESULT");
			hub_auth_result(m.hdr.peerid, &r);
			break;
		case IMSG_AUTH_USER_GONE:
			if (ipc_get_exact(&m, &u, sizeof(u)) == -1 ||
			    !IPCMSG_STR_OK(u.user))
				fatalx("vland-auth: malformed AUTH_USER_GONE");
			reload_user_gone(u.user);
			break;
		case IMSG_AUTH_RELOADED:
			if (ipc_get_exact(&m, &res, sizeof(res)) == -1 ||
			    !IPCMSG_STR_OK(res.msg))
				fatalx("vland-auth: malformed AUTH_RELOADED");
			reload_auth_result(&res);
			break;
		case IMSG_AUTH_CONFIG_TEXT:
			reload_config_text(m.data, m.datalen);
			break;
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
}
