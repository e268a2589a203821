/*
 * Session table. Indices are random 32-bit values (WireGuard §5.4.2)
 * kept in an open-addressing hash table, so a message finds its session
 * with one probe sequence whatever the number of endpoints; it and the
 * table of addresses grow with the sessions (max-sessions bounds them).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <openssl/rand.h>

#include "hub.h"
#include "log.h"
#include "session.h"

struct session_list sessions = TAILQ_HEAD_INITIALIZER(sessions);

/*
 * The index table grows with the sessions: at most half full, counting
 * deleted slots, so probe sequences stay short; rebuilt (and doubled
 * when the live entries need it) from the sessions themselves.
 */
#define IDX_MIN 1024 /* slots at first; a power of two */

struct idx_slot {
	uint32_t idx;
	struct session *s; /* NULL: empty; &tombstone: deleted */
};

static struct idx_slot *idx_table;
static uint32_t idx_cap;
static unsigned idx_live, ntombstones;
static struct session tombstone;
static uint32_t next_id = 1;

static uint32_t
idx_hash(uint32_t idx)
{
	/* The index is random already; mix anyway against a weak RNG. */
	idx ^= idx >> 16;
	idx *= 0x45d9f3b;
	idx ^= idx >> 16;
	return idx & (idx_cap - 1);
}

/* Into a table known to have room. */
static void
idx_put(uint32_t idx, struct session *s)
{
	uint32_t i = idx_hash(idx);

	while (idx_table[i].s != NULL && idx_table[i].s != &tombstone)
		i = (i + 1) & (idx_cap - 1);
	if (idx_table[i].s == &tombstone)
		ntombstones--;
	idx_table[i].idx = idx;
	idx_table[i].s = s;
	idx_live++;
}

static void
idx_rebuild(uint32_t cap)
{
	struct session *s;
	unsigned i;

	free(idx_table);
	if ((idx_table = calloc(cap, sizeof(*idx_table))) == NULL)
		fatal("index table of %u slots", cap);
	idx_cap = cap;
	idx_live = ntombstones = 0;
	TAILQ_FOREACH (s, &sessions, entry)
		for (i = 0; i < s->nidx; i++)
			idx_put(s->idx[i], s);
}

/* Room for one more entry, before it is recorded anywhere. */
static void
idx_reserve(void)
{
	if (idx_table == NULL)
		idx_rebuild(IDX_MIN);
	if ((idx_live + ntombstones + 1) * 2 > idx_cap)
		idx_rebuild(
		    (idx_live + 1) * 4 > idx_cap ? idx_cap * 2 : idx_cap);
}

static struct idx_slot *
idx_find(uint32_t idx)
{
	uint32_t i, n;

	if (idx_table == NULL)
		return NULL;
	i = idx_hash(idx);
	for (n = 0; n < idx_cap; n++, i = (i + 1) & (idx_cap - 1)) {
		if (idx_table[i].s == NULL)
			return NULL;
		if (idx_table[i].s != &tombstone && idx_table[i].idx == idx)
			return &idx_table[i];
	}
	return NULL;
}

static void
idx_remove(uint32_t idx)
{
	struct idx_slot *sl = idx_find(idx);

	if (sl != NULL) {
		sl->s = &tombstone;
		ntombstones++;
		idx_live--;
	}
}

struct session *
session_by_index(uint32_t idx)
{
	struct idx_slot *sl = idx_find(idx);

	return sl != NULL ? sl->s : NULL;
}

uint32_t
session_new_index(void)
{
	uint32_t idx;

	do {
		if (RAND_bytes((unsigned char *)&idx, sizeof(idx)) != 1)
			fatalx("RAND_bytes");
	} while (idx == 0 || idx_find(idx) != NULL);
	return idx;
}

void
session_add_index(struct session *s, uint32_t idx)
{
	if (s->nidx == SESS_NIDX) {
		/* The oldest can no longer be live in the kp_set. */
		idx_remove(s->idx[0]);
		memmove(s->idx, s->idx + 1,
		    sizeof(s->idx[0]) * (SESS_NIDX - 1));
		s->nidx--;
	}
	idx_reserve();
	s->idx[s->nidx++] = idx;
	idx_put(idx, s);
}

struct session *
session_new(const struct peer_addr *peer)
{
	struct session *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		fatal("calloc");
	s->id = next_id++;
	if (next_id == 0)
		next_id = 1;
	s->peer = *peer;
	s->tapfd = -1;
	s->created_ms = s->last_rx_ms = now_ms();
	kp_set_init(&s->kps);
	TAILQ_INSERT_TAIL(&sessions, s, entry);
	return s;
}

struct session *
session_by_id(uint32_t id)
{
	struct session *s;

	TAILQ_FOREACH (s, &sessions, entry)
		if (s->id == id)
			return s;
	return NULL;
}

