/*
 * Keypairs as data: seal/open in place, replay and tamper handling,
 * time and message limits given "now", and previous/current/next slot
 * rotation across rekeys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "keypair.h"
#include "prim.h"

#define T0 1000000 /* an arbitrary monotonic "now" */

struct pair {
	uint8_t k1[32], k2[32];
	struct keypair ini, rsp;
};

static uint32_t next_index = 0x10000;

/* A matching initiator/responder pair, as a handshake would leave it. */
static void
make_pair(struct pair *p, uint64_t now)
{
	uint32_t ii = next_index++, ri = next_index++;

	assert_int_equal(prim_random(p->k1, 32), 0);
	assert_int_equal(prim_random(p->k2, 32), 0);
	assert_int_equal(kp_init(&p->ini, p->k1, p->k2, ii, ri, true, now), 0);
	assert_int_equal(kp_init(&p->rsp, p->k2, p->k1, ri, ii, false, now), 0);
}

static void
free_pair(struct pair *p)
{
	kp_clear(&p->ini);
	kp_clear(&p->rsp);
}

/* Seal payload (len bytes of a pattern) into buf; returns the length. */
static size_t
seal(struct keypair *kp, uint8_t type, uint8_t *buf, size_t cap, size_t len,
    uint8_t fill, uint64_t now)
{
	size_t n = 0;
	bool rekey;

	memset(buf + WIRE_TRANSPORT_HDR_LEN, fill, len);
	assert_int_equal(kp_seal(kp, type, buf, len, cap, &n, now, &rekey),
	    WIRE_OK);
	assert_int_equal(n, len + WIRE_TRANSPORT_OVERHEAD);
	return n;
}

static void
test_roundtrip(void **state)
{
	struct pair p;
	struct kp_rx rx;
	uint8_t buf[2048], copy[2048];
	size_t n, i, same = 0;

	(void)state;
	make_pair(&p, T0);
	n = seal(&p.ini, WIRE_MSG_DATA, buf, sizeof buf, 1400, 0xa5, T0);
	assert_int_equal(buf[0], WIRE_MSG_DATA);
	assert_int_equal(wire_get_u32(buf + 4), p.rsp.local_index);
	assert_true(wire_get_u64(buf + 8) == 0);
	/* Encrypted in place: the pattern is gone (about 5 hits by chance). */
	for (i = 0; i < 1400; i++)
		same += buf[WIRE_TRANSPORT_HDR_LEN + i] == 0xa5;
	assert_true(same < 40);
	memcpy(copy, buf, n);
	assert_int_equal(kp_open(&p.rsp, buf, n, T0, &rx), WIRE_OK);
	assert_int_equal(rx.type, WIRE_MSG_DATA);
	assert_int_equal(rx.len, 1400);
	assert_ptr_equal(rx.payload, buf + WIRE_TRANSPORT_HDR_LEN);
	assert_true(rx.counter == 0);
	for (i = 0; i < rx.len; i++)
		assert_int_equal(rx.payload[i], 0xa5);
	/* The same message again is a replay. */
	assert_int_equal(kp_open(&p.rsp, copy, n, T0, &rx), WIRE_EREPLAY);

	/* The other direction, control type, counters independent. */
	n = seal(&p.rsp, WIRE_MSG_CONTROL, buf, sizeof buf, 1, 0x06, T0);
	assert_int_equal(wire_get_u32(buf + 4), p.ini.local_index);
	assert_int_equal(kp_open(&p.ini, buf, n, T0, &rx), WIRE_OK);
	assert_int_equal(rx.type, WIRE_MSG_CONTROL);
	assert_int_equal(rx.len, 1);

	/* Keepalive: DATA with no payload. */
	n = seal(&p.ini, WIRE_MSG_DATA, buf, sizeof buf, 0, 0, T0);
	assert_int_equal(n, WIRE_TRANSPORT_OVERHEAD);
	assert_int_equal(kp_open(&p.rsp, buf, n, T0, &rx), WIRE_OK);
	assert_int_equal(rx.len, 0);
	assert_true(rx.counter == 1);
	free_pair(&p);
}

