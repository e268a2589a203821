/*
 * A hub's reload (reload.h) as a chain of helper answers: the file's text
 * from vland-auth (vland, in its chroot, cannot read it), then vland-auth's
 * reload of the users, then vland-ifmgr's own reading of the file; the new
 * configuration takes over only when all three have agreed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_reload.h"
#include "direct_hub.h"
#include "hub.h"
#include "l2switch.h"
#include "lint.h"
#include "log.h"
#include "role.h"
#include "reload.h"
#include "hubdns.h"
#include "hubroutes.h"
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
	if (!vl.role->serves_logins) {
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
	if (ipcmsg_send_auth_config_get(&vl.auth.chan, 0, AUTHREQ_NONE) == -1)
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

/* Said once per reload, for each reloadable key that changed. */
static void
log_change(const char *key, void *arg)
{
	(void)arg;
	if (strcmp(key, "keepalive") == 0)
		log_info("reload: keepalive is now %u s: the hub's timers at "
			 "once, each endpoint at its next login or rekey",
		    rl.next->keepalive);
	else if (strcmp(key, "timeout") == 0)
		log_info("reload: timeout is now %u s, for every session",
		    rl.next->timeout);
	else
		log_info("reload: %s changed", key);
}

/* The warnings of vland -n that need no users file, logged. */
static void
reload_lint(const struct config *cfg)
{
	char p[PREFIX_STRLEN];
	const char *why;
	size_t i;

	for (i = 0; i < cfg->nroutes; i++) {
		if (cfg->routes[i].server ||
		    (why = lint_nexthop_shape(cfg->routes[i].nexthop)) == NULL)
			continue;
		log_warnx("reload: warning: route %s: nexthop %s %s",
		    prefix_fmt(&cfg->routes[i].cidr, p, sizeof(p)),
		    cfg->routes[i].nexthop, why);
	}
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
	if ((key = cfg_restart_needed(vl.cfg, rl.next)) != NULL) {
		snprintf(msg, sizeof(msg),
		    "%s changed, which needs a restart; nothing was applied",
		    key);
		reload_finish(EINVAL, msg);
		return;
	}
	reload_lint(rl.next);
	/* Users next: removed users' sessions end as vland-auth reports
	 * them, then the rest is applied. */
	if (ipcmsg_send_auth_reload(&vl.auth.chan, 0, AUTHREQ_NONE) == -1)
		fatal("AUTH_RELOAD");
}

void
reload_user_gone(const char *user)
{
	struct session *s;

	while ((s = session_by_user(vl.sessions, user, NULL)) != NULL)
		hub_session_end(s, SEV_END_USER_GONE);
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
	if (ipcmsg_send_if_reload(&vl.ifmgr.chan, 0, IFREQ_RELOAD) == -1)
		fatal("IF_RELOAD");
}

void
reload_ifmgr_result(const struct ipc_result *r)
{
	struct config *old;
	struct session *s;
	int32_t verbose;
	char msg[IPCMSG_ERRMSG_MAX + 32];

	if (!rl.active || rl.next == NULL)
		fatalx("vland-ifmgr: reload result nobody asked for");
	if (r->error != 0) {
		snprintf(msg, sizeof(msg), "vland-ifmgr: %s", r->msg);
		reload_finish(r->error, msg);
		return;
	}
	cfg_reload_changes(vl.cfg, rl.next, log_change, NULL);
	old = vl.cfg;
	vl.cfg = rl.next;
	rl.next = old;
	verbose = vl.cfg->log_level == CFG_LOG_DEBUG;
	log_setverbose(verbose);
	if (ipcmsg_send_log_verbose(&vl.ifmgr.chan, 0, IFREQ_NONE, verbose) ==
		-1 ||
	    ipcmsg_send_log_verbose(&vl.auth.chan, 0, AUTHREQ_NONE, verbose) ==
		-1)
		fatal("LOG_VERBOSE");
	vl.l2switch->on = vl.cfg->l2switch == CFG_SWITCH_HUB;
	hub_apply_config();
	TAILQ_FOREACH (s, &vl.sessions->list, entry)
		hub_session_policy(s);
	direct_hub_reload();
	hubroutes_update();
	hubdns_reloaded(old);
	reload_finish(0, "configuration and users reloaded");
}
