/*
 * Control messages: round trips of every opcode, then malformed input:
 * every truncation, trailing bytes, bad usernames and passwords, out of
 * range fields, oversize lists, broken option lists, and random
 * corruption (which must either fail or decode to something that
 * re-encodes to the very same bytes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "peermsg.h"
#include "prim.h"

static struct pmsg m, d;
static uint8_t buf[PMSG_MAX_LEN + 16], buf2[PMSG_MAX_LEN + 16];

static void
route(struct pmsg_route *r, const char *cidr, const char *nh)
{
	memset(r, 0, sizeof *r);
	assert_int_equal(prefix_parse(cidr, &r->dst), 0);
	if (nh != NULL)
		assert_int_equal(addr_parse(nh, &r->nexthop), 0);
}

static void
make_ok(struct pmsg *c, uint16_t nroutes)
{
	uint16_t i;

	memset(c, 0, sizeof *c);
	c->op = PMSG_AUTH_OK;
	assert_int_equal(addr_parse("192.168.123.100", &c->u.ok.addr), 0);
	c->u.ok.prefixlen = 24;
	c->u.ok.mtu = 1406;
	c->u.ok.keepalive = 10;
	memset(c->u.ok.token, 0x5a, PMSG_TOKEN_LEN);
	c->u.ok.routes.version = 42;
	c->u.ok.routes.count = nroutes;
	for (i = 0; i < nroutes; i++) {
		struct pmsg_route *r = &c->u.ok.routes.r[i];

		memset(r, 0, sizeof *r);
		r->dst.a.af = AF_INET;
		r->dst.a.b[0] = 10;
		r->dst.a.b[1] = (uint8_t)(i >> 8);
		r->dst.a.b[2] = (uint8_t)i;
		r->dst.len = 24;
		if (i % 3 != 0)
			assert_int_equal(addr_parse("192.168.123.7",
					     &r->nexthop),
			    0);
	}
}

/* Encode, check the length, decode, and compare field by field. */
static size_t
roundtrip(const struct pmsg *c)
{
	size_t n = 0, n2 = 0;

	assert_int_equal(pmsg_encode(c, buf, sizeof buf, &n), WIRE_OK);
	assert_int_equal(pmsg_decode(buf, n, &d), WIRE_OK);
	assert_int_equal(d.op, c->op);
	/* Canonical: decoding and encoding again gives the same bytes. */
	assert_int_equal(pmsg_encode(&d, buf2, sizeof buf2, &n2), WIRE_OK);
	assert_int_equal(n2, n);
	assert_memory_equal(buf, buf2, n);
	return n;
}

static void
same_routes(const struct pmsg_routes *a, const struct pmsg_routes *b)
{
	uint16_t i;

	assert_int_equal(a->version, b->version);
	assert_int_equal(a->count, b->count);
	for (i = 0; i < a->count; i++) {
		assert_int_equal(a->r[i].dst.a.af, b->r[i].dst.a.af);
		assert_int_equal(a->r[i].dst.len, b->r[i].dst.len);
		assert_int_equal(addr_cmp(&a->r[i].dst.a, &b->r[i].dst.a), 0);
		assert_int_equal(a->r[i].nexthop.af, b->r[i].nexthop.af);
		assert_int_equal(addr_cmp(&a->r[i].nexthop, &b->r[i].nexthop),
		    0);
	}
}

/* Every shorter prefix fails as short; one more byte fails as long. */
static void
truncations_and_trailing(size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		assert_int_equal(pmsg_decode(buf, i, &d), WIRE_ESHORT);
	buf[n] = 0;
	assert_int_equal(pmsg_decode(buf, n + 1, &d), WIRE_ELONG);
	buf[n] = 0xff;
	assert_int_equal(pmsg_decode(buf, n + 1, &d), WIRE_ELONG);
	/* And the encoder never writes past a small buffer. */
	for (i = 0; i < n; i++) {
		size_t got = 0;

		assert_int_equal(pmsg_encode(&m, buf2, i, &got), WIRE_ESPACE);
	}
}

static void
test_auth(void **state)
{
	char user[USERNAME_MAX + 1], pw[PMSG_PASSWORD_MAX + 1];
	size_t n;

	(void)state;
	assert_int_equal(pmsg_auth_set(&m, "alice", "correct horse"), WIRE_OK);
	n = roundtrip(&m);
	assert_int_equal(n, PMSG_AUTH_LEN);
	assert_int_equal(n, 292);
	assert_string_equal(d.u.auth.user, "alice");
	assert_string_equal(d.u.auth.password, "correct horse");
	assert_int_equal(d.u.auth.pwlen, 13);
	truncations_and_trailing(n);

	/* Longest of both: still 292 bytes, no padding left. */
	memset(user, 'u', USERNAME_MAX);
	user[USERNAME_MAX] = '\0';
	memset(pw, 'p', PMSG_PASSWORD_MAX);
	pw[PMSG_PASSWORD_MAX] = '\0';
	assert_int_equal(pmsg_auth_set(&m, user, pw), WIRE_OK);
	assert_int_equal(roundtrip(&m), PMSG_AUTH_LEN);
	assert_string_equal(d.u.auth.user, user);
	assert_int_equal(d.u.auth.pwlen, PMSG_PASSWORD_MAX);
	truncations_and_trailing(PMSG_AUTH_LEN);

	/* Secrets are wiped on request. */
	pmsg_clear(&d);
	assert_true(prim_is_zero(&d, sizeof d));
}