struct session *
session_by_user(const char *user, const struct session *except)
{
	struct session *s;

	TAILQ_FOREACH (s, &sessions, entry)
		if (s != except && s->state >= SESS_WAIT_TAP &&
		    strcmp(s->user, user) == 0)
			return s;
	return NULL;
}

struct session *
session_of_user(const char *user, const struct session *except)
{
	struct session *s;

	TAILQ_FOREACH (s, &sessions, entry)
		if (s != except && s->state >= SESS_AUTHING &&
		    strcmp(s->user, user) == 0)
			return s;
	return NULL;
}

size_t
session_count(enum sess_state st)
{
	struct session *s;
	size_t n = 0;

	TAILQ_FOREACH (s, &sessions, entry)
		if (s->state == st)
			n++;
	return n;
}

static void session_addr_clear(struct session *);

void
session_free(struct session *s)
{
	unsigned i;

	if (s->addr.af == AF_INET && session_by_addr(&s->addr) == s)
		session_addr_clear(s);
	for (i = 0; i < s->nidx; i++)
		idx_remove(s->idx[i]);
	sess_tap_close(s);
	kp_set_clear(&s->kps);
	explicit_bzero(s->token, sizeof(s->token));
	TAILQ_REMOVE(&sessions, s, entry);
	free(s);
	if (ntombstones > idx_cap / 4)
		idx_rebuild(idx_cap);
}

/*
 * Sessions by their IPv4 address, for forwarding by destination in tun
 * mode: one probe sequence per packet, whatever the number of endpoints.
 */
#define ADDR_MIN 1024 /* slots at first; a power of two */

struct addr_slot {
	uint32_t a;
	struct session *s; /* NULL: empty; &tombstone: deleted */
};

static struct addr_slot *addr_table;
static uint32_t addr_cap;
static unsigned addr_used; /* live and deleted slots */

static uint32_t
addr_slot(uint32_t a)
{
	a ^= a >> 15;
	a *= 0x2c1b3c6d;
	a ^= a >> 12;
	return a & (addr_cap - 1);
}

/* Into a table known to have room; an address already there is taken
 * over (the newest session of an address wins). */
static void
addr_put(uint32_t a, struct session *s)
{
	uint32_t i = addr_slot(a), first = UINT32_MAX, n;

	for (n = 0; n < addr_cap; n++, i = (i + 1) & (addr_cap - 1)) {
		if (addr_table[i].s == NULL)
			break;
		if (addr_table[i].s == &tombstone) {
			if (first == UINT32_MAX)
				first = i;
		} else if (addr_table[i].a == a) {
			addr_table[i].s = s;
			return;
		}
	}
	if (first == UINT32_MAX) {
		first = i;
		addr_used++;
	}
	addr_table[first].a = a;
	addr_table[first].s = s;
}

/* Rebuilt from the sessions that are up, at a size for them. */
static void
addr_rebuild(void)
{
	struct session *s;
	unsigned live = 0;
	uint32_t cap = ADDR_MIN;

	TAILQ_FOREACH (s, &sessions, entry)
		if (s->state == SESS_UP && s->addr.af == AF_INET)
			live++;
	while ((live + 1) * 4 > cap)
		cap *= 2;
	free(addr_table);
	if ((addr_table = calloc(cap, sizeof(*addr_table))) == NULL)
		fatal("address table of %u slots", cap);
	addr_cap = cap;
	addr_used = 0;
	TAILQ_FOREACH (s, &sessions, entry)
		if (s->state == SESS_UP && s->addr.af == AF_INET)
			addr_put(s->addr.v4.s_addr, s);
}

void
session_addr_set(struct session *s)
{
	if (addr_table == NULL || (addr_used + 1) * 2 > addr_cap) {
		/* The rebuild takes s in if it is up; put it anyway. */
		addr_rebuild();
	}
	addr_put(s->addr.v4.s_addr, s);
}

struct session *
session_by_addr(const struct addr *ad)
{
	uint32_t a = ad->v4.s_addr, i, n;

	if (ad->af != AF_INET || addr_table == NULL)
		return NULL;
	i = addr_slot(a);
	for (n = 0; n < addr_cap; n++, i = (i + 1) & (addr_cap - 1)) {
		if (addr_table[i].s == NULL)
			return NULL;
		if (addr_table[i].s != &tombstone && addr_table[i].a == a)
			return addr_table[i].s;
	}
	return NULL;
}

static void
session_addr_clear(struct session *s)
{
	uint32_t a = s->addr.v4.s_addr, i, n;

	if (addr_table == NULL)
		return;
	i = addr_slot(a);
	for (n = 0; n < addr_cap; n++, i = (i + 1) & (addr_cap - 1)) {
		if (addr_table[i].s == NULL)
			return;
		if (addr_table[i].s == s && addr_table[i].a == a) {
			addr_table[i].s = &tombstone;
			return;
		}
	}
}
