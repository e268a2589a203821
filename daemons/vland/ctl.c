/*
 * The control channel: vlanctl's requests, answered with binary records
 * (proto/ctlmsg.h), the same on every system. Where the clients come
 * from and who they are is the system's (ctlsock.h): on Linux a socket
 * whose peer credentials say whether a client may only ask what is
 * (show) or also change things (kick, reload, log); on Windows a named
 * pipe that only administrators may open.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "ctl.h"
#include "ctlmsg.h"
#include "ctlsock.h"
#include "endpoint.h"
#include "fdpause.h"
#include "fsm.h"
#include "hub.h"
#include "hubaddr.h"
#include "ipcmsg.h"
#include "log.h"
#include "reload.h"
#include "role.h"
#include "refusals.h"
#include "routes.h"
#include "peers.h"
#include "session.h"
#include "vland_config.h"

#define CTL_CLIENTS_MAX 16
/* Records still waiting for a client when it asks again: one that asks
 * without reading would make them pile up. An answer itself may be
 * longer (show endpoints on a hub of 10,000 sessions). */
#define CTL_QUEUE_MAX 4096

struct ctl_client {
	TAILQ_ENTRY(ctl_client) entry;
	struct ipc_chan chan;
	unsigned long uid;
	bool admin; /* may kick, reload, change the log level */
};

static int ctl_fd = -1;
static struct event *ctl_ev;
static struct fdpause ctl_pause;
static TAILQ_HEAD(, ctl_client) clients = TAILQ_HEAD_INITIALIZER(clients);
static size_t nclients;

static void
ctl_drop(struct ctl_client *c)
{
	reload_forget(c);
	ipc_clear(&c->chan);
	TAILQ_REMOVE(&clients, c, entry);
	free(c);
	nclients--;
}

static void
ctl_end(struct ctl_client *c, int error, const char *msg)
{
	struct ctl_end e;

	memset(&e, 0, sizeof(e));
	e.error = error;
	if (msg != NULL)
		snprintf(e.msg, sizeof(e.msg), "%s", msg);
	ipc_compose(&c->chan, CTL_R_END, 0, 0, -1, &e, sizeof(e));
}

static void
counters_out(struct ctl_counters *o, const struct counters *c)
{
	int i;

	o->rx_packets = c->rx_packets;
	o->rx_bytes = c->rx_bytes;
	o->tx_packets = c->tx_packets;
	o->tx_bytes = c->tx_bytes;
	o->drops = 0;
	for (i = 0; i < DROP_NREASONS; i++)
		o->drops += c->drops[i];
}

static void
ctl_show_endpoints(struct ctl_client *c)
{
	struct ctl_endpoint e;
	struct session *s;
	uint64_t now = now_ms();

	TAILQ_FOREACH (s, &vl.sessions->list, entry) {
		if (!sess_logged_in(s->state))
			continue;
		memset(&e, 0, sizeof(e));
		snprintf(e.user, sizeof(e.user), "%s", s->user);
		snprintf(e.ifname, sizeof(e.ifname), "%s", s->ifname);
		e.addr = s->addr;
		e.prefixlen = s->prefixlen;
		if (vl.cfg->ip6.a.af == AF_INET6 && s->addr.af == AF_INET) {
			e.addr6.len = vl.cfg->ip6.len;
			addr_v6_embed(&vl.cfg->ip6, &s->addr, &e.addr6.a);
		}
		e.state = s->state == SESS_UP;
		peer_to_addr(&s->peer, &e.remote, &e.remote_port);
		e.login_time = (int64_t)s->login_time;
		e.last_rx_ms = now - s->last_rx_ms;
		counters_out(&e.c, &s->c);
		e.peers = s->npairs;
		ipc_compose(&c->chan, CTL_R_ENDPOINT, 0, 0, -1, &e, sizeof(e));
	}
	ctl_end(c, 0, NULL);
}

static void
ctl_show_sessions(struct ctl_client *c)
{
	const struct fsm_def *d = vl.role->session_fsm;
	struct ctl_session r;
	struct session *s;
	uint64_t now = now_ms();

	TAILQ_FOREACH (s, &vl.sessions->list, entry) {
		memset(&r, 0, sizeof(r));
		r.id = s->id;
		snprintf(r.user, sizeof(r.user), "%s", s->user);
		snprintf(r.state, sizeof(r.state), "%s",
		    fsm_state_name(d, s->state));
		snprintf(r.event, sizeof(r.event), "%s",
		    fsm_event_name(d, s->event));
		peer_to_addr(&s->peer, &r.remote, &r.remote_port);
		r.age_ms = now - s->created_ms;
		r.last_rx_ms = s->last_rx_ms != 0 ? now - s->last_rx_ms : 0;
		ipc_compose(&c->chan, CTL_R_SESSION, 0, 0, -1, &r, sizeof(r));
	}
	ctl_end(c, 0, NULL);
}

