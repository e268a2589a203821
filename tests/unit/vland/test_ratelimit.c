/*
 * Handshake rate limits: a source's first share (5, then 20 a second),
 * the second share of proven INITs per address and port (one host
 * behind a NAT cannot spend another's), and the cap on proven INITs in
 * all (1000 a second, a burst of 200), which bounds a host that proves
 * itself at many ports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "ratelimit.h"

static int
allowed(struct addr *a, uint16_t port, bool proven, int n, uint64_t now)
{
	int ok = 0;

	while (n-- > 0)
		ok += proven ? ratelimit_allow_proven(a, port, now)
			     : ratelimit_allow(a, now);
	return ok;
}

static void
test_shares(void **state)
{
	struct addr a, b;

	(void)state;
	ratelimit_init();
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
	ratelimit_init();
	assert_int_equal(addr_parse("198.51.100.1", &a), 0);
	assert_int_equal(addr_parse("198.51.100.2", &c), 0);
	/* 1000 ports of one host at once: the burst of 200, no more. */
	for (port = 1; port <= 1000; port++)
		ok += allowed(&a, port, true, 1, 10000);
	assert_int_equal(ok, 200);
	/* Another host too, in that same millisecond. */
	assert_int_equal(allowed(&c, 1, true, 1, 10000), 0);
	/* A second later, 1000 more in all. */
	ok = 0;
	for (port = 1001; port <= 3000; port++)
		ok += allowed(&a, port, true, 1, 11000);
	assert_int_equal(ok, 200);
	assert_int_equal(allowed(&c, 2, true, 1, 12000), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shares),
		cmocka_unit_test(test_proven_in_all),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