static void
test_seal_refusals(void **state)
{
	struct pair p;
	uint8_t buf[256];
	size_t n = 0;

	(void)state;
	make_pair(&p, T0);
	assert_int_equal(kp_seal(&p.ini, WIRE_MSG_CONTROL, buf, 0, sizeof buf,
			     &n, T0, NULL),
	    WIRE_ESHORT);
	assert_int_equal(kp_seal(&p.ini, WIRE_MSG_INIT, buf, 10, sizeof buf, &n,
			     T0, NULL),
	    WIRE_ETYPE);
	assert_int_equal(kp_seal(&p.ini, WIRE_MSG_DATA, buf, 10,
			     10 + WIRE_TRANSPORT_OVERHEAD - 1, &n, T0, NULL),
	    WIRE_ESPACE);
	assert_int_equal(kp_seal(&p.ini, WIRE_MSG_DATA, buf,
			     WIRE_PAYLOAD_MAX + 1, SIZE_MAX, &n, T0, NULL),
	    WIRE_ELONG);
	/* Refusals do not consume counters. */
	assert_true(p.ini.send_counter == 0);
	free_pair(&p);
}

static void
test_tamper(void **state)
{
	struct pair p;
	struct kp_rx rx;
	uint8_t buf[128], m[128];
	size_t n, i;
	int bit;

	(void)state;
	make_pair(&p, T0);
	n = seal(&p.ini, WIRE_MSG_DATA, buf, sizeof buf, 40, 0x11, T0);
	for (i = 0; i < n; i++) {
		for (bit = 0; bit < 8; bit++) {
			enum wire_err e;

			memcpy(m, buf, n);
			m[i] ^= (uint8_t)(1 << bit);
			e = kp_open(&p.rsp, m, n, T0, &rx);
			if (i == 0 && m[0] == WIRE_MSG_CONTROL)
				/* Still a valid type: the AD catches it. */
				assert_int_equal(e, WIRE_EDECRYPT);
			else if (i == 0)
				assert_int_equal(e, WIRE_ETYPE);
			else if (i < 4)
				assert_int_equal(e, WIRE_ERESERVED);
			else if (i < 8)
				assert_int_equal(e, WIRE_EINDEX);
			else
				assert_int_equal(e, WIRE_EDECRYPT);
		}
	}
	/* Truncations, down to nothing. */
	for (i = 0; i < n; i++) {
		memcpy(m, buf, n);
		assert_int_not_equal(kp_open(&p.rsp, m, i, T0, &rx), WIRE_OK);
	}
	memcpy(m, buf, n);
	assert_int_equal(kp_open(&p.rsp, m, 3, T0, &rx), WIRE_ESHORT);
	assert_int_equal(kp_open(&p.rsp, m, 31, T0, &rx), WIRE_ESHORT);
	/* Nothing failed moved the window: the real one still opens. */
	assert_int_equal(kp_open(&p.rsp, m, n, T0, &rx), WIRE_OK);
	free_pair(&p);
}

static void
test_forgery_does_not_move_window(void **state)
{
	struct pair p;
	struct kp_rx rx;
	uint8_t buf[128], forged[128];
	size_t n;

	(void)state;
	make_pair(&p, T0);
	n = seal(&p.ini, WIRE_MSG_DATA, buf, sizeof buf, 20, 1, T0);
	/* A forged far-ahead counter fails the tag... */
	memcpy(forged, buf, n);
	wire_put_u64(forged + 8, 1000000);
	assert_int_equal(kp_open(&p.rsp, forged, n, T0, &rx), WIRE_EDECRYPT);
	/* ...and counter 0 is not "too old" afterwards. */
	assert_int_equal(kp_open(&p.rsp, buf, n, T0, &rx), WIRE_OK);
	free_pair(&p);
}