static void
test_auth_bad(void **state)
{
	static const char *bad_users[] = { "", "bad user", ".dot", "-dash",
		"_under", "a/b", "a:b", "SERVER", "caf\xc3\xa9",
		"123456789012345678901234567890123" };
	char pw[PMSG_PASSWORD_MAX + 2];
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < sizeof bad_users / sizeof bad_users[0]; i++)
		assert_int_equal(pmsg_auth_set(&m, bad_users[i], "pw"),
		    WIRE_EUSERNAME);
	assert_int_equal(pmsg_auth_set(&m, "bob", ""), WIRE_EVALUE);
	memset(pw, 'p', sizeof pw - 1);
	pw[sizeof pw - 1] = '\0';
	assert_int_equal(pmsg_auth_set(&m, "bob", pw), WIRE_EVALUE);
	/* The encoder checks a hand-filled struct too. */
	memset(&m, 0, sizeof m);
	m.op = PMSG_AUTH;
	strcpy(m.u.auth.user, "bo b");
	strcpy(m.u.auth.password, "x");
	m.u.auth.pwlen = 1;
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_EUSERNAME);
	strcpy(m.u.auth.user, "bob");
	m.u.auth.pwlen = 3; /* counts past the NUL */
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_EVALUE);

	/* Decoder, on hand-made bytes. */
	assert_int_equal(pmsg_auth_set(&m, "bob", "pw"), WIRE_OK);
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_OK);
	/* layout: op, ulen=3, "bob", pwlen(2)=2, "pw", zeros */
	buf[3] = ' ';
	assert_int_equal(pmsg_decode(buf, n, &d), WIRE_EUSERNAME);
	buf[3] = 'o';
	buf[1] = 0;
	assert_int_equal(pmsg_decode(buf, n, &d), WIRE_EUSERNAME);
	buf[1] = 33;
	assert_int_equal(pmsg_decode(buf, n, &d), WIRE_EUSERNAME);
	buf[1] = 3;
	assert_int_equal(pmsg_decode(buf, n, &d), WIRE_OK);
	buf[7] = 'x'; /* pw "p\0" -> NUL inside the password */
	buf[8] = '\0';
	assert_int_equal(pmsg_decode(buf, n, &d), WIRE_EVALUE);
	buf[7] = 'p';
	buf[8] = 'w';
	wire_put_u16(buf + 5, 0);
	assert_int_equal(pmsg_decode(buf, n, &d), WIRE_EVALUE);
	wire_put_u16(buf + 5, PMSG_PASSWORD_MAX + 1);
	assert_int_equal(pmsg_decode(buf, n, &d), WIRE_EVALUE);
	/* pwlen 256 still fits, but takes in padding: NUL inside. */
	wire_put_u16(buf + 5, PMSG_PASSWORD_MAX);
	assert_int_equal(pmsg_decode(buf, n, &d), WIRE_EVALUE);
	wire_put_u16(buf + 5, 2);
	assert_int_equal(pmsg_decode(buf, n, &d), WIRE_OK);
	/* Any nonzero padding byte. */
	for (i = 9; i < n; i++) {
		buf[i] = 1;
		assert_int_equal(pmsg_decode(buf, n, &d), WIRE_ERESERVED);
		buf[i] = 0;
	}
	/* A failed decode leaves nothing of the password behind. */
	buf[n - 1] = 1;
	assert_int_equal(pmsg_decode(buf, n, &d), WIRE_ERESERVED);
	assert_true(prim_is_zero(&d, sizeof d));
}

