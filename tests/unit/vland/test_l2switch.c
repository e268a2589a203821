/*
 * The hub's own switch (daemons/vland/l2switch.c), asked with a session
 * table of the test's own: a unicast frame from one endpoint to
 * another's MAC goes to that session; everything else (broadcast,
 * multicast, the hub's MAC, an endpoint not up, its own MAC, a bridged
 * LAN's source MAC, `switch: bridge`) goes to the bridge.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "l2filter.h"
#include "l2switch.h"
#include "session.h"

static struct session_table t;
static struct l2switch sw;
static struct session *alice, *bob, *carol;
static uint8_t frame[64];

static struct session *
endpoint(const char *user, const char *ip, enum sess_state st)
{
	static const struct peer_addr peer;
	struct session *s = session_new(&t, &peer);
	struct addr none;

	memset(&none, 0, sizeof(none));
	snprintf(s->user, sizeof(s->user), "%s", user);
	assert_int_equal(addr_parse(ip, &s->addr), 0);
	l2_identity_make(&s->l2, &s->addr, &none);
	s->state = st;
	session_addr_set(&t, s);
	return s;
}

static int
setup(void **state)
{
	(void)state;
	session_table_init(&t, NULL);
	l2switch_init(&sw, &t);
	alice = endpoint("alice", "10.9.0.2", SESS_UP);
	bob = endpoint("bob", "10.9.0.3", SESS_UP);
	carol = endpoint("carol", "10.9.0.4", SESS_WAIT_TAP);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	session_table_clear(&t);
	return 0;
}

/* An IPv4 frame from src's MAC to dst (6 bytes). */
static void
make(const struct session *src, const uint8_t *dst)
{
	memset(frame, 0, sizeof(frame));
	memcpy(frame, dst, 6);
	memcpy(frame + 6, src->l2.mac, 6);
	frame[12] = 0x08;
}

static enum l2switch_verdict
decide(const struct session *from, struct session **to)
{
	return l2switch_decide(&sw, from, frame, sizeof(frame), to);
}

static void
to_another_endpoint(void **state)
{
	struct session *to;

	(void)state;
	make(alice, bob->l2.mac);
	assert_int_equal(decide(alice, &to), L2SW_SESSION);
	assert_ptr_equal(to, bob);
	make(bob, alice->l2.mac);
	assert_int_equal(decide(bob, &to), L2SW_SESSION);
	assert_ptr_equal(to, alice);
}

static void
not_for_an_endpoint(void **state)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
			     mcast6[6] = { 0x33, 0x33, 0, 0, 0, 1 },
			     hub[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 },
			     nobody[6] = { 0x62, 0xe2, 10, 9, 0, 99 };
	struct session *to;

	(void)state;
	make(alice, bcast);
	assert_int_equal(decide(alice, &to), L2SW_BRIDGE);
	assert_null(to);
	make(alice, mcast6);
	assert_int_equal(decide(alice, &to), L2SW_BRIDGE);
	make(alice, hub);
	assert_int_equal(decide(alice, &to), L2SW_BRIDGE);
	make(alice, nobody);
	assert_int_equal(decide(alice, &to), L2SW_BRIDGE);
	/* carol has no tap yet: the bridge decides */
	make(alice, carol->l2.mac);
	assert_int_equal(decide(alice, &to), L2SW_BRIDGE);
	/* to itself: looped by the bridge if at all, never by us */
	make(alice, alice->l2.mac);
	assert_int_equal(decide(alice, &to), L2SW_BRIDGE);
}

/* A host of a LAN bridged behind alice: the bridge must learn it. */
static void
bridged_lan_source(void **state)
{
	struct session *to;

	(void)state;
	make(alice, bob->l2.mac);
	frame[6] = 0x02;
	frame[11] = 0x77;
	assert_int_equal(decide(alice, &to), L2SW_BRIDGE);
	assert_null(to);
}

static void
short_frame(void **state)
{
	struct session *to;

	(void)state;
	make(alice, bob->l2.mac);
	assert_int_equal(l2switch_decide(&sw, alice, frame, 13, &to),
	    L2SW_BRIDGE);
	assert_int_equal(l2switch_decide(&sw, alice, frame, 14, &to),
	    L2SW_SESSION);
}

static void
switch_bridge(void **state)
{
	struct session *to;

	(void)state;
	sw.on = false;
	make(alice, bob->l2.mac);
	assert_int_equal(decide(alice, &to), L2SW_BRIDGE);
	assert_null(to);
}

/* bob gone: his address no longer names a session. */
static void
endpoint_gone(void **state)
{
	struct session *to;

	(void)state;
	make(alice, bob->l2.mac);
	session_free(&t, bob);
	assert_int_equal(decide(alice, &to), L2SW_BRIDGE);
}

/* isolate: alice and carol (once up) in a group, bob in none. */
static void
isolated(void **state)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct session *to;

	(void)state;
	sw.isolate = true;
	alice->groups = alice->reach = 1;
	carol->groups = carol->reach = 1;
	bob->groups = bob->reach = 0;
	session_set_state(&t, carol, SESS_UP);
	make(alice, carol->l2.mac);
	assert_int_equal(decide(alice, &to), L2SW_SESSION);
	assert_ptr_equal(to, carol);
	make(alice, bob->l2.mac);
	assert_int_equal(decide(alice, &to), L2SW_DENY);
	assert_null(to);
	make(bob, alice->l2.mac);
	assert_int_equal(decide(bob, &to), L2SW_DENY);
	/* broadcasts: the bridge (the hub) and copies to whom it may reach */
	make(alice, bcast);
	assert_int_equal(decide(alice, &to), L2SW_FLOOD);
	assert_true(l2switch_floods_to(&sw, alice, carol));
	assert_false(l2switch_floods_to(&sw, alice, bob));
	assert_false(l2switch_floods_to(&sw, alice, alice));
	assert_false(l2switch_floods_to(&sw, bob, alice));
	/* the hub's own MAC: the bridge, isolated or not */
	make(bob, (const uint8_t[6]){ 0x62, 0xe2, 10, 9, 0, 1 });
	assert_int_equal(decide(bob, &to), L2SW_BRIDGE);
	/* not isolated: broadcasts are the bridge's alone */
	sw.isolate = false;
	make(alice, bcast);
	assert_int_equal(decide(alice, &to), L2SW_BRIDGE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(to_another_endpoint, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(not_for_an_endpoint, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(bridged_lan_source, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(short_frame, setup, teardown),
		cmocka_unit_test_setup_teardown(switch_bridge, setup, teardown),
		cmocka_unit_test_setup_teardown(endpoint_gone, setup, teardown),
		cmocka_unit_test_setup_teardown(isolated, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