static void
test_too_old(void **state)
{
	static uint8_t first[64], buf[64];
	struct pair p;
	struct kp_rx rx;
	size_t n0, n = 0;
	int i;

	(void)state;
	make_pair(&p, T0);
	n0 = seal(&p.ini, WIRE_MSG_DATA, first, sizeof first, 8, 0, T0);
	for (i = 1; i <= REPLAY_WINDOW; i++)
		n = seal(&p.ini, WIRE_MSG_DATA, buf, sizeof buf, 8, 0, T0);
	/* Counter 8128 arrives first: 0 is exactly at the edge. */
	assert_int_equal(kp_open(&p.rsp, buf, n, T0, &rx), WIRE_OK);
	n = seal(&p.ini, WIRE_MSG_DATA, buf, sizeof buf, 8, 0, T0);
	assert_int_equal(kp_open(&p.rsp, buf, n, T0, &rx), WIRE_OK);
	/* Now 8129 is the greatest and 0 is one too far behind. */
	assert_int_equal(kp_open(&p.rsp, first, n0, T0, &rx), WIRE_EOLD);
	free_pair(&p);
}

static void
test_time_limits(void **state)
{
	struct pair p;
	struct kp_rx rx;
	uint8_t buf[128];
	size_t n = 0;
	bool rekey = false;

	(void)state;
	make_pair(&p, T0);
	assert_false(kp_expired(&p.ini, T0));
	assert_false(kp_expired(&p.ini, T0 + KP_REJECT_AFTER_TIME_MS - 1));
	assert_true(kp_expired(&p.ini, T0 + KP_REJECT_AFTER_TIME_MS));
	assert_true(kp_expired(&p.rsp, T0 + KP_REJECT_AFTER_TIME_MS));
	/* A clock going backwards is not an expiry. */
	assert_false(kp_expired(&p.ini, T0 - 5));

	/* Send side: only the initiator rekeys by time, at 120 s. */
	assert_false(kp_rekey_on_send(&p.ini, T0 + 119999));
	assert_true(kp_rekey_on_send(&p.ini, T0 + 120000));
	assert_false(kp_rekey_on_send(&p.rsp, T0 + 179999));
	/* Receive side: initiator at 165 s. */
	assert_int_equal(KP_REKEY_AFTER_TIME_RECV_MS, 165000);
	assert_false(kp_rekey_on_recv(&p.ini, T0 + 164999));
	assert_true(kp_rekey_on_recv(&p.ini, T0 + 165000));
	assert_false(kp_rekey_on_recv(&p.rsp, T0 + 179999));

	memset(buf + 16, 0, 8);
	assert_int_equal(kp_seal(&p.ini, WIRE_MSG_DATA, buf, 8, sizeof buf, &n,
			     T0 + 119999, &rekey),
	    WIRE_OK);
	assert_false(rekey);
	assert_int_equal(kp_open(&p.rsp, buf, n, T0 + 119999, &rx), WIRE_OK);
	assert_false(rx.rekey);
	assert_int_equal(kp_seal(&p.ini, WIRE_MSG_DATA, buf, 8, sizeof buf, &n,
			     T0 + 120000, &rekey),
	    WIRE_OK);
	assert_true(rekey);
	/* Still opens until 180 s; the responder is never told to rekey. */
	assert_int_equal(kp_open(&p.rsp, buf, n, T0 + 179999, &rx), WIRE_OK);
	assert_false(rx.rekey);
	assert_int_equal(kp_seal(&p.rsp, WIRE_MSG_DATA, buf, 8, sizeof buf, &n,
			     T0 + 170000, &rekey),
	    WIRE_OK);
	assert_false(rekey);
	assert_int_equal(kp_open(&p.ini, buf, n, T0 + 170000, &rx), WIRE_OK);
	assert_true(rx.rekey);

	/* At 180 s both directions refuse. */
	assert_int_equal(kp_seal(&p.rsp, WIRE_MSG_DATA, buf, 8, sizeof buf, &n,
			     T0 + 179999, NULL),
	    WIRE_OK);
	assert_int_equal(kp_open(&p.ini, buf, n, T0 + 180000, &rx),
	    WIRE_EEXPIRED);
	assert_int_equal(kp_seal(&p.ini, WIRE_MSG_DATA, buf, 8, sizeof buf, &n,
			     T0 + 180000, NULL),
	    WIRE_EEXPIRED);
	free_pair(&p);
}