/* An endpoint's direct peers (none on a hub). */
static void
ctl_show_peers(struct ctl_client *c)
{
	struct ctl_peer r;
	size_t i;

	for (i = 0; direct_peer_row(i, &r); i++)
		ipc_compose(&c->chan, CTL_R_PEER, 0, 0, -1, &r, sizeof(r));
	ctl_end(c, 0, NULL);
}

static void
ctl_show_status(struct ctl_client *c)
{
	struct ctl_status *st;
	size_t i;

	if ((st = calloc(1, sizeof(*st))) == NULL)
		fatal("calloc");
	st->role = (uint8_t)vl.cfg->role;
	st->mode = (uint8_t)vl.cfg->mode;
	st->uptime_s = (now_ms() - vl.started_ms) / 1000;
	st->sessions = (uint32_t)session_count(vl.sessions, SESS_UP);
	st->pending = (uint32_t)(session_count(vl.sessions, SESS_WAIT_AUTH) +
	    session_count(vl.sessions, SESS_AUTHING) +
	    session_count(vl.sessions, SESS_WAIT_TAP));
	counters_out(&st->c, &vl.total);
	for (i = 0; i < DROP_NREASONS; i++)
		st->drops_by_reason[i] = vl.total.drops[i];
	vl.role->status(st);
	st->illegal_transitions = fsm_illegal();
	st->routes = refusals_installed(&st->routes_version);
	st->routes_refused = refusals_now();
	st->route_refusals = refusals_total();
	ipc_compose(&c->chan, CTL_R_STATUS, 0, 0, -1, st, sizeof(*st));
	free(st);
	ctl_end(c, 0, NULL);
}

/*
 * One record per route of the set: on a hub the configured routes with
 * their nexthop user, on an endpoint the hub's set as it came. A route
 * is installed when its nexthop is known and is not this host, unless
 * vland-ifmgr refused it.
 */
static void
ctl_show_routes(struct ctl_client *c)
{
	const struct pmsg_routes *r = vl.role->route_set();
	struct ctl_route out;
	const char *why;
	size_t i;

	for (i = 0; i < r->count; i++) {
		memset(&out, 0, sizeof(out));
		if (!vl.role->route_row(i, &out))
			break;
		out.cidr = r->r[i].dst;
		out.via = r->r[i].nexthop;
		out.version = r->version;
		if ((why = refusals_why(&out.cidr)) != NULL)
			snprintf(out.refused, sizeof(out.refused), "%s", why);
		/* Routes via this host itself need no kernel route here. */
		out.installed = out.via.af != 0 && why == NULL &&
		    !vl.role->is_self(&out.via);
		ipc_compose(&c->chan, CTL_R_ROUTE, 0, 0, -1, &out, sizeof(out));
	}
	ctl_end(c, 0, NULL);
}

static void
ctl_kick(struct ctl_client *c, const struct ctl_user *u)
{
	struct session *s;

	if (!vl.role->serves_logins) {
		ctl_end(c, EINVAL, "kick works on a hub");
		return;
	}
	if ((s = session_by_user(vl.sessions, u->user, NULL)) == NULL) {
		ctl_end(c, ENOENT, "no such user logged in");
		return;
	}
	log_info("kicking %s", s->user);
	hub_session_end(s, SEV_END_KICKED);
	ctl_end(c, 0, NULL);
}

static void
ctl_reload_done(void *arg, int error, const char *msg)
{
	ctl_end(arg, error, msg);
}

static void
ctl_log_verbose(struct ctl_client *c, int verbose)
{
	log_setverbose(verbose);
	if (ipcmsg_send_log_verbose(&vl.ifmgr.chan, 0, IFREQ_NONE, verbose) ==
		-1 ||
	    (vl.auth.up &&
		ipcmsg_send_log_verbose(&vl.auth.chan, 0, AUTHREQ_NONE,
		    verbose) == -1))
		fatal("LOG_VERBOSE");
	log_info("logging %s", verbose ? "verbose" : "brief");
	ctl_end(c, 0, NULL);
}

