/*
 * The hub's route set (daemons/vland/routes.c) over a session table of
 * the test's own: SERVER routes name the hub, a user's routes are known
 * while that user is up and withdrawn (nexthop unknown) otherwise; a
 * new version only when the set changes, by a login, a logout or a
 * reload; announcements by multicast on their schedule after each
 * change; and the original multicast format (IPv4 routes only). An
 * IPv6 route's nexthop is the hub's ip6 or the user's IPv6 address.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "routes.h"
#include "session.h"

static struct session_table t;
static struct routes r;
static struct cfg_route cfgr[CFG_MAX_ROUTES];
static struct route_conf conf = { cfgr, 0, { 0 }, { { 0 }, 0 } };

static void
route(size_t i, const char *cidr, const char *nexthop)
{
	assert_int_equal(prefix_parse(cidr, &cfgr[i].cidr), 0);
	cfgr[i].server = strcmp(nexthop, "SERVER") == 0;
	snprintf(cfgr[i].nexthop, sizeof(cfgr[i].nexthop), "%s",
	    cfgr[i].server ? "" : nexthop);
	if (i + 1 > conf.nroutes)
		conf.nroutes = i + 1;
}

static struct session *
login(const char *user, const char *ip, enum sess_state st)
{
	static const struct peer_addr peer;
	struct session *s = session_new(&t, &peer);

	snprintf(s->user, sizeof(s->user), "%s", user);
	assert_int_equal(addr_parse(ip, &s->addr), 0);
	session_set_state(&t, s, st);
	return s;
}

static void
assert_nexthop(size_t i, const char *want)
{
	const struct pmsg_routes *cur = routes_current(&r);
	struct addr a;

	assert_true(i < cur->count);
	if (want == NULL) {
		assert_int_equal(cur->r[i].nexthop.af, 0);
		return;
	}
	assert_int_equal(addr_parse(want, &a), 0);
	assert_int_equal(addr_cmp(&cur->r[i].nexthop, &a), 0);
}

static int
setup(void **state)
{
	(void)state;
	session_table_init(&t, NULL);
	memset(cfgr, 0, sizeof(cfgr));
	conf.nroutes = 0;
	assert_int_equal(addr_parse("10.0.0.1", &conf.hub), 0);
	assert_int_equal(prefix_parse("fd00::1/64", &conf.ip6), 0);
	route(0, "192.168.10.0/24", "SERVER");
	route(1, "192.168.20.0/24", "alice");
	route(2, "192.168.30.0/24", "bob");
	route(3, "fd00:20::/64", "alice");
	route(4, "fd00:10::/48", "SERVER");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	session_table_clear(&t);
	if (r.mcast_fd != -1)
		close(r.mcast_fd);
	return 0;
}

static void
test_first_set(void **state)
{
	const struct pmsg_routes *cur;
	struct prefix p;

	(void)state;
	routes_init(&r, &conf, &t);
	cur = routes_current(&r);
	assert_int_equal(cur->version, 1);
	assert_int_equal(cur->count, 5);
	assert_int_equal(prefix_parse("192.168.20.0/24", &p), 0);
	assert_int_equal(addr_cmp(&cur->r[1].dst.a, &p.a), 0);
	assert_int_equal(cur->r[1].dst.len, 24);
	/* SERVER is the hub; nobody is logged in. */
	assert_nexthop(0, "10.0.0.1");
	assert_nexthop(1, NULL);
	assert_nexthop(2, NULL);
	assert_nexthop(3, NULL);
	/* An IPv6 route through SERVER: the hub's ip6 address. */
	assert_nexthop(4, "fd00::1");
	/* Nothing changed: no new version. */
	assert_false(routes_update(&r, &conf, &t, 0));
	assert_int_equal(cur->version, 1);
}