static void
test_message_limits(void **state)
{
	struct pair p;
	struct kp_rx rx;
	struct aead forge;
	uint8_t buf[128];
	size_t n = 0;
	bool rekey = false;

	(void)state;
	make_pair(&p, T0);
	/* The responder too reports the message-count rekey. */
	p.rsp.send_counter = KP_REKEY_AFTER_MESSAGES - 2;
	assert_int_equal(kp_seal(&p.rsp, WIRE_MSG_DATA, buf, 0, sizeof buf, &n,
			     T0, &rekey),
	    WIRE_OK);
	assert_false(rekey);
	assert_int_equal(kp_seal(&p.rsp, WIRE_MSG_DATA, buf, 0, sizeof buf, &n,
			     T0, &rekey),
	    WIRE_OK);
	assert_true(rekey);
	assert_int_equal(kp_open(&p.ini, buf, n, T0, &rx), WIRE_OK);
	assert_true(rx.counter == KP_REKEY_AFTER_MESSAGES - 1);

	/* The last usable counter, then refusal. */
	p.ini.send_counter = KP_REJECT_AFTER_MESSAGES - 1;
	assert_int_equal(kp_seal(&p.ini, WIRE_MSG_DATA, buf, 0, sizeof buf, &n,
			     T0, NULL),
	    WIRE_OK);
	assert_int_equal(kp_open(&p.rsp, buf, n, T0, &rx), WIRE_OK);
	assert_true(rx.counter == KP_REJECT_AFTER_MESSAGES - 1);
	assert_int_equal(kp_seal(&p.ini, WIRE_MSG_DATA, buf, 0, sizeof buf, &n,
			     T0, NULL),
	    WIRE_ELIMIT);

	/* A peer that sends past the limit anyway (valid tag) is refused. */
	assert_int_equal(aead_init(&forge, p.k1, true), 0);
	wire_put_hdr(buf, WIRE_MSG_DATA);
	wire_put_u32(buf + 4, p.rsp.local_index);
	wire_put_u64(buf + 8, KP_REJECT_AFTER_MESSAGES);
	assert_int_equal(aead_seal(&forge, KP_REJECT_AFTER_MESSAGES, buf, 16,
			     buf + 16, 0, buf + 16),
	    0);
	assert_int_equal(kp_open(&p.rsp, buf, 32, T0, &rx), WIRE_ELIMIT);
	aead_clear(&forge);
	free_pair(&p);
}

/* Seal on sender's current keypair, open through the receiving set. */
static size_t
set_seal(struct kp_set *s, uint8_t *buf, size_t cap, uint8_t fill, uint64_t now)
{
	struct keypair *kp = kp_set_sender(s, now);

	assert_non_null(kp);
	return seal(kp, WIRE_MSG_DATA, buf, cap, 24, fill, now);
}

