/*
 * Failure back-off tables (see backoff.h). A table is a fixed array
 * searched linearly: at a few thousand entries that costs microseconds,
 * next to the milliseconds of the hash it saves, and it can neither
 * grow nor degrade under a crafted set of keys.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "backoff.h"

const struct backoff_conf backoff_defaults = {
	.fails = 5,
	.window = 60,
	.base = 60,
	.cap = 15 * 60,
	.forget = 60 * 60,
	.max = 4096,
};

const struct backoff_conf backoff_wide = {
	.fails = 20,
	.window = 60,
	.base = 60,
	.cap = 15 * 60,
	.forget = 60 * 60,
	.max = 4096,
};

/* One success marks a pair known for 30 days: the table's own block,
 * read as "known", and its eviction of the oldest when full. */
const struct backoff_conf backoff_known = {
	.fails = 1,
	.window = 1,
	.base = 30 * 86400,
	.cap = 30 * 86400,
	.forget = 30 * 86400,
	.max = 4096,
};

struct bo_ent {
	bool used;
	uint8_t len;
	uint8_t key[BACKOFF_KEY_MAX];
	unsigned fails;	 /* failures in the current window */
	unsigned period; /* length of the last block; 0: none yet */
	uint64_t window; /* start of the current window */
	uint64_t until;	 /* refused before this time */
	uint64_t last;	 /* last failure */
};

struct backoff {
	struct backoff_conf conf;
	struct bo_ent *v;
	size_t n;
	uint64_t evicted;
};

struct backoff *
backoff_new(const struct backoff_conf *conf)
{
	struct backoff *b;

	if (conf->max == 0 || conf->fails == 0)
		return NULL;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	b->conf = *conf;
	if ((b->v = calloc(conf->max, sizeof(*b->v))) == NULL) {
		free(b);
		return NULL;
	}
	return b;
}

void
backoff_free(struct backoff *b)
{
	if (b == NULL)
		return;
	free(b->v);
	free(b);
}

static bool
stale(const struct backoff *b, const struct bo_ent *e, uint64_t now)
{
	return e->until <= now && now >= e->last &&
	    now - e->last >= b->conf.forget;
}

static void
drop(struct backoff *b, struct bo_ent *e)
{
	memset(e, 0, sizeof(*e));
	b->n--;
}

static struct bo_ent *
find(struct backoff *b, const void *key, size_t len, uint64_t now)
{
	struct bo_ent *e;
	size_t i;

	if (len == 0 || len > BACKOFF_KEY_MAX)
		return NULL;
	for (i = 0; i < b->conf.max; i++) {
		e = &b->v[i];
		if (!e->used || e->len != len || memcmp(e->key, key, len) != 0)
			continue;
		if (stale(b, e, now)) {
			drop(b, e);
			return NULL;
		}
		return e;
	}
	return NULL;
}

/*
 * A slot for a new key: a free one, else a stale one, else the idle
 * entry whose last failure is oldest, else (all blocked) the one whose
 * block ends first. Blocked keys are the last to go, so a flood of new
 * keys cannot unblock a key that is being guessed.
 */
static struct bo_ent *
slot(struct backoff *b, uint64_t now)
{
	struct bo_ent *e, *idle = NULL, *blocked = NULL;
	size_t i;

	for (i = 0; i < b->conf.max; i++) {
		e = &b->v[i];
		if (!e->used)
			return e;
		if (stale(b, e, now)) {
			drop(b, e);
			return e;
		}
		if (e->until <= now) {
			if (idle == NULL || e->last < idle->last)
				idle = e;
		} else if (blocked == NULL || e->until < blocked->until) {
			blocked = e;
		}
	}
	e = idle != NULL ? idle : blocked;
	drop(b, e);
	b->evicted++;
	return e;
}

unsigned
backoff_refused(struct backoff *b, const void *key, size_t len, uint64_t now)
{
	struct bo_ent *e = find(b, key, len, now);

	return e != NULL && e->until > now ? (unsigned)(e->until - now) : 0;
}

unsigned
backoff_fail(struct backoff *b, const void *key, size_t len, uint64_t now)
{
	struct bo_ent *e;

	if (len == 0 || len > BACKOFF_KEY_MAX)
		return 0;
	if ((e = find(b, key, len, now)) == NULL) {
		e = slot(b, now);
		e->used = true;
		e->len = (uint8_t)len;
		memcpy(e->key, key, len);
		e->window = now;
		b->n++;
	}
	if (now - e->window >= b->conf.window) {
		e->window = now;
		e->fails = 0;
	}
	e->last = now;
	if (++e->fails < b->conf.fails)
		return 0;
	if (e->period == 0)
		e->period = b->conf.base;
	else
		e->period =
		    e->period > b->conf.cap / 2 ? b->conf.cap : e->period * 2;
	if (e->period > b->conf.cap)
		e->period = b->conf.cap;
	e->until = now + e->period;
	e->fails = 0;
	e->window = now;
	return e->period;
}

void
backoff_success(struct backoff *b, const void *key, size_t len)
{
	struct bo_ent *e;
	size_t i;

	if (len == 0 || len > BACKOFF_KEY_MAX)
		return;
	for (i = 0; i < b->conf.max; i++) {
		e = &b->v[i];
		if (e->used && e->len == len && memcmp(e->key, key, len) == 0) {
			drop(b, e);
			return;
		}
	}
}

size_t
backoff_count(const struct backoff *b)
{
	return b->n;
}

uint64_t
backoff_evicted(const struct backoff *b)
{
	return b->evicted;
}
