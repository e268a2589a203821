/*
 * The timing wheel (daemons/vland/wheel.c): every entry fires once, not
 * before it is due and at most a slot's width plus the caller's step
 * after; deleted ones never; a tick looks at what is due and what
 * shares its slots, not at every entry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "wheel.h"

#define N 10000

struct item {
	struct wheel_entry e; /* first: the entry is the item */
	uint64_t due;
	uint64_t fired_at;
	unsigned fired;
};

static struct wheel w;
static struct item items[N];
static uint64_t now;

static void
fire(struct wheel_entry *e, void *arg)
{
	struct item *it = (struct item *)e;

	(void)arg;
	it->fired++;
	it->fired_at = now;
}

static uint32_t
rnd(void)
{
	static uint32_t x = 2463534242U;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

/* Step the clock by step ms until until, expiring at each step. */
static void
run(uint64_t until, uint64_t step)
{
	while (now < until) {
		now += step;
		wheel_expire(&w, now, fire, NULL);
	}
}

static void
test_each_once_on_time(void **state)
{
	size_t i;

	(void)state;
	now = 1000000;
	wheel_init(&w, now);
	for (i = 0; i < N; i++) {
		items[i] = (struct item){ .due = now + 1 + rnd() % 60000 };
		wheel_add(&w, &items[i].e, items[i].due);
	}
	assert_int_equal(w.count, N);
	run(now + 61000, 200);
	assert_int_equal(w.count, 0);
	for (i = 0; i < N; i++) {
		assert_int_equal(items[i].fired, 1);
		assert_true(items[i].fired_at >= items[i].due);
		assert_true(items[i].fired_at < items[i].due + 200);
	}
	/* Each entry looked at about once, not once a tick: 305 ticks
	 * over every entry would be 3 million looks. */
	assert_true(w.visits < 3 * N);
}

static void
test_far_ones_cost_little(void **state)
{
	uint64_t before;
	size_t i;

	(void)state;
	now = 5000;
	wheel_init(&w, now);
	/* Sessions that will not be due for a minute and a half. */
	for (i = 0; i < N; i++) {
		items[i] = (struct item){ .due = now + 90000 + rnd() % 1000 };
		wheel_add(&w, &items[i].e, items[i].due);
	}
	before = w.visits;
	run(now + 30000, 200); /* 150 ticks with nothing due */
	for (i = 0; i < N; i++)
		assert_int_equal(items[i].fired, 0);
	/* Only the slots the clock passed were looked at. */
	assert_true(w.visits - before < N / 10);
	run(now + 70000, 200);
	for (i = 0; i < N; i++)
		assert_int_equal(items[i].fired, 1);
}

static void
test_del_and_readd(void **state)
{
	struct item a = { 0 }, b = { 0 };

	(void)state;
	now = 0;
	wheel_init(&w, now);
	wheel_add(&w, &a.e, 1000);
	wheel_add(&w, &b.e, 1000);
	wheel_del(&w, &a.e);
	wheel_del(&w, &a.e); /* twice: harmless */
	assert_int_equal(w.count, 1);
	run(2000, 100);
	assert_int_equal(a.fired, 0);
	assert_int_equal(b.fired, 1);
	/* Again after firing, and one overdue: at the next expire. */
	wheel_add(&w, &b.e, 5000);
	wheel_add(&w, &a.e, 10);
	now += 1;
	wheel_expire(&w, now, fire, NULL);
	assert_int_equal(a.fired, 1);
	assert_int_equal(b.fired, 1);
	run(5000, 100);
	assert_int_equal(b.fired, 2);
}

/* The callback adds its entry again, as the hub does for a live
 * session; overdue, it fires again in the same pass, but never loops. */
static void
again(struct wheel_entry *e, void *arg)
{
	struct item *it = (struct item *)e;
	uint64_t *until = arg;

	it->fired++;
	if (it->fired < 3)
		wheel_add(&w, e, now - 1);
	else if (now < *until)
		wheel_add(&w, e, now + 300);
}

static void
test_readd_from_callback(void **state)
{
	struct item a = { 0 };
	uint64_t until;

	(void)state;
	now = 100000;
	wheel_init(&w, now);
	wheel_add(&w, &a.e, now + 50);
	until = now + 3000;
	now += 1000;
	wheel_expire(&w, now, again, &until);
	/* Overdue re-adds fire in the slots still to come this pass. */
	assert_true(a.fired >= 2);
	while (now < until + 1000) {
		now += 100;
		wheel_expire(&w, now, again, &until);
	}
	/* Every 300 ms up to until, then no more. */
	assert_true(a.fired >= 3 + 6);
	assert_int_equal(w.count, 0);
}

static void
test_long_pause(void **state)
{
	size_t i;

	(void)state;
	now = 0;
	wheel_init(&w, now);
	for (i = 0; i < 100; i++) {
		items[i] = (struct item){ .due = 1 + (uint64_t)i * 7000 };
		wheel_add(&w, &items[i].e, items[i].due);
	}
	/* Asleep for longer than a turn of the wheel: all of it fires. */
	now = 3600000;
	wheel_expire(&w, now, fire, NULL);
	for (i = 0; i < 100; i++)
		assert_int_equal(items[i].fired, 1);
	assert_int_equal(w.count, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_once_on_time),
		cmocka_unit_test(test_far_ones_cost_little),
		cmocka_unit_test(test_del_and_readd),
		cmocka_unit_test(test_readd_from_callback),
		cmocka_unit_test(test_long_pause),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
