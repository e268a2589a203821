/*
 * The direct handshake (direct.h) end to end, then the ways it must
 * fail: another pair's secret, an INIT moved to another pair id, every
 * bit of INIT and RESP flipped, every truncation, a RESP to another
 * attempt, and a forged RESP that must leave the attempt usable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "direct.h"
#include "prim.h"

#define T0   7000000
#define PAIR 0x11223344u

static uint8_t secret[DIRECT_SECRET_LEN], other[DIRECT_SECRET_LEN];
static uint64_t ctr; /* the counter dhs_respond found */

static int
setup(void **state)
{
	(void)state;
	assert_int_equal(prim_random(secret, sizeof secret), 0);
	assert_int_equal(prim_random(other, sizeof other), 0);
	return 0;
}

/* Data sealed on one keypair opens on the other, both ways. */
static void
transport_both_ways(struct keypair *a, struct keypair *b)
{
	uint8_t buf[64 + WIRE_TRANSPORT_OVERHEAD];
	struct kp_rx rx;
	size_t n;
	int i;

	for (i = 0; i < 2; i++) {
		struct keypair *tx = i == 0 ? a : b, *rxk = i == 0 ? b : a;

		memcpy(buf + WIRE_TRANSPORT_HDR_LEN, "direct frame", 12);
		assert_int_equal(kp_seal(tx, WIRE_MSG_DATA, buf, 12, sizeof buf,
				     &n, T0, NULL),
		    WIRE_OK);
		assert_int_equal(wire_get_u32(buf + WIRE_TRANSPORT_RECEIVER),
		    rxk->local_index);
		assert_int_equal(kp_open(rxk, buf, n, T0, &rx), WIRE_OK);
		assert_int_equal(rx.len, 12);
		assert_memory_equal(rx.payload, "direct frame", 12);
	}
}

static void
test_round_trip(void **state)
{
	uint8_t init[DIRECT_INIT_LEN], resp[DIRECT_RESP_LEN];
	struct keypair ki, kr;
	struct dhs d;
	uint32_t pair = 0;

	(void)state;
	assert_int_equal(dhs_init_create(&d, secret, PAIR, 77, 1, NULL, init),
	    WIRE_OK);
	assert_int_equal(init[0], WIRE_MSG_DIRECT_INIT);
	assert_int_equal(direct_pair_of(init, sizeof init, WIRE_MSG_DIRECT_INIT,
			     &pair),
	    WIRE_OK);
	assert_int_equal(pair, PAIR);
	assert_int_equal(dhs_respond(secret, init, sizeof init, 99, NULL, T0, 0,
			     &ctr, resp, &kr),
	    WIRE_OK);
	assert_int_equal(resp[0], WIRE_MSG_DIRECT_RESP);
	assert_int_equal(wire_get_u32(resp + DIRECT_RESP_RECEIVER), 77);
	assert_int_equal(dhs_resp_consume(&d, resp, sizeof resp, T0, &ki),
	    WIRE_OK);
	assert_true(ki.initiator);
	assert_false(kr.initiator);
	assert_int_equal(ki.local_index, 77);
	assert_int_equal(ki.remote_index, 99);
	assert_int_equal(kr.local_index, 99);
	assert_int_equal(kr.remote_index, 77);
	transport_both_ways(&ki, &kr);
	/* The attempt is spent: a second RESP finds nothing. */
	assert_int_equal(dhs_resp_consume(&d, resp, sizeof resp, T0, &ki),
	    WIRE_EINDEX);
	kp_clear(&ki);
	kp_clear(&kr);
}

