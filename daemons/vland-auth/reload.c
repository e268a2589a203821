/*
 * Reloads: the users file (IMSG_AUTH_RELOAD) and the configuration text
 * vland parses itself (IMSG_AUTH_CONFIG_GET). A users file with any bad
 * line is refused as a whole and the users in force stay.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "auth.h"
#include "ipcmsg.h"
#include "log.h"
#include "pool.h"
#include "users.h"

/* Reserve every fixed address of the users in force. */
int
reload_reserve(struct authd *st)
{
	const struct user_ent *u;
	char as[ADDR_STRLEN];
	size_t i;

	pool_reserve_clear(st->pool);
	for (i = 0; i < st->users->n; i++) {
		u = &st->users->v[i];
		if (!u->has_fixed)
			continue;
		/* users_parse checked these; a failure is a bug. */
		if (pool_reserve(st->pool, u->name, &u->fixed) == -1) {
			log_warn("user %s: cannot reserve %s", u->name,
			    addr_fmt(&u->fixed, as, sizeof(as)));
			return -1;
		}
	}
	return 0;
}

void
reload_check_mode(const struct authd *st)
{
	struct stat sb;

	if (stat(st->usersfile, &sb) == -1)
		return;
	/* Hashes allow offline guessing; the file is not for everyone. */
	if (sb.st_mode & (S_IROTH | S_IWOTH | S_IWGRP))
		log_warnx("%s: mode %04o lets others read or change the "
			  "hashes; use 0640, group of vland-auth's user",
		    st->usersname, (unsigned)(sb.st_mode & 07777));
}

/* AUTH_RELOADED for the request m. Messages are cut to what IPC
 * carries; the log has them whole. */
static void
reloaded(struct authd *st, const struct ipc_msg *m, int error, const char *msg)
{
	auth_sent(ipcmsg_send_auth_reloaded(&st->chan, m->hdr.peerid,
		      m->hdr.reqid, error, msg),
	    IMSG_AUTH_RELOADED);
}

static void
user_gone(struct authd *st, const struct ipc_msg *m, const char *user,
    const char *why)
{
	pool_release(st->pool, user);
	log_info("reload: user %s %s", user, why);
	auth_sent(ipcmsg_send_auth_user_gone(&st->chan, m->hdr.peerid,
		      m->hdr.reqid, user),
	    IMSG_AUTH_USER_GONE);
}

static bool
same_fixed(const struct user_ent *a, const struct user_ent *b)
{
	return a->has_fixed == b->has_fixed &&
	    (!a->has_fixed || addr_cmp(&a->fixed, &b->fixed) == 0);
}