static void
test_resume_fail_bye(void **state)
{
	size_t n;
	int r;

	(void)state;
	memset(&m, 0, sizeof m);
	m.op = PMSG_AUTH_RESUME;
	memset(m.u.token, 0xc3, PMSG_TOKEN_LEN);
	n = roundtrip(&m);
	assert_int_equal(n, 33);
	assert_memory_equal(d.u.token, m.u.token, PMSG_TOKEN_LEN);
	truncations_and_trailing(n);

	for (r = 1; r <= 6; r++) {
		memset(&m, 0, sizeof m);
		m.op = PMSG_AUTH_FAIL;
		m.u.fail.reason = (uint8_t)r;
		n = roundtrip(&m);
		assert_int_equal(n, 2);
		assert_int_equal(d.u.fail.reason, r);
		assert_string_not_equal(pmsg_fail_str((uint8_t)r),
		    "unknown reason");
		truncations_and_trailing(n);
	}
	/* "Try later" carries its wait, 1..PMSG_WAIT_MAX seconds. */
	memset(&m, 0, sizeof m);
	m.op = PMSG_AUTH_FAIL;
	m.u.fail.reason = PMSG_FAIL_TRY_LATER;
	m.u.fail.wait = 75;
	n = roundtrip(&m);
	assert_int_equal(n, 4);
	assert_memory_equal(buf, "\x04\x07\x4b\x00", 4);
	assert_int_equal(d.u.fail.wait, 75);
	assert_string_equal(pmsg_fail_str(PMSG_FAIL_TRY_LATER), "try later");
	truncations_and_trailing(n);
	m.u.fail.wait = 0;
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_EVALUE);
	m.u.fail.wait = PMSG_WAIT_MAX + 1;
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_EVALUE);
	assert_int_equal(pmsg_decode((const uint8_t *)"\x04\x07\x00\x00", 4,
			     &d),
	    WIRE_EVALUE);
	assert_int_equal(pmsg_decode((const uint8_t *)"\x04\x07\x11\x0e", 4,
			     &d),
	    WIRE_EVALUE);
	/* Other reasons carry nothing: a wait after them is too long. */
	assert_int_equal(pmsg_decode((const uint8_t *)"\x04\x01\x01\x00", 4,
			     &d),
	    WIRE_ELONG);
	m.u.fail.wait = 0;

	/* A newer hub's reason decodes; zero never does. */
	m.u.fail.reason = 200;
	roundtrip(&m);
	assert_string_equal(pmsg_fail_str(200), "unknown reason");
	m.u.fail.reason = 0;
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_EVALUE);
	assert_int_equal(pmsg_decode((const uint8_t *)"\x04\x00", 2, &d),
	    WIRE_EVALUE);

	memset(&m, 0, sizeof m);
	m.op = PMSG_BYE;
	assert_int_equal(roundtrip(&m), 1);
	truncations_and_trailing(1);

	/* Unknown opcodes, both ways. */
	for (r = 0; r < 256; r++) {
		if (r >= PMSG_AUTH && r <= PMSG_PEER_GONE)
			continue;
		buf[0] = (uint8_t)r;
		assert_int_equal(pmsg_decode(buf, 1, &d), WIRE_ETYPE);
		m.op = (uint8_t)r;
		assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n),
		    WIRE_ETYPE);
	}
	assert_int_equal(pmsg_decode(buf, 0, &d), WIRE_ESHORT);
}

static void
test_auth_ok(void **state)
{
	struct pmsg_opt o;
	size_t n, off = 0;

	(void)state;
	make_ok(&m, 0);
	route(&m.u.ok.routes.r[0], "172.17.15.0/24", "192.168.123.254");
	route(&m.u.ok.routes.r[1], "192.168.0.0/24", NULL);
	route(&m.u.ok.routes.r[2], "2001:db8:1::/48", "2001:db8::1");
	route(&m.u.ok.routes.r[3], "0.0.0.0/0", "192.168.123.254");
	route(&m.u.ok.routes.r[4], "10.9.8.7/32", NULL);
	m.u.ok.routes.count = 5;
	/* Options of kinds this version does not know are carried. */
	assert_int_equal(pmsg_opt_add(&m.u.ok, 0xe0, "\x01\x02\x03", 3),
	    WIRE_OK);
	assert_int_equal(pmsg_opt_add(&m.u.ok, 0xe1, NULL, 0), WIRE_OK);
	n = roundtrip(&m);
	assert_int_equal(n,
	    1 + 4 + 1 + 2 + 2 + 32 + 4 + 2 + (2 + 4 + 1 + 4) * 2 +
		(2 + 4 + 1) * 2 + (2 + 16 + 1 + 16) + 2 + 5 + 2);
	assert_int_equal(d.u.ok.addr.af, AF_INET);
	assert_int_equal(addr_cmp(&d.u.ok.addr, &m.u.ok.addr), 0);
	assert_int_equal(d.u.ok.prefixlen, 24);
	assert_int_equal(d.u.ok.mtu, 1406);
	assert_int_equal(d.u.ok.keepalive, 10);
	assert_memory_equal(d.u.ok.token, m.u.ok.token, PMSG_TOKEN_LEN);
	same_routes(&d.u.ok.routes, &m.u.ok.routes);
	assert_int_equal(d.u.ok.routes.r[1].nexthop.af, 0);
	assert_int_equal(pmsg_opt_next(&d.u.ok, &off, &o), 1);
	assert_int_equal(o.type, 0xe0);
	assert_int_equal(o.len, 3);
	assert_memory_equal(o.val, "\x01\x02\x03", 3);
	assert_int_equal(pmsg_opt_next(&d.u.ok, &off, &o), 1);
	assert_int_equal(o.type, 0xe1);
	assert_int_equal(o.len, 0);
	assert_int_equal(pmsg_opt_next(&d.u.ok, &off, &o), 0);
	truncations_and_trailing(n);

	/* The most routes allowed. */
	make_ok(&m, PMSG_ROUTES_MAX);
	n = roundtrip(&m);
	same_routes(&d.u.ok.routes, &m.u.ok.routes);
	truncations_and_trailing(n);
}

/* The largest messages vland's hub sends (PROTOCOL.md): 256 IPv6 routes
 * through IPv6 nexthops, with the options a hub with ip6 adds. */
