/*
 * Failure back-off: thresholds, the window, doubling up to the cap,
 * reset on success and after idling, and the table bound under a flood.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "backoff.h"

static const struct backoff_conf conf = {
	.fails = 5,
	.window = 60,
	.base = 60,
	.cap = 900,
	.forget = 3600,
	.max = 8,
};

#define K(s) (s), sizeof(s)

/* n failures of key at now; returns what the last one returned. */
static unsigned
fail_n(struct backoff *b, const char *key, size_t len, int n, uint64_t now)
{
	unsigned r = 0;

	while (n-- > 0)
		r = backoff_fail(b, key, len, now);
	return r;
}

static void
test_threshold(void **state)
{
	struct backoff *b = backoff_new(&conf);

	(void)state;
	assert_non_null(b);
	assert_int_equal(fail_n(b, K("alice"), 4, 1000), 0);
	assert_int_equal(backoff_refused(b, K("alice"), 1000), 0);
	assert_int_equal(backoff_fail(b, K("alice"), 1001), 60);
	assert_int_equal(backoff_refused(b, K("alice"), 1001), 60);
	assert_int_equal(backoff_refused(b, K("alice"), 1060), 1);
	assert_int_equal(backoff_refused(b, K("alice"), 1061), 0);
	/* Other keys are not affected. */
	assert_int_equal(backoff_refused(b, K("bob"), 1001), 0);
	backoff_free(b);
}

static void
test_window(void **state)
{
	struct backoff *b = backoff_new(&conf);

	(void)state;
	/* Four failures, then one after the window: a new count. */
	assert_int_equal(fail_n(b, K("alice"), 4, 0), 0);
	assert_int_equal(backoff_fail(b, K("alice"), 60), 0);
	assert_int_equal(fail_n(b, K("alice"), 3, 61), 0);
	assert_int_equal(backoff_refused(b, K("alice"), 61), 0);
	assert_int_equal(backoff_fail(b, K("alice"), 62), 60);
	backoff_free(b);
}

static void
test_doubling(void **state)
{
	struct backoff *b = backoff_new(&conf);
	static const unsigned want[] = { 60, 120, 240, 480, 900, 900 };
	uint64_t t = 5000;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(fail_n(b, K("alice"), 5, t), want[i]);
		assert_int_equal(backoff_refused(b, K("alice"), t), want[i]);
		t += want[i];
		assert_int_equal(backoff_refused(b, K("alice"), t), 0);
	}
	backoff_free(b);
}

static void
test_success_resets(void **state)
{
	struct backoff *b = backoff_new(&conf);

	(void)state;
	assert_int_equal(fail_n(b, K("alice"), 5, 0), 60);
	assert_int_equal(fail_n(b, K("alice"), 5, 60), 120);
	backoff_success(b, K("alice"));
	assert_int_equal(backoff_count(b), 0);
	assert_int_equal(backoff_refused(b, K("alice"), 61), 0);
	/* Back to the first step. */
	assert_int_equal(fail_n(b, K("alice"), 4, 62), 0);
	assert_int_equal(backoff_fail(b, K("alice"), 62), 60);
	backoff_free(b);
}

static void
test_forget(void **state)
{
	struct backoff *b = backoff_new(&conf);

	(void)state;
	assert_int_equal(fail_n(b, K("alice"), 5, 0), 60);
	assert_int_equal(fail_n(b, K("alice"), 5, 60), 120);
	/* Not idle long enough: the next block doubles. */
	assert_int_equal(fail_n(b, K("alice"), 5, 60 + 3599), 240);
	/* Idle for the forget time after the block: forgotten. */
	assert_int_equal(backoff_refused(b, K("alice"), 60 + 3599 + 3600), 0);
	assert_int_equal(backoff_count(b), 0);
	assert_int_equal(fail_n(b, K("alice"), 5, 60 + 3599 + 3600), 60);
	backoff_free(b);
}

static void
test_bound(void **state)
{
	struct backoff *b = backoff_new(&conf);
	char key[16];
	int i;

	(void)state;
	/* A blocked key, then a flood of new keys failing once each. */
	assert_int_equal(fail_n(b, K("victim"), 5, 100), 60);
	for (i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		backoff_fail(b, key, strlen(key) + 1, 100 + (uint64_t)i % 50);
		assert_true(backoff_count(b) <= conf.max);
	}
	assert_int_equal(backoff_count(b), conf.max);
	assert_int_equal(backoff_evicted(b), 1000 - (conf.max - 1));
	/* The flood did not unblock it. */
	assert_int_equal(backoff_refused(b, K("victim"), 150), 10);
	backoff_free(b);
}

static void
test_all_blocked(void **state)
{
	struct backoff *b = backoff_new(&conf);
	char key[16];
	int i;

	(void)state;
	/* A full table of blocked keys: the one ending first goes. */
	for (i = 0; i < 8; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_int_equal(fail_n(b, key, strlen(key) + 1, 5,
				     (uint64_t)(10 - i)),
		    60);
	}
	assert_int_equal(fail_n(b, K("new"), 5, 11), 60);
	assert_int_equal(backoff_count(b), 8);
	assert_int_equal(backoff_refused(b, K("k7"), 11), 0); /* ends 63 */
	assert_int_equal(backoff_refused(b, K("k0"), 11), 59);
	assert_int_equal(backoff_refused(b, K("new"), 11), 60);
	backoff_free(b);
}

static void
test_keys(void **state)
{
	struct backoff *b = backoff_new(&conf);
	char big[BACKOFF_KEY_MAX + 1];

	(void)state;
	/* Keys are bytes: "ab" and "ab\0" differ. */
	assert_int_equal(fail_n(b, "ab", 2, 5, 0), 60);
	assert_int_equal(backoff_refused(b, "ab", 3, 0), 0);
	/* Keys that do not fit are never tracked. */
	memset(big, 'x', sizeof(big));
	assert_int_equal(fail_n(b, big, sizeof(big), 5, 0), 0);
	assert_int_equal(backoff_fail(b, big, 0, 0), 0);
	assert_int_equal(backoff_count(b), 1);
	backoff_free(b);
	assert_null(backoff_new(&(struct backoff_conf){ .fails = 5 }));
}

static void
test_defaults(void **state)
{
	(void)state;
	assert_int_equal(backoff_defaults.fails, 5);
	assert_int_equal(backoff_defaults.window, 60);
	assert_true(backoff_defaults.cap >= backoff_defaults.base);
	assert_true(backoff_defaults.max >= 1024);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threshold),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_doubling),
		cmocka_unit_test(test_success_resets),
		cmocka_unit_test(test_forget),
		cmocka_unit_test(test_bound),
		cmocka_unit_test(test_all_blocked),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_defaults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
