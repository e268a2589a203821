#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub.h"
#include "log.h"
#include "reload.h"
#include "routes.h"
#include "session.h"

static struct {
	bool active;
	void (*done)(void *, int, const char *);
	void *arg;
	struct config *next;
} rl;

static void
reload_finish(int error, const char *msg)
{
	if (error != 0)
		log_warnx("reload: %s", msg);
	else
		log_info("reload: %s", msg);
	if (rl.done != NULL)
		rl.done(rl.arg, error, msg);
	if (rl.next != NULL) {
		cfg_clear(rl.next);
		free(rl.next);
	}
	memset(&rl, 0, sizeof(rl));
}

int
reload_start(void (*done)(void *, int, const char *), void *arg)
{
	if (vl.cfg->role != CFG_HUB) {
		if (done != NULL)
			done(arg, EINVAL,
			    "an endpoint reloads by restarting; its files are "
			    "not readable after start-up");
		else
			log_warnx("SIGHUP: an endpoint reloads by restarting; "
				  "its files are not readable after start-up");
		return -1;
	}
	if (rl.active) {
		if (done != NULL)
			done(arg, EBUSY, "a reload is already running");
		else
			log_warnx("SIGHUP: a reload is already running");
		return -1;
	}
	rl.active = true;
	rl.done = done;
	rl.arg = arg;
	if (ipc_compose(&vl.auth.chan, IMSG_AUTH_CONFIG_GET, 0, 0, -1, NULL,
		0) == -1)
		fatal("AUTH_CONFIG_GET");
	return 0;
}

void
reload_forget(void *arg)
{
	if (rl.active && rl.arg == arg) {
		rl.done = NULL;
		rl.arg = NULL;
	}
}

static bool
same_addrs(const struct addr *a, size_t na, const struct addr *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (addr_cmp(&a[i], &b[i]) != 0)
			return false;
	return true;
}

/* The first setting that differs and needs a restart, or NULL. */
static const char *
restart_needed(const struct config *o, const struct config *n)
{
	if (o->role != n->role)
		return "connect (the role)";
	if (o->mode != n->mode)
		return "mode";
	if (o->port != n->port)
		return "port";
	if (!same_addrs(o->listen, o->nlisten, n->listen, n->nlisten))
		return "listen";
	if (addr_cmp(&o->ip.a, &n->ip.a) != 0 || o->ip.len != n->ip.len)
		return "ip";
	if (addr_cmp(&o->ip6.a, &n->ip6.a) != 0 || o->ip6.len != n->ip6.len)
		return "ip6";
	if (addr_cmp(&o->range_lo, &n->range_lo) != 0 ||
	    addr_cmp(&o->range_hi, &n->range_hi) != 0)
		return "dhcp-range";
	if (strcmp(o->bridge, n->bridge) != 0)
		return "bridge";
	if (strcmp(o->interface, n->interface) != 0)
		return "interface";
	if (strcmp(o->private_key, n->private_key) != 0)
		return "private-key";
	if (strcmp(o->users, n->users) != 0)
		return "users";
	if (o->has_psk != n->has_psk ||
	    memcmp(o->psk, n->psk, sizeof(o->psk)) != 0)
		return "key";
	if (o->mtu != n->mtu)
		return "mtu";
	if (strcmp(o->control, n->control) != 0)
		return "control";
	if (strcmp(o->control_group, n->control_group) != 0)
		return "control-group";
	if (strcmp(o->control_admin_group, n->control_admin_group) != 0)
		return "control-admin-group";
	if (o->route_multicast != n->route_multicast)
		return "route-multicast";
	if (memcmp(&o->web, &n->web, sizeof(o->web)) != 0)
		return "web";
	return NULL;
}

void
reload_config_text(const uint8_t *text, size_t len)
{
	struct cfg_error err;
	char msg[512];
	const char *key;

	if (!rl.active)
		fatalx("vland-auth: config text nobody asked for");
	if ((rl.next = calloc(1, sizeof(*rl.next))) == NULL)
		fatal("calloc");
	if (cfg_parse((const char *)text, len, vl.cfgreal, rl.next, &err) ==
	    -1) {
		cfg_error_fmt(&err, vl.cfgfile, msg, sizeof(msg));
		free(rl.next);
		rl.next = NULL;
		reload_finish(EINVAL, msg);
		return;
	}
	if ((key = restart_needed(vl.cfg, rl.next)) != NULL) {
		snprintf(msg, sizeof(msg),
		    "%s changed, which needs a restart; nothing was applied",
		    key);
		reload_finish(EINVAL, msg);
		return;
	}
	/* Users next: removed users' sessions end as vland-auth reports
	 * them, then the rest is applied. */
	if (ipc_compose(&vl.auth.chan, IMSG_AUTH_RELOAD, 0, 0, -1, NULL, 0) ==
	    -1)
		fatal("AUTH_RELOAD");
}

void
reload_user_gone(const char *user)
{
	struct session *s;

	while ((s = session_by_user(user, NULL)) != NULL)
		hub_session_end(s, "ended by a change of the users file", true,
		    false);
}

void
reload_auth_result(const struct ipc_result *r)
{
	if (!rl.active)
		fatalx("vland-auth: reload result nobody asked for");
	if (r->error != 0 || rl.next == NULL) {
		reload_finish(r->error, r->msg);
		return;
	}
	/* vland-ifmgr reads the file itself for its route prefixes; the
	 * rest is applied once it has. */
	if (ipc_compose(&vl.ifmgr.chan, IMSG_IF_RELOAD, 0, IFREQ_RELOAD, -1,
		NULL, 0) == -1)
		fatal("IF_RELOAD");
}

void
reload_ifmgr_result(const struct ipc_result *r)
{
	struct config *old;
	struct session *s;
	struct ipc_int v;
	char msg[IPCMSG_ERRMSG_MAX + 32];

	if (!rl.active || rl.next == NULL)
		fatalx("vland-ifmgr: reload result nobody asked for");
	if (r->error != 0) {
		snprintf(msg, sizeof(msg), "vland-ifmgr: %s", r->msg);
		reload_finish(r->error, msg);
		return;
	}
	old = vl.cfg;
	vl.cfg = rl.next;
	rl.next = old;
	v.value = vl.cfg->log_level == CFG_LOG_DEBUG;
	log_setverbose(v.value);
	if (ipc_compose(&vl.ifmgr.chan, IMSG_LOG_VERBOSE, 0, 0, -1, &v,
		sizeof(v)) == -1 ||
	    ipc_compose(&vl.auth.chan, IMSG_LOG_VERBOSE, 0, 0, -1, &v,
		sizeof(v)) == -1)
		fatal("LOG_VERBOSE");
	TAILQ_FOREACH(s, &sessions, entry)
		s->may_bridge = cfg_bridge_user(vl.cfg, s->user);
	routes_update();
	reload_finish(0, "configuration and users reloaded");
}
