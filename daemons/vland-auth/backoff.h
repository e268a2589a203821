/*
 * Failure back-off for password checks, keyed by whatever the caller
 * chooses (vland-auth: a user name at a source). After `fails` failures within `window`
 * seconds a key is refused for `base` seconds; each further block of the
 * same key doubles that, up to `cap`. A success forgets the key, and so
 * does `forget` seconds without a failure. Tables have a fixed number
 * of entries: a flood of new keys evicts idle ones first and never grows
 * memory. Time is passed in (seconds of a monotonic clock), so the
 * module is pure and testable.
 */
#ifndef VLAND_BACKOFF_H
#define VLAND_BACKOFF_H

#include <stddef.h>
#include <stdint.h>

#define BACKOFF_KEY_MAX 64 /* a source and a user name with its NUL */

struct backoff_conf {
	unsigned fails;	 /* failures ... */
	unsigned window; /* ... within this many seconds start a block */
	unsigned base;	 /* the first block, seconds */
	unsigned cap;	 /* the longest block, seconds */
	unsigned forget; /* idle seconds after which a key is dropped */
	size_t max;	 /* entries in the table */
};

/* What vland-auth uses per user at a source: 5 failures in 60 s, 60 s
 * doubling to 15 min. */
extern const struct backoff_conf backoff_defaults;
/* Per source and per user, for pairs not known: 20 failures in 60 s. */
extern const struct backoff_conf backoff_wide;
/* Pairs that logged in: one success "blocks", i.e. marks it known, for
 * 30 days (the oldest goes first when the table is full). */
extern const struct backoff_conf backoff_known;

struct backoff;

struct backoff *backoff_new(const struct backoff_conf *);
void backoff_free(struct backoff *);

/* Seconds the key is still refused at now; 0 if it may be checked. */
unsigned backoff_refused(struct backoff *, const void *key, size_t len,
    uint64_t now);

/*
 * Count a failure of key at now. Returns the length of the block this
 * failure started, or 0 if it started none.
 */
unsigned backoff_fail(struct backoff *, const void *key, size_t len,
    uint64_t now);

/* A success: forget the key. */
void backoff_success(struct backoff *, const void *key, size_t len);

size_t backoff_count(const struct backoff *);	  /* keys tracked */
uint64_t backoff_evicted(const struct backoff *); /* keys pushed out */

#endif