static void
test_wrong_secret_or_pair(void **state)
{
	uint8_t init[DIRECT_INIT_LEN], resp[DIRECT_RESP_LEN];
	struct keypair kr;
	struct dhs d;

	(void)state;
	assert_int_equal(dhs_init_create(&d, secret, PAIR, 5, 1, NULL, init),
	    WIRE_OK);
	assert_int_equal(dhs_respond(other, init, sizeof init, 6, NULL, T0, 0,
			     &ctr, resp, &kr),
	    WIRE_EDECRYPT);
	assert_true(prim_is_zero(resp, sizeof resp));
	/* The pair id is in the prologue: moved, the tag fails. */
	wire_put_u32(init + DIRECT_INIT_PAIR, PAIR + 1);
	assert_int_equal(dhs_respond(secret, init, sizeof init, 6, NULL, T0, 0,
			     &ctr, resp, &kr),
	    WIRE_EDECRYPT);
	dhs_clear(&d);
}

static void
test_init_flips_and_cuts(void **state)
{
	uint8_t init[DIRECT_INIT_LEN], bad[DIRECT_INIT_LEN + 1],
	    resp[DIRECT_RESP_LEN];
	struct keypair kr;
	struct dhs d;
	size_t i;
	int b;

	(void)state;
	assert_int_equal(dhs_init_create(&d, secret, PAIR, 5, 1, NULL, init),
	    WIRE_OK);
	for (i = 0; i < sizeof init; i++) {
		/* The sender index is outside the transcript, as in
		 * WireGuard: changing it only misroutes the answer. */
		if (i >= DIRECT_INIT_SENDER && i < DIRECT_INIT_E)
			continue;
		for (b = 0; b < 8; b++) {
			memcpy(bad, init, sizeof init);
			bad[i] ^= (uint8_t)(1u << b);
			assert_int_not_equal(dhs_respond(secret, bad,
						 sizeof init, 6, NULL, T0, 0,
						 &ctr, resp, &kr),
			    WIRE_OK);
		}
	}
	for (i = 0; i < sizeof bad; i++) {
		memset(bad, 0, sizeof bad);
		memcpy(bad, init, i < sizeof init ? i : sizeof init);
		if (i == sizeof init)
			continue;
		assert_int_not_equal(dhs_respond(secret, bad, i, 6, NULL, T0, 0,
					 &ctr, resp, &kr),
		    WIRE_OK);
	}
	assert_int_equal(dhs_respond(secret, bad, sizeof bad, 6, NULL, T0, 0,
			     &ctr, resp, &kr),
	    WIRE_ELONG);
	dhs_clear(&d);
}

static void
test_forged_resp_keeps_attempt(void **state)
{
	uint8_t init[DIRECT_INIT_LEN], resp[DIRECT_RESP_LEN],
	    bad[DIRECT_RESP_LEN];
	struct keypair ki, kr;
	struct dhs d;
	size_t i;
	int b;

	(void)state;
	assert_int_equal(dhs_init_create(&d, secret, PAIR, 5, 1, NULL, init),
	    WIRE_OK);
	assert_int_equal(dhs_respond(secret, init, sizeof init, 6, NULL, T0, 0,
			     &ctr, resp, &kr),
	    WIRE_OK);
	for (i = 0; i < sizeof resp; i++) {
		/* The responder's own index is outside the transcript. */
		if (i >= DIRECT_RESP_SENDER && i < DIRECT_RESP_RECEIVER)
			continue;
		for (b = 0; b < 8; b++) {
			memcpy(bad, resp, sizeof resp);
			bad[i] ^= (uint8_t)(1u << b);
			assert_int_not_equal(dhs_resp_consume(&d, bad,
						 sizeof bad, T0, &ki),
			    WIRE_OK);
		}
	}
	assert_int_equal(dhs_resp_consume(&d, resp, sizeof resp - 1, T0, &ki),
	    WIRE_ESHORT);
	/* After all that, the real RESP still completes the attempt. */
	assert_int_equal(dhs_resp_consume(&d, resp, sizeof resp, T0, &ki),
	    WIRE_OK);
	transport_both_ways(&ki, &kr);
	kp_clear(&ki);
	kp_clear(&kr);
}

/* Fixed ephemerals give the same bytes every time (PROTOCOL.md's
 * example is made this way), and different ones differ. */
