/*
 * vland-auth: the user and address-pool process of vland (vland-auth(8)).
 * vland starts it with its IPC socket on descriptor 3; it drops to the
 * unprivileged user inside the configuration directory before it reads
 * anything, then answers vland's requests. Password checks wait in a
 * queue that is fair between sources (fairq.h) and run in hashing
 * workers, one per CPU (hashers.h), or here one per turn of the loop if
 * none is left; vland never waits on them, and a slow hash here delays
 * only other password checks, never packets.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "auth.h"
#include "backoff.h"
#include "fairq.h"
#include "hashers.h"
#include "ipcmsg.h"
#include "log.h"
#include "pool.h"
#include "privsep.h"
#include "proc.h"
#include "sandbox.h"
#include "pwhash.h"
#include "users.h"
#include "vland_config.h"

#define AUTH_CFG_MAX  (1024 * 1024) /* as the config loader allows */
#define AUTH_OUTQ_MAX 64	    /* replies queued before reading pauses */
#define AUTH_BATCH    1024	    /* requests per read: checks only queue */

void
auth_sent(int rc, uint16_t type)
{
	if (rc == -1)
		fatal("send %s to vland", ipcmsg_type_name(type));
}

/*
 * Queued checks go to the workers at the next turn of the loop; with
 * none, one check per turn, so that requests keep being read (and a
 * flood refused at once) between hashes. A timer of zero, not
 * event_active: an event activated from its own callback runs again
 * before the loop polls, and would drain the whole queue without
 * reading a request.
 */
void
auth_work_soon(struct authd *st)
{
	const struct timeval now = { 0, 0 };

	if (evtimer_add(st->work, &now) == -1)
		fatalx("work timer");
}

static void
auth_work(int fd, short ev, void *arg)
{
	struct authd *st = arg;

	(void)fd;
	(void)ev;
	if (login_run(st))
		auth_work_soon(st);
}

static void
auth_verbose(const struct ipc_msg *m)
{
	struct ipc_int v;

	if (ipcmsg_get_int(m, IPCMSG_VLAND_TO_AUTH, &v) != IPCMSG_OK)
		fatalx("LOG_VERBOSE of %zu bytes, expected %zu", m->datalen,
		    sizeof(v));
	log_setverbose(v.value);
}

/*
 * vland reads its replies slowly: stop reading requests until it has
 * caught up, so that memory for replies stays bounded and the backlog
 * waits in the socket, where vland sees it.
 */
static bool
auth_paused(struct authd *st)
{
	const struct timeval tv = { 0, 20 * 1000 };

	if (st->chan.queued < AUTH_OUTQ_MAX)
		return false;
	if (ipc_flush(&st->chan) == -1)
		fatal("send to vland");
	if (st->chan.queued < AUTH_OUTQ_MAX)
		return false;
	event_del(st->chan.rev);
	evtimer_add(st->resume, &tv);
	return true;
}

static void
auth_resume(int fd, short ev, void *arg)
{
	struct authd *st = arg;

	(void)fd;
	(void)ev;
	if (!auth_paused(st))
		event_add(st->chan.rev, NULL);
}

/*
 * One rhythm for every message: may vland send this type? Then each
 * handler runs the message's getter (proto/ipcmsg.h), which checks the
 * exact size, the strings and the ranges, before it acts. A violation
 * means vland is broken or not vland: that is fatal.
 */
static void
auth_dispatch(struct ipc_chan *c, short ev, void *arg)
{
	struct authd *st = arg;
	struct ipc_msg m;
	int i, n;

	(void)ev;
	for (i = 0; i < AUTH_BATCH; i++) {
		if (auth_paused(st))
			break;
		if ((n = ipc_read(c, &m)) == 0) {
			log_debug("vland closed the channel");
			st->exitcode = 0;
			event_base_loopbreak(st->base);
			return;
		}
		if (n == -1) {
			if (errno == EAGAIN)
				break;
			if (errno == EBADMSG)
				fatalx("malformed message from vland");
			fatal("read from vland");
		}
		switch (m.hdr.type) {
		case IMSG_AUTH_CHECK:
			login_check(st, &m);
			break;
		case IMSG_AUTH_RELEASE:
			login_release(st, &m);
			break;
		case IMSG_AUTH_RELOAD:
			reload_users(st, &m);
			break;
		case IMSG_AUTH_CONFIG_GET:
			reload_config_text(st, &m);
			break;
		case IMSG_LOG_VERBOSE:
			auth_verbose(&m);
			break;
		default:
			fatalx("vland sent message type %u (%s), which it may "
			       "not send here",
			    m.hdr.type, ipcmsg_type_name(m.hdr.type));
		}
	}
	if (fairq_len(st->queue) > 0)
		auth_work_soon(st);
}