/* Requests that change something: root and control-admin-group only. */
static bool
ctl_may_change(struct ctl_client *c, const char *what)
{
	char msg[CTL_MSG_MAX];

	if (c->admin)
		return true;
	log_warnx("control: uid %lu may not %s", c->uid, what);
	snprintf(msg, sizeof(msg), "%s needs root%s%s", what,
	    vl.cfg->control_admin_group[0] != '\0' ? " or the group " : "",
	    vl.cfg->control_admin_group);
	ctl_end(c, EPERM, msg);
	return false;
}

static void
ctl_dispatch(struct ipc_chan *chan, short ev, void *arg)
{
	struct ctl_client *c = arg;
	struct ctl_user u;
	struct ipc_msg m;
	int n;

	(void)ev;
	(void)chan;
	while ((n = ipc_read(&c->chan, &m)) == 1) {
		if (c->chan.queued > CTL_QUEUE_MAX) {
			ctl_drop(c);
			return;
		}
		switch (m.hdr.type) {
		case CTL_SHOW_ENDPOINTS:
			ctl_show_endpoints(c);
			break;
		case CTL_SHOW_STATUS:
			ctl_show_status(c);
			break;
		case CTL_KICK:
			if (!ctl_may_change(c, "kick"))
				break;
			if (ipc_get_exact(&m, &u, sizeof(u)) == -1 ||
			    !memchr(u.user, '\0', sizeof(u.user))) {
				ctl_end(c, EINVAL, "malformed request");
				break;
			}
			ctl_kick(c, &u);
			break;
		case CTL_SHOW_ROUTES:
			ctl_show_routes(c);
			break;
		case CTL_SHOW_PEERS:
			ctl_show_peers(c);
			break;
		case CTL_SHOW_SESSIONS:
			ctl_show_sessions(c);
			break;
		case CTL_RELOAD:
			if (ctl_may_change(c, "reload"))
				reload_start(ctl_reload_done, c);
			break;
		case CTL_LOG_VERBOSE: {
			struct ctl_int v;

			if (!ctl_may_change(c, "log"))
				break;
			if (ipc_get_exact(&m, &v, sizeof(v)) == -1)
				ctl_end(c, EINVAL, "malformed request");
			else
				ctl_log_verbose(c, v.value != 0);
			break;
		}
		default:
			ctl_end(c, EINVAL, "unknown request");
		}
	}
	/* A client that goes away or talks nonsense is dropped. */
	if (n == 0 || errno != EAGAIN)
		ctl_drop(c);
}

static void
ctl_accept(evutil_socket_t fd, short ev, void *arg)
{
	struct ctl_client *c;
	struct ctl_who who;
	int cfd;

	(void)ev;
	(void)arg;
	if ((cfd = ctlsock_accept((int)fd, &who)) == -1) {
		if (fdpause_failed(&ctl_pause, errno))
			event_del(ctl_ev);
		return;
	}
	if (nclients >= CTL_CLIENTS_MAX) {
		ctlsock_drop(cfd);
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatal("calloc");
	c->uid = who.uid;
	c->admin = who.admin;
	if (ipc_init(&c->chan, cfd, 0) == -1 ||
	    ipc_event_set(&c->chan, vl.base, ctl_dispatch, c) == -1)
		fatal("control client");
	TAILQ_INSERT_TAIL(&clients, c, entry);
	nclients++;
}

static void
ctl_resume(void *arg)
{
	(void)arg;
	if (event_add(ctl_ev, NULL) == -1)
		fatalx("control event");
}

void
ctl_open(void)
{
	ctl_fd = ctlsock_open(vl.cfg);
}

void
ctl_events(void)
{
	ctl_ev =
	    event_new(vl.base, ctl_fd, EV_READ | EV_PERSIST, ctl_accept, NULL);
	if (ctl_ev == NULL || event_add(ctl_ev, NULL) == -1)
		fatalx("control event");
	fdpause_init(&ctl_pause, "control", ctl_resume, NULL);
}

void
ctl_close(void)
{
	struct ctl_client *c;

	while ((c = TAILQ_FIRST(&clients)) != NULL)
		ctl_drop(c);
	if (ctl_ev != NULL)
		event_free(ctl_ev);
	fdpause_clear(&ctl_pause);
	if (ctl_fd != -1)
		ctlsock_close(ctl_fd);
	ctl_fd = -1;
}