static void
test_hub_largest(void **state)
{
	struct prefix p6;
	struct addr h4, h6;
	size_t n = 0;
	uint16_t i;

	(void)state;
	make_ok(&m, PMSG_ROUTES_MAX);
	for (i = 0; i < PMSG_ROUTES_MAX; i++) {
		struct pmsg_route *r = &m.u.ok.routes.r[i];

		route(r, "fd00:5::/64", "fd00:7b::c0a8:7b07");
		r->dst.a.b[4] = (uint8_t)(i >> 8);
		r->dst.a.b[5] = (uint8_t)i;
	}
	assert_int_equal(prefix_parse("fd00:7b::c0a8:7b64/64", &p6), 0);
	assert_int_equal(addr_parse("192.168.123.254", &h4), 0);
	assert_int_equal(addr_parse("fd00:7b::1", &h6), 0);
	assert_int_equal(pmsg_ok_set_ipv6(&m.u.ok, &p6), WIRE_OK);
	assert_int_equal(pmsg_ok_set_hub(&m.u.ok, &h4, &h6), WIRE_OK);
	assert_int_equal(roundtrip(&m), 9053);
	m.op = PMSG_ROUTES;
	m.u.routes = d.u.ok.routes;
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_OK);
	assert_int_equal(n, 8967);
}

/* The IPv6 option: round trip, absent, and each way it is malformed. */
static void
test_auth_ok_ipv6(void **state)
{
	struct prefix p, got;
	uint8_t v[PMSG_OPT_IPV6_LEN];

	(void)state;
	make_ok(&m, 0);
	assert_int_equal(pmsg_ok_ipv6(&m.u.ok, &got), 0);
	assert_int_equal(prefix_parse("fd00:7b::c0a8:7b75/64", &p), 0);
	assert_int_equal(pmsg_ok_set_ipv6(&m.u.ok, &p), WIRE_OK);
	roundtrip(&m);
	assert_int_equal(pmsg_ok_ipv6(&d.u.ok, &got), 1);
	assert_int_equal(addr_cmp(&got.a, &p.a), 0);
	assert_int_equal(got.len, 64);

	/* The encoder refuses what the decoder would. */
	make_ok(&m, 0);
	assert_int_equal(prefix_parse("fd00:7b::1/112", &p), 0);
	assert_int_equal(pmsg_ok_set_ipv6(&m.u.ok, &p), WIRE_EVALUE);
	assert_int_equal(prefix_parse("fe80::1/64", &p), 0);
	assert_int_equal(pmsg_ok_set_ipv6(&m.u.ok, &p), WIRE_EVALUE);
	assert_int_equal(prefix_parse("192.168.1.1/24", &p), 0);
	assert_int_equal(pmsg_ok_set_ipv6(&m.u.ok, &p), WIRE_EVALUE);
	assert_int_equal(m.u.ok.optslen, 0);

	/* Wrong length, a bad prefix length, ::, multicast, twice. */
	memset(v, 0, sizeof(v));
	v[0] = 0xfd;
	v[15] = 1;
	v[16] = 64;
	make_ok(&m, 0);
	assert_int_equal(pmsg_opt_add(&m.u.ok, PMSG_OPT_IPV6, v, 16), WIRE_OK);
	assert_int_equal(pmsg_ok_ipv6(&m.u.ok, &got), -1);
	make_ok(&m, 0);
	v[16] = 97;
	assert_int_equal(pmsg_opt_add(&m.u.ok, PMSG_OPT_IPV6, v, 17), WIRE_OK);
	assert_int_equal(pmsg_ok_ipv6(&m.u.ok, &got), -1);
	make_ok(&m, 0);
	v[16] = 64;
	v[0] = 0xff;
	assert_int_equal(pmsg_opt_add(&m.u.ok, PMSG_OPT_IPV6, v, 17), WIRE_OK);
	assert_int_equal(pmsg_ok_ipv6(&m.u.ok, &got), -1);
	make_ok(&m, 0);
	memset(v, 0, 16);
	assert_int_equal(pmsg_opt_add(&m.u.ok, PMSG_OPT_IPV6, v, 17), WIRE_OK);
	assert_int_equal(pmsg_ok_ipv6(&m.u.ok, &got), -1);
	make_ok(&m, 0);
	assert_int_equal(prefix_parse("fd00:7b::c0a8:7b75/64", &p), 0);
	assert_int_equal(pmsg_ok_set_ipv6(&m.u.ok, &p), WIRE_OK);
	assert_int_equal(pmsg_ok_set_ipv6(&m.u.ok, &p), WIRE_OK);
	assert_int_equal(pmsg_ok_ipv6(&m.u.ok, &got), -1);
}

