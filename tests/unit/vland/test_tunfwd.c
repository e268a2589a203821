/*
 * Tun mode's forwarding decisions (daemons/vland/tunfwd.c), asked with
 * a session table and a route set of the test's own: which session a
 * packet goes to, what goes to the hub's tun for the kernel, and what
 * is dropped and why (malformed, spoofed source, an address of the VPN
 * nobody has), for packets from endpoints and from the hub's tun, IPv4
 * and IPv6 (an endpoint's IPv6 address embeds its IPv4 one).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "session.h"
#include "tunfwd.h"

static struct session_table t;
static struct pmsg_routes routes;
static struct tunfwd f;
static struct session *alice, *bob, *carol;
static uint8_t pkt[128];
static size_t pktlen;

static struct session *
endpoint(const char *user, const char *ip, enum sess_state st)
{
	static const struct peer_addr peer;
	struct session *s = session_new(&t, &peer);

	snprintf(s->user, sizeof(s->user), "%s", user);
	assert_int_equal(addr_parse(ip, &s->addr), 0);
	s->state = st;
	session_addr_set(&t, s);
	return s;
}

static void
route(const char *cidr, const char *nexthop)
{
	struct pmsg_route *r = &routes.r[routes.count++];

	assert_int_equal(prefix_parse(cidr, &r->dst), 0);
	memset(&r->nexthop, 0, sizeof(r->nexthop));
	if (nexthop != NULL)
		assert_int_equal(addr_parse(nexthop, &r->nexthop), 0);
}

/* An IPv4 or IPv6 packet (UDP, 8 bytes of it) from src to dst. */
static void
packet(const char *src, const char *dst)
{
	struct addr s, d;

	assert_int_equal(addr_parse(src, &s), 0);
	assert_int_equal(addr_parse(dst, &d), 0);
	memset(pkt, 0, sizeof(pkt));
	if (s.af == AF_INET) {
		pktlen = 28;
		pkt[0] = 0x45;
		pkt[3] = (uint8_t)pktlen;
		pkt[8] = 64;
		pkt[9] = 17;
		memcpy(pkt + 12, &s.v4, 4);
		memcpy(pkt + 16, &d.v4, 4);
	} else {
		pktlen = 48;
		pkt[0] = 0x60;
		pkt[5] = 8;
		pkt[6] = 17;
		pkt[7] = 64;
		memcpy(pkt + 8, &s.v6, 16);
		memcpy(pkt + 24, &d.v6, 16);
	}
}

static enum tunfwd_verdict
decide(const struct session *from, struct session **to, enum drop_reason *why)
{
	*to = NULL;
	*why = DROP_NREASONS;
	return tunfwd_decide(&f, from, pkt, pktlen, to, why);
}

/* Where a packet from `from' (NULL: the hub's tun) goes. */
static void
assert_to_session(const struct session *from, const struct session *want)
{
	struct session *to;
	enum drop_reason why;

	assert_int_equal(decide(from, &to, &why), TUNFWD_SESSION);
	assert_ptr_equal(to, want);
}

static void
assert_to_hub(const struct session *from)
{
	struct session *to;
	enum drop_reason why;

	assert_int_equal(decide(from, &to, &why), TUNFWD_HUB);
}

static void
assert_dropped(const struct session *from, enum drop_reason want)
{
	struct session *to;
	enum drop_reason why;

	assert_int_equal(decide(from, &to, &why), TUNFWD_DROP);
	assert_int_equal(why, want);
}

static int
setup(void **state)
{
	struct prefix ip, ip6;

	(void)state;
	session_table_init(&t, NULL);
	memset(&routes, 0, sizeof(routes));
	assert_int_equal(prefix_parse("10.0.0.1/24", &ip), 0);
	assert_int_equal(prefix_parse("fd00::1/64", &ip6), 0);
	tunfwd_init(&f, &t, &routes, &ip, &ip6);
	alice = endpoint("alice", "10.0.0.100", SESS_UP);
	bob = endpoint("bob", "10.0.0.101", SESS_UP);
	/* Logged in, but its address not in use yet. */
	carol = endpoint("carol", "10.0.0.102", SESS_WAIT_TAP);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	session_table_clear(&t);
	return 0;
}

static void
test_endpoint_to_endpoint(void **state)
{
	(void)state;
	packet("10.0.0.100", "10.0.0.101");
	assert_to_session(alice, bob);
	packet("10.0.0.101", "10.0.0.100");
	assert_to_session(bob, alice);
	/* To itself: back through the tunnel, not the kernel. */
	packet("10.0.0.100", "10.0.0.100");
	assert_to_session(alice, alice);
	/* carol is not up: her address is nobody's yet. */
	packet("10.0.0.100", "10.0.0.102");
	assert_dropped(alice, DROP_NOROUTE);
	/* Gone: likewise. */
	session_free(&t, bob);
	packet("10.0.0.100", "10.0.0.101");
	assert_dropped(alice, DROP_NOROUTE);
}