static void
test_login_logout(void **state)
{
	const struct pmsg_routes *cur;
	struct session *a, *b;

	(void)state;
	routes_init(&r, &conf, &t);
	cur = routes_current(&r);
	/* Being checked, or waiting for its tap: not a nexthop yet. */
	a = login("alice", "10.0.0.100", SESS_AUTHING);
	assert_false(routes_update(&r, &conf, &t, 0));
	session_set_state(&t, a, SESS_WAIT_TAP);
	assert_false(routes_update(&r, &conf, &t, 0));
	session_set_state(&t, a, SESS_UP);
	assert_true(routes_update(&r, &conf, &t, 0));
	assert_int_equal(cur->version, 2);
	/* Both of alice's routes go to her: the IPv4 one to her IPv4
	 * address, the IPv6 one to her IPv6 address inside the tunnel
	 * (ip6's network with her IPv4 in the last 32 bits); bob's stays
	 * withdrawn. */
	assert_nexthop(1, "10.0.0.100");
	assert_nexthop(2, NULL);
	assert_nexthop(3, "fd00::a00:64");
	assert_false(routes_update(&r, &conf, &t, 0));
	assert_int_equal(cur->version, 2);
	/* Another user: unrelated to the routes, no new version. */
	login("carol", "10.0.0.102", SESS_UP);
	assert_false(routes_update(&r, &conf, &t, 0));
	b = login("bob", "10.0.0.101", SESS_UP);
	assert_true(routes_update(&r, &conf, &t, 0));
	assert_int_equal(cur->version, 3);
	assert_nexthop(2, "10.0.0.101");
	/* alice logs out: her routes are withdrawn, bob's stay. */
	session_free(&t, a);
	assert_true(routes_update(&r, &conf, &t, 0));
	assert_int_equal(cur->version, 4);
	assert_nexthop(1, NULL);
	assert_nexthop(2, "10.0.0.101");
	assert_nexthop(3, NULL);
	/* bob comes back at another address: a change too. */
	session_free(&t, b);
	login("bob", "10.0.0.105", SESS_UP);
	assert_true(routes_update(&r, &conf, &t, 0));
	assert_int_equal(cur->version, 5);
	assert_nexthop(2, "10.0.0.105");
	assert_int_equal(cur->count, 5);
}

static void
test_reload(void **state)
{
	const struct pmsg_routes *cur;

	(void)state;
	routes_init(&r, &conf, &t);
	cur = routes_current(&r);
	login("alice", "10.0.0.100", SESS_UP);
	assert_true(routes_update(&r, &conf, &t, 0));
	/* Routes removed: the set is shorter. */
	conf.nroutes = 3;
	assert_true(routes_update(&r, &conf, &t, 0));
	assert_int_equal(cur->version, 3);
	assert_int_equal(cur->count, 3);
	/* A prefix changed in place. */
	route(2, "192.168.31.0/24", "bob");
	assert_true(routes_update(&r, &conf, &t, 0));
	assert_int_equal(cur->version, 4);
	/* A nexthop moved from a user who is away to the hub. */
	route(2, "192.168.31.0/24", "SERVER");
	assert_true(routes_update(&r, &conf, &t, 0));
	assert_nexthop(2, "10.0.0.1");
	/* None at all. */
	conf.nroutes = 0;
	assert_true(routes_update(&r, &conf, &t, 0));
	assert_int_equal(cur->count, 0);
	assert_int_equal(cur->version, 6);
}

/* Without ip6 an IPv6 route has no nexthop to go through (the
 * configuration refuses it; routes.c withdraws it all the same). */
static void
test_no_ip6(void **state)
{
	(void)state;
	memset(&conf.ip6, 0, sizeof(conf.ip6));
	login("alice", "10.0.0.100", SESS_UP);
	routes_init(&r, &conf, &t);
	assert_nexthop(1, "10.0.0.100");
	assert_nexthop(3, NULL);
	assert_nexthop(4, NULL);
	assert_int_equal(prefix_parse("fd00::1/64", &conf.ip6), 0);
}

static void
test_at_most_the_message(void **state)
{
	char cidr[32];
	size_t i;

	(void)state;
	for (i = 0; i < CFG_MAX_ROUTES; i++) {
		snprintf(cidr, sizeof(cidr), "172.16.%zu.0/24", i);
		route(i, cidr, "SERVER");
	}
	routes_init(&r, &conf, &t);
	assert_int_equal(routes_current(&r)->count,
	    CFG_MAX_ROUTES < PMSG_ROUTES_MAX ? CFG_MAX_ROUTES
					     : PMSG_ROUTES_MAX);
}

/* A default route (the full tunnel) goes out as its two halves, each
 * through SERVER's nexthop of its family, the other routes after them. */
