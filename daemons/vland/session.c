/*
 * Session table. Indices are random 32-bit values (WireGuard §5.4.2)
 * kept in an open-addressing hash table, so a message finds its session
 * with one probe sequence whatever the number of endpoints; it and the
 * table of addresses grow with the sessions (max-sessions bounds them).
 * All of it is in the struct session_table the caller passes.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "log.h"
#include "session.h"

/*
 * A deleted slot points here: a probe sequence goes on past it. Never
 * written, so it is no state of the module; only its address counts.
 */
static const struct session tombstone_mark;
#define TOMBSTONE ((struct session *)(uintptr_t)&tombstone_mark)

void
session_table_init(struct session_table *t, void (*release)(struct session *))
{
	memset(t, 0, sizeof(*t));
	TAILQ_INIT(&t->list);
	TAILQ_INIT(&t->waiting);
	t->next_id = 1;
	t->release = release;
}

void
session_table_clear(struct session_table *t)
{
	struct session *s;

	while ((s = TAILQ_FIRST(&t->list)) != NULL)
		session_free(t, s);
	free(t->idx.slot);
	free(t->tok.slot);
	free(t->addr);
	memset(&t->idx, 0, sizeof(t->idx));
	memset(&t->tok, 0, sizeof(t->tok));
	t->addr = NULL;
	t->addr_cap = 0;
	t->addr_used = 0;
}

/*
 * The index tables grow with the sessions: at most half full, counting
 * deleted slots, so probe sequences stay short; rebuilt (and doubled
 * when the live entries need it) from the sessions themselves. Keys
 * may repeat (two tokens that begin alike): a lookup walks the probe
 * sequence and the caller tells them apart.
 */
#define IDX_MIN 1024 /* slots at first; a power of two */

static uint32_t
idx_hash(const struct idx_table *x, uint32_t key)
{
	/* The keys are random already; mix anyway against a weak RNG. */
	key ^= key >> 16;
	key *= 0x45d9f3b;
	key ^= key >> 16;
	return key & (x->cap - 1);
}

/* Into a table known to have room. */
static void
idx_put(struct idx_table *x, uint32_t key, struct session *s)
{
	uint32_t i = idx_hash(x, key);

	while (x->slot[i].s != NULL && x->slot[i].s != TOMBSTONE)
		i = (i + 1) & (x->cap - 1);
	if (x->slot[i].s == TOMBSTONE)
		x->dead--;
	x->slot[i].idx = key;
	x->slot[i].s = s;
	x->live++;
}

static uint32_t
token_key(const uint8_t *token)
{
	uint32_t k;

	memcpy(&k, token, sizeof(k));
	return k;
}

static void
idx_rebuild(struct session_table *t, struct idx_table *x, uint32_t cap)
{
	struct session *s;
	unsigned i;

	free(x->slot);
	if ((x->slot = calloc(cap, sizeof(*x->slot))) == NULL)
		fatal("index table of %u slots", cap);
	x->cap = cap;
	x->live = x->dead = 0;
	TAILQ_FOREACH (s, &t->list, entry) {
		if (x == &t->tok) {
			if (s->has_token)
				idx_put(x, token_key(s->token), s);
			continue;
		}
		for (i = 0; i < s->nidx; i++)
			idx_put(x, s->idx[i], s);
	}
}

/* Room for one more entry, before it is recorded anywhere. */
static void
idx_reserve(struct session_table *t, struct idx_table *x)
{
	if (x->slot == NULL)
		idx_rebuild(t, x, IDX_MIN);
	if ((x->live + x->dead + 1) * 2 > x->cap)
		idx_rebuild(t, x,
		    (x->live + 1) * 4 > x->cap ? x->cap * 2 : x->cap);
}

/* The slot of key after "after" (NULL: the first) in its probe
 * sequence, or NULL. */
static struct idx_slot *
idx_next(const struct idx_table *x, uint32_t key, const struct idx_slot *after)
{
	uint32_t i, n;

	if (x->slot == NULL)
		return NULL;
	i = after == NULL ? idx_hash(x, key)
			  : ((uint32_t)(after - x->slot) + 1) & (x->cap - 1);
	for (n = 0; n < x->cap; n++, i = (i + 1) & (x->cap - 1)) {
		if (x->slot[i].s == NULL)
			return NULL;
		if (x->slot[i].s != TOMBSTONE && x->slot[i].idx == key)
			return &x->slot[i];
	}
	return NULL;
}

static struct idx_slot *
idx_find(const struct idx_table *x, uint32_t key)
{
	return idx_next(x, key, NULL);
}

/* The entry of key that is s's. */
static void
idx_remove(struct idx_table *x, uint32_t key, const struct session *s)
{
	struct idx_slot *sl = NULL;

	while ((sl = idx_next(x, key, sl)) != NULL)
		if (sl->s == s) {
			sl->s = TOMBSTONE;
			x->dead++;
			x->live--;
			return;
		}
}

