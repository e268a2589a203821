/*
 * The address pool: FNV-1a placement, probing, fixed addresses, release
 * and exhaustion. Expected addresses come from an FNV-1a written here
 * separately and from values computed once with Python.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pool.h"

/* FNV-1a 32, the textbook way, independent of pool.c. */
static uint32_t
ref_fnv(const char *s)
{
	uint64_t h = 0x811c9dc5;

	for (; *s != '\0'; s++)
		h = ((h ^ (uint8_t)*s) * 0x01000193) & 0xffffffff;
	return (uint32_t)h;
}

static struct addr
A(const char *s) {
	struct addr a;

	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

static struct pool *
mkpool(const char *ip, const char *lo, const char *hi)
{
	struct prefix p;
	struct addr l = A(lo), h = A(hi);
	struct pool *pool;

	assert_int_equal(prefix_parse(ip, &p), 0);
	pool = pool_new(&p, &l, &h);
	assert_non_null(pool);
	return pool;
}

static uint32_t
host(const struct addr *a)
{
	return addr_v4_host(a);
}

/* A name "pN" whose index in a pool of size is want, skipping skip. */
static void
name_at(uint32_t size, uint32_t want, const char *skip, char *out)
{
	int i;

	for (i = 0; i < 100000; i++) {
		snprintf(out, 16, "p%d", i);
		if (ref_fnv(out) % size == want &&
		    (skip == NULL || strcmp(out, skip) != 0))
			return;
	}
	fail_msg("no name with index %u", want);
}

static void
test_fnv(void **state)
{
	/* python3: FNV-1a 32 of these names. */
	static const struct {
		const char *s;
		uint32_t h;
	} v[] = {
		{ "", 2166136261U },
		{ "a", 3826002220U }, /* 0xe40c292c, the published vector */
		{ "alice", 2267157479U },
		{ "bob", 2261164244U },
		{ "carol", 1728614162U },
		{ "dave", 3496789471U },
		{ "wj", 1699200468U },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(pool_fnv1a(v[i].s, strlen(v[i].s)), v[i].h);
		assert_int_equal(ref_fnv(v[i].s), v[i].h);
	}
}

static void
test_hashed_address(void **state)
{
	static const char *names[] = { "alice", "bob", "carol", "dave", "wj",
		"a", "eve", "mallory", "trent", "host-17.lab", "X_9" };
	struct pool *p;
	struct addr a;
	bool fixed;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		p = mkpool("10.0.0.1/24", "10.0.0.100", "10.0.0.200");
		assert_int_equal(pool_size(p), 101);
		assert_int_equal(pool_assign(p, names[i], &a, &fixed), 0);
		assert_false(fixed);
		assert_int_equal(a.af, AF_INET);
		assert_int_equal(host(&a),
		    0x0a000064 + ref_fnv(names[i]) % 101);
		pool_free(p);
	}
	/* The Python values too: alice 76, bob 80, wj 1 in a pool of 101. */
	p = mkpool("10.0.0.1/24", "10.0.0.100", "10.0.0.200");
	assert_int_equal(pool_assign(p, "alice", &a, &fixed), 0);
	assert_int_equal(host(&a), 0x0a000064 + 76);
	assert_int_equal(pool_assign(p, "bob", &a, &fixed), 0);
	assert_int_equal(host(&a), 0x0a000064 + 80);
	assert_int_equal(pool_assign(p, "wj", &a, &fixed), 0);
	assert_int_equal(host(&a), 0x0a000064 + 1);
	assert_int_equal(pool_leases(p), 3);
	pool_free(p);
}

static void
test_probe_and_wrap(void **state)
{
	struct pool *p;
	struct addr a;
	char n1[16], n2[16], n3[16];
	bool fixed;

	(void)state;
	p = mkpool("192.168.5.254/24", "192.168.5.10", "192.168.5.13");
	name_at(4, 3, NULL, n1);
	name_at(4, 3, n1, n2);
	name_at(4, 0, NULL, n3);
	assert_int_equal(pool_assign(p, n1, &a, &fixed), 0);
	assert_string_equal(addr_fmt(&a, (char[ADDR_STRLEN]){ 0 }, ADDR_STRLEN),
	    "192.168.5.13");
	/* Same index, last of the range: wraps to the first. */
	assert_int_equal(pool_assign(p, n2, &a, &fixed), 0);
	assert_int_equal(host(&a), 0xc0a8050a);
	/* Index 0 is taken now: probes forward. */
	assert_int_equal(pool_assign(p, n3, &a, &fixed), 0);
	assert_int_equal(host(&a), 0xc0a8050b);
	pool_free(p);
}

static void
test_same_user_twice(void **state)
{
	struct pool *p;
	struct addr a, b;
	bool fixed;

	(void)state;
	p = mkpool("10.0.0.1/24", "10.0.0.100", "10.0.0.200");
	assert_int_equal(pool_assign(p, "alice", &a, &fixed), 0);
	assert_int_equal(pool_assign(p, "alice", &b, &fixed), 0);
	assert_int_equal(addr_cmp(&a, &b), 0);
	assert_int_equal(pool_leases(p), 1);
	assert_int_equal(pool_lookup(p, "alice", &b), 0);
	assert_int_equal(addr_cmp(&a, &b), 0);
	assert_string_equal(pool_holder(p, &a), "alice");
	pool_free(p);
}

