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
	t->next_id = 1;
	t->release = release;
}

void
session_table_clear(struct session_table *t)
{
	struct session *s;

	while ((s = TAILQ_FIRST(&t->list)) != NULL)
		session_free(t, s);
	free(t->idx);
	free(t->addr);
	t->idx = NULL;
	t->addr = NULL;
	t->idx_cap = t->addr_cap = 0;
	t->idx_live = t->idx_dead = t->addr_used = 0;
}

/*
 * The index table grows with the sessions: at most half full, counting
 * deleted slots, so probe sequences stay short; rebuilt (and doubled
 * when the live entries need it) from the sessions themselves.
 */
#define IDX_MIN 1024 /* slots at first; a power of two */

static uint32_t
idx_hash(const struct session_table *t, uint32_t idx)
{
	/* The index is random already; mix anyway against a weak RNG. */
	idx ^= idx >> 16;
	idx *= 0x45d9f3b;
	idx ^= idx >> 16;
	return idx & (t->idx_cap - 1);
}

/* Into a table known to have room. */
static void
idx_put(struct session_table *t, uint32_t idx, struct session *s)
{
	uint32_t i = idx_hash(t, idx);

	while (t->idx[i].s != NULL && t->idx[i].s != TOMBSTONE)
		i = (i + 1) & (t->idx_cap - 1);
	if (t->idx[i].s == TOMBSTONE)
		t->idx_dead--;
	t->idx[i].idx = idx;
	t->idx[i].s = s;
	t->idx_live++;
}

static void
idx_rebuild(struct session_table *t, uint32_t cap)
{
	struct session *s;
	unsigned i;

	free(t->idx);
	if ((t->idx = calloc(cap, sizeof(*t->idx))) == NULL)
		fatal("index table of %u slots", cap);
	t->idx_cap = cap;
	t->idx_live = t->idx_dead = 0;
	TAILQ_FOREACH (s, &t->list, entry)
		for (i = 0; i < s->nidx; i++)
			idx_put(t, s->idx[i], s);
}

/* Room for one more entry, before it is recorded anywhere. */
static void
idx_reserve(struct session_table *t)
{
	if (t->idx == NULL)
		idx_rebuild(t, IDX_MIN);
	if ((t->idx_live + t->idx_dead + 1) * 2 > t->idx_cap)
		idx_rebuild(t,
		    (t->idx_live + 1) * 4 > t->idx_cap ? t->idx_cap * 2
						       : t->idx_cap);
}

static struct idx_slot *
idx_find(const struct session_table *t, uint32_t idx)
{
	uint32_t i, n;

	if (t->idx == NULL)
		return NULL;
	i = idx_hash(t, idx);
	for (n = 0; n < t->idx_cap; n++, i = (i + 1) & (t->idx_cap - 1)) {
		if (t->idx[i].s == NULL)
			return NULL;
		if (t->idx[i].s != TOMBSTONE && t->idx[i].idx == idx)
			return &t->idx[i];
	}
	return NULL;
}

static void
idx_remove(struct session_table *t, uint32_t idx)
{
	struct idx_slot *sl = idx_find(t, idx);

	if (sl != NULL) {
		sl->s = TOMBSTONE;
		t->idx_dead++;
		t->idx_live--;
	}
}

struct session *
session_by_index(const struct session_table *t, uint32_t idx)
{
	struct idx_slot *sl = idx_find(t, idx);

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
	while (idx == 0 || idx_find(t, idx) != NULL);
	return idx;
}

void
session_add_index(struct session_table *t, struct session *s, uint32_t idx)
{
	if (s->nidx == SESS_NIDX) {
		/* The oldest can no longer be live in the kp_set. */
		idx_remove(t, s->idx[0]);
		memmove(s->idx, s->idx + 1,
		    sizeof(s->idx[0]) * (SESS_NIDX - 1));
		s->nidx--;
	}
	idx_reserve(t);
	s->idx[s->nidx++] = idx;
	idx_put(t, idx, s);
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

void
session_set_state(struct session_table *t, struct session *s,
    enum sess_state st)
{
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
		idx_remove(t, s->idx[i]);
	if (t->release != NULL)
		t->release(s);
	kp_set_clear(&s->kps);
	explicit_bzero(s->token, sizeof(s->token));
	TAILQ_REMOVE(&t->list, s, entry);
	t->nstate[s->state]--;
	free(s);
	if (t->idx_dead > t->idx_cap / 4)
		idx_rebuild(t, t->idx_cap);
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
