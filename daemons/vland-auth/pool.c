/*
 * The address pool (see pool.h). Two bitmaps over the range answer the
 * probe ("held?", "reserved?") a word at a time, so even a full /8 is
 * scanned quickly; trees by user and by address answer who holds what,
 * for leases and reservations alike, including fixed addresses outside
 * the range.
 */
#include <errno.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "pool.h"

struct pool_ent {
	char user[USERNAME_MAX + 1]; /* first: the key of the user trees */
	uint32_t addr;		     /* host order */
};

struct pool {
	uint32_t lo, hi, size;
	struct prefix net; /* the VPN subnet */
	uint32_t hub, bcast;
	uint64_t *held, *resv; /* bit i: address lo + i */
	void *lease_user, *lease_addr;
	void *resv_user, *resv_addr;
	size_t nleases, nresv;
};

uint32_t
pool_fnv1a(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t h = 2166136261U;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 16777619U;
	}
	return h;
}

/* For tdestroy on the second tree of an entry: the first one frees it. */
static void
keep(void *e)
{
	(void)e;
}

static int
cmp_user(const void *a, const void *b)
{
	return strcmp(((const struct pool_ent *)a)->user,
	    ((const struct pool_ent *)b)->user);
}

static int
cmp_addr(const void *a, const void *b)
{
	uint32_t x = ((const struct pool_ent *)a)->addr;
	uint32_t y = ((const struct pool_ent *)b)->addr;

	return x < y ? -1 : x > y;
}

static struct pool_ent *
find(void *const *root, const struct pool_ent *key,
    int (*cmp)(const void *, const void *))
{
	void *n = tfind(key, root, cmp);

	return n == NULL ? NULL : *(struct pool_ent **)n;
}

static struct pool_ent *
find_user(void *const *root, const char *user)
{
	struct pool_ent key;

	if (strlen(user) > USERNAME_MAX)
		return NULL;
	memset(&key, 0, sizeof(key));
	strcpy(key.user, user);
	return find(root, &key, cmp_user);
}

static struct pool_ent *
find_addr(void *const *root, uint32_t addr)
{
	struct pool_ent key;

	memset(&key, 0, sizeof(key));
	key.addr = addr;
	return find(root, &key, cmp_addr);
}

static bool
in_range(const struct pool *p, uint32_t a)
{
	return a >= p->lo && a <= p->hi;
}

static void
bit_set(uint64_t *map, uint32_t i, bool on)
{
	if (on)
		map[i / 64] |= (uint64_t)1 << (i % 64);
	else
		map[i / 64] &= ~((uint64_t)1 << (i % 64));
}