static void
test_release_reassign(void **state)
{
	struct pool *p;
	struct addr a, b;
	char n1[16], n2[16];
	bool fixed;

	(void)state;
	p = mkpool("10.0.0.1/24", "10.0.0.100", "10.0.0.200");
	assert_int_equal(pool_assign(p, "alice", &a, &fixed), 0);
	assert_int_equal(pool_release(p, "alice"), 0);
	assert_int_equal(pool_leases(p), 0);
	assert_null(pool_holder(p, &a));
	assert_int_equal(pool_lookup(p, "alice", &b), -1);
	assert_int_equal(pool_release(p, "alice"), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(pool_assign(p, "alice", &b, &fixed), 0);
	assert_int_equal(addr_cmp(&a, &b), 0);
	pool_free(p);

	/* A released address is free for a colliding user again. */
	p = mkpool("10.0.0.1/24", "10.0.0.100", "10.0.0.200");
	name_at(101, 7, NULL, n1);
	name_at(101, 7, n1, n2);
	assert_int_equal(pool_assign(p, n1, &a, &fixed), 0);
	assert_int_equal(host(&a), 0x0a000064 + 7);
	assert_int_equal(pool_assign(p, n2, &b, &fixed), 0);
	assert_int_equal(host(&b), 0x0a000064 + 8);
	assert_int_equal(pool_release(p, n1), 0);
	assert_int_equal(pool_release(p, n2), 0);
	assert_int_equal(pool_assign(p, n2, &b, &fixed), 0);
	assert_int_equal(host(&b), 0x0a000064 + 7);
	pool_free(p);
}

static void
test_fixed(void **state)
{
	struct pool *p;
	struct addr a, f1 = A("10.0.0.150"), f2 = A("10.0.0.50");
	char n[16], buf[ADDR_STRLEN];
	bool fixed;

	(void)state;
	p = mkpool("10.0.0.1/24", "10.0.0.100", "10.0.0.200");
	assert_int_equal(pool_reserve(p, "fx", &f1), 0);
	assert_int_equal(pool_reserve(p, "out", &f2), 0);
	assert_int_equal(pool_reserved(p), 2);
	assert_string_equal(pool_reserved_for(p, &f1), "fx");

	/* A user hashed onto a fixed address skips it, even when free. */
	name_at(101, 50, NULL, n);
	assert_int_equal(pool_assign(p, n, &a, &fixed), 0);
	assert_false(fixed);
	assert_string_equal(addr_fmt(&a, buf, sizeof(buf)), "10.0.0.151");

	assert_int_equal(pool_assign(p, "fx", &a, &fixed), 0);
	assert_true(fixed);
	assert_int_equal(addr_cmp(&a, &f1), 0);
	/* Outside the range but inside the subnet. */
	assert_int_equal(pool_assign(p, "out", &a, &fixed), 0);
	assert_true(fixed);
	assert_int_equal(addr_cmp(&a, &f2), 0);
	assert_int_equal(pool_assign(p, "out", &a, &fixed), 0);
	assert_true(fixed);

	/* What a reservation may not be. */
	assert_int_equal(pool_reserve(p, "h", &(struct addr){ 0 }), -1);
	assert_int_equal(pool_reserve(p, "h", &(struct addr){ .af = AF_INET6 }),
	    -1);
	a = A("10.0.0.1");
	assert_int_equal(pool_reserve(p, "h", &a), -1); /* the hub */
	assert_int_equal(errno, EINVAL);
	a = A("10.0.0.0");
	assert_int_equal(pool_reserve(p, "h", &a), -1);
	a = A("10.0.0.255");
	assert_int_equal(pool_reserve(p, "h", &a), -1);
	a = A("10.0.1.5");
	assert_int_equal(pool_reserve(p, "h", &a), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pool_reserve(p, "h", &f1), -1); /* fx's */
	assert_int_equal(errno, EEXIST);
	a = A("10.0.0.20");
	assert_int_equal(pool_reserve(p, "fx", &a), -1); /* one each */
	assert_int_equal(errno, EEXIST);
	pool_free(p);
}

static void
test_fixed_never_given_away(void **state)
{
	struct pool *p;
	struct addr a, f = A("10.0.0.101");
	char name[16];
	bool fixed;
	int i;

	(void)state;
	/* Fill the whole range but the reserved address. */
	p = mkpool("10.0.0.1/24", "10.0.0.100", "10.0.0.103");
	assert_int_equal(pool_reserve(p, "fx", &f), 0);
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "u%d", i);
		assert_int_equal(pool_assign(p, name, &a, &fixed), 0);
		assert_int_not_equal(addr_cmp(&a, &f), 0);
	}
	assert_int_equal(pool_assign(p, "u3", &a, &fixed), -1);
	assert_int_equal(errno, ENOSPC);
	/* Its owner still gets it. */
	assert_int_equal(pool_assign(p, "fx", &a, &fixed), 0);
	assert_int_equal(addr_cmp(&a, &f), 0);
	assert_true(fixed);
	pool_free(p);
}