struct session *
session_by_index(const struct session_table *t, uint32_t idx)
{
	struct idx_slot *sl = idx_find(&t->idx, idx);

	return sl != NULL ? sl->s : NULL;
}

static uint32_t
random_index(const struct session_table *t)
{
	uint32_t idx;

	if (t->random != NULL)
		return t->random();
	if (RAND_bytes((unsigned char *)&idx, sizeof(idx)) != 1)
		fatalx("RAND_bytes");
	return idx;
}

uint32_t
session_new_index(struct session_table *t)
{
	uint32_t idx;

	do
		idx = random_index(t);
	while (idx == 0 || idx_find(&t->idx, idx) != NULL);
	return idx;
}

void
session_add_index(struct session_table *t, struct session *s, uint32_t idx)
{
	if (s->nidx == SESS_NIDX) {
		/* The oldest can no longer be live in the kp_set. */
		idx_remove(&t->idx, s->idx[0], s);
		memmove(s->idx, s->idx + 1,
		    sizeof(s->idx[0]) * (SESS_NIDX - 1));
		s->nidx--;
	}
	idx_reserve(t, &t->idx);
	s->idx[s->nidx++] = idx;
	idx_put(&t->idx, idx, s);
}

struct session *
session_new(struct session_table *t, const struct peer_addr *peer)
{
	struct session *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		fatal("calloc");
	s->id = t->next_id++;
	if (t->next_id == 0)
		t->next_id = 1;
	s->peer = *peer;
	s->tapfd = -1;
	s->groups = s->reach = UINT64_MAX; /* until the hub says */
	s->created_ms = s->last_rx_ms = now_ms();
	kp_set_init(&s->kps);
	TAILQ_INSERT_TAIL(&t->list, s, entry);
	TAILQ_INSERT_TAIL(&t->waiting, s, wait_entry);
	t->nstate[s->state]++; /* SESS_WAIT_AUTH */
	return s;
}

struct session *
session_by_id(const struct session_table *t, uint32_t id)
{
	struct session *s;

	TAILQ_FOREACH (s, &t->list, entry)
		if (s->id == id)
			return s;
	return NULL;
}

struct session *
session_by_user(const struct session_table *t, const char *user,
    const struct session *except)
{
	struct session *s;

	TAILQ_FOREACH (s, &t->list, entry)
		if (s != except && sess_logged_in(s->state) &&
		    strcmp(s->user, user) == 0)
			return s;
	return NULL;
}

struct session *
session_of_user(const struct session_table *t, const char *user,
    const struct session *except)
{
	struct session *s;

	TAILQ_FOREACH (s, &t->list, entry)
		if (s != except && sess_past_auth(s->state) &&
		    strcmp(s->user, user) == 0)
			return s;
	return NULL;
}

size_t
session_count(const struct session_table *t, enum sess_state st)
{
	return (unsigned)st < SESS_NSTATES ? t->nstate[st] : 0;
}

struct session *
session_oldest_waiting(const struct session_table *t)
{
	return TAILQ_FIRST(&t->waiting);
}

void
session_set_state(struct session_table *t, struct session *s,
    enum sess_state st)
{
	if (s->state == SESS_WAIT_AUTH && st != SESS_WAIT_AUTH)
		TAILQ_REMOVE(&t->waiting, s, wait_entry);
	else if (s->state != SESS_WAIT_AUTH && st == SESS_WAIT_AUTH)
		TAILQ_INSERT_TAIL(&t->waiting, s, wait_entry);
	t->nstate[s->state]--;
	t->nstate[st]++;
	s->state = st;
}

static void session_addr_clear(struct session_table *, struct session *);

void
session_free(struct session_table *t, struct session *s)
{
	unsigned i;

	if (s->addr.af == AF_INET && session_by_addr(t, &s->addr) == s)
		session_addr_clear(t, s);
	for (i = 0; i < s->nidx; i++)
		idx_remove(&t->idx, s->idx[i], s);
	if (s->has_token)
		idx_remove(&t->tok, token_key(s->token), s);
	if (t->release != NULL)
		t->release(s);
	kp_set_clear(&s->kps);
	explicit_bzero(s->token, sizeof(s->token));
	TAILQ_REMOVE(&t->list, s, entry);
	if (s->state == SESS_WAIT_AUTH)
		TAILQ_REMOVE(&t->waiting, s, wait_entry);
	t->nstate[s->state]--;
	free(s);
	if (t->idx.dead > t->idx.cap / 4)
		idx_rebuild(t, &t->idx, t->idx.cap);
	if (t->tok.dead > t->tok.cap / 4)
		idx_rebuild(t, &t->tok, t->tok.cap);
}