/*
 * The configuration, read inside the chroot by its base name but
 * parsed under its real name, so that messages name the real file and
 * the check that users: lies in the configuration directory is the one
 * vland made.
 */
static void
auth_config(struct authd *st, struct config *cfg)
{
	struct cfg_error err;
	char *buf, msg[512];
	ssize_t len;
	size_t dl;

	if ((len = users_read_file(st->cfgfile, AUTH_CFG_MAX, &buf)) == -1)
		fatal("%s", st->cfgpath);
	if (cfg_parse(buf, (size_t)len, st->cfgpath, cfg, &err) == -1) {
		users_free_text(buf, (size_t)len);
		cfg_error_fmt(&err, st->cfgpath, msg, sizeof(msg));
		fatalx("%s", msg);
	}
	users_free_text(buf, (size_t)len);
	if (cfg->role != CFG_HUB)
		fatalx("%s: not a hub configuration (it has connect:); an "
		       "endpoint needs no vland-auth",
		    st->cfgpath);

	/* The chroot is the configuration directory: map users: into it. */
	dl = strlen(st->cfgpath) - strlen(st->cfgfile) - 1;
	if (cfg->users[0] == '/') {
		if (strncmp(cfg->users, st->cfgpath, dl) != 0 ||
		    cfg->users[dl] != '/')
			fatalx("users: %s is outside %.*s", cfg->users, (int)dl,
			    st->cfgpath);
		snprintf(st->usersfile, sizeof(st->usersfile), "%s",
		    cfg->users + dl);
		snprintf(st->usersname, sizeof(st->usersname), "%s",
		    cfg->users);
	} else {
		snprintf(st->usersfile, sizeof(st->usersfile), "%s",
		    cfg->users);
		snprintf(st->usersname, sizeof(st->usersname), "%.*s/%s",
		    (int)dl, st->cfgpath, cfg->users);
	}
	st->ip = cfg->ip;
	if ((st->pool = pool_new(&cfg->ip, &cfg->range_lo, &cfg->range_hi)) ==
	    NULL)
		fatal("address pool");
}

/* -u: the user to drop to, vland-auth's own, which vland names. */
static int
auth_option(struct proc *p, int ch, const char *arg)
{
	if (ch != 'u')
		return -1;
	p->drop.user = arg;
	return 0;
}

/*
 * Before the drop: the configuration directory, which becomes the
 * chroot, and the dummy password setting.
 */
static void
auth_load(struct proc *p)
{
	struct authd *st;
	const char *file = p->opts.cfgfile;
	size_t n;

	if ((st = calloc(1, sizeof(*st))) == NULL)
		fatal("calloc");
	p->arg = st;
	p->chan = &st->chan;
	if (file[0] != '/')
		fatalx("-f %s: the configuration path must be absolute", file);
	if (realpath(file, st->cfgpath) == NULL)
		fatal("%s", file);
	/* realpath gives "/dir/file": split it at the last slash. */
	n = (size_t)(strrchr(st->cfgpath, '/') - st->cfgpath);
	snprintf(st->cfgdir, sizeof(st->cfgdir), "%.*s", (int)(n == 0 ? 1 : n),
	    st->cfgpath);
	snprintf(st->cfgfile, sizeof(st->cfgfile), "%s", st->cfgpath + n + 1);
	priv_check_chroot_dir(st->cfgdir, false, false);
	/* Before the chroot, while every source of randomness is there. */
	if (pwhash_init() == -1)
		fatal("cannot make the dummy password setting");
	p->drop.chroot = st->cfgdir;
}

