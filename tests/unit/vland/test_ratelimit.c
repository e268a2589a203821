/*
 * Handshake rate limits: a source's first share (5, then 20 a second),
 * the second share of proven INITs per address and port (one host
 * behind a NAT cannot spend another's), the cap on one address's proven
 * INITs whatever their ports (100 a second and at once), which bounds a
 * host that proves itself at many ports, and the cap on all proven
 * INITs (2000 a second, a burst of 400). Also: IPv6 sources share per /64, a long
 * silence refills no more than the burst, a flood from many sources
 * evicts old entries instead of growing, and two instances (the state
 * is the caller's) know nothing of each other.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include "ratelimit.h"

/* Large: not on the stack. */
static struct ratelimit rl, other;

static int
allowed(struct addr *a, uint16_t port, bool proven, int n, uint64_t now)
{
	int ok = 0;

	while (n-- > 0)
		ok += proven ? ratelimit_allow_proven(&rl, a, port, now)
			     : ratelimit_allow(&rl, a, now);
	return ok;
}

static void
test_shares(void **state)
{
	struct addr a, b;

	(void)state;
	ratelimit_init(&rl);
	assert_int_equal(addr_parse("192.0.2.1", &a), 0);
	assert_int_equal(addr_parse("192.0.2.2", &b), 0);
	/* A burst of 5, then 20 a second. */
	assert_int_equal(allowed(&a, 0, false, 10, 1000), 5);
	assert_int_equal(allowed(&a, 0, false, 10, 2000), 5);
	assert_int_equal(allowed(&b, 0, false, 10, 2000), 5);
	/* Proven: each port of a has its own share. */
	assert_int_equal(allowed(&a, 1000, true, 10, 3000), 5);
	assert_int_equal(allowed(&a, 1001, true, 10, 3000), 5);
	assert_int_equal(allowed(&a, 1000, true, 10, 3000), 0);
}

static void
test_proven_in_all(void **state)
{
	struct addr a, c;
	uint16_t port;
	int ok = 0;

	(void)state;
	ratelimit_init(&rl);
	assert_int_equal(addr_parse("198.51.100.1", &a), 0);
	assert_int_equal(addr_parse("198.51.100.2", &c), 0);
	/* 1000 ports of one host at once: its address's 100, no more,
	 * whatever its ports' shares. */
	for (port = 1; port <= 1000; port++)
		ok += allowed(&a, port, true, 1, 10000);
	assert_int_equal(ok, 100);
	/* Another host still gets in, in that same millisecond. */
	assert_int_equal(allowed(&c, 1, true, 1, 10000), 1);
	/* A second later, 100 more from a: the address's rate. */
	ok = 0;
	for (port = 1001; port <= 2000; port++)
		ok += allowed(&a, port, true, 1, 11000);
	assert_int_equal(ok, 100);
}

/* Many hosts at once: the cap on all of them, a burst of 400 and 2000
 * a second, which bounds those that prove themselves from many
 * addresses. */
static void
test_proven_cap(void **state)
{
	struct addr h;
	int ok = 0, i;

	(void)state;
	ratelimit_init(&rl);
	memset(&h, 0, sizeof(h));
	h.af = AF_INET;
	for (i = 0; i < 1000; i++) {
		h.v4.s_addr = htonl(0xc6336400 + (uint32_t)i);
		ok += allowed(&h, 1, true, 1, 10000);
	}
	assert_int_equal(ok, 400);
	/* Half a second refills 1000, no more than the burst kept. */
	ok = 0;
	for (i = 1000; i < 3000; i++) {
		h.v4.s_addr = htonl(0xc6336400 + (uint32_t)i);
		ok += allowed(&h, 1, true, 1, 10500);
	}
	assert_int_equal(ok, 400);
}

static void
test_ipv6_per_64(void **state)
{
	struct addr a, same64, next64;

	(void)state;
	ratelimit_init(&rl);
	assert_int_equal(addr_parse("2001:db8:1:2::1", &a), 0);
	assert_int_equal(addr_parse("2001:db8:1:2:ffff::9", &same64), 0);
	assert_int_equal(addr_parse("2001:db8:1:3::1", &next64), 0);
	/* A host gets a /64: its addresses spend one share. */
	assert_int_equal(allowed(&a, 0, false, 3, 1000), 3);
	assert_int_equal(allowed(&same64, 0, false, 10, 1000), 2);
	assert_int_equal(allowed(&next64, 0, false, 10, 1000), 5);
}

static void
test_refill_capped(void **state)
{
	struct addr a;

	(void)state;
	ratelimit_init(&rl);
	assert_int_equal(addr_parse("192.0.2.9", &a), 0);
	assert_int_equal(allowed(&a, 0, false, 10, 1000), 5);
	/* 50 ms is one handshake's worth of refill. */
	assert_int_equal(allowed(&a, 0, false, 10, 1050), 1);
	assert_int_equal(allowed(&a, 0, false, 10, 1099), 0);
	/* An hour of silence refills the burst, no more. */
	assert_int_equal(allowed(&a, 0, false, 100, 3601000), 5);
}

static void
test_flood_evicts(void **state)
{
	struct addr a, b;
	uint32_t i;

	(void)state;
	ratelimit_init(&rl);
	assert_int_equal(addr_parse("192.0.2.1", &a), 0);
	assert_int_equal(allowed(&a, 0, false, 10, 1000), 5);
	/* 100,000 other sources later, about 24 for each row of 4: the
	 * oldest entries, a's among them, gave way. Its bucket starts
	 * again full; the table did not grow. */
	memset(&b, 0, sizeof(b));
	b.af = AF_INET;
	for (i = 0; i < 100000; i++) {
		b.v4.s_addr = htonl(0x0a000000 + i);
		assert_true(ratelimit_allow(&rl, &b, 1001 + i / 1000));
	}
	assert_int_equal(allowed(&a, 0, false, 10, 1200), 5);
}

static void
test_instances(void **state)
{
	struct addr a;

	(void)state;
	ratelimit_init(&rl);
	ratelimit_init(&other);
	assert_int_equal(addr_parse("203.0.113.5", &a), 0);
	assert_int_equal(allowed(&a, 0, false, 10, 1000), 5);
	assert_false(ratelimit_allow(&rl, &a, 1000));
	assert_true(ratelimit_allow(&other, &a, 1000));
	/* And init empties: a's share is whole again. */
	ratelimit_init(&rl);
	assert_int_equal(allowed(&a, 0, false, 10, 1000), 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shares),
		cmocka_unit_test(test_proven_in_all),
		cmocka_unit_test(test_proven_cap),
		cmocka_unit_test(test_ipv6_per_64),
		cmocka_unit_test(test_refill_capped),
		cmocka_unit_test(test_flood_evicts),
		cmocka_unit_test(test_instances),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
