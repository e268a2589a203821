/*
 * Addresses, prefixes and host:port (common/addr.h) on the edge cases a
 * configuration meets: bad octets and prefix lengths, overlaps at odd
 * lengths, bracketed IPv6, and the endpoint's IPv4-in-IPv6 address.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "addr.h"

static void
test_parse_format(void **state)
{
	struct addr a;
	char buf[ADDR_STRLEN];

	(void)state;
	assert_int_equal(addr_parse("192.168.1.2", &a), 0);
	assert_int_equal(a.af, AF_INET);
	assert_string_equal(addr_fmt(&a, buf, sizeof(buf)), "192.168.1.2");
	assert_int_equal(addr_parse("fe80::1", &a), 0);
	assert_int_equal(a.af, AF_INET6);
	assert_string_equal(addr_fmt(&a, buf, sizeof(buf)), "fe80::1");
	assert_int_equal(addr_parse("256.1.1.1", &a), -1);
	assert_int_equal(addr_parse("1.2.3", &a), -1);
	assert_int_equal(addr_parse("", &a), -1);
	assert_int_equal(addr_parse("1.2.3.4 ", &a), -1);
}

static void
test_prefix(void **state)
{
	struct prefix p, n;
	struct addr a, b;
	char buf[PREFIX_STRLEN];

	(void)state;
	assert_int_equal(prefix_parse("192.168.123.254/24", &p), 0);
	assert_int_equal(p.len, 24);
	assert_false(prefix_is_network(&p));
	prefix_network(&p, &n);
	assert_string_equal(prefix_fmt(&n, buf, sizeof(buf)),
	    "192.168.123.0/24");
	assert_true(prefix_is_network(&n));
	prefix_broadcast(&p, &b);
	assert_string_equal(addr_fmt(&b, buf, sizeof(buf)), "192.168.123.255");
	addr_parse("192.168.123.7", &a);
	assert_true(prefix_contains(&p, &a));
	addr_parse("192.168.124.7", &a);
	assert_false(prefix_contains(&p, &a));
	addr_parse("::1", &a);
	assert_false(prefix_contains(&p, &a));

	assert_int_equal(prefix_parse("10.0.0.0/33", &p), -1);
	assert_int_equal(prefix_parse("10.0.0.0/", &p), -1);
	assert_int_equal(prefix_parse("10.0.0.0/08", &p), -1);
	assert_int_equal(prefix_parse("10.0.0.0/-1", &p), -1);
	assert_int_equal(prefix_parse("10.0.0.0", &p), -1);
	assert_int_equal(prefix_parse("2001:db8::/129", &p), -1);
	assert_int_equal(prefix_parse("2001:db8::/32", &p), 0);
	assert_true(prefix_is_network(&p));
	assert_int_equal(prefix_parse("0.0.0.0/0", &p), 0);
	addr_parse("8.8.8.8", &a);
	assert_true(prefix_contains(&p, &a));
}

static void
test_overlap(void **state)
{
	struct prefix x, y;

	(void)state;
	prefix_parse("10.0.0.0/8", &x);
	prefix_parse("10.1.0.0/16", &y);
	assert_true(prefix_overlaps(&x, &y));
	assert_true(prefix_overlaps(&y, &x));
	prefix_parse("11.1.0.0/16", &y);
	assert_false(prefix_overlaps(&x, &y));
	/* Non-byte-aligned lengths. */
	prefix_parse("10.0.0.0/9", &x);
	prefix_parse("10.128.0.0/9", &y);
	assert_false(prefix_overlaps(&x, &y));
}

static void
test_v4_arith(void **state)
{
	struct addr a;
	char buf[ADDR_STRLEN];

	(void)state;
	addr_v4_set(&a, 0xc0a87b64);
	assert_string_equal(addr_fmt(&a, buf, sizeof(buf)), "192.168.123.100");
	assert_int_equal(addr_v4_host(&a), 0xc0a87b64);
}

static void
test_hostport(void **state)
{
	char host[64];
	uint16_t port;

	(void)state;
	assert_int_equal(hostport_parse("hub.example.net:6123", host,
			     sizeof(host), &port),
	    0);
	assert_string_equal(host, "hub.example.net");
	assert_int_equal(port, 6123);
	assert_int_equal(hostport_parse("[2001:db8::1]:443", host, sizeof(host),
			     &port),
	    0);
	assert_string_equal(host, "2001:db8::1");
	assert_int_equal(port, 443);
	assert_int_equal(hostport_parse("2001:db8::1:443", host, sizeof(host),
			     &port),
	    -1);
	assert_int_equal(hostport_parse("host", host, sizeof(host), &port), -1);
	assert_int_equal(hostport_parse("host:0", host, sizeof(host), &port),
	    -1);
	assert_int_equal(hostport_parse("host:65536", host, sizeof(host),
			     &port),
	    -1);
	assert_int_equal(hostport_parse(":80", host, sizeof(host), &port), -1);
	assert_int_equal(hostport_parse("h:80x", host, sizeof(host), &port),
	    -1);
	assert_int_equal(hostport_parse("[::1:80", host, sizeof(host), &port),
	    -1);
	assert_int_equal(hostport_parse("abcdefgh:1", host, 4, &port), -1);
}

/* An endpoint's IPv6 address: the ip6 network, its IPv4 in the last 32 bits. */
static void
test_v6_embed(void **state)
{
	struct prefix p6;
	struct addr v4, v6, back;
	char buf[ADDR_STRLEN];

	(void)state;
	assert_int_equal(prefix_parse("fd00:7b::1/64", &p6), 0);
	assert_int_equal(addr_parse("192.168.123.117", &v4), 0);
	addr_v6_embed(&p6, &v4, &v6);
	assert_int_equal(v6.af, AF_INET6);
	assert_string_equal(addr_fmt(&v6, buf, sizeof(buf)),
	    "fd00:7b::c0a8:7b75");
	assert_true(addr_v6_extract(&p6, &v6, &back));
	assert_int_equal(addr_cmp(&back, &v4), 0);
	/* Host bits between the prefix and the last 32 must be zero. */
	addr_parse("fd00:7b::1:c0a8:7b75", &v6);
	assert_false(addr_v6_extract(&p6, &v6, &back));
	/* Outside the prefix, or not IPv6. */
	addr_parse("fd00:7c::c0a8:7b75", &v6);
	assert_false(addr_v6_extract(&p6, &v6, &back));
	assert_false(addr_v6_extract(&p6, &v4, &back));
	/* A /96 leaves exactly the 32 bits; a /112 cannot hold them. */
	assert_int_equal(prefix_parse("fd00:7b::aaaa:0:0/96", &p6), 0);
	addr_v6_embed(&p6, &v4, &v6);
	assert_string_equal(addr_fmt(&v6, buf, sizeof(buf)),
	    "fd00:7b::aaaa:c0a8:7b75");
	assert_true(addr_v6_extract(&p6, &v6, &back));
	assert_int_equal(prefix_parse("fd00:7b::c0a8:0/112", &p6), 0);
	addr_parse("fd00:7b::c0a8:7b75", &v6);
	assert_false(addr_v6_extract(&p6, &v6, &back));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_format),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_v4_arith),
		cmocka_unit_test(test_hostport),
		cmocka_unit_test(test_v6_embed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