static void
test_to_the_hub(void **state)
{
	(void)state;
	/* The hub's own address and anything outside the VPN: the
	 * kernel's routes and firewall decide. */
	packet("10.0.0.100", "10.0.0.1");
	assert_to_hub(alice);
	packet("10.0.0.100", "198.51.100.7");
	assert_to_hub(alice);
	packet("fd00::a00:64", "fd00::1");
	assert_to_hub(alice);
	packet("fd00::a00:64", "2001:db8::1");
	assert_to_hub(alice);
	/* The VPN's network and broadcast addresses are nobody's. */
	packet("10.0.0.100", "10.0.0.0");
	assert_dropped(alice, DROP_NOROUTE);
	packet("10.0.0.100", "10.0.0.255");
	assert_dropped(alice, DROP_NOROUTE);
}

static void
test_sources(void **state)
{
	struct session *to;
	enum drop_reason why;

	(void)state;
	/* Another endpoint's address, or one of the VPN nobody has. */
	packet("10.0.0.101", "10.0.0.1");
	assert_dropped(alice, DROP_SPOOF);
	packet("10.0.0.77", "10.0.0.101");
	assert_dropped(alice, DROP_SPOOF);
	packet("192.0.2.1", "198.51.100.7");
	assert_dropped(alice, DROP_SPOOF);
	/* IPv6: its own (embedded) address only. */
	packet("fd00::a00:65", "fd00::1");
	assert_dropped(alice, DROP_SPOOF);
	packet("fd00::1:a00:64", "fd00::1");
	assert_dropped(alice, DROP_SPOOF);
	/* Link-local and unspecified: its kernel's own chatter, not a
	 * spoof; dropped and not counted. */
	packet("fe80::1", "ff02::2");
	assert_int_equal(decide(alice, &to, &why), TUNFWD_IGNORE);
	packet("::", "ff02::16");
	assert_int_equal(decide(alice, &to, &why), TUNFWD_IGNORE);
	/* A prefix routed to alice: she may send from it, bob may not. */
	route("192.168.20.0/24", "10.0.0.100");
	packet("192.168.20.9", "10.0.0.101");
	assert_to_session(alice, bob);
	packet("192.168.20.9", "10.0.0.100");
	assert_dropped(bob, DROP_SPOOF);
}

static void
test_ipv6(void **state)
{
	(void)state;
	packet("fd00::a00:64", "fd00::a00:65");
	assert_to_session(alice, bob);
	/* Not an endpoint's shape (more than the IPv4 address set). */
	packet("fd00::a00:64", "fd00::1:a00:65");
	assert_dropped(alice, DROP_NOROUTE);
	packet("fd00::a00:64", "fd00::a00:70");
	assert_dropped(alice, DROP_NOROUTE);
}

static void
test_routes(void **state)
{
	(void)state;
	route("192.168.0.0/16", "10.0.0.101");	  /* bob */
	route("192.168.40.0/24", "10.0.0.1");	  /* SERVER: the hub */
	route("192.168.41.128/25", "10.0.0.100"); /* alice */
	route("172.16.0.0/12", NULL);		  /* withdrawn */
	route("172.20.0.0/16", "10.0.0.102");	  /* carol, not up */
	route("fd00:99::/64", "10.0.0.101");	  /* bob, IPv6 */
	packet("10.0.0.100", "192.168.7.1");
	assert_to_session(alice, bob);
	/* The longest prefix wins, whichever comes first. */
	packet("10.0.0.100", "192.168.40.1");
	assert_to_hub(alice);
	packet("10.0.0.101", "192.168.41.200");
	assert_to_session(bob, alice);
	packet("10.0.0.101", "192.168.41.1");
	assert_to_session(bob, bob);
	/* Withdrawn, or its nexthop not up: to the kernel. */
	packet("10.0.0.100", "172.16.1.1");
	assert_to_hub(alice);
	packet("10.0.0.100", "172.20.1.1");
	assert_to_hub(alice);
	packet("fd00::a00:64", "fd00:99::5");
	assert_to_session(alice, bob);
}

/* IPv6 routes as the hub makes them: the nexthop is the user's IPv6
 * address inside the tunnel (its IPv4 address in the last 32 bits), or
 * the hub's ip6 for SERVER. */
