/*
 * The tap-mode source filter (daemons/vland/l2filter.h) on hand-made
 * frames from an endpoint at 192.168.123.100 (MAC 62:e2:c0:a8:7b:64,
 * IPv6 fd00:7b::c0a8:7b64): its own frames pass, anything that speaks
 * for another MAC or address, or offers a router or DHCP, does not; and
 * every truncation of every frame is judged without reading past it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "l2filter.h"

static struct l2_identity id;
static const uint8_t MAC[6] = { 0x62, 0xe2, 0xc0, 0xa8, 0x7b, 0x64 };
static const uint8_t HUBIP[4] = { 192, 168, 123, 254 };
static const uint8_t MYIP[4] = { 192, 168, 123, 100 };

static int
setup(void **state)
{
	struct addr v4, v6;

	(void)state;
	assert_int_equal(addr_parse("192.168.123.100", &v4), 0);
	assert_int_equal(addr_parse("fd00:7b::c0a8:7b64", &v6), 0);
	l2_identity_make(&id, &v4, &v6);
	return 0;
}

/* An Ethernet header from src, of the given type, into f; returns 14. */
static size_t
eth(uint8_t *f, const uint8_t *src, uint16_t type)
{
	memset(f, 0xff, 6);
	memcpy(f + 6, src, 6);
	f[12] = (uint8_t)(type >> 8);
	f[13] = (uint8_t)type;
	return 14;
}

static size_t
arp(uint8_t *f, const uint8_t *smac, const uint8_t *sip)
{
	size_t n = eth(f, MAC, 0x0806);
	uint8_t *a = f + n;

	memset(a, 0, 28);
	a[1] = 1;    /* Ethernet */
	a[2] = 0x08; /* IPv4 */
	a[4] = 6;
	a[5] = 4;
	a[7] = 2; /* reply */
	memcpy(a + 8, smac, 6);
	memcpy(a + 14, sip, 4);
	return n + 28;
}

/* An IPv6 packet with an ICMPv6 message of type t from src; for NS/NA
 * a target and a link-layer option with mac. */
static size_t
icmp6(uint8_t *f, const char *src, uint8_t t, const char *target,
    const uint8_t *mac)
{
	size_t n = eth(f, MAC, 0x86dd);
	uint8_t *ip = f + n, *m = ip + 40;
	struct addr a;
	size_t l = 8;

	memset(ip, 0, 40 + 32);
	ip[0] = 0x60;
	ip[6] = 58;
	assert_int_equal(addr_parse(src, &a), 0);
	memcpy(ip + 8, a.b, 16);
	m[0] = t;
	if (target != NULL) {
		assert_int_equal(addr_parse(target, &a), 0);
		memcpy(m + 8, a.b, 16);
		l = 24;
	}
	if (mac != NULL) {
		m[l] = t == 136 ? 2 : 1;
		m[l + 1] = 1;
		memcpy(m + l + 2, mac, 6);
		l += 8;
	}
	return n + 40 + l;
}

static size_t
dhcp_offer(uint8_t *f)
{
	size_t n = eth(f, MAC, 0x0800);
	uint8_t *ip = f + n;

	memset(ip, 0, 28);
	ip[0] = 0x45;
	ip[9] = 17;
	ip[21] = 67; /* UDP source port 67 */
	ip[23] = 68;
	return n + 28;
}

/* Every truncation of f must be judged (ASan checks the reads). */
static void
truncations(const uint8_t *f, size_t len)
{
	uint8_t *copy;
	size_t i;

	for (i = 0; i <= len; i++) {
		assert_non_null(copy = malloc(i ? i : 1));
		memcpy(copy, f, i);
		(void)l2_check(&id, copy, i);
		free(copy);
	}
}

static void
test_own_frames_pass(void **state)
{
	uint8_t f[128];
	size_t n;

	(void)state;
	n = eth(f, MAC, 0x0800);
	memset(f + n, 0, 20);
	f[n] = 0x45;
	assert_int_equal(l2_check(&id, f, n + 20), L2_OK);
	assert_int_equal(l2_check(&id, f, arp(f, MAC, MYIP)), L2_OK);
	assert_int_equal(l2_check(&id, f, arp(f, MAC, (uint8_t[4]){ 0 })),
	    L2_OK);
	n = icmp6(f, "fe80::60e2:c0ff:fea8:7b64", 135, "fd00:7b::fe", MAC);
	assert_int_equal(l2_check(&id, f, n), L2_OK);
	n = icmp6(f, "fd00:7b::c0a8:7b64", 136, "fd00:7b::c0a8:7b64", MAC);
	assert_int_equal(l2_check(&id, f, n), L2_OK);
	n = icmp6(f, "::", 135, "fd00:7b::c0a8:7b64", NULL); /* DAD */
	assert_int_equal(l2_check(&id, f, n), L2_OK);
	n = icmp6(f, "fe80::60e2:c0ff:fea8:7b64", 133, NULL, MAC);
	assert_int_equal(l2_check(&id, f, n), L2_OK);
}