struct pool *
pool_new(const struct prefix *ip, const struct addr *lo, const struct addr *hi)
{
	struct pool *p;
	struct addr b;
	size_t words;

	if (ip->a.af != AF_INET || lo->af != AF_INET || hi->af != AF_INET ||
	    ip->len > 30 || addr_v4_host(lo) > addr_v4_host(hi)) {
		errno = EINVAL;
		return NULL;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->lo = addr_v4_host(lo);
	p->hi = addr_v4_host(hi);
	p->hub = addr_v4_host(&ip->a);
	prefix_network(ip, &p->net);
	prefix_broadcast(ip, &b);
	p->bcast = addr_v4_host(&b);
	/* The range must hold hosts only, and never the hub itself. */
	if (!prefix_contains(&p->net, lo) || !prefix_contains(&p->net, hi) ||
	    p->lo == addr_v4_host(&p->net.a) || p->hi == p->bcast ||
	    in_range(p, p->hub) || p->hi - p->lo >= POOL_MAX_SIZE) {
		free(p);
		errno = EINVAL;
		return NULL;
	}
	p->size = p->hi - p->lo + 1;
	words = (p->size + 63) / 64;
	p->held = calloc(words, sizeof(uint64_t));
	p->resv = calloc(words, sizeof(uint64_t));
	if (p->held == NULL || p->resv == NULL) {
		pool_free(p);
		errno = ENOMEM;
		return NULL;
	}
	return p;
}

void
pool_free(struct pool *p)
{
	if (p == NULL)
		return;
	/* Each entry is in two trees: free it through one of them only. */
	tdestroy(p->lease_addr, free);
	tdestroy(p->lease_user, keep);
	pool_reserve_clear(p);
	free(p->held);
	free(p->resv);
	free(p);
}

static struct pool_ent *
ent_new(const char *user, uint32_t addr)
{
	struct pool_ent *e;

	if (strlen(user) > USERNAME_MAX) {
		errno = EINVAL;
		return NULL;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	strcpy(e->user, user);
	e->addr = addr;
	return e;
}

/* Insert e into both trees of a kind. */
static int
ent_insert(void **by_user, void **by_addr, struct pool_ent *e)
{
	if (tsearch(e, by_user, cmp_user) == NULL)
		return -1;
	if (tsearch(e, by_addr, cmp_addr) == NULL) {
		tdelete(e, by_user, cmp_user);
		return -1;
	}
	return 0;
}

int
pool_reserve(struct pool *p, const char *user, const struct addr *a)
{
	struct pool_ent *e;
	uint32_t h;

	if (a->af != AF_INET || !prefix_contains(&p->net, a)) {
		errno = EINVAL;
		return -1;
	}
	h = addr_v4_host(a);
	if (h == p->hub || h == addr_v4_host(&p->net.a) || h == p->bcast) {
		errno = EINVAL;
		return -1;
	}
	if (find_user(&p->resv_user, user) != NULL ||
	    find_addr(&p->resv_addr, h) != NULL) {
		errno = EEXIST;
		return -1;
	}
	if ((e = ent_new(user, h)) == NULL)
		return -1;
	if (ent_insert(&p->resv_user, &p->resv_addr, e) == -1) {
		free(e);
		errno = ENOMEM;
		return -1;
	}
	if (in_range(p, h))
		bit_set(p->resv, h - p->lo, true);
	p->nresv++;
	return 0;
}

void
pool_reserve_clear(struct pool *p)
{
	tdestroy(p->resv_addr, free);
	tdestroy(p->resv_user, keep);
	p->resv_addr = p->resv_user = NULL;
	if (p->resv != NULL)
		memset(p->resv, 0, (p->size + 63) / 64 * sizeof(uint64_t));
	p->nresv = 0;
}

/*
 * The first index from start on (wrapping) that is neither held nor
 * reserved; -1 if there is none. Up to 64 addresses are looked at per
 * step, so even a full /8 is scanned quickly.
 */
static int64_t
next_free(const struct pool *p, uint32_t start)
{
	uint32_t i = start, left = p->size, take;
	uint64_t bits;

	while (left > 0) {
		bits = ~(p->held[i / 64] | p->resv[i / 64]) >> (i % 64);
		/* Look at i .. i + take - 1: not past the word, the end of
		 * the range, or the addresses still to be looked at. */
		take = 64 - i % 64;
		if (take > p->size - i)
			take = p->size - i;
		if (take > left)
			take = left;
		if (take < 64)
			bits &= ((uint64_t)1 << take) - 1;
		if (bits != 0)
			return i + (uint32_t)__builtin_ctzll(bits);
		left -= take;
		i += take;
		if (i == p->size)
			i = 0;
	}
	return -1;
}

static int
lease_add(struct pool *p, const char *user, uint32_t h)
{
	struct pool_ent *e;

	if ((e = ent_new(user, h)) == NULL)
		return -1;
	if (ent_insert(&p->lease_user, &p->lease_addr, e) == -1) {
		free(e);
		errno = ENOMEM;
		return -1;
	}
	if (in_range(p, h))
		bit_set(p->held, h - p->lo, true);
	p->nleases++;
	return 0;
}

int
pool_assign(struct pool *p, const char *user, struct addr *out, bool *fixed)
{
	struct pool_ent *l, *r;
	int64_t i;

	r = find_user(&p->resv_user, user);
	if ((l = find_user(&p->lease_user, user)) != NULL) {
		*fixed = r != NULL && r->addr == l->addr;
		addr_v4_set(out, l->addr);
		return 0;
	}
	if (r != NULL) {
		if (find_addr(&p->lease_addr, r->addr) != NULL) {
			errno = EADDRINUSE;
			return -1;
		}
		if (lease_add(p, user, r->addr) == -1)
			return -1;
		*fixed = true;
		addr_v4_set(out, r->addr);
		return 0;
	}
	i = next_free(p, pool_fnv1a(user, strlen(user)) % p->size);
	if (i == -1) {
		errno = ENOSPC;
		return -1;
	}
	if (lease_add(p, user, p->lo + (uint32_t)i) == -1)
		return -1;
	*fixed = false;
	addr_v4_set(out, p->lo + (uint32_t)i);
	return 0;
}

int
pool_release(struct pool *p, const char *user)
{
	struct pool_ent *l;

	if ((l = find_user(&p->lease_user, user)) == NULL) {
		errno = ENOENT;
		return -1;
	}
	tdelete(l, &p->lease_user, cmp_user);
	tdelete(l, &p->lease_addr, cmp_addr);
	if (in_range(p, l->addr))
		bit_set(p->held, l->addr - p->lo, false);
	p->nleases--;
	free(l);
	return 0;
}

int
pool_lookup(const struct pool *p, const char *user, struct addr *out)
{
	const struct pool_ent *l;

	if ((l = find_user(&p->lease_user, user)) == NULL)
		return -1;
	addr_v4_set(out, l->addr);
	return 0;
}

const char *
pool_holder(const struct pool *p, const struct addr *a)
{
	const struct pool_ent *l;

	if (a->af != AF_INET ||
	    (l = find_addr(&p->lease_addr, addr_v4_host(a))) == NULL)
		return NULL;
	return l->user;
}

const char *
pool_reserved_for(const struct pool *p, const struct addr *a)
{
	const struct pool_ent *r;

	if (a->af != AF_INET ||
	    (r = find_addr(&p->resv_addr, addr_v4_host(a))) == NULL)
		return NULL;
	return r->user;
}

size_t
pool_size(const struct pool *p)
{
	return p->size;
}

size_t
pool_leases(const struct pool *p)
{
	return p->nleases;
}

size_t
pool_reserved(const struct pool *p)
{
	return p->nresv;
}