static void
test_fixed_held_by_other(void **state)
{
	struct pool *p;
	struct addr a, f;
	char n[16];
	bool fixed;

	(void)state;
	/* n holds .107 dynamically; a reload then makes it fx's. */
	p = mkpool("10.0.0.1/24", "10.0.0.100", "10.0.0.200");
	name_at(101, 7, NULL, n);
	assert_int_equal(pool_assign(p, n, &f, &fixed), 0);
	assert_int_equal(pool_reserve(p, "fx", &f), 0);
	assert_int_equal(pool_assign(p, "fx", &a, &fixed), -1);
	assert_int_equal(errno, EADDRINUSE);
	assert_string_equal(pool_holder(p, &f), n);
	/* n keeps it (not its fixed one) until it is released. */
	assert_int_equal(pool_assign(p, n, &a, &fixed), 0);
	assert_false(fixed);
	assert_int_equal(pool_release(p, n), 0);
	assert_int_equal(pool_assign(p, "fx", &a, &fixed), 0);
	assert_int_equal(addr_cmp(&a, &f), 0);
	/* Clearing reservations keeps leases. */
	pool_reserve_clear(p);
	assert_int_equal(pool_reserved(p), 0);
	assert_int_equal(pool_leases(p), 1);
	assert_null(pool_reserved_for(p, &f));
	pool_free(p);
}

static void
test_exhaustion(void **state)
{
	struct pool *p;
	struct addr a, seen[1000];
	char name[16];
	bool fixed;
	int i, j;

	(void)state;
	p = mkpool("10.1.0.1/16", "10.1.1.0", "10.1.4.231"); /* 1000 */
	assert_int_equal(pool_size(p), 1000);
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "user%d", i);
		assert_int_equal(pool_assign(p, name, &seen[i], &fixed), 0);
	}
	for (i = 0; i < 1000; i++) {
		assert_in_range(host(&seen[i]), 0x0a010100, 0x0a0104e7);
		for (j = 0; j < i; j++)
			assert_int_not_equal(addr_cmp(&seen[i], &seen[j]), 0);
	}
	assert_int_equal(pool_assign(p, "one-more", &a, &fixed), -1);
	assert_int_equal(errno, ENOSPC);
	/* The one address freed is found from any starting point. */
	assert_int_equal(pool_release(p, "user500"), 0);
	assert_int_equal(pool_assign(p, "one-more", &a, &fixed), 0);
	assert_int_equal(addr_cmp(&a, &seen[500]), 0);
	pool_free(p);
}

static void
test_bad_ranges(void **state)
{
	struct prefix ip;
	struct addr lo, hi;

	(void)state;
	assert_int_equal(prefix_parse("10.0.0.1/24", &ip), 0);
	lo = A("10.0.0.200");
	hi = A("10.0.0.100");
	assert_null(pool_new(&ip, &lo, &hi)); /* reversed */
	lo = A("10.0.0.1");
	hi = A("10.0.0.100");
	assert_null(pool_new(&ip, &lo, &hi)); /* holds the hub */
	lo = A("10.0.0.0");
	hi = A("10.0.0.0");
	assert_null(pool_new(&ip, &lo, &hi)); /* network address */
	lo = A("10.0.0.2");
	hi = A("10.0.0.255");
	assert_null(pool_new(&ip, &lo, &hi)); /* broadcast */
	lo = A("10.0.0.100");
	hi = A("10.0.1.100");
	assert_null(pool_new(&ip, &lo, &hi)); /* outside */
	lo = A("::1");
	assert_null(pool_new(&ip, &lo, &hi));
	assert_int_equal(errno, EINVAL);
	/* A single address is a valid pool. */
	lo = hi = A("10.0.0.9");
	pool_free(pool_new(&ip, &lo, &hi));
}

static void
test_big_pool(void **state)
{
	struct prefix ip;
	struct addr lo = A("10.0.0.2"), hi = A("10.255.255.254"), a;
	struct pool *p;
	bool fixed;

	(void)state;
	/* A /8, the largest: set-up and a probe stay cheap. */
	assert_int_equal(prefix_parse("10.0.0.1/8", &ip), 0);
	assert_non_null(p = pool_new(&ip, &lo, &hi));
	assert_int_equal(pool_size(p), POOL_MAX_SIZE - 1);
	assert_int_equal(pool_assign(p, "alice", &a, &fixed), 0);
	assert_int_equal(host(&a),
	    0x0a000002 + ref_fnv("alice") % (POOL_MAX_SIZE - 1));
	pool_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fnv),
		cmocka_unit_test(test_hashed_address),
		cmocka_unit_test(test_probe_and_wrap),
		cmocka_unit_test(test_same_user_twice),
		cmocka_unit_test(test_release_reassign),
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_fixed_never_given_away),
		cmocka_unit_test(test_fixed_held_by_other),
		cmocka_unit_test(test_exhaustion),
		cmocka_unit_test(test_bad_ranges),
		cmocka_unit_test(test_big_pool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
