/*
 * The state machines' tables (daemons/vland/states.c) and their checker
 * (fsm.c): names for everything, the transitions the design needs are
 * allowed, the ones it must never take are refused and counted, and
 * every state can be reached and left as the design says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fsm.h"
#include "states.h"

static const struct fsm_def *const defs[] = { &hub_session_fsm,
	&endpoint_session_fsm, &endpoint_fsm };

static void
test_names(void **state)
{
	unsigned d, i;

	(void)state;
	for (d = 0; d < sizeof(defs) / sizeof(defs[0]); d++) {
		assert_true(defs[d]->nstates <= FSM_STATES_MAX);
		for (i = 0; i < defs[d]->nstates; i++)
			assert_non_null(defs[d]->states[i]);
		for (i = 0; i < defs[d]->nevents; i++)
			assert_non_null(defs[d]->events[i]);
		assert_string_equal(fsm_state_name(defs[d], 99), "?");
	}
}

/* The states reachable from start by allowed transitions. */
static uint32_t
reachable(const struct fsm_def *d, unsigned start)
{
	uint32_t seen = 1U << start, before;
	unsigned i;

	do {
		before = seen;
		for (i = 0; i < d->nstates; i++)
			if (seen >> i & 1)
				seen |= d->allowed[i];
	} while (seen != before);
	return seen;
}

static void
test_hub_session(void **state)
{
	const struct fsm_def *d = &hub_session_fsm;
	unsigned i;

	(void)state;
	/* The login path, in both modes. */
	assert_true(fsm_allowed(d, SESS_WAIT_AUTH, SESS_AUTHING));
	assert_true(fsm_allowed(d, SESS_AUTHING, SESS_WAIT_TAP));
	assert_true(fsm_allowed(d, SESS_AUTHING, SESS_UP));
	assert_true(fsm_allowed(d, SESS_WAIT_TAP, SESS_UP));
	/* Every live state may end; an ended one goes nowhere. */
	for (i = 0; i < SESS_ENDED; i++)
		assert_true(fsm_allowed(d, i, SESS_ENDED));
	for (i = 0; i < SESS_ENDED; i++)
		assert_false(fsm_allowed(d, SESS_ENDED, i));
	/* Never backwards, never past the password check. */
	assert_false(fsm_allowed(d, SESS_UP, SESS_WAIT_AUTH));
	assert_false(fsm_allowed(d, SESS_UP, SESS_AUTHING));
	assert_false(fsm_allowed(d, SESS_WAIT_AUTH, SESS_UP));
	assert_false(fsm_allowed(d, SESS_WAIT_AUTH, SESS_WAIT_TAP));
	assert_false(fsm_allowed(d, SESS_WAIT_TAP, SESS_AUTHING));
	assert_int_equal(reachable(d, SESS_WAIT_AUTH),
	    (1U << SESS_NSTATES) - 1);
}

static void
test_endpoint(void **state)
{
	const struct fsm_def *d = &endpoint_fsm;
	unsigned i;

	(void)state;
	assert_int_equal(reachable(d, EP_IDLE), (1U << EP_NSTATES) - 1);
	/* Nothing returns to idle; from every other state the endpoint
	 * gets back up. */
	for (i = 0; i < EP_NSTATES; i++)
		if (i != EP_IDLE)
			assert_false(fsm_allowed(d, i, EP_IDLE));
	for (i = EP_RESOLVE; i < EP_NSTATES; i++)
		assert_true(reachable(d, i) >> EP_UP & 1);
	/* Up only through a login. */
	assert_false(fsm_allowed(d, EP_HANDSHAKE, EP_UP));
	assert_false(fsm_allowed(d, EP_RESOLVE, EP_UP));
	assert_false(fsm_allowed(d, EP_WAIT, EP_UP));
	assert_false(fsm_allowed(d, EP_WAIT, EP_HANDSHAKE));
	/* The endpoint's session: up and back only. */
	d = &endpoint_session_fsm;
	assert_true(fsm_allowed(d, SESS_WAIT_AUTH, SESS_UP));
	assert_true(fsm_allowed(d, SESS_UP, SESS_WAIT_AUTH));
	assert_false(fsm_allowed(d, SESS_WAIT_AUTH, SESS_AUTHING));
	assert_false(fsm_allowed(d, SESS_UP, SESS_ENDED));
}

static void
test_step(void **state)
{
	uint64_t before = fsm_illegal();

	(void)state;
	fsm_set_strict(false);
	assert_true(fsm_step(&hub_session_fsm, SESS_WAIT_AUTH, SESS_AUTHING,
	    SEV_AUTH, 1));
	assert_true(
	    fsm_step(&hub_session_fsm, SESS_UP, SESS_UP, SEV_TAP_READY, 1));
	assert_int_equal(fsm_illegal(), before);
	/* Refused and counted, not taken. */
	assert_false(
	    fsm_step(&hub_session_fsm, SESS_UP, SESS_AUTHING, SEV_AUTH, 1));
	assert_false(fsm_step(&endpoint_fsm, EP_WAIT, EP_UP, EEV_LOGGED_IN, 0));
	assert_false(fsm_step(&endpoint_fsm, 77, EP_UP, EEV_LOGGED_IN, 0));
	assert_int_equal(fsm_illegal(), before + 3);
}

static void
test_ends(void **state)
{
	unsigned ev;

	(void)state;
	for (ev = SEV_END_FULL; ev < SEV_NEVENTS; ev++) {
		const struct sess_end *e = sess_end_of(ev);

		/* Whoever is told by a BYE was logged in, so says why. */
		if (e->bye)
			assert_non_null(e->why);
	}
	/* A replaced session leaves its address to the new login. */
	assert_true(sess_end_of(SEV_END_REPLACED)->bye);
	assert_false(sess_end_of(SEV_END_REPLACED)->release);
	assert_true(sess_end_of(SEV_END_TIMEOUT)->release);
	assert_false(sess_end_of(SEV_END_RESUMED)->release);
	/* Not an end reason: nothing implied. */
	assert_false(sess_end_of(SEV_AUTH)->bye);
	assert_null(sess_end_of(SEV_AUTH)->why);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_hub_session),
		cmocka_unit_test(test_endpoint),
		cmocka_unit_test(test_step),
		cmocka_unit_test(test_ends),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