/* In the chroot: the configuration, the users, the tables. */
static void
auth_setup(struct proc *p)
{
	struct authd *st = p->arg;
	struct config *cfg;
	char err[USERS_ERR_MAX + PATH_MAX];
	char lo[ADDR_STRLEN], hi[ADDR_STRLEN];

	/* Before anything secret is read: the workers hold none of it. */
	if ((st->hashers = hashers_start(hashers_wanted())) == NULL)
		log_warnx("no hashing worker started: checking passwords in "
			  "this process");
	if ((cfg = calloc(1, sizeof(*cfg))) == NULL)
		fatal("calloc");
	auth_config(st, cfg);
	addr_fmt(&cfg->range_lo, lo, sizeof(lo));
	addr_fmt(&cfg->range_hi, hi, sizeof(hi));
	cfg_clear(cfg);
	free(cfg);

	/* A hub may start before its first user is added. */
	if ((st->users = users_load_maybe(st->usersfile, st->usersname, &st->ip,
		 true, err, sizeof(err))) == NULL)
		fatalx("%s", err);
	if (st->users->n == 0)
		log_warnx("%s: no users yet, so nobody can log in (vlanctl "
			  "user add, then vlanctl reload)",
		    st->usersname);
	if (reload_reserve(st) == -1)
		fatalx("cannot reserve the fixed addresses");
	reload_check_mode(st);
	reload_check_nexthops(st);
	if ((st->backoff = backoff_new(&backoff_defaults)) == NULL ||
	    (st->bo_source = backoff_new(&backoff_wide)) == NULL ||
	    (st->bo_user = backoff_new(&backoff_wide)) == NULL ||
	    (st->known = backoff_new(&backoff_known)) == NULL ||
	    (st->queue = fairq_new(AUTH_QUEUE_PER_SOURCE, AUTH_QUEUE_MAX)) ==
		NULL)
		fatal("back-off table and queue");
	st->hash_ms = 50; /* until measured */
	log_info("%zu users (%zu with a fixed address) from %s; pool %s-%s, "
		 "%zu addresses, /%u; %zu hashing workers",
	    st->users->n, pool_reserved(st->pool), st->usersname, lo, hi,
	    pool_size(st->pool), st->ip.len, hashers_live(st->hashers));
}

static void
auth_events(struct proc *p)
{
	struct authd *st = p->arg;

	st->base = p->base;
	if ((st->resume = evtimer_new(st->base, auth_resume, st)) == NULL ||
	    (st->work = evtimer_new(st->base, auth_work, st)) == NULL)
		fatalx("event set-up");
	if (st->hashers != NULL)
		hashers_events(st->hashers, st->base, login_done, st);
	st->exitcode = 1;
}

static int
auth_shutdown(struct proc *p, int loop_rc)
{
	struct authd *st = p->arg;
	int rc;

	if (loop_rc == -1)
		fatalx("event loop");
	rc = st->exitcode;
	login_drain(st);
	ipc_clear(&st->chan);
	event_free(st->work);
	event_free(st->resume);
	event_base_free(st->base);
	users_free(st->users);
	pool_free(st->pool);
	backoff_free(st->backoff);
	backoff_free(st->bo_source);
	backoff_free(st->bo_user);
	backoff_free(st->known);
	fairq_free(st->queue);
	free(st);
	return rc;
}

static const struct proc_spec auth_spec = {
	.name = "vland-auth",
	.usage = "vland-auth [-dv] -f /path/vland.yaml -u user",
	.options = "u:",
	.required = "fu",
	.option = auth_option,
	.channel = true,
	.pass_fd = false,
	.dispatch = auth_dispatch,
	/*
	 * Keeps: the IPC socket. Needs: read access to the configuration
	 * directory, as its own user (not vland's; -u) in the group that
	 * may read it, chrooted to that directory (load finds it); no
	 * capabilities, no network.
	 */
	.drop = { NULL, VLAND_GROUP, NULL, false },
	.sandbox = SANDBOX_AUTH,
	/* vland decides when the suite stops; the channel's end tells us. */
	.sig_ignore_early = { SIGINT, SIGHUP, SIGPIPE },
	.load = auth_load,
	.setup = auth_setup,
	.events = auth_events,
	.shutdown = auth_shutdown,
};

int
main(int argc, char *argv[])
{
	return proc_run(&auth_spec, argc, argv);
}