void
session_new_token(struct session_table *t, struct session *s)
{
	if (s->has_token) {
		idx_remove(&t->tok, token_key(s->token), s);
		s->has_token = false;
	}
	if (t->random != NULL) {
		/* A test's: tokens that begin alike, on purpose. */
		uint32_t w;
		size_t i;

		for (i = 0; i < sizeof(s->token); i += sizeof(w)) {
			w = t->random();
			memcpy(s->token + i, &w, sizeof(w));
		}
	} else if (RAND_bytes(s->token, sizeof(s->token)) != 1)
		fatalx("RAND_bytes");
	idx_reserve(t, &t->tok);
	s->has_token = true;
	idx_put(&t->tok, token_key(s->token), s);
}

struct session *
session_by_token(const struct session_table *t,
    const uint8_t token[PMSG_TOKEN_LEN])
{
	struct idx_slot *sl = NULL;

	/* The first 4 bytes only choose the slots; the whole token is
	 * compared in constant time. */
	while ((sl = idx_next(&t->tok, token_key(token), sl)) != NULL)
		if (CRYPTO_memcmp(sl->s->token, token, PMSG_TOKEN_LEN) == 0)
			return sl->s;
	return NULL;
}

/*
 * Sessions by their IPv4 address, for forwarding by destination in tun
 * mode: one probe sequence per packet, whatever the number of endpoints.
 */
#define ADDR_MIN 1024 /* slots at first; a power of two */

static uint32_t
addr_slot(const struct session_table *t, uint32_t a)
{
	a ^= a >> 15;
	a *= 0x2c1b3c6d;
	a ^= a >> 12;
	return a & (t->addr_cap - 1);
}

/* Into a table known to have room; an address already there is taken
 * over (the newest session of an address wins). */
static void
addr_put(struct session_table *t, uint32_t a, struct session *s)
{
	uint32_t i = addr_slot(t, a), first = UINT32_MAX, n;

	for (n = 0; n < t->addr_cap; n++, i = (i + 1) & (t->addr_cap - 1)) {
		if (t->addr[i].s == NULL)
			break;
		if (t->addr[i].s == TOMBSTONE) {
			if (first == UINT32_MAX)
				first = i;
		} else if (t->addr[i].a == a) {
			t->addr[i].s = s;
			return;
		}
	}
	if (first == UINT32_MAX) {
		first = i;
		t->addr_used++;
	}
	t->addr[first].a = a;
	t->addr[first].s = s;
}

/* Rebuilt from the sessions that are up, at a size for them. */
static void
addr_rebuild(struct session_table *t)
{
	struct session *s;
	unsigned live = 0;
	uint32_t cap = ADDR_MIN;

	TAILQ_FOREACH (s, &t->list, entry)
		if (s->state == SESS_UP && s->addr.af == AF_INET)
			live++;
	while ((live + 1) * 4 > cap)
		cap *= 2;
	free(t->addr);
	if ((t->addr = calloc(cap, sizeof(*t->addr))) == NULL)
		fatal("address table of %u slots", cap);
	t->addr_cap = cap;
	t->addr_used = 0;
	TAILQ_FOREACH (s, &t->list, entry)
		if (s->state == SESS_UP && s->addr.af == AF_INET)
			addr_put(t, s->addr.v4.s_addr, s);
}

void
session_addr_set(struct session_table *t, struct session *s)
{
	if (t->addr == NULL || (t->addr_used + 1) * 2 > t->addr_cap) {
		/* The rebuild takes s in if it is up; put it anyway. */
		addr_rebuild(t);
	}
	addr_put(t, s->addr.v4.s_addr, s);
}

struct session *
session_by_addr(const struct session_table *t, const struct addr *ad)
{
	uint32_t a = ad->v4.s_addr, i, n;

	if (ad->af != AF_INET || t->addr == NULL)
		return NULL;
	i = addr_slot(t, a);
	for (n = 0; n < t->addr_cap; n++, i = (i + 1) & (t->addr_cap - 1)) {
		if (t->addr[i].s == NULL)
			return NULL;
		if (t->addr[i].s != TOMBSTONE && t->addr[i].a == a)
			return t->addr[i].s;
	}
	return NULL;
}

static void
session_addr_clear(struct session_table *t, struct session *s)
{
	uint32_t a = s->addr.v4.s_addr, i, n;

	if (t->addr == NULL)
		return;
	i = addr_slot(t, a);
	for (n = 0; n < t->addr_cap; n++, i = (i + 1) & (t->addr_cap - 1)) {
		if (t->addr[i].s == NULL)
			return;
		if (t->addr[i].s == s && t->addr[i].a == a) {
			t->addr[i].s = TOMBSTONE;
			return;
		}
	}
}