static void
test_slots(void **state)
{
	struct kp_set end, hub;
	struct pair p1, p2, p3;
	struct kp_rx rx;
	uint8_t a[128], b[128], c[128], d[128];
	size_t na, nb, nc, nd;
	uint32_t hub1, hub2, end1, end2;
	uint64_t now = T0;

	(void)state;
	kp_set_init(&end);
	kp_set_init(&hub);
	assert_null(kp_set_sender(&end, now));

	/* Handshake 1. */
	make_pair(&p1, now);
	hub1 = p1.rsp.local_index;
	end1 = p1.ini.local_index;
	kp_set_install(&end, &p1.ini);
	kp_set_install(&hub, &p1.rsp);
	assert_false(p1.ini.valid);
	assert_null(p1.ini.send.ctx);
	/* The hub may not send before the endpoint has used the keys. */
	assert_null(kp_set_sender(&hub, now));
	assert_ptr_equal(hub.next, kp_set_lookup(&hub, hub1));
	na = set_seal(&end, a, sizeof a, 1, now);
	assert_int_equal(kp_set_open(&hub, a, na, now, &rx), WIRE_OK);
	assert_ptr_equal(hub.cur, kp_set_lookup(&hub, hub1));
	assert_null(hub.next);
	nb = set_seal(&hub, b, sizeof b, 2, now);
	assert_int_equal(kp_set_open(&end, b, nb, now, &rx), WIRE_OK);

	/* In flight under keypair 1 while handshake 2 happens. */
	na = set_seal(&end, a, sizeof a, 3, now);
	nb = set_seal(&hub, b, sizeof b, 4, now);
	now += KP_REKEY_AFTER_TIME_MS;
	make_pair(&p2, now);
	hub2 = p2.rsp.local_index;
	end2 = p2.ini.local_index;
	kp_set_install(&end, &p2.ini);
	kp_set_install(&hub, &p2.rsp);
	/* The endpoint rotated at once; the hub still sends on 1. */
	assert_int_equal(kp_set_sender(&end, now)->local_index, end2);
	assert_int_equal(end.prev->local_index, end1);
	assert_int_equal(kp_set_sender(&hub, now)->local_index, hub1);
	assert_int_equal(kp_set_open(&end, b, nb, now, &rx), WIRE_OK);
	assert_int_equal(rx.payload[0], 4);
	assert_int_equal(kp_set_open(&hub, a, na, now, &rx), WIRE_OK);
	assert_ptr_equal(hub.cur, kp_set_lookup(&hub, hub1));

	/* Another one sealed under 1 before the endpoint rotated... */
	assert_int_equal(kp_set_lookup(&end, end1)->local_index, end1);
	nc = seal(kp_set_lookup(&end, end1), WIRE_MSG_DATA, c, sizeof c, 5, 5,
	    now);
	/* ...then the first packet under 2 confirms it at the hub. */
	nd = set_seal(&end, d, sizeof d, 6, now);
	assert_int_equal(kp_set_open(&hub, d, nd, now, &rx), WIRE_OK);
	assert_ptr_equal(hub.cur, kp_set_lookup(&hub, hub2));
	assert_ptr_equal(hub.prev, kp_set_lookup(&hub, hub1));
	/* The late packet under the previous keypair still opens. */
	assert_int_equal(kp_set_open(&hub, c, nc, now, &rx), WIRE_OK);
	assert_int_equal(rx.payload[0], 5);
	assert_int_equal(kp_set_sender(&hub, now)->local_index, hub2);

	/* Handshake 3 drops keypair 1 on both sides. */
	nb = seal(kp_set_lookup(&hub, hub1), WIRE_MSG_DATA, b, sizeof b, 5, 7,
	    now);
	now += KP_REKEY_AFTER_TIME_MS;
	make_pair(&p3, now);
	kp_set_install(&end, &p3.ini);
	kp_set_install(&hub, &p3.rsp);
	assert_null(kp_set_lookup(&end, end1));
	assert_null(kp_set_lookup(&hub, hub1));
	assert_int_equal(kp_set_open(&end, b, nb, now, &rx), WIRE_EINDEX);
	/* The hub's keypair 2 is older than 180 s later on: no sender. */
	assert_null(kp_set_sender(&hub, now + KP_REJECT_AFTER_TIME_MS));

	kp_set_clear(&end);
	kp_set_clear(&hub);
	assert_null(kp_set_lookup(&hub, hub2));
	free_pair(&p1);
	free_pair(&p2);
	free_pair(&p3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_seal_refusals),
		cmocka_unit_test(test_tamper),
		cmocka_unit_test(test_forgery_does_not_move_window),
		cmocka_unit_test(test_too_old),
		cmocka_unit_test(test_time_limits),
		cmocka_unit_test(test_message_limits),
		cmocka_unit_test(test_slots),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
