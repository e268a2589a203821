/*
 * Route checks of vland-ifmgr (routecheck.h) against made-up host
 * tables: what a hub may install, what an endpoint takes from its hub,
 * and when a set of prefixes covers the default route, for IPv4 and
 * IPv6 routes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "routecheck.h"

#define PROTO_VLAND 0x76

static struct prefix
P(const char *s) {
	struct prefix p;

	assert_int_equal(prefix_parse(s, &p), 0);
	return p;
}

static struct addr
A(const char *s) {
	struct addr a;

	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

static struct if_route
R(const char *cidr, const char *nh) {
	struct if_route r;

	memset(&r, 0, sizeof(r));
	r.cidr = P(cidr);
	if (nh != NULL)
		r.nexthop = A(nh);
	return r;
}

/* The host: a default route, a LAN, a static route, and our vl0 (5). */
static struct host_route host_r[4];
static struct host_routes host = { host_r, 4 };
static const int own[] = { 5 };
static struct ifmgr_policy pol;

static void
host_init(void)
{
	memset(host_r, 0, sizeof(host_r));
	host_r[0].dst = P("0.0.0.0/0");
	host_r[0].gw = A("10.99.1.1");
	host_r[0].oif = 2;
	host_r[0].protocol = 3;
	host_r[1].dst = P("10.68.0.0/24");
	host_r[1].oif = 3;
	host_r[1].protocol = 2;
	host_r[2].dst = P("10.7.0.0/24");
	host_r[2].gw = A("10.5.0.1");
	host_r[2].oif = 4;
	host_r[2].protocol = 4;
	host_r[3].dst = P("192.168.123.0/24"); /* vl0's connected route */
	host_r[3].oif = 5;
	host_r[3].protocol = 2;
}

static struct routecheck_ctx
ctx(enum cfg_role role)
{
	struct routecheck_ctx c;

	host_init();
	memset(&pol, 0, sizeof(pol));
	pol.role = role;
	pol.ip = P("192.168.123.254/24");
	pol.nallowed = 3;
	pol.allowed[0] = P("10.55.0.0/24");
	pol.allowed[1] = P("10.7.0.0/24");
	pol.allowed[2] = P("172.17.0.0/16");
	memset(&c, 0, sizeof(c));
	c.pol = &pol;
	c.vpn = P("192.168.123.0/24");
	c.underlay = role == CFG_ENDPOINT ? A("10.200.0.1") : c.underlay;
	c.host = &host;
	c.own_oif = own;
	c.nown = 1;
	c.own_protocol = PROTO_VLAND;
	return c;
}

static uint32_t
check(const struct routecheck_ctx *c, const char *cidr, const char *nh,
    char *why)
{
	struct if_route r = R(cidr, nh);

	return routecheck_route(c, &r, why, IPCMSG_ERRMSG_MAX);
}

static void
test_hub(void **state)
{
	struct routecheck_ctx c = ctx(CFG_HUB);
	char why[IPCMSG_ERRMSG_MAX];

	(void)state;
	assert_int_equal(check(&c, "10.55.0.0/24", "192.168.123.100", why), 0);
	assert_int_equal(check(&c, "0.0.0.0/0", "192.168.123.100", why),
	    RR_NOT_CONFIGURED);
	assert_int_equal(check(&c, "10.55.0.0/25", "192.168.123.100", why),
	    RR_NOT_CONFIGURED);
	assert_int_equal(check(&c, "10.55.0.0/24", "10.5.0.1", why),
	    RR_NEXTHOP);
	assert_int_equal(check(&c, "10.55.0.1/24", "192.168.123.100", why),
	    RR_FAMILY);
	/* Configured, but the host routes it with another protocol. */
	assert_int_equal(check(&c, "10.7.0.0/24", "192.168.123.100", why),
	    RR_COLLISION);
	assert_string_equal(why,
	    "the host already has 10.7.0.0/24 via 10.5.0.1 (proto static)");
	/* Of protocol 118 on another device: another vland's, not ours. */
	host_r[2].protocol = PROTO_VLAND;
	assert_int_equal(check(&c, "10.7.0.0/24", "192.168.123.100", why),
	    RR_COLLISION);
	/* On our own device (a crashed run's): ours, it may be replaced. */
	host_r[2].oif = 5;
	assert_int_equal(check(&c, "10.7.0.0/24", "192.168.123.100", why), 0);
	/* On a hub only the exact prefix collides. */
	assert_int_equal(check(&c, "172.17.0.0/16", "192.168.123.100", why), 0);
}