static void
test_spoofs_refused(void **state)
{
	const uint8_t other[6] = { 0x02, 0, 0, 0, 0, 1 };
	uint8_t f[128];
	size_t n;

	(void)state;
	n = eth(f, other, 0x0800);
	assert_int_equal(l2_check(&id, f, n + 20), L2_SRC_MAC);
	assert_int_equal(l2_check(&id, f, 10), L2_SHORT);
	assert_int_equal(l2_check(&id, f, arp(f, MAC, HUBIP)), L2_ARP);
	assert_int_equal(l2_check(&id, f, arp(f, other, MYIP)), L2_ARP);
	assert_int_equal(l2_check(&id, f, 14 + 20), L2_ARP);
	n = icmp6(f, "fe80::1", 135, "fd00:7b::c0a8:7b64", MAC);
	assert_int_equal(l2_check(&id, f, n), L2_ND);
	n = icmp6(f, "fe80::60e2:c0ff:fea8:7b64", 134, NULL, NULL);
	assert_int_equal(l2_check(&id, f, n), L2_ROUTER);
	n = icmp6(f, "fe80::60e2:c0ff:fea8:7b64", 137, NULL, NULL);
	assert_int_equal(l2_check(&id, f, n), L2_ROUTER);
	n = icmp6(f, "fd00:7b::c0a8:7b64", 136, "fd00:7b::1", MAC);
	assert_int_equal(l2_check(&id, f, n), L2_ND);
	n = icmp6(f, "fd00:7b::c0a8:7b64", 136, "fd00:7b::c0a8:7b64", other);
	assert_int_equal(l2_check(&id, f, n), L2_ND);
	assert_int_equal(l2_check(&id, f, dhcp_offer(f)), L2_DHCP_SERVER);
	n = eth(f, MAC, 0x8100);
	assert_int_equal(l2_check(&id, f, n + 4), L2_VLAN);
	/* A duplicate address probe for someone else's address. */
	n = icmp6(f, "::", 135, "fd00:7b::1", NULL);
	assert_int_equal(l2_check(&id, f, n), L2_ND);
	/* A DHCP answer from another port, to the client port. */
	n = dhcp_offer(f);
	f[14 + 21] = 99;
	assert_int_equal(l2_check(&id, f, n), L2_DHCP_SERVER);
	/* An ICMP redirect. */
	n = dhcp_offer(f);
	f[14 + 9] = 1;
	f[14 + 20] = 5;
	assert_int_equal(l2_check(&id, f, n), L2_ROUTER);
	/* Spanning tree (802.3 length, LLC) and LLDP. */
	n = eth(f, MAC, 0x0026);
	assert_int_equal(l2_check(&id, f, n + 39), L2_LINK);
	n = eth(f, MAC, 0x88cc);
	assert_int_equal(l2_check(&id, f, n + 20), L2_LINK);
}

/* A router advertisement behind a destination-options header, and one
 * in a first fragment: still refused. A later fragment passes. */
static void
test_ip6_extension_headers(void **state)
{
	uint8_t f[160], g[160];
	size_t n = icmp6(f, "fe80::60e2:c0ff:fea8:7b64", 134, NULL, NULL);
	uint8_t *ip = f + 14;

	(void)state;
	/* Insert 8 bytes of destination options before the ICMPv6. */
	memcpy(g, f, 14 + 40);
	g[14 + 6] = 60;
	g[14 + 40] = 58; /* next: ICMPv6 */
	g[14 + 41] = 0;	 /* 8 bytes */
	memset(g + 14 + 42, 0, 6);
	memcpy(g + 14 + 48, ip + 40, n - 14 - 40);
	assert_int_equal(l2_check(&id, g, n + 8), L2_ROUTER);
	truncations(g, n + 8);
	/* A fragment header, first fragment, then the RA: fragmented
	 * neighbour discovery is refused outright. */
	g[14 + 6] = 44;
	memset(g + 14 + 40, 0, 8);
	g[14 + 40] = 58;
	assert_int_equal(l2_check(&id, g, n + 8), L2_ND);
	/* An ND message in a fragment is refused as such. */
	g[14 + 48] = 136;
	assert_int_equal(l2_check(&id, g, n + 8), L2_ND);
	/* A later fragment: no upper-layer header to judge. */
	g[14 + 43] = 0x08;
	assert_int_equal(l2_check(&id, g, n + 8), L2_OK);
	/* A chain cut short is refused. */
	g[14 + 6] = 60;
	g[14 + 41] = 200;
	assert_int_equal(l2_check(&id, g, n + 8), L2_ND);
}

static void
test_truncations(void **state)
{
	uint8_t f[128];

	(void)state;
	truncations(f, arp(f, MAC, MYIP));
	truncations(f,
	    icmp6(f, "fd00:7b::c0a8:7b64", 136, "fd00:7b::c0a8:7b64", MAC));
	truncations(f, icmp6(f, "fe80::60e2:c0ff:fea8:7b64", 133, NULL, MAC));
	truncations(f, dhcp_offer(f));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_own_frames_pass),
		cmocka_unit_test(test_spoofs_refused),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_ip6_extension_headers),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