/* The hub's own addresses: both, IPv4 alone, and malformed ones. */
static void
test_auth_ok_hub(void **state)
{
	struct addr v4, v6, g4, g6;
	uint8_t b[16];

	(void)state;
	make_ok(&m, 0);
	assert_int_equal(pmsg_ok_hub(&m.u.ok, &g4, &g6), 0);
	assert_int_equal(g4.af, 0);
	assert_int_equal(addr_parse("192.168.123.254", &v4), 0);
	assert_int_equal(addr_parse("fd00:7b::1", &v6), 0);
	assert_int_equal(pmsg_ok_set_hub(&m.u.ok, &v4, &v6), WIRE_OK);
	roundtrip(&m);
	assert_int_equal(pmsg_ok_hub(&d.u.ok, &g4, &g6), 0);
	assert_int_equal(addr_cmp(&g4, &v4), 0);
	assert_int_equal(addr_cmp(&g6, &v6), 0);
	make_ok(&m, 0);
	assert_int_equal(pmsg_ok_set_hub(&m.u.ok, &v4, NULL), WIRE_OK);
	assert_int_equal(m.u.ok.optslen, 6);
	assert_int_equal(pmsg_ok_hub(&m.u.ok, &g4, &g6), 0);
	assert_int_equal(g6.af, 0);
	/* Malformed: short, twice, 0.0.0.0, multicast IPv6. */
	memset(b, 0, sizeof(b));
	make_ok(&m, 0);
	assert_int_equal(pmsg_opt_add(&m.u.ok, PMSG_OPT_HUB4, v4.b, 3),
	    WIRE_OK);
	assert_int_equal(pmsg_ok_hub(&m.u.ok, &g4, &g6), -1);
	make_ok(&m, 0);
	assert_int_equal(pmsg_ok_set_hub(&m.u.ok, &v4, NULL), WIRE_OK);
	assert_int_equal(pmsg_ok_set_hub(&m.u.ok, &v4, NULL), WIRE_OK);
	assert_int_equal(pmsg_ok_hub(&m.u.ok, &g4, &g6), -1);
	make_ok(&m, 0);
	assert_int_equal(pmsg_opt_add(&m.u.ok, PMSG_OPT_HUB4, b, 4), WIRE_OK);
	assert_int_equal(pmsg_ok_hub(&m.u.ok, &g4, &g6), -1);
	make_ok(&m, 0);
	b[0] = 0xff;
	assert_int_equal(pmsg_opt_add(&m.u.ok, PMSG_OPT_HUB6, b, 16), WIRE_OK);
	assert_int_equal(pmsg_ok_hub(&m.u.ok, &g4, &g6), -1);
	/* The encoder refuses what the decoder would. */
	make_ok(&m, 0);
	memset(&g4, 0, sizeof(g4));
	g4.af = AF_INET;
	assert_int_equal(pmsg_ok_set_hub(&m.u.ok, &g4, NULL), WIRE_EVALUE);
}

/* Patch one field of an encoded AUTH_OK, expect err. */
static void
ok_patch(size_t off, const void *val, size_t len, enum wire_err want)
{
	size_t n = 0;

	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_OK);
	memcpy(buf + off, val, len);
	assert_int_equal(pmsg_decode(buf, n, &d), want);
}

static void
test_auth_ok_bad(void **state)
{
	struct pmsg_auth_ok *ok = &m.u.ok;
	uint8_t b[2];
	size_t n = 0, i;

	(void)state;
	/* Encoder refusals. */
	make_ok(&m, 1);
	ok->mtu = PMSG_MTU_MIN - 1;
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_EVALUE);
	ok->mtu = 1420;
	ok->keepalive = 0;
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_EVALUE);
	ok->keepalive = 10;
	ok->prefixlen = 33;
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_EVALUE);
	ok->prefixlen = 24;
	ok->addr.af = AF_INET6;
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_EVALUE);
	make_ok(&m, 1);
	ok->routes.count = PMSG_ROUTES_MAX + 1;
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_ECOUNT);
	make_ok(&m, 1);
	ok->routes.r[0].dst.a.b[3] = 1; /* host bits under /24 */
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_EVALUE);
	make_ok(&m, 1);
	for (i = 0; i < PMSG_OPTS_MAX / 2; i++)
		assert_int_equal(pmsg_opt_add(ok, 1, NULL, 0), WIRE_OK);
	assert_int_equal(pmsg_opt_add(ok, 1, NULL, 0), WIRE_ESPACE);
	ok->optslen = 3; /* a TLV cut in half */
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_ESHORT);

	/* Decoder, one field at a time (offsets from peermsg.h). */
	make_ok(&m, 1); /* one route, nexthop unknown (i % 3 == 0) */
	ok_patch(1, "\0\0\0\0", 4, WIRE_EVALUE); /* address 0.0.0.0 */
	ok_patch(5, "\0", 1, WIRE_EVALUE);	 /* prefix length 0 */
	ok_patch(5, "\x21", 1, WIRE_EVALUE);	 /* prefix length 33 */
	ok_patch(6, "\x00\x01", 2, WIRE_EVALUE); /* mtu 256 */
	ok_patch(8, "\0\0", 2, WIRE_EVALUE);	 /* keepalive 0 */
	wire_put_u16(b, PMSG_ROUTES_MAX + 1);
	ok_patch(46, b, 2, WIRE_ECOUNT);      /* route count */
	ok_patch(48, "\x05", 1, WIRE_EVALUE); /* route family */
	ok_patch(49, "\x19", 1, WIRE_OK);     /* 10.0.0.0/25 */
	ok_patch(49, "\x21", 1, WIRE_EVALUE); /* /33 */
	ok_patch(52, "\x01", 1, WIRE_OK);     /* 10.0.1.0/24 */
	ok_patch(53, "\x01", 1, WIRE_EVALUE); /* 10.0.0.1/24 */
	ok_patch(54, "\x07", 1, WIRE_EVALUE); /* nexthop family */
	ok_patch(54, "\x04", 1, WIRE_ESHORT); /* nexthop runs over */
	wire_put_u16(b, PMSG_OPTS_MAX + 1);
	ok_patch(55, b, 2, WIRE_ECOUNT); /* options length */
	/* An option list whose last TLV overruns its length. */
	make_ok(&m, 1);
	assert_int_equal(pmsg_opt_add(ok, 9, "abc", 3), WIRE_OK);
	ok_patch(58, "\x04", 1, WIRE_ESHORT);
	/* Nexthop 0.0.0.0 means nothing: refused. */
	make_ok(&m, 2); /* route 1 has a nexthop */
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_OK);
	assert_int_equal(buf[55 + 6], 4);
	memset(buf + 55 + 7, 0, 4);
	assert_int_equal(pmsg_decode(buf, n, &d), WIRE_EVALUE);
}

