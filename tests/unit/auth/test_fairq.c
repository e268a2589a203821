/*
 * The fair queue of password checks: FIFO within a source, round-robin
 * between sources, caps per source and in all, and sources that come
 * and go while others wait, and sources skipped while their next
 * item may not go.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fairq.h"

static int items[64];

static int evicted = -1; /* what the last push pushed out, or -1 */

static int
push(struct fairq *q, const char *src, int i)
{
	void *ev;
	int rc = fairq_push(q, src, strlen(src), &items[i], &ev);

	evicted = ev == NULL ? -1 : (int)((int *)ev - items);
	return rc;
}

static int
pop(struct fairq *q)
{
	int *p = fairq_pop(q);

	return p == NULL ? -1 : (int)(p - items);
}

static void
test_round_robin(void **state)
{
	struct fairq *q = fairq_new(8, 32);
	int i;

	(void)state;
	assert_non_null(q);
	assert_int_equal(pop(q), -1);
	/* A floods first; B and C come after it. */
	for (i = 0; i < 8; i++)
		assert_int_equal(push(q, "A", i), 0);
	assert_int_equal(push(q, "A", 8), -1); /* A's share is full */
	assert_int_equal(push(q, "B", 20), 0);
	assert_int_equal(push(q, "B", 21), 0);
	assert_int_equal(push(q, "C", 30), 0);
	assert_int_equal(fairq_len(q), 11);
	assert_int_equal(fairq_sources(q), 3);
	/* One from each in turn, each source in its own order. */
	assert_int_equal(pop(q), 0);
	assert_int_equal(pop(q), 20);
	assert_int_equal(pop(q), 30);
	assert_int_equal(pop(q), 1);
	assert_int_equal(pop(q), 21);
	assert_int_equal(fairq_sources(q), 1);
	/* A newcomer waits for at most one more of A's. */
	assert_int_equal(push(q, "D", 40), 0);
	i = pop(q);
	if (i != 40)
		assert_int_equal(pop(q), 40);
	while (fairq_len(q) > 0)
		assert_in_range(pop(q), 2, 7);
	assert_int_equal(fairq_sources(q), 0);
	assert_int_equal(pop(q), -1);
	fairq_free(q);
}

static void
test_caps(void **state)
{
	struct fairq *q = fairq_new(2, 5);
	char src[2] = "a";
	int i;

	(void)state;
	assert_null(fairq_new(0, 5));
	assert_null(fairq_new(6, 5));
	assert_non_null(q);
	/* Five sources fill the queue with one each: a sixth finds no
	 * source with two more than it, so it is refused, not grown. */
	for (i = 0; i < 5; i++, src[0]++)
		assert_int_equal(push(q, src, i), 0);
	assert_int_equal(push(q, "z", 9), -1);
	assert_int_equal(push(q, "a", 9), -1);
	assert_int_equal(evicted, -1);
	/* Keys longer than a source are refused. */
	{
		void *ev;

		assert_int_equal(fairq_push(q, "0123456789012345678901234",
				     FAIRQ_KEY_MAX + 1, &items[0], &ev),
		    -1);
		assert_int_equal(fairq_push(q, "", 0, &items[0], &ev), -1);
	}
	assert_int_equal(pop(q), 0);
	assert_int_equal(push(q, "z", 9), 0);
	for (i = 1; i < 5; i++)
		assert_int_equal(pop(q), i);
	assert_int_equal(pop(q), 9);
	assert_int_equal(pop(q), -1);
	fairq_free(q);
}

/* Sources that empty while others wait keep every item exactly once. */
static void
test_churn(void **state)
{
	struct fairq *q = fairq_new(4, 64);
	int seen[64] = { 0 };
	int i, n = 0, k;

	(void)state;
	for (i = 0; i < 60; i++) {
		char src[2] = { (char)('a' + i % 15), 0 };

		assert_int_equal(push(q, src, i), 0);
		if (i % 3 == 2) {
			k = pop(q);
			assert_in_range(k, 0, 59);
			seen[k]++;
			n++;
		}
	}
	while ((k = pop(q)) != -1) {
		seen[k]++;
		n++;
	}
	assert_int_equal(n, 60);
	for (i = 0; i < 60; i++)
		assert_int_equal(seen[i], 1);
	fairq_free(q);
}

/* A queue filled by two sources: a third takes the busiest one's
 * newest place, until the three hold about the same. */
static void
test_full_makes_room(void **state)
{
	struct fairq *q = fairq_new(4, 8);
	int i;

	(void)state;
	for (i = 0; i < 4; i++)
		assert_int_equal(push(q, "A", i), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(push(q, "B", 10 + i), 0);
	assert_int_equal(fairq_len(q), 8);
	assert_int_equal(push(q, "C", 20), 0);
	assert_int_equal(evicted, 3); /* A's newest */
	assert_int_equal(push(q, "C", 21), 0);
	assert_int_equal(evicted, 13); /* then B's */
	/* A and B hold 3, C 2: no source holds two more than C. */
	assert_int_equal(push(q, "C", 22), -1);
	assert_int_equal(evicted, -1);
	assert_int_equal(fairq_len(q), 8);
	/* What is left comes out in turn, nothing twice. */
	assert_int_equal(pop(q), 0);
	assert_int_equal(pop(q), 10);
	assert_int_equal(pop(q), 20);
	assert_int_equal(pop(q), 1);
	assert_int_equal(pop(q), 11);
	assert_int_equal(pop(q), 21);
	assert_int_equal(pop(q), 2);
	assert_int_equal(pop(q), 12);
	assert_int_equal(pop(q), -1);
	fairq_free(q);
}

/* fairq_pop_if: items 0-9 may not go (as a check whose user at that
 * source is still being hashed); the sources they head are skipped,
 * keep their items in order, and come back once they may. */
static bool blocked_low = true;

static bool
may(const void *item, void *ctx)
{
	(void)ctx;
	return !(blocked_low && (const int *)item - items < 10);
}

static int
pop_if(struct fairq *q)
{
	int *p = fairq_pop_if(q, may, NULL);

	return p == NULL ? -1 : (int)(p - items);
}

static void
test_pop_if(void **state)
{
	struct fairq *q = fairq_new(4, 16);

	(void)state;
	assert_int_equal(push(q, "A", 0), 0);
	assert_int_equal(push(q, "A", 1), 0);
	assert_int_equal(push(q, "B", 20), 0);
	assert_int_equal(push(q, "B", 21), 0);
	assert_int_equal(push(q, "C", 2), 0);
	blocked_low = true;
	/* A and C are headed by items that may not go: B's, in order. */
	assert_int_equal(pop_if(q), 20);
	assert_int_equal(pop_if(q), 21);
	assert_int_equal(pop_if(q), -1);
	assert_int_equal(fairq_len(q), 3);
	assert_int_equal(fairq_sources(q), 2);
	blocked_low = false;
	/* The round goes on after B: C, then A. */
	assert_int_equal(pop_if(q), 2);
	assert_int_equal(pop_if(q), 0);
	assert_int_equal(pop_if(q), 1);
	assert_int_equal(pop_if(q), -1);
	assert_int_equal(fairq_len(q), 0);
	fairq_free(q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_robin),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_churn),
		cmocka_unit_test(test_full_makes_room),
		cmocka_unit_test(test_pop_if),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
