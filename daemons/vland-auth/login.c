/*
 * Logins: the password check and the address that follows it. A check
 * is queued per source (fairq.h); login_run hands queued checks to idle
 * hashing workers (hashers.h), or, with none left, runs one itself per
 * turn of the loop, between reads of the socket; a blocked
 * user-at-source or a full queue is answered at once with the seconds
 * to wait. The only call that hands out an address sits in the success
 * branch of login_finish, so no message sequence gets an address
 * without a check that succeeded in the same request (vland-auth(8)).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "backoff.h"
#include "fairq.h"
#include "hashers.h"
#include "ipcmsg.h"
#include "log.h"
#include "pool.h"
#include "pwhash.h"
#include "users.h"

/*
 * The source as a key: family and address bytes, an IPv6 address cut to
 * its /64, which one host or one home usually holds whole (the same
 * unit as vland's handshake rate limit).
 */
static size_t
source_key(const struct addr *a, uint8_t key[FAIRQ_KEY_MAX])
{
	size_t n = a->af == AF_INET6 ? 8 : addr_bytes(a);

	memcpy(key, &a->af, sizeof(a->af));
	memcpy(key + sizeof(a->af), a->b, n);
	return sizeof(a->af) + n;
}

/*
 * The back-off key: a user at a source. A guesser at one address
 * blocks only the name it guesses there: other users behind the same
 * NAT, and the same user elsewhere, are not touched.
 */
