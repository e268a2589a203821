/*
 * RFC 6479 window: in order, reordered, duplicates, too old, limits,
 * large jumps, and a long random run against a naive model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "replay.h"

static void
accept(struct replay *r, uint64_t c)
{
	assert_int_equal(replay_check(r, c), REPLAY_OK);
	assert_int_equal(replay_update(r, c), REPLAY_OK);
	assert_int_equal(replay_check(r, c), REPLAY_DUP);
}

static void
test_constants(void **state)
{
	(void)state;
	assert_int_equal(REPLAY_WINDOW, 8128);
	assert_true(REJECT_AFTER_MESSAGES == UINT64_MAX - ((uint64_t)1 << 13));
	/* = 2^64 - 2^13 - 1 */
	assert_true(REJECT_AFTER_MESSAGES + ((uint64_t)1 << 13) + 1 == 0);
}

static void
test_in_order(void **state)
{
	struct replay r;
	uint64_t c;

	(void)state;
	replay_init(&r);
	for (c = 0; c < 20000; c++)
		accept(&r, c);
	/* Everything still inside the window is a duplicate now. */
	for (c = 20000 - 1 - REPLAY_WINDOW; c < 20000; c++)
		assert_int_equal(replay_update(&r, c), REPLAY_DUP);
	for (c = 0; c < 20000 - 1 - REPLAY_WINDOW; c++)
		assert_int_equal(replay_check(&r, c), REPLAY_OLD);
}

static void
test_reordered(void **state)
{
	struct replay r;
	uint64_t c, g = 10000;

	(void)state;
	replay_init(&r);
	accept(&r, g);
	/* Every counter within the window opens once, in any order. */
	for (c = g - 1; c >= g - REPLAY_WINDOW; c -= 2)
		accept(&r, c);
	for (c = g - REPLAY_WINDOW; c < g; c += 2)
		accept(&r, c);
	for (c = g - REPLAY_WINDOW; c <= g; c++)
		assert_int_equal(replay_check(&r, c), REPLAY_DUP);
	assert_int_equal(replay_check(&r, g - REPLAY_WINDOW - 1), REPLAY_OLD);
	assert_int_equal(replay_update(&r, g - REPLAY_WINDOW - 1), REPLAY_OLD);
}

static void
test_duplicates_and_check_is_pure(void **state)
{
	struct replay r;

	(void)state;
	replay_init(&r);
	assert_int_equal(replay_check(&r, 0), REPLAY_OK);
	assert_int_equal(replay_check(&r, 0), REPLAY_OK);
	assert_int_equal(replay_check(&r, 5000), REPLAY_OK);
	/* Checking moved nothing: 0 is not old, 5000 not seen. */
	accept(&r, 0);
	assert_int_equal(replay_update(&r, 0), REPLAY_DUP);
	accept(&r, 7);
	assert_int_equal(replay_update(&r, 7), REPLAY_DUP);
	accept(&r, 3);
	assert_int_equal(replay_check(&r, 3), REPLAY_DUP);
	assert_int_equal(replay_check(&r, 4), REPLAY_OK);
}

static void
test_window_edge(void **state)
{
	struct replay r;
	uint64_t g;

	(void)state;
	/* Every alignment of greatest within a word. */
	for (g = REPLAY_WINDOW + 1; g < REPLAY_WINDOW + 1 + 130; g++) {
		replay_init(&r);
		accept(&r, g);
		assert_int_equal(replay_check(&r, g - REPLAY_WINDOW),
		    REPLAY_OK);
		assert_int_equal(replay_check(&r, g - REPLAY_WINDOW - 1),
		    REPLAY_OLD);
		accept(&r, g - REPLAY_WINDOW);
	}
}

static void
test_limits(void **state)
{
	struct replay r;
	uint64_t lim = REJECT_AFTER_MESSAGES;

	(void)state;
	replay_init(&r);
	assert_int_equal(replay_check(&r, lim), REPLAY_LIMIT);
	assert_int_equal(replay_update(&r, lim), REPLAY_LIMIT);
	assert_int_equal(replay_check(&r, UINT64_MAX), REPLAY_LIMIT);
	assert_int_equal(replay_check(&r, UINT64_MAX - 1), REPLAY_LIMIT);
	accept(&r, lim - 1);
	assert_int_equal(r.greatest, lim - 1);
	accept(&r, lim - 1 - REPLAY_WINDOW);
	assert_int_equal(replay_check(&r, lim - 2 - REPLAY_WINDOW), REPLAY_OLD);
	assert_int_equal(replay_check(&r, lim), REPLAY_LIMIT);
	assert_int_equal(replay_check(&r, 0), REPLAY_OLD);
}