static void
test_routes(void **state)
{
	size_t n, i;

	(void)state;
	memset(&m, 0, sizeof m);
	m.op = PMSG_ROUTES;
	m.u.routes.version = 0xfffffffe;
	n = roundtrip(&m);
	assert_int_equal(n, 1 + 4 + 2);
	assert_int_equal(d.u.routes.count, 0);
	truncations_and_trailing(n);

	make_ok(&d, PMSG_ROUTES_MAX);
	memset(&m, 0, sizeof m);
	m.op = PMSG_ROUTES;
	m.u.routes = d.u.ok.routes;
	n = roundtrip(&m);
	same_routes(&d.u.routes, &m.u.routes);
	truncations_and_trailing(n);
	/* Count field patched over the maximum. */
	wire_put_u16(buf + 5, PMSG_ROUTES_MAX + 1);
	assert_int_equal(pmsg_decode(buf, n, &d), WIRE_ECOUNT);
	wire_put_u16(buf + 5, 0xffff);
	assert_int_equal(pmsg_decode(buf, n, &d), WIRE_ECOUNT);
	/* One fewer than announced: the last route becomes trailing. */
	wire_put_u16(buf + 5, PMSG_ROUTES_MAX - 1);
	assert_int_equal(pmsg_decode(buf, n, &d), WIRE_ELONG);
	m.u.routes.count = PMSG_ROUTES_MAX + 1;
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &i), WIRE_ECOUNT);
}

static void
make_dns(struct pmsg *c)
{
	memset(c, 0, sizeof *c);
	c->op = PMSG_DNS;
	c->u.dns.version = 3;
	assert_int_equal(addr_parse("192.168.123.254",
			     &c->u.dns.set.servers[0]),
	    0);
	assert_int_equal(addr_parse("fd00:7b::53", &c->u.dns.set.servers[1]),
	    0);
	c->u.dns.set.nservers = 2;
	strcpy(c->u.dns.set.search[0], "corp.example");
	strcpy(c->u.dns.set.search[1], "lab.example.net");
	c->u.dns.set.nsearch = 2;
}

/* DNS: the bytes PROTOCOL.md gives, and back. */
static void
test_dns(void **state)
{
	static const uint8_t want[] = { PMSG_DNS, 3, 0, 0, 0, 55, 0,
		/* SERVER 192.168.123.254 */
		1, 4, 192, 168, 123, 254,
		/* SERVER fd00:7b::53 */
		1, 16, 0xfd, 0, 0, 0x7b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53,
		/* SEARCH */
		2, 12, 'c', 'o', 'r', 'p', '.', 'e', 'x', 'a', 'm', 'p', 'l',
		'e', 2, 15, 'l', 'a', 'b', '.', 'e', 'x', 'a', 'm', 'p', 'l',
		'e', '.', 'n', 'e', 't' };
	size_t n = 0;

	(void)state;
	make_dns(&m);
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_OK);
	assert_int_equal(n, sizeof want);
	assert_memory_equal(buf, want, sizeof want);
	assert_int_equal(pmsg_decode(buf, n, &d), WIRE_OK);
	assert_true(dns_set_equal(&d.u.dns.set, &m.u.dns.set));
	assert_int_equal(d.u.dns.version, 3);
	/* The empty set: remove. */
	memset(&m, 0, sizeof m);
	m.op = PMSG_DNS;
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_OK);
	assert_int_equal(n, 7);
	assert_int_equal(pmsg_decode(buf, n, &d), WIRE_OK);
	assert_int_equal(d.u.dns.set.nservers + d.u.dns.set.nsearch, 0);
	/* A later type is skipped, and kept for the same bytes again. */
	memcpy(buf, want, sizeof want);
	buf[5] = 55 + 3;
	memcpy(buf + sizeof want, "\x09\x01\x2a", 3);
	assert_int_equal(pmsg_decode(buf, sizeof want + 3, &d), WIRE_OK);
	assert_int_equal(d.u.dns.set.nsearch, 2);
	assert_int_equal(d.u.dns.extralen, 3);
	assert_int_equal(pmsg_encode(&d, buf2, sizeof buf2, &n), WIRE_OK);
	assert_memory_equal(buf2, buf, sizeof want + 3);
}

static void
dns_refused(const uint8_t *b, size_t n)
{
	assert_int_not_equal(pmsg_decode(b, n, &d), WIRE_OK);
}