static void
test_endpoint(void **state)
{
	struct routecheck_ctx c = ctx(CFG_ENDPOINT);
	char why[IPCMSG_ERRMSG_MAX];

	(void)state;
	assert_int_equal(check(&c, "10.55.0.0/24", "192.168.123.100", why), 0);
	/* Anything the hub likes, not only configured prefixes... */
	assert_int_equal(check(&c, "172.31.0.0/16", "192.168.123.100", why), 0);
	/* ...but never these. */
	assert_int_equal(check(&c, "0.0.0.0/0", "192.168.123.100", why),
	    RR_DEFAULT);
	assert_int_equal(check(&c, "192.168.123.128/25", "192.168.123.100",
			     why),
	    RR_VPN);
	assert_int_equal(check(&c, "10.200.0.0/16", "192.168.123.100", why),
	    RR_UNDERLAY);
	assert_string_equal(why,
	    "covers the hub's address 10.200.0.1 outside the tunnel");
	assert_int_equal(check(&c, "10.68.0.0/16", "192.168.123.100", why),
	    RR_COLLISION);
	assert_string_equal(why,
	    "overlaps the host's route 10.68.0.0/24 (proto kernel)");
	assert_int_equal(check(&c, "10.68.0.128/25", "192.168.123.100", why),
	    RR_COLLISION);
	/* Routes on our own device and the default route do not count. */
	host_r[3].dst = P("172.31.0.0/16");
	assert_int_equal(check(&c, "172.31.1.0/24", "192.168.123.100", why), 0);
}

/* Without the opt-in, a set that covers everything but the host's own
 * routes and the way to the hub is a full tunnel all the same. */
static void
test_almost_full_tunnel(void **state)
{
	struct routecheck_ctx c = ctx(CFG_ENDPOINT);
	struct prefix earlier[40];
	char why[IPCMSG_ERRMSG_MAX];
	struct prefix net;
	size_t n = 0;
	int len;

	(void)state;
	host.n = 1; /* the default route */
	host_r[0].dst = P("0.0.0.0/0");
	/* Every /len that is not an ancestor of the hub's 10.200.0.1:
	 * the halves walked down to it, 32 of them in all. */
	c.accepted = earlier;
	for (len = 1; len <= 32; len++) {
		net.a = A("10.200.0.1");
		net.len = (uint8_t)len;
		prefix_network(&net, &net);
		/* the sibling of the half that holds the hub */
		addr_v4_set(&net.a, addr_v4_host(&net.a) ^ (1u << (32 - len)));
		if (len < 32) {
			earlier[n++] = net;
			continue;
		}
		c.naccepted = n;
		char cidr[PREFIX_STRLEN];
		prefix_fmt(&net, cidr, sizeof(cidr));
		assert_int_equal(check(&c, cidr, "192.168.123.100", why),
		    RR_DEFAULT);
	}
	host.n = 4;
}

static void
test_default_cover(void **state)
{
	struct routecheck_ctx c = ctx(CFG_ENDPOINT);
	struct prefix earlier[4];
	char why[IPCMSG_ERRMSG_MAX];

	(void)state;
	c.underlay.af = 0;
	host.n = 0;
	earlier[0] = P("0.0.0.0/1");
	c.accepted = earlier;
	c.naccepted = 1;
	assert_int_equal(check(&c, "128.0.0.0/1", "192.168.123.100", why),
	    RR_DEFAULT);
	assert_int_equal(check(&c, "128.0.0.0/2", "192.168.123.100", why), 0);
	earlier[1] = P("128.0.0.0/2");
	earlier[2] = P("192.0.0.0/3");
	c.naccepted = 3;
	assert_int_equal(check(&c, "224.0.0.0/3", "192.168.123.100", why),
	    RR_DEFAULT);
	assert_int_equal(check(&c, "224.0.0.0/4", "192.168.123.100", why), 0);
	host.n = 4;
}