static void
test_routes6(void **state)
{
	(void)state;
	route("fd00:5::/64", "fd00::a00:64");	/* alice */
	route("fd00:6::/48", "fd00::a00:65");	/* bob */
	route("fd00:6:0:7::/64", "fd00::1");	/* SERVER: the hub */
	route("fd00:8::/64", NULL);		/* withdrawn */
	route("fd00:9::/64", "fd00::a00:66");	/* carol, not up */
	route("fd00:a::/64", "fd00::1:a00:65"); /* no endpoint's shape */
	packet("fd00::a00:65", "fd00:5::11");
	assert_to_session(bob, alice);
	packet("fd00::a00:64", "fd00:6:0:1::1");
	assert_to_session(alice, bob);
	/* The longest prefix wins: the hub's part of bob's /48. */
	packet("fd00::a00:64", "fd00:6:0:7::1");
	assert_to_hub(alice);
	/* Withdrawn, its user not up, or no endpoint: to the kernel. */
	packet("fd00::a00:64", "fd00:8::1");
	assert_to_hub(alice);
	packet("fd00::a00:64", "fd00:9::1");
	assert_to_hub(alice);
	packet("fd00::a00:64", "fd00:a::1");
	assert_to_hub(alice);
	/* From the hub's tun: to the session the route names. */
	packet("2001:db8::1", "fd00:5::11");
	assert_to_session(NULL, alice);
	/* Sources: alice answers from her site's prefix, bob may not
	 * send from it, and alice not from bob's. */
	packet("fd00:5::11", "fd00::a00:65");
	assert_to_session(alice, bob);
	packet("fd00:5::11", "fd00::a00:64");
	assert_dropped(bob, DROP_SPOOF);
	packet("fd00:6::1", "fd00::a00:65");
	assert_dropped(alice, DROP_SPOOF);
	/* The hub's prefix is nobody's session: no one sends from it. */
	packet("fd00:6:0:7::1", "fd00::1");
	assert_to_hub(bob);
	packet("fd00:6:0:8::1", "fd00::1");
	assert_to_hub(bob);
}

static void
test_from_kernel(void **state)
{
	(void)state;
	route("192.168.0.0/16", "10.0.0.101");
	route("192.168.40.0/24", "10.0.0.1");
	/* Any source; only the destination counts. */
	packet("198.51.100.7", "10.0.0.100");
	assert_to_session(NULL, alice);
	packet("198.51.100.7", "192.168.3.3");
	assert_to_session(NULL, bob);
	packet("2001:db8::1", "fd00::a00:65");
	assert_to_session(NULL, bob);
	/* Nobody's: never back into the tun. */
	packet("198.51.100.7", "10.0.0.55");
	assert_dropped(NULL, DROP_NOROUTE);
	packet("198.51.100.7", "192.168.40.1");
	assert_dropped(NULL, DROP_NOROUTE);
	packet("198.51.100.7", "203.0.113.1");
	assert_dropped(NULL, DROP_NOROUTE);
}

static void
test_malformed(void **state)
{
	(void)state;
	packet("10.0.0.100", "10.0.0.101");
	pktlen = 0;
	assert_dropped(alice, DROP_MALFORMED);
	assert_dropped(NULL, DROP_MALFORMED);
	/* Shorter than its total length, or than a header. */
	packet("10.0.0.100", "10.0.0.101");
	pktlen = 27;
	assert_dropped(alice, DROP_MALFORMED);
	pktlen = 19;
	assert_dropped(alice, DROP_MALFORMED);
	/* A header length below 20 bytes. */
	packet("10.0.0.100", "10.0.0.101");
	pkt[0] = 0x44;
	assert_dropped(alice, DROP_MALFORMED);
	/* Neither version 4 nor 6. */
	pkt[0] = 0x55;
	assert_dropped(NULL, DROP_MALFORMED);
	/* IPv6: the payload length past the end. */
	packet("fd00::a00:64", "fd00::a00:65");
	pkt[5] = 9;
	assert_dropped(alice, DROP_MALFORMED);
	pktlen = 39;
	assert_dropped(alice, DROP_MALFORMED);
	/* Longer than it says (padding) is fine. */
	packet("10.0.0.100", "10.0.0.101");
	pktlen = 40;
	assert_to_session(alice, bob);
}

/*
 * isolate: alice and carol are in a group allowed to reach itself, bob
 * in none. Endpoint to endpoint only within the group, either way, also
 * to a site routed to a member; the hub and its tun stay reachable.
 */
static void
test_isolate(void **state)
{
	(void)state;
	alice->groups = carol->groups = 1;
	alice->reach = carol->reach = 1;
	bob->groups = bob->reach = 0;
	session_set_state(&t, carol, SESS_UP);
	route("192.168.20.0/24", "10.0.0.100"); /* alice's site */
	packet("10.0.0.100", "10.0.0.102");
	assert_to_session(alice, carol);
	packet("10.0.0.102", "10.0.0.100");
	assert_to_session(carol, alice);
	packet("10.0.0.102", "192.168.20.7");
	assert_to_session(carol, alice);
	packet("10.0.0.100", "10.0.0.101");
	assert_dropped(alice, DROP_ISOLATED);
	packet("10.0.0.101", "10.0.0.100");
	assert_dropped(bob, DROP_ISOLATED);
	packet("10.0.0.101", "192.168.20.7");
	assert_dropped(bob, DROP_ISOLATED);
	packet("fd00::a00:65", "fd00::a00:64");
	assert_dropped(bob, DROP_ISOLATED);
	/* the hub, and beyond it, as before */
	packet("10.0.0.101", "10.0.0.1");
	assert_to_hub(bob);
	packet("10.0.0.101", "172.16.0.1");
	assert_to_hub(bob);
	/* from the hub's tun: no sender to isolate */
	packet("172.16.0.1", "10.0.0.101");
	assert_to_session(NULL, bob);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_endpoint_to_endpoint,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_to_the_hub, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sources, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_routes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_isolate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_routes6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_from_kernel, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