static void
test_dns_bad(void **state)
{
	size_t n = 0, i;

	(void)state;
	make_dns(&m);
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_OK);
	/* Every truncation, and a byte more. */
	for (i = 0; i < n; i++)
		dns_refused(buf, i);
	dns_refused(buf, n + 1);
	/* A name that would write a line of its own into resolv.conf. */
	memcpy(buf2, buf, n);
	buf2[n - 4] = '\n';
	dns_refused(buf2, n);
	/* A multicast server. */
	memcpy(buf2, buf, n);
	buf2[9] = 224;
	dns_refused(buf2, n);
	/* A server of 5 bytes. */
	memcpy(buf2, buf, n);
	buf2[8] = 5;
	dns_refused(buf2, n);
	/* Out of order: SEARCH, then SERVER. */
	{
		static const uint8_t b[] = { PMSG_DNS, 1, 0, 0, 0, 9, 0, 2, 1,
			'x', 1, 4, 10, 0, 0, 53 };
		dns_refused(b, sizeof b);
	}
	/* Type 0 is reserved. */
	{
		static const uint8_t b[] = { PMSG_DNS, 1, 0, 0, 0, 2, 0, 0, 0 };
		dns_refused(b, sizeof b);
	}
	/* Four servers. */
	{
		static const uint8_t b[] = { PMSG_DNS, 1, 0, 0, 0, 24, 0, 1, 4,
			10, 0, 0, 1, 1, 4, 10, 0, 0, 2, 1, 4, 10, 0, 0, 3, 1, 4,
			10, 0, 0, 4 };
		dns_refused(b, sizeof b);
	}
	/* The encoder refuses what the decoder would. */
	make_dns(&m);
	strcpy(m.u.dns.set.search[1], "bad name");
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_EVALUE);
}

/* Random corruption: no crash, and anything accepted is canonical. */
static void
test_corruption(void **state)
{
	static uint8_t orig[PMSG_MAX_LEN], mut[PMSG_MAX_LEN];
	size_t n = 0, n2, len;
	int i, k, accepted = 0;

	(void)state;
	srand(1234);
	make_ok(&m, 20);
	assert_int_equal(pmsg_opt_add(&m.u.ok, 3, "xyz", 3), WIRE_OK);
	assert_int_equal(pmsg_encode(&m, orig, sizeof orig, &n), WIRE_OK);
	for (i = 0; i < 20000; i++) {
		memcpy(mut, orig, n);
		len = n;
		for (k = rand() % 4; k >= 0; k--)
			mut[(size_t)rand() % n] = (uint8_t)rand();
		if (rand() % 4 == 0)
			len = (size_t)rand() % (n + 1);
		if (pmsg_decode(mut, len, &d) != WIRE_OK)
			continue;
		accepted++;
		assert_int_equal(pmsg_encode(&d, buf2, sizeof buf2, &n2),
		    WIRE_OK);
		assert_int_equal(n2, len);
		assert_memory_equal(buf2, mut, len);
	}
	/* Some mutations hit harmless fields (token, versions). */
	assert_true(accepted > 100);
}

static void
make_peer(struct pmsg *c)
{
	memset(c, 0, sizeof *c);
	c->op = PMSG_PEER;
	c->u.peer.pair = 0xa1b2c3d4;
	c->u.peer.flags = PMSG_PEER_INITIATE;
	snprintf(c->u.peer.user, sizeof c->u.peer.user, "bob");
	assert_int_equal(addr_parse("192.168.123.7", &c->u.peer.v4), 0);
	assert_int_equal(addr_parse("fd00:1::c0a8:7b07", &c->u.peer.v6), 0);
	memcpy(c->u.peer.mac, "\x62\xe2\xc0\xa8\x7b\x07", 6);
	memset(c->u.peer.secret, 0x5c, sizeof c->u.peer.secret);
	c->u.peer.n = 2;
	assert_int_equal(addr_parse("198.51.100.9", &c->u.peer.c[0].a), 0);
	c->u.peer.c[0].port = 40001;
	assert_int_equal(addr_parse("10.1.2.3", &c->u.peer.c[1].a), 0);
	c->u.peer.c[1].port = 51820;
}

static void
test_info_peer_gone(void **state)
{
	size_t n;

	(void)state;
	memset(&m, 0, sizeof m);
	m.op = PMSG_ENDPOINT_INFO;
	m.u.info.flags = PMSG_INFO_DIRECT;
	m.u.info.port = 33000;
	m.u.info.n = 2;
	assert_int_equal(addr_parse("10.0.0.5", &m.u.info.a[0]), 0);
	assert_int_equal(addr_parse("2001:db8::5", &m.u.info.a[1]), 0);
	n = roundtrip(&m);
	assert_int_equal(n, 1 + 1 + 2 + 1 + 5 + 17);
	assert_int_equal(d.u.info.port, 33000);
	assert_int_equal(addr_cmp(&d.u.info.a[1], &m.u.info.a[1]), 0);
	truncations_and_trailing(n);

	make_peer(&m);
	n = roundtrip(&m);
	assert_int_equal(n, 1 + 4 + 1 + 1 + 3 + 4 + 16 + 6 + 32 + 1 + 2 * 7);
	assert_string_equal(d.u.peer.user, "bob");
	assert_int_equal(d.u.peer.pair, 0xa1b2c3d4);
	assert_int_equal(d.u.peer.flags, PMSG_PEER_INITIATE);
	assert_int_equal(addr_cmp(&d.u.peer.v6, &m.u.peer.v6), 0);
	assert_memory_equal(d.u.peer.secret, m.u.peer.secret, 32);
	assert_int_equal(d.u.peer.c[1].port, 51820);
	truncations_and_trailing(n);
	/* No IPv6: zeros on the wire, af 0 decoded. */
	memset(&m.u.peer.v6, 0, sizeof m.u.peer.v6);
	roundtrip(&m);
	assert_int_equal(d.u.peer.v6.af, 0);

	memset(&m, 0, sizeof m);
	m.op = PMSG_PEER_GONE;
	m.u.pair = 42;
	assert_int_equal(roundtrip(&m), 5);
	assert_int_equal(d.u.pair, 42);
	truncations_and_trailing(5);
}

