/*
 * Logins: the password check and the address that follows it. The only
 * call that hands out an address sits in the success branch of
 * login_check, so no message sequence gets an address without a check
 * that succeeded in the same request (vland-auth(8)).
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "backoff.h"
#include "ipcmsg.h"
#include "log.h"
#include "pool.h"
#include "pwhash.h"
#include "users.h"

/* The source as a back-off key: family and address bytes, no padding. */
static size_t
source_key(const struct addr *a, uint8_t *key)
{
	size_t n = addr_bytes(a);

	memcpy(key, &a->af, sizeof(a->af));
	memcpy(key + sizeof(a->af), a->b, n);
	return sizeof(a->af) + n;
}

static uint64_t
now_sec(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("clock_gettime");
	return (uint64_t)ts.tv_sec;
}

/* Count a failure against the user (if named) and the source. */
static void
login_failed(struct authd *st, const char *user, const uint8_t *skey,
    size_t slen, const char *src)
{
	uint64_t now = now_sec();
	unsigned t;

	if (user != NULL &&
	    (t = backoff_fail(st->bo_user, user, strlen(user) + 1, now)) > 0)
		log_warnx("user %s: too many failed logins, refused for %u s",
		    user, t);
	if ((t = backoff_fail(st->bo_source, skey, slen, now)) > 0)
		log_warnx("source %s: too many failed logins, refused for %u s",
		    src, t);
}

void
login_check(struct authd *st, const struct ipc_msg *m)
{
	struct auth_check req;
	struct auth_result res;
	const struct user_ent *u;
	char src[ADDR_STRLEN], as[ADDR_STRLEN];
	uint8_t skey[BACKOFF_KEY_MAX];
	size_t slen, ulen;
	unsigned wait_u, wait_s;
	uint64_t now;
	bool fixed;
	int ok;

	if (ipc_get_exact(m, &req, sizeof(req)) == -1)
		fatalx("AUTH_CHECK of %zu bytes, expected %zu", m->datalen,
		    sizeof(req));
	/* The password now has a copy in req; the read buffer's goes. */
	explicit_bzero(st->chan.rbuf, sizeof(struct ipc_hdr) + sizeof(req));
	if (!IPCMSG_STR_OK(req.user) || !IPCMSG_STR_OK(req.password))
		fatalx("AUTH_CHECK with an unterminated string");
	if (req.source.af != AF_INET && req.source.af != AF_INET6)
		fatalx("AUTH_CHECK with source address family %u",
		    req.source.af);

	memset(&res, 0, sizeof(res));
	addr_fmt(&req.source, src, sizeof(src));
	slen = source_key(&req.source, skey);
	ulen = strlen(req.user);
	now = now_sec();

	/* The name came from the network; never print an invalid one. */
	if (!username_valid(req.user, ulen)) {
		res.status = AUTH_S_BAD_CREDENTIALS;
		log_warnx("login from %s: invalid user name", src);
		login_failed(st, NULL, skey, slen, src);
		goto reply;
	}
	/* Blocked keys are refused before any hashing: a flood is cheap. */
	wait_u = backoff_refused(st->bo_user, req.user, ulen + 1, now);
	wait_s = backoff_refused(st->bo_source, skey, slen, now);
	if (wait_u > 0 || wait_s > 0) {
		res.status = AUTH_S_BACKOFF;
		log_debug("login %s from %s: refused for %u s more (back-off)",
		    req.user, src, wait_u > wait_s ? wait_u : wait_s);
		goto reply;
	}

	/* An unknown or locked user is hashed too, on the dummy setting:
	 * the answer takes as long as for a wrong password. */
	u = users_find(st->users, req.user);
	ok = pwhash_check(u != NULL && !u->locked ? u->hash : NULL,
	    req.password);
	explicit_bzero(req.password, sizeof(req.password));
	if (ok == -1) {
		res.status = AUTH_S_INTERNAL;
		log_warnx("login %s from %s: cannot check the password",
		    req.user, src);
		goto reply;
	}
	if (ok == 0 || u == NULL || u->locked) {
		res.status = AUTH_S_BAD_CREDENTIALS;
		log_warnx("login %s from %s: %s", req.user, src,
		    u == NULL	 ? "unknown user"
		    : u->locked ? "the user is locked"
				 : "wrong password");
		login_failed(st, req.user, skey, slen, src);
		goto reply;
	}

	backoff_success(st->bo_user, req.user, ulen + 1);
	backoff_success(st->bo_source, skey, slen);
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
		goto reply;
	}
	res.status = AUTH_S_OK;
	res.prefixlen = st->ip.len;
	res.fixed = fixed;
	log_info("login %s from %s: address %s%s", u->name, src,
	    addr_fmt(&res.address, as, sizeof(as)), fixed ? " (fixed)" : "");
reply:
	explicit_bzero(&req, sizeof(req));
	auth_send(st, IMSG_AUTH_RESULT, m, &res, sizeof(res));
}

void
login_release(struct authd *st, const struct ipc_msg *m)
{
	struct auth_user req;
	struct addr a;
	char as[ADDR_STRLEN];

	if (ipc_get_exact(m, &req, sizeof(req)) == -1)
		fatalx("AUTH_RELEASE of %zu bytes, expected %zu", m->datalen,
		    sizeof(req));
	if (!IPCMSG_STR_OK(req.user) ||
	    !username_valid(req.user, strlen(req.user)))
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