static void
test_fixed_ephemeral(void **state)
{
	uint8_t e1[32], e2[32], a[DIRECT_INIT_LEN], b[DIRECT_INIT_LEN];
	struct dhs d;

	(void)state;
	memset(e1, 0x31, sizeof e1);
	memset(e2, 0x32, sizeof e2);
	assert_int_equal(dhs_init_create(&d, secret, PAIR, 5, 1, e1, a),
	    WIRE_OK);
	assert_int_equal(dhs_init_create(&d, secret, PAIR, 5, 1, e1, b),
	    WIRE_OK);
	assert_memory_equal(a, b, sizeof a);
	assert_int_equal(dhs_init_create(&d, secret, PAIR, 5, 1, e2, b),
	    WIRE_OK);
	assert_memory_not_equal(a, b, sizeof a);
	dhs_clear(&d);
}

/* The counter: what the responder sees, and an old INIT refused. */
static void
test_counter_and_replay(void **state)
{
	uint8_t old[DIRECT_INIT_LEN], init[DIRECT_INIT_LEN],
	    resp[DIRECT_RESP_LEN];
	struct keypair kr;
	struct dhs d;

	(void)state;
	assert_int_equal(dhs_init_create(&d, secret, PAIR, 5, 7, NULL, old),
	    WIRE_OK);
	assert_int_equal(dhs_respond(secret, old, sizeof old, 6, NULL, T0, 0,
			     &ctr, resp, &kr),
	    WIRE_OK);
	assert_int_equal(ctr, 7);
	kp_clear(&kr);
	assert_int_equal(dhs_init_create(&d, secret, PAIR, 5, 8, NULL, init),
	    WIRE_OK);
	assert_int_equal(dhs_respond(secret, init, sizeof init, 6, NULL, T0, 7,
			     &ctr, resp, &kr),
	    WIRE_OK);
	assert_int_equal(ctr, 8);
	kp_clear(&kr);
	/* The first again, once the second was taken: refused, and no
	 * answer made. */
	assert_int_equal(dhs_respond(secret, old, sizeof old, 6, NULL, T0, 8,
			     &ctr, resp, &kr),
	    WIRE_EREPLAY);
	assert_true(prim_is_zero(resp, sizeof resp));
	assert_int_equal(dhs_respond(secret, init, sizeof init, 6, NULL, T0, 8,
			     &ctr, resp, &kr),
	    WIRE_EREPLAY);
	dhs_clear(&d);
}

static void
test_probe(void **state)
{
	uint8_t p[DIRECT_PROBE_LEN + 1];
	uint32_t pair = 0;

	(void)state;
	direct_probe_put(p, PAIR);
	assert_int_equal(direct_pair_of(p, DIRECT_PROBE_LEN,
			     WIRE_MSG_DIRECT_PROBE, &pair),
	    WIRE_OK);
	assert_int_equal(pair, PAIR);
	assert_int_equal(direct_pair_of(p, DIRECT_PROBE_LEN + 1,
			     WIRE_MSG_DIRECT_PROBE, &pair),
	    WIRE_ELONG);
	assert_int_equal(direct_pair_of(p, DIRECT_PROBE_LEN,
			     WIRE_MSG_DIRECT_INIT, &pair),
	    WIRE_ESHORT);
	p[2] = 1;
	assert_int_equal(direct_pair_of(p, DIRECT_PROBE_LEN,
			     WIRE_MSG_DIRECT_PROBE, &pair),
	    WIRE_ERESERVED);
	assert_int_equal(direct_pair_of(p, DIRECT_PROBE_LEN, WIRE_MSG_DATA,
			     &pair),
	    WIRE_ETYPE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_wrong_secret_or_pair),
		cmocka_unit_test(test_init_flips_and_cuts),
		cmocka_unit_test(test_forged_resp_keeps_attempt),
		cmocka_unit_test(test_fixed_ephemeral),
		cmocka_unit_test(test_counter_and_replay),
		cmocka_unit_test(test_probe),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