static void
peer_refused(struct pmsg *c, enum wire_err want)
{
	size_t n = 0;

	assert_int_equal(pmsg_encode(c, buf, sizeof buf, &n), want);
}

static void
test_peer_bad(void **state)
{
	size_t n = 0;

	(void)state;
	make_peer(&m);
	m.u.peer.pair = 0;
	peer_refused(&m, WIRE_EVALUE);
	make_peer(&m);
	m.u.peer.n = 0;
	peer_refused(&m, WIRE_ECOUNT);
	make_peer(&m);
	m.u.peer.n = PMSG_CAND_MAX + 1;
	peer_refused(&m, WIRE_ECOUNT);
	make_peer(&m);
	m.u.peer.c[1].port = 0;
	peer_refused(&m, WIRE_EVALUE);
	make_peer(&m);
	assert_int_equal(addr_parse("127.0.0.1", &m.u.peer.c[0].a), 0);
	peer_refused(&m, WIRE_EVALUE);
	make_peer(&m);
	assert_int_equal(addr_parse("224.0.0.1", &m.u.peer.c[0].a), 0);
	peer_refused(&m, WIRE_EVALUE);
	{
		/* Never this host, link-local, or IPv4 by the back door. */
		static const char *const bad[] = { "::1", "::127.0.0.1",
			"::ffff:127.0.0.1", "::ffff:10.0.0.1",
			"169.254.169.254", "fe80::1", "ff02::1",
			"255.255.255.255", "0.1.2.3" };
		size_t i;

		for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			make_peer(&m);
			assert_int_equal(addr_parse(bad[i], &m.u.peer.c[1].a),
			    0);
			peer_refused(&m, WIRE_EVALUE);
		}
		make_peer(&m);
		assert_int_equal(addr_parse("2001:db8::7", &m.u.peer.c[1].a),
		    0);
		peer_refused(&m, WIRE_OK);
	}
	make_peer(&m);
	snprintf(m.u.peer.user, sizeof m.u.peer.user, "SERVER");
	peer_refused(&m, WIRE_EVALUE);
	make_peer(&m);
	memset(&m.u.peer.v4.b, 0, 4);
	peer_refused(&m, WIRE_EVALUE);

	/* The decoder refuses the same, from bytes: a bad family, a
	 * zero port, a bad user, a pair id of 0. */
	make_peer(&m);
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_OK);
	buf[1 + 4 + 1 + 1 + 3 + 4 + 16 + 6 + 32 + 1] = 5;
	assert_int_equal(pmsg_decode(buf, n, &d), WIRE_EVALUE);
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_OK);
	buf[n - 1] = buf[n - 2] = 0;
	assert_int_equal(pmsg_decode(buf, n, &d), WIRE_EVALUE);
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_OK);
	buf[1 + 4 + 1 + 1] = '-';
	assert_int_equal(pmsg_decode(buf, n, &d), WIRE_EUSERNAME);
	assert_int_equal(pmsg_encode(&m, buf, sizeof buf, &n), WIRE_OK);
	memset(buf + 1, 0, 4);
	assert_int_equal(pmsg_decode(buf, n, &d), WIRE_EVALUE);

	memset(&m, 0, sizeof m);
	m.op = PMSG_ENDPOINT_INFO;
	m.u.info.n = PMSG_LOCAL_MAX + 1;
	peer_refused(&m, WIRE_ECOUNT);
	m.u.info.n = 1;
	assert_int_equal(addr_parse("0.0.0.0", &m.u.info.a[0]), 0);
	peer_refused(&m, WIRE_EVALUE);
	memset(&m, 0, sizeof m);
	m.op = PMSG_PEER_GONE;
	peer_refused(&m, WIRE_EVALUE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auth),
		cmocka_unit_test(test_auth_bad),
		cmocka_unit_test(test_resume_fail_bye),
		cmocka_unit_test(test_auth_ok),
		cmocka_unit_test(test_auth_ok_bad),
		cmocka_unit_test(test_hub_largest),
		cmocka_unit_test(test_auth_ok_ipv6),
		cmocka_unit_test(test_auth_ok_hub),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_dns),
		cmocka_unit_test(test_dns_bad),
		cmocka_unit_test(test_corruption),
		cmocka_unit_test(test_info_peer_gone),
		cmocka_unit_test(test_peer_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