static void
test_large_jumps(void **state)
{
	struct replay r;
	uint64_t c, j;

	(void)state;
	replay_init(&r);
	/* Fill the whole ring, so stale bits would show after a jump. */
	for (c = 0; c < REPLAY_BITS_TOTAL; c++)
		accept(&r, c);
	/* A jump of several ring lengths lands on the same words. */
	j = 4 * REPLAY_BITS_TOTAL + 70;
	accept(&r, j);
	for (c = j - REPLAY_WINDOW; c < j; c++)
		assert_int_equal(replay_check(&r, c), REPLAY_OK);
	assert_int_equal(replay_check(&r, REPLAY_BITS_TOTAL - 1), REPLAY_OLD);

	/* A jump shorter than the ring clears only the words passed. */
	replay_init(&r);
	for (c = 0; c < REPLAY_BITS_TOTAL; c++)
		accept(&r, c);
	j = REPLAY_BITS_TOTAL - 1 + 200;
	accept(&r, j);
	for (c = REPLAY_BITS_TOTAL; c < j; c++)
		assert_int_equal(replay_check(&r, c), REPLAY_OK);
	for (c = j - REPLAY_WINDOW; c < REPLAY_BITS_TOTAL; c++)
		assert_int_equal(replay_check(&r, c), REPLAY_DUP);

	/* A jump of exactly one word boundary. */
	replay_init(&r);
	accept(&r, 63);
	accept(&r, 64);
	accept(&r, 0);
	assert_int_equal(replay_check(&r, 1), REPLAY_OK);

	/* From 0 straight to near the limit. */
	replay_init(&r);
	accept(&r, 0);
	accept(&r, REJECT_AFTER_MESSAGES - 1);
	assert_int_equal(replay_check(&r, 0), REPLAY_OLD);
	assert_int_equal(replay_check(&r, REJECT_AFTER_MESSAGES - 2),
	    REPLAY_OK);
}

/* Against a model that remembers every counter it has seen. */
#define MODEL_SPAN ((uint64_t)1 << 25)
#define SEEN(c)	   (seen[(c) >> 3] & (1 << ((c)&7)))
#define MARK(c)	   (seen[(c) >> 3] |= (uint8_t)(1 << ((c)&7)))

static void
test_random_against_model(void **state)
{
	struct replay r;
	uint8_t *seen;
	uint64_t greatest = 0, c;
	bool any = false;
	int i;

	(void)state;
	seen = calloc(MODEL_SPAN / 8, 1);
	assert_non_null(seen);
	replay_init(&r);
	srand(6479);
	for (i = 0; i < 300000; i++) {
		enum replay_res want, got;
		long d;
		int k = rand() % 64;

		if (k == 0) /* far ahead, sometimes past the whole ring */
			d = rand() % 12000;
		else if (k < 4) /* far behind */
			d = -(long)(rand() % 12000);
		else if (k < 16) /* a burst ahead */
			d = rand() % 300;
		else /* near, both ways */
			d = rand() % 200 - 150;
		if (d < 0 && (uint64_t)-d > greatest)
			d = -(long)greatest;
		c = greatest + (uint64_t)d;
		if (c >= MODEL_SPAN)
			break;
		if (any && c <= greatest && greatest - c > REPLAY_WINDOW)
			want = REPLAY_OLD;
		else if (SEEN(c))
			want = REPLAY_DUP;
		else
			want = REPLAY_OK;
		got = replay_check(&r, c);
		assert_int_equal(got, want);
		/* Only half of the accepted ones "verify" and get recorded. */
		if (got == REPLAY_OK && rand() % 2 == 0) {
			assert_int_equal(replay_update(&r, c), REPLAY_OK);
			MARK(c);
			if (!any || c > greatest)
				greatest = c;
			any = true;
		}
	}
	assert_true(i > 100000);
	free(seen);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constants),
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_reordered),
		cmocka_unit_test(test_duplicates_and_check_is_pure),
		cmocka_unit_test(test_window_edge),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_large_jumps),
		cmocka_unit_test(test_random_against_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
