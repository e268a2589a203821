/*
 * Session table. Indices are random 32-bit values (WireGuard §5.4.2)
 * kept in an open-addressing hash table, so a message finds its session
 * with one probe sequence whatever the number of endpoints.
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

#define IDX_SLOTS 16384 /* power of two, well above 3 x max sessions */

struct idx_slot {
	uint32_t idx;
	struct session *s; /* NULL: empty; &tombstone: deleted */
};

static struct idx_slot idx_table[IDX_SLOTS];
static struct session tombstone;
static unsigned ntombstones;
static uint32_t next_id = 1;

static uint32_t
idx_hash(uint32_t idx)
{
	/* The index is random already; mix anyway against a weak RNG. */
	idx ^= idx >> 16;
	idx *= 0x45d9f3b;
	idx ^= idx >> 16;
	return idx & (IDX_SLOTS - 1);
}

static void
idx_insert(uint32_t idx, struct session *s)
{
	uint32_t i = idx_hash(idx), n;

	for (n = 0; n < IDX_SLOTS; n++, i = (i + 1) & (IDX_SLOTS - 1)) {
		if (idx_table[i].s == NULL || idx_table[i].s == &tombstone) {
			if (idx_table[i].s == &tombstone)
				ntombstones--;
			idx_table[i].idx = idx;
			idx_table[i].s = s;
			return;
		}
	}
	fatalx("index table full");
}

static struct idx_slot *
idx_find(uint32_t idx)
{
	uint32_t i = idx_hash(idx), n;

	for (n = 0; n < IDX_SLOTS; n++, i = (i + 1) & (IDX_SLOTS - 1)) {
		if (idx_table[i].s == NULL)
			return NULL;
		if (idx_table[i].s != &tombstone && idx_table[i].idx == idx)
			return &idx_table[i];
	}
	return NULL;
}

/* Deleted slots make misses slow; rebuild once they pile up. */
static void
idx_rebuild(void)
{
	struct session *s;
	unsigned i;

	memset(idx_table, 0, sizeof(idx_table));
	ntombstones = 0;
	TAILQ_FOREACH(s, &sessions, entry)
		for (i = 0; i < s->nidx; i++)
			idx_insert(s->idx[i], s);
}

static void
idx_remove(uint32_t idx)
{
	struct idx_slot *sl = idx_find(idx);

	if (sl != NULL) {
		sl->s = &tombstone;
		ntombstones++;
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
		memmove(s->idx, s->idx + 1, sizeof(s->idx[0]) * (SESS_NIDX - 1));
		s->nidx--;
	}
	s->idx[s->nidx++] = idx;
	idx_insert(idx, s);
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

	TAILQ_FOREACH(s, &sessions, entry)
		if (s->id == id)
			return s;
	return NULL;
}

struct session *
session_by_user(const char *user, const struct session *not)
{
	struct session *s;

	TAILQ_FOREACH(s, &sessions, entry)
		if (s != not && s->state >= SESS_WAIT_TAP &&
		    strcmp(s->user, user) == 0)
			return s;
	return NULL;
}

struct session *
session_of_user(const char *user, const struct session *not)
{
	struct session *s;

	TAILQ_FOREACH(s, &sessions, entry)
		if (s != not && s->state >= SESS_AUTHING &&
		    strcmp(s->user, user) == 0)
			return s;
	return NULL;
}

size_t
session_count(enum sess_state st)
{
	struct session *s;
	size_t n = 0;

	TAILQ_FOREACH(s, &sessions, entry)
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
	if (ntombstones > IDX_SLOTS / 4)
		idx_rebuild();
}

/*
 * Sessions by their IPv4 address, for forwarding by destination in tun
 * mode: one probe sequence per packet, whatever the number of endpoints.
 */
#define ADDR_SLOTS 8192

static struct {
	uint32_t a;
	struct session *s;
} addr_table[ADDR_SLOTS];

static uint32_t
addr_slot(uint32_t a)
{
	a ^= a >> 15;
	a *= 0x2c1b3c6d;
	a ^= a >> 12;
	return a & (ADDR_SLOTS - 1);
}

void
session_addr_set(struct session *s)
{
	uint32_t a = s->addr.v4.s_addr, i = addr_slot(a), n;

	for (n = 0; n < ADDR_SLOTS; n++, i = (i + 1) & (ADDR_SLOTS - 1)) {
		if (addr_table[i].s == NULL || addr_table[i].s == &tombstone ||
		    addr_table[i].a == a) {
			addr_table[i].a = a;
			addr_table[i].s = s;
			return;
		}
	}
	fatalx("address table full");
}

struct session *
session_by_addr(const struct addr *ad)
{
	uint32_t a = ad->v4.s_addr, i = addr_slot(a), n;

	if (ad->af != AF_INET)
		return NULL;
	for (n = 0; n < ADDR_SLOTS; n++, i = (i + 1) & (ADDR_SLOTS - 1)) {
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
	uint32_t a = s->addr.v4.s_addr, i = addr_slot(a), n;

	for (n = 0; n < ADDR_SLOTS; n++, i = (i + 1) & (ADDR_SLOTS - 1)) {
		if (addr_table[i].s == NULL)
			return;
		if (addr_table[i].s == s && addr_table[i].a == a) {
			addr_table[i].s = &tombstone;
			return;
		}
	}
}
