/*
 * vland-auth: the state of the process and the handlers of the
 * messages vland sends it (vland-auth(8)).
 */
#ifndef VLAND_AUTH_H
#define VLAND_AUTH_H

#include <limits.h>
#include <stdbool.h>

#include "addr.h"
#include "config.h"
#include "fairq.h"
#include "hashers.h"
#include "ipc.h"
#include "ipcmsg.h"
#include "users.h"

struct backoff;
struct hashers;
struct fairq;
struct pool;

/* A password check waiting its turn (login.c). */
#define AUTH_QUEUE_PER_SOURCE 8	   /* checks queued from one source */
#define AUTH_QUEUE_MAX	      1024 /* checks queued in all */
#define AUTH_QUEUE_MS_MAX \
	8000		      /* the queue's time, under the
				    * endpoint's 10 s for an answer */
#define AUTH_HASH_MS_MAX 2000 /* one check's time, as counted */
#define AUTH_WAIT_MAX	 60   /* "try later" for a busy queue, s */
struct pending {
	struct auth_check req; /* holds the password: wiped when freed */
	uint32_t peerid, reqid;
	uint8_t skey[FAIRQ_KEY_MAX]; /* the source, as a key */
	size_t slen;
	/* From its turn on: the user as it was then, and the hash it is
	 * checked against (also wiped). */
	enum { PEND_UNKNOWN, PEND_LOCKED, PEND_USER } who;
	char stored[USERS_HASH_MAX + 1];
	uint64_t t0; /* the check's start, ms */
};
struct users;

struct authd {
	struct ipc_chan chan;
	struct event_base *base;
	struct event *resume; /* reading paused while vland is slow */
	int exitcode;

	char cfgdir[PATH_MAX];	/* its directory: the chroot */
	char cfgpath[PATH_MAX]; /* outside the chroot, for messages */
	char cfgfile[PATH_MAX]; /* the same file inside the chroot */
	char usersname[PATH_MAX];
	char usersfile[CFG_PATH_MAX];
	struct prefix ip; /* hub address, VPN prefix length */

	struct users *users;
	struct pool *pool;
	struct backoff *backoff;	      /* keyed by user at source */
	struct backoff *bo_source, *bo_user;  /* wider: not for known pairs */
	struct backoff *known;		      /* pairs that logged in */
	struct fairq *queue;		      /* of struct pending */
	struct event *work;		      /* runs queued checks */
	struct hashers *hashers;	      /* NULL: checks run here */
	struct pending *running[HASHERS_MAX]; /* checks in the workers */
	uint64_t hash_ms;		      /* a check's cost, smoothed */
	uint64_t busy;			      /* checks refused: queue full */
};

/*
 * login.c: IMSG_AUTH_CHECK queues the check (or answers it at once);
 * login_run checks one and says whether more wait; login_drain frees
 * what is queued.
 */
void login_check(struct authd *, const struct ipc_msg *);
bool login_run(struct authd *);
void login_done(void *job, int ok, void *arg); /* a worker's answer */
void login_drain(struct authd *);
void login_release(struct authd *, const struct ipc_msg *);

/* reload.c: the users file and the config text. */
int reload_reserve(struct authd *);
void reload_users(struct authd *, const struct ipc_msg *);
void reload_config_text(struct authd *, const struct ipc_msg *);
void reload_check_mode(const struct authd *);
void reload_check_nexthops(const struct authd *);

/* auth.c: rc of an ipcmsg_send_ of type; -1 is fatal. */
void auth_sent(int rc, uint16_t type);
/* auth.c: login_run at the next turn of the loop. */
void auth_work_soon(struct authd *);

#endif