static size_t
pair_key(const struct pending *p, uint8_t key[BACKOFF_KEY_MAX])
{
	size_t ulen = strlen(p->req.user);

	memcpy(key, p->skey, p->slen);
	memcpy(key + p->slen, p->req.user, ulen + 1);
	return p->slen + ulen + 1;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("clock_gettime");
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
pending_free(struct pending *p)
{
	explicit_bzero(p, sizeof(*p));
	free(p);
}

static void
reply(struct authd *st, struct pending *p, struct auth_result *res)
{
	auth_sent(ipcmsg_send_auth_result(&st->chan, p->peerid, p->reqid, res),
	    IMSG_AUTH_RESULT);
	pending_free(p);
}

/* Refused without a check: the answer carries the seconds to wait. */
static void
reply_later(struct authd *st, struct pending *p, int32_t status, unsigned wait)
{
	struct auth_result res;

	memset(&res, 0, sizeof(res));
	res.status = status;
	res.wait = wait == 0 ? 1 : wait;
	reply(st, p, &res);
}

/* Checks that run at once: the workers, or this process. */
static uint64_t
checkers(const struct authd *st)
{
	size_t n = hashers_live(st->hashers);

	return n == 0 ? 1 : n;
}

/*
 * Seconds a newcomer should wait: half the queue's time (what is queued
 * at the measured time per check, shared by the checkers), at least 1.
 * Half, not all: those turned away together come back while the queue
 * still holds work, so the workers never wait for them; those who find
 * it full again cost a handshake, not a hash.
 */
static unsigned
queue_wait(const struct authd *st)
{
	uint64_t ms =
	    (uint64_t)fairq_len(st->queue) * st->hash_ms / checkers(st) / 2;

	return ms / 1000 + 1 > AUTH_WAIT_MAX ? AUTH_WAIT_MAX
					     : (unsigned)(ms / 1000) + 1;
}

/*
 * Would a check queued now run before the endpoint gives up on its
 * login (10 s)? Past that, the session it came from would come up
 * after the endpoint left, and block its next login.
 */
static bool
queue_too_slow(const struct authd *st)
{
	return ((uint64_t)fairq_len(st->queue) + 1) * st->hash_ms /
	    checkers(st) >
	    AUTH_QUEUE_MS_MAX;
}

/*
 * Seconds this login is still refused without a check, or 0. The user
 * at this source first; then, unless this user has logged in from this
 * source before (a known pair), the source as a whole (a guesser trying
 * many names) and the user from everywhere (many sources guessing one
 * name). So neighbours behind a NAT, and a user at their usual place,
 * keep getting in while the wider blocks hold off guessers.
 */
static unsigned
login_blocked(struct authd *st, const struct pending *p, uint64_t now)
{
	uint8_t key[BACKOFF_KEY_MAX];
	size_t klen = pair_key(p, key), ulen = strlen(p->req.user) + 1;
	unsigned w;

	if ((w = backoff_refused(st->backoff, key, klen, now)) > 0)
		return w;
	if (backoff_refused(st->known, key, klen, now) > 0)
		return 0;
	if ((w = backoff_refused(st->bo_source, p->skey, p->slen, now)) > 0)
		return w;
	return backoff_refused(st->bo_user, p->req.user, ulen, now);
}

void
login_check(struct authd *st, const struct ipc_msg *m)
{
	struct pending *p;
	void *evicted = NULL;
	char src[ADDR_STRLEN];
	unsigned wait;
	enum ipcmsg_err e;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		fatal("calloc");
	e = ipcmsg_get_auth_check(m, IPCMSG_VLAND_TO_AUTH, &p->req);
	/* The password now has a copy in p; the read buffer's goes. */
	explicit_bzero(st->chan.rbuf, sizeof(struct ipc_hdr) + sizeof(p->req));
	switch (e) {
	case IPCMSG_OK:
		break;
	case IPCMSG_E_STR:
		fatalx("AUTH_CHECK with an unterminated string");
	case IPCMSG_E_RANGE:
		fatalx("AUTH_CHECK with source address family %u",
		    p->req.source.af);
	default:
		fatalx("AUTH_CHECK of %zu bytes, expected %zu", m->datalen,
		    sizeof(p->req));
	}
	p->peerid = m->hdr.peerid;
	p->reqid = m->hdr.reqid;
	p->slen = source_key(&p->req.source, p->skey);
	addr_fmt(&p->req.source, src, sizeof(src));

	/* The name came from the network; never print an invalid one. No
	 * password can match it, so it costs no hash and no back-off. */
	if (!username_valid(p->req.user, strlen(p->req.user))) {
		struct auth_result res = { .status = AUTH_S_BAD_CREDENTIALS };

		log_warnx("login from %s: invalid user name", src);
		reply(st, p, &res);
		return;
	}
	/* Blocked logins are refused before any hashing: a flood is
	 * cheap. */
	if ((wait = login_blocked(st, p, now_ms() / 1000)) > 0) {
		log_debug("login %s from %s: refused for %u s more (back-off)",
		    p->req.user, src, wait);
		reply_later(st, p, AUTH_S_BACKOFF, wait);
		return;
	}
	if (queue_too_slow(st) ||
	    fairq_push(st->queue, p->skey, p->slen, p, &evicted) == -1) {
		st->busy++;
		log_debug("login %s from %s: %zu checks queued (%zu from "
			  "this source at most), try later",
		    p->req.user, src, fairq_len(st->queue),
		    (size_t)AUTH_QUEUE_PER_SOURCE);
		reply_later(st, p, AUTH_S_BUSY, queue_wait(st));
		return;
	}
	/* A full queue made room by pushing out the busiest source's
	 * newest check: it is answered as this one would have been. */
	if (evicted != NULL) {
		st->busy++;
		reply_later(st, evicted, AUTH_S_BUSY, queue_wait(st));
	}
}

/* Count a failure against the user at this source, the source, and
 * the user. */
static void
login_failed(struct authd *st, const struct pending *p, const char *src)
{
	uint8_t key[BACKOFF_KEY_MAX];
	uint64_t now = now_ms() / 1000;
	unsigned t;

	if ((t = backoff_fail(st->backoff, key, pair_key(p, key), now)) > 0)
		log_warnx("user %s from %s: too many failed logins, refused "
			  "there for %u s",
		    p->req.user, src, t);
	if ((t = backoff_fail(st->bo_source, p->skey, p->slen, now)) > 0)
		log_warnx("source %s: failed logins for too many names, "
			  "refused for %u s but to users known there",
		    src, t);
	if ((t = backoff_fail(st->bo_user, p->req.user, strlen(p->req.user) + 1,
		 now)) > 0)
		log_warnx("user %s: too many failed logins from everywhere, "
			  "refused for %u s but where known",
		    p->req.user, t);
}

/*
 * Is the user's entry what it was when the check was handed out? A
 * reload in between may have changed the hash, locked or removed the
 * user: then the check's answer is for another password.
 */
static bool
login_same_user(const struct pending *p, const struct user_ent *u)
{
	switch (p->who) {
	case PEND_UNKNOWN:
		return u == NULL;
	case PEND_LOCKED:
		return u != NULL && u->locked;
	default:
		return u != NULL && !u->locked &&
		    strcmp(u->hash, p->stored) == 0;
	}
}

/* The check's answer ok (pwhash_check's), and the address that follows. */
static void
login_finish(struct authd *st, struct pending *p, int ok)
{
	struct auth_result res;
	const struct user_ent *u;
	char src[ADDR_STRLEN], as[ADDR_STRLEN];
	uint8_t key[BACKOFF_KEY_MAX];
	bool fixed;

	memset(&res, 0, sizeof(res));
	addr_fmt(&p->req.source, src, sizeof(src));
	explicit_bzero(p->req.password, sizeof(p->req.password));
	/* The cost of a check, smoothed, for the waits we ask for; one
	 * stall (a stopped process, swapping) must not inflate it. */
	{
		uint64_t ms = now_ms() - p->t0;

		st->hash_ms =
		    (st->hash_ms * 7 +
			(ms > AUTH_HASH_MS_MAX ? AUTH_HASH_MS_MAX : ms)) /
		    8;
		if (st->hash_ms == 0)
			st->hash_ms = 1;
	}
	if (ok == -1) {
		res.status = AUTH_S_INTERNAL;
		log_warnx("login %s from %s: cannot check the password",
		    p->req.user, src);
		reply(st, p, &res);
		return;
	}
	u = users_find(st->users, p->req.user);
	if (!login_same_user(p, u)) {
		log_info("login %s from %s: the users file changed during the "
			 "check, try again",
		    p->req.user, src);
		reply_later(st, p, AUTH_S_BUSY, 1);
		return;
	}
	if (ok == 0 || u == NULL || u->locked) {
		res.status = AUTH_S_BAD_CREDENTIALS;
		log_warnx("login %s from %s: %s", p->req.user, src,
		    u == NULL	    ? "unknown user"
			: u->locked ? "the user is locked"
				    : "wrong password");
		login_failed(st, p, src);
		reply(st, p, &res);
		return;
	}

	backoff_success(st->backoff, key, pair_key(p, key));
	/* Known here from now on (backoff_known: a success "blocks" for
	 * 30 days). */
	(void)backoff_fail(st->known, key, pair_key(p, key), p->t0 / 1000);
	if (pool_assign(st->pool, u->name, &res.address, &fixed) == -1) {
		if (errno == ENOSPC) {
			res.status = AUTH_S_POOL_EXHAUSTED;
			log_warnx("login %s from %s: address pool exhausted "
				  "(%zu addresses)",
			    u->name, src, pool_size(st->pool));
		} else {
			res.status = AUTH_S_INTERNAL;
			log_warnx("login %s from %s: %s", u->name, src,
			    errno == EADDRINUSE
				? "fixed address still held by another user"
				: strerror(errno));
		}
		memset(&res.address, 0, sizeof(res.address));
		reply(st, p, &res);
		return;
	}
	res.status = AUTH_S_OK;
	res.prefixlen = st->ip.len;
	res.fixed = fixed;
	log_info("login %s from %s: address %s%s", u->name, src,
	    addr_fmt(&res.address, as, sizeof(as)), fixed ? " (fixed)" : "");
	reply(st, p, &res);
}

/* p is in a worker (in true), or no longer. */
static void
running(struct authd *st, struct pending *p, bool in)
{
	size_t i;

	for (i = 0; i < HASHERS_MAX; i++)
		if (st->running[i] == (in ? NULL : p)) {
			st->running[i] = in ? p : NULL;
			return;
		}
	fatalx("more checks in the workers than workers");
}

/*
 * May this queued check go to a worker? Not while a check of the same
 * user at the same source runs: its failure may block this one, as it
 * would with one check at a time (backoff.h counts in order).
 */
static bool
may_run(const void *item, void *arg)
{
	const struct pending *p = item, *r;
	const struct authd *st = arg;
	size_t i;

	for (i = 0; i < HASHERS_MAX; i++)
		if ((r = st->running[i]) != NULL && r->slen == p->slen &&
		    memcmp(r->skey, p->skey, p->slen) == 0 &&
		    strcmp(r->req.user, p->req.user) == 0)
			return false;
	return true;
}

/*
 * A check's turn: refused if failures while it waited blocked it, else
 * handed to an idle worker with the hash it is checked against (an
 * unknown or locked user on the dummy setting, so the answer takes as
 * long as for a wrong password), or checked here.
 */
static void
login_start(struct authd *st, struct pending *p)
{
	const struct user_ent *u;
	unsigned wait;

	p->t0 = now_ms();
	if ((wait = login_blocked(st, p, p->t0 / 1000)) > 0) {
		reply_later(st, p, AUTH_S_BACKOFF, wait);
		return;
	}
	u = users_find(st->users, p->req.user);
	p->who = u == NULL ? PEND_UNKNOWN : u->locked ? PEND_LOCKED : PEND_USER;
	if (p->who == PEND_USER)
		snprintf(p->stored, sizeof(p->stored), "%s", u->hash);
	if (hashers_submit(st->hashers, p->who == PEND_USER ? p->stored : NULL,
		p->req.password, p) == 0) {
		running(st, p, true);
		return;
	}
	login_finish(st, p,
	    pwhash_check(p->who == PEND_USER ? p->stored : NULL,
		p->req.password));
}

/* A worker's answer (hashers.h); a retired worker's check is busy. */
void
login_done(void *job, int ok, void *arg)
{
	struct authd *st = arg;
	struct pending *p = job;

	running(st, p, false);
	if (ok == HASHERS_LOST) {
		log_warnx("login %s: its check was lost with its worker, try "
			  "again",
		    p->req.user);
		reply_later(st, p, AUTH_S_BUSY, 1);
	} else
		login_finish(st, p, ok);
	if (login_run(st))
		auth_work_soon(st);
}

bool
login_run(struct authd *st)
{
	struct pending *p;

	if (hashers_live(st->hashers) > 0) {
		while (hashers_idle(st->hashers) > 0 &&
		    (p = fairq_pop_if(st->queue, may_run, st)) != NULL)
			login_start(st, p);
		/* The rest go as workers answer (login_done). */
		return false;
	}
	if ((p = fairq_pop(st->queue)) == NULL)
		return false;
	login_start(st, p);
	return fairq_len(st->queue) > 0;
}

static void
login_drop(void *job)
{
	pending_free(job);
}

void
login_drain(struct authd *st)
{
	struct pending *p;

	hashers_free(st->hashers, login_drop);
	st->hashers = NULL;
	memset(st->running, 0, sizeof(st->running));

	while ((p = fairq_pop(st->queue)) != NULL)
		pending_free(p);
}

void
login_release(struct authd *st, const struct ipc_msg *m)
{
	struct auth_user req;
	struct addr a;
	char as[ADDR_STRLEN];
	enum ipcmsg_err e;

	e = ipcmsg_get_auth_user(m, IPCMSG_VLAND_TO_AUTH, &req);
	if (e != IPCMSG_OK && e != IPCMSG_E_STR)
		fatalx("AUTH_RELEASE of %zu bytes, expected %zu", m->datalen,
		    sizeof(req));
	if (e == IPCMSG_E_STR || !username_valid(req.user, strlen(req.user)))
		fatalx("AUTH_RELEASE with an invalid user name");
	/* Not an error: a reload may have released it already. */
	if (pool_lookup(st->pool, req.user, &a) == -1) {
		log_debug("release %s: holds no address", req.user);
		return;
	}
	pool_release(st->pool, req.user);
	log_debug("release %s: address %s returned", req.user,
	    addr_fmt(&a, as, sizeof(as)));
}
