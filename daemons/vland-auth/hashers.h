/*
 * The hashing workers of vland-auth (vland-auth(8), HASHING WORKERS):
 * yescrypt costs tens of milliseconds a check, and one process checks
 * on one core, so vland-auth forks one worker per online CPU (at most
 * HASHERS_MAX) at start, after its privilege drop and chroot and before
 * it reads the configuration or the users file. Each worker enters the
 * same seccomp sandbox and does nothing but checks: it reads a job
 * (the stored hash, or none for the dummy setting, and the password)
 * from its socketpair, answers 1, 0 or -1, and exits when the socket
 * closes. Jobs carry the hash, so a reload of the users file concerns
 * vland-auth alone.
 *
 * vland-auth keeps the fair queue and hands a check to an idle worker;
 * the answer comes back through the event loop. A worker that dies,
 * answers out of turn or with a malformed reply, or takes longer than
 * HASHERS_JOB_MS_MAX, is retired (logged, its socket closed) and its
 * check is given back with HASHERS_LOST; with no worker left,
 * vland-auth checks in its own process again, one check per turn.
 */
#ifndef VLAND_HASHERS_H
#define VLAND_HASHERS_H

#include <stddef.h>
#include <stdint.h>

#include "ipcmsg.h"
#include "users.h"

#define HASHERS_MAX	   8	 /* workers at most, whatever the CPUs */
#define HASHERS_JOB_MS_MAX 10000 /* a check longer than this: retired */
#define HASHERS_LOST	   (-2)	 /* the check's worker was retired */

/* One check, vland-auth to a worker. */
struct hasher_job {
	uint32_t id;
	uint8_t dummy; /* 1: no stored hash, check on the dummy setting */
	char stored[USERS_HASH_MAX + 1];
	char password[IPCMSG_PASSWORD_MAX + 1];
};

/* Its answer: pwhash_check's 1, 0 or -1. */
struct hasher_res {
	uint32_t id;
	int32_t ok;
};

struct event_base;
struct hashers;

/* A check's end: ok is 1, 0, -1 (as pwhash_check) or HASHERS_LOST. */
typedef void (*hashers_done_cb)(void *job, int ok, void *arg);

/*
 * The number of workers to start: the online CPUs, 1 to HASHERS_MAX.
 */
size_t hashers_wanted(void);

/*
 * Fork n workers (after pwhash_init, before any secret is read), each
 * closing every descriptor but its socket and stderr. In the parent:
 * the set, or NULL if not one could start (then vland-auth hashes in
 * its own process). Never returns in a worker.
 */
struct hashers *hashers_start(size_t n);

/* The read events and job timers, once the event base exists. */
void hashers_events(struct hashers *, struct event_base *, hashers_done_cb,
    void *arg);

size_t hashers_live(const struct hashers *); /* workers not retired */
size_t hashers_idle(const struct hashers *); /* of them, with no job */

/*
 * Hand a check to an idle worker; job is the caller's, returned to
 * done. 0, or -1 if no worker is idle (or the send failed: that worker
 * is retired, and the caller may try again).
 */
int hashers_submit(struct hashers *, const char *stored, const char *password,
    void *job);

/* Close every worker's socket (they exit); jobs in flight go to drop. */
void hashers_free(struct hashers *, void (*drop)(void *job));

#endif