static void
test_default_as_halves(void **state)
{
	const struct pmsg_routes *cur;
	char p[PREFIX_STRLEN];

	(void)state;
	route(0, "0.0.0.0/0", "SERVER");
	route(4, "::/0", "SERVER");
	routes_init(&r, &conf, &t);
	cur = routes_current(&r);
	assert_int_equal(cur->count, 7);
	assert_string_equal(prefix_fmt(&cur->r[0].dst, p, sizeof(p)),
	    "0.0.0.0/1");
	assert_string_equal(prefix_fmt(&cur->r[1].dst, p, sizeof(p)),
	    "128.0.0.0/1");
	assert_nexthop(0, "10.0.0.1");
	assert_nexthop(1, "10.0.0.1");
	assert_string_equal(prefix_fmt(&cur->r[2].dst, p, sizeof(p)),
	    "192.168.20.0/24");
	assert_string_equal(prefix_fmt(&cur->r[5].dst, p, sizeof(p)), "::/1");
	assert_string_equal(prefix_fmt(&cur->r[6].dst, p, sizeof(p)),
	    "8000::/1");
	assert_nexthop(5, "fd00::1");
	assert_nexthop(6, "fd00::1");
}

/* The halves never overflow the message: the last one is dropped. */
static void
test_default_at_the_limit(void **state)
{
	char cidr[32];
	size_t i;

	(void)state;
	for (i = 0; i + 1 < PMSG_ROUTES_MAX; i++) {
		snprintf(cidr, sizeof(cidr), "172.16.%zu.0/24", i);
		route(i, cidr, "SERVER");
	}
	route(i, "0.0.0.0/0", "SERVER");
	routes_init(&r, &conf, &t);
	assert_int_equal(routes_current(&r)->count, PMSG_ROUTES_MAX);
	assert_int_equal(routes_current(&r)->r[PMSG_ROUTES_MAX - 1].dst.len, 1);
}

static void
test_multicast_schedule(void **state)
{
	static const uint64_t at[] = { 50, 1000, 3000, 10000 };
	uint64_t ms, t0 = 100000;
	unsigned n;

	(void)state;
	routes_init(&r, &conf, &t);
	/* Not configured: never due. */
	assert_false(routes_multicast_due(&r, t0 + 50));
	routes_multicast_open(&r, t0);
	/* After the start, and again after a change: at 50 ms, 1 s, 3 s
	 * and 10 s, once each, then no more. */
	for (n = 0, ms = t0; ms < t0 + 20000; ms++)
		if (routes_multicast_due(&r, ms)) {
			assert_true(n < 4);
			assert_int_equal(ms - t0, at[n]);
			n++;
		}
	assert_int_equal(n, 4);
	login("alice", "10.0.0.100", SESS_UP);
	t0 += 30000;
	assert_true(routes_update(&r, &conf, &t, t0));
	for (n = 0, ms = t0; ms < t0 + 20000; ms++)
		if (routes_multicast_due(&r, ms))
			assert_int_equal(ms - t0, at[n++]);
	assert_int_equal(n, 4);
	/* No change, no announcement. */
	assert_false(routes_update(&r, &conf, &t, t0 + 20000));
	assert_false(routes_multicast_due(&r, t0 + 40000));
}

static void
test_multicast_format(void **state)
{
	static const char want[] = "\x2b\x01"
				   "192.168.10.0/24>10.0.0.1\n"
				   "192.168.20.0/24>10.0.0.100\n"
				   "192.168.30.0/24>UNKNOW_IP\n";
	char buf[256];
	size_t len;

	(void)state;
	login("alice", "10.0.0.100", SESS_UP);
	routes_init(&r, &conf, &t);
	len = routes_multicast_format(routes_current(&r), buf, sizeof(buf));
	assert_int_equal(len, sizeof(want) - 1);
	assert_memory_equal(buf, want, len);
	/* Whole lines only: what does not fit is left out. */
	len = routes_multicast_format(routes_current(&r), buf, 2 + 26 + 10);
	assert_int_equal(len, 2 + 25);
	assert_memory_equal(buf, want, len);
	assert_int_equal(routes_multicast_format(routes_current(&r), buf, 1),
	    0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first_set, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_login_logout, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_ip6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_at_most_the_message, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_default_as_halves, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_default_at_the_limit,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_multicast_schedule, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_multicast_format, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