/* full-tunnel: yes in the endpoint's file: the halves are taken once
 * the hub's address is pinned outside the tunnel; /0 never. */
static void
test_full_tunnel(void **state)
{
	struct routecheck_ctx c = ctx(CFG_ENDPOINT);
	struct prefix earlier[1];
	char why[IPCMSG_ERRMSG_MAX];

	(void)state;
	pol.full_tunnel = true;
	host.n = 1; /* the host's default route only */
	earlier[0] = P("0.0.0.0/1");
	c.accepted = earlier;
	c.naccepted = 1;
	/* 128/1 covers the hub's address 10.200.0.1? No: 0/1 does. */
	assert_int_equal(check(&c, "128.0.0.0/1", "192.168.123.100", why), 0);
	c.naccepted = 0;
	assert_int_equal(check(&c, "0.0.0.0/1", "192.168.123.100", why),
	    RR_UNDERLAY);
	c.underlay_pinned = true;
	assert_int_equal(check(&c, "0.0.0.0/1", "192.168.123.100", why), 0);
	assert_int_equal(check(&c, "0.0.0.0/0", "192.168.123.100", why),
	    RR_DEFAULT);
	assert_string_equal(why,
	    "a default route (a full tunnel takes "
	    "0.0.0.0/1 and 128.0.0.0/1)");
	/* Over the host's LAN routes: they stay more specific; inside one
	 * of them, still refused. */
	host.n = 4;
	assert_int_equal(check(&c, "0.0.0.0/1", "192.168.123.100", why), 0);
	assert_int_equal(check(&c, "10.68.0.128/25", "192.168.123.100", why),
	    RR_COLLISION);
	pol.full_tunnel = false;
}

static void
test_covers_default(void **state)
{
	struct prefix s[5];

	(void)state;
	s[0] = P("0.0.0.0/1");
	s[1] = P("128.0.0.0/1");
	assert_true(routecheck_covers_default(AF_INET, s, 2, NULL));
	assert_false(routecheck_covers_default(AF_INET, s, 1, NULL));
	assert_true(routecheck_covers_default(AF_INET, s, 1, &s[1]));
	s[1] = P("128.0.0.0/2");
	s[2] = P("192.0.0.0/2");
	assert_true(routecheck_covers_default(AF_INET, s, 3, NULL));
	s[2] = P("192.0.0.0/3");
	s[3] = P("224.0.0.0/4");
	s[4] = P("240.0.0.0/4");
	assert_true(routecheck_covers_default(AF_INET, s, 5, NULL));
	assert_false(routecheck_covers_default(AF_INET, s, 4, NULL));
	s[0] = P("0.0.0.0/0");
	assert_true(routecheck_covers_default(AF_INET, s, 1, NULL));
	assert_false(routecheck_covers_default(AF_INET, s, 0, NULL));
}

/* IPv6 routes: checked against the ip6 subnet, with an IPv6 nexthop;
 * none without IPv6 inside the tunnel. */