void
reload_users(struct authd *st, const struct ipc_msg *m)
{
	struct users *old = st->users, *nu;
	const struct user_ent *o, *n;
	const char *holder;
	char err[USERS_ERR_MAX + PATH_MAX], who[USERNAME_MAX + 1];
	char why[64 + USERNAME_MAX], msg[IPCMSG_ERRMSG_MAX];
	struct addr a;
	size_t i, ngone = 0;

	if (ipcmsg_get_none(m, IPCMSG_VLAND_TO_AUTH) != IPCMSG_OK)
		fatalx("AUTH_RELOAD of %zu bytes, expected none", m->datalen);
	if ((nu = users_load_maybe(st->usersfile, st->usersname, &st->ip, true,
		 err, sizeof(err))) == NULL) {
		log_warnx("reload: %s; keeping the %zu users in force", err,
		    old->n);
		reloaded(st, m, EINVAL, err);
		return;
	}

	/*
	 * Sessions that are still allowed stay. Gone are the users who
	 * were removed, and those whose fixed address changed while they
	 * hold another one: their session no longer matches the file.
	 */
	for (i = 0; i < old->n; i++) {
		o = &old->v[i];
		if ((n = users_find(nu, o->name)) == NULL) {
			user_gone(st, m, o->name, "removed");
			ngone++;
		} else if (!same_fixed(o, n) &&
		    pool_lookup(st->pool, o->name, &a) == 0) {
			user_gone(st, m, o->name, "has a new fixed address");
			ngone++;
		} else if (n->locked && !o->locked) {
			user_gone(st, m, o->name, "is locked");
			ngone++;
		} else if (!n->locked &&
		    strcmp(n->hash + n->locked, o->hash + o->locked) != 0) {
			/* A new password: the session (and its resume
			 * token) was opened with the old one. */
			user_gone(st, m, o->name, "has a new password");
			ngone++;
		}
	}
	st->users = nu;
	users_free(old);
	if (reload_reserve(st) == -1)
		fatalx("reload: the fixed addresses cannot be reserved");
	/* A new fixed address may be held by someone else: they go too. */
	for (i = 0; i < nu->n; i++) {
		n = &nu->v[i];
		if (!n->has_fixed ||
		    (holder = pool_holder(st->pool, &n->fixed)) == NULL ||
		    strcmp(holder, n->name) == 0)
			continue;
		snprintf(who, sizeof(who), "%s", holder);
		snprintf(why, sizeof(why), "held the new fixed address of %s",
		    n->name);
		user_gone(st, m, who, why);
		ngone++;
	}
	reload_check_mode(st);
	reload_check_nexthops(st);
	log_info("reload: %zu users, %zu fixed addresses, %zu sessions ended",
	    nu->n, pool_reserved(st->pool), ngone);
	snprintf(msg, sizeof(msg), "%zu users", nu->n);
	reloaded(st, m, 0, msg);
}

/*
 * Route nexthops that name no user of the users file: the route can
 * never be installed. vland -n says so for the file it checks; this is
 * the same warning at start and at each reload, from the one process
 * that reads both files.
 */
void
reload_check_nexthops(const struct authd *st)
{
	struct config *cfg;
	struct cfg_error err;
	char p[PREFIX_STRLEN];
	const char *nh;
	char *buf;
	ssize_t len;
	size_t i;

	if ((len = users_read_file(st->cfgfile, IPC_MAX_PAYLOAD, &buf)) == -1)
		return;
	if ((cfg = calloc(1, sizeof(*cfg))) == NULL)
		fatal("calloc");
	/* A file that does not parse is vland's to report. */
	if (cfg_parse(buf, (size_t)len, st->cfgpath, cfg, &err) == 0) {
		for (i = 0; i < cfg->nroutes; i++) {
			nh = cfg->routes[i].nexthop;
			if (cfg->routes[i].server ||
			    users_find(st->users, nh) != NULL)
				continue;
			log_warnx("route %s: nexthop %s is no user of %s; the "
				  "route stays withdrawn",
			    prefix_fmt(&cfg->routes[i].cidr, p, sizeof(p)), nh,
			    st->usersname);
		}
	}
	users_free_text(buf, (size_t)len);
	cfg_clear(cfg);
	free(cfg);
}

void
reload_config_text(struct authd *st, const struct ipc_msg *m)
{
	char *buf, msg[PATH_MAX + 128];
	ssize_t len;
	int e;

	if (ipcmsg_get_none(m, IPCMSG_VLAND_TO_AUTH) != IPCMSG_OK)
		fatalx("AUTH_CONFIG_GET of %zu bytes, expected none",
		    m->datalen);
	if ((len = users_read_file(st->cfgfile, IPC_MAX_PAYLOAD, &buf)) == -1) {
		e = errno;
		snprintf(msg, sizeof(msg), "%s: %s", st->cfgpath,
		    e == EFBIG ? "larger than the 64 KiB a reload can carry"
			       : strerror(e));
		/* Logged as AUTH_RELOADED carries it: cut. */
		log_warnx("%.*s", IPCMSG_ERRMSG_MAX - 1, msg);
		reloaded(st, m, e, msg);
		return;
	}
	auth_sent(ipcmsg_send_auth_config_text(&st->chan, m->hdr.peerid,
		      m->hdr.reqid, buf, (size_t)len),
	    IMSG_AUTH_CONFIG_TEXT);
	/* It may hold the pre-shared key. */
	users_free_text(buf, (size_t)len);
}