static void
test_ipv6(void **state)
{
	struct routecheck_ctx c = ctx(CFG_HUB);
	struct host_route h6[2];
	struct host_routes host6 = { h6, 2 };
	struct prefix earlier[2];
	char why[IPCMSG_ERRMSG_MAX];

	(void)state;
	pol.ip6 = P("fd00:7b::1/64");
	pol.allowed[pol.nallowed++] = P("fd00:5::/64");
	c.vpn6 = P("fd00:7b::/64");
	/* The hub: a configured prefix through a user's IPv6 address. */
	assert_int_equal(check(&c, "fd00:5::/64", "fd00:7b::c0a8:7b64", why),
	    0);
	assert_int_equal(check(&c, "fd00:6::/64", "fd00:7b::c0a8:7b64", why),
	    RR_NOT_CONFIGURED);
	/* The nexthop: inside ip6, and of the route's own family. */
	assert_int_equal(check(&c, "fd00:5::/64", "fd00:7c::1", why),
	    RR_NEXTHOP);
	assert_int_equal(check(&c, "fd00:5::/64", "192.168.123.100", why),
	    RR_FAMILY);
	assert_string_equal(why, "nexthop of the other address family");
	assert_int_equal(check(&c, "10.55.0.0/24", "fd00:7b::c0a8:7b64", why),
	    RR_FAMILY);
	assert_int_equal(check(&c, "fd00:5::1/64", "fd00:7b::c0a8:7b64", why),
	    RR_FAMILY);
	/* An IPv4 route is not judged by the ip6 subnet. */
	assert_int_equal(check(&c, "10.55.0.0/24", "192.168.123.100", why), 0);
	/* No ip6: no IPv6 route at all. */
	memset(&c.vpn6, 0, sizeof(c.vpn6));
	assert_int_equal(check(&c, "fd00:5::/64", "fd00:7b::c0a8:7b64", why),
	    RR_FAMILY);
	assert_string_equal(why,
	    "an IPv6 route, but no IPv6 inside the tunnel");

	/* The endpoint: a host with an IPv6 LAN and default route. */
	c = ctx(CFG_ENDPOINT);
	c.vpn6 = P("fd00:7b::/64");
	memset(h6, 0, sizeof(h6));
	h6[0].dst = P("::/0");
	h6[0].gw = A("fd00:1::1");
	h6[0].oif = 2;
	h6[0].protocol = 3;
	h6[1].dst = P("fd00:68::/64");
	h6[1].oif = 3;
	h6[1].protocol = 2;
	c.host = &host6;
	assert_int_equal(check(&c, "fd00:5::/64", "fd00:7b::c0a8:7b64", why),
	    0);
	assert_int_equal(check(&c, "::/0", "fd00:7b::1", why), RR_DEFAULT);
	assert_int_equal(check(&c, "fd00:7b::/96", "fd00:7b::1", why), RR_VPN);
	assert_int_equal(check(&c, "fd00:68::/48", "fd00:7b::1", why),
	    RR_COLLISION);
	assert_string_equal(why,
	    "overlaps the host's route fd00:68::/64 (proto kernel)");
	/* An IPv6 underlay: a route over the hub's address is refused. */
	c.underlay = A("2001:db8::1");
	assert_int_equal(check(&c, "2001:db8::/32", "fd00:7b::1", why),
	    RR_UNDERLAY);
	/* The halves of ::/0 together are a default route too. */
	c.underlay.af = 0;
	host6.n = 0;
	earlier[0] = P("::/1");
	c.accepted = earlier;
	c.naccepted = 1;
	assert_int_equal(check(&c, "8000::/1", "fd00:7b::1", why), RR_DEFAULT);
	assert_int_equal(check(&c, "8000::/2", "fd00:7b::1", why), 0);
	/* IPv4 prefixes do not cover the IPv6 default, nor the reverse. */
	earlier[0] = P("0.0.0.0/1");
	earlier[1] = P("128.0.0.0/1");
	assert_false(routecheck_covers_default(AF_INET6, earlier, 2, NULL));
	assert_true(routecheck_covers_default(AF_INET, earlier, 2, NULL));
	/* Without IPv6 inside the tunnel the endpoint takes none. */
	memset(&c.vpn6, 0, sizeof(c.vpn6));
	c.naccepted = 0;
	assert_int_equal(check(&c, "fd00:5::/64", "fd00:7b::c0a8:7b64", why),
	    RR_FAMILY);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hub),
		cmocka_unit_test(test_endpoint),
		cmocka_unit_test(test_almost_full_tunnel),
		cmocka_unit_test(test_default_cover),
		cmocka_unit_test(test_full_tunnel),
		cmocka_unit_test(test_covers_default),
		cmocka_unit_test(test_ipv6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
