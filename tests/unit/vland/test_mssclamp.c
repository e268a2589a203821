/*
 * MSS clamping (daemons/vland/mssclamp.c) on hand-made SYNs: IPv4 and
 * IPv6, bare and in Ethernet frames, the option aligned and not (after
 * a no-op), the TCP checksum verified from scratch after each change;
 * and everything that must pass untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mssclamp.h"

static uint8_t pkt[128];
static size_t plen;

static uint32_t
sum16(const uint8_t *p, size_t n, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static unsigned
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/* The TCP checksum over the pseudo-header of the packet at ip. */
static unsigned
tcp_sum(const uint8_t *ip, size_t len)
{
	uint32_t sum;
	size_t ihl;

	if (ip[0] >> 4 == 4) {
		ihl = (size_t)(ip[0] & 0xf) * 4;
		sum = sum16(ip + 12, 8, 0) + 6 + (uint32_t)(len - ihl);
	} else {
		ihl = 40;
		sum = sum16(ip + 8, 32, 0) + 6 + (uint32_t)(len - ihl);
	}
	return fold(sum16(ip + ihl, len - ihl, sum));
}

/* A SYN with options opts (a multiple of 4 bytes), checksum set, at
 * pkt + off (off 14: behind an Ethernet header). */
static uint8_t *
syn(int v, size_t off, const uint8_t *opts, size_t olen, uint8_t flags)
{
	uint8_t *ip = pkt + off, *tcp;
	size_t ihl = v == 4 ? 20 : 40, len = ihl + 20 + olen;
	unsigned c;

	memset(pkt, 0, sizeof(pkt));
	if (off == 14) {
		pkt[12] = v == 4 ? 0x08 : 0x86;
		pkt[13] = v == 4 ? 0x00 : 0xdd;
	}
	if (v == 4) {
		ip[0] = 0x45;
		ip[3] = (uint8_t)len;
		ip[8] = 64;
		ip[9] = 6;
		memcpy(ip + 12, "\x0a\x00\x00\x02\x0a\x00\x00\x03", 8);
	} else {
		ip[0] = 0x60;
		ip[5] = (uint8_t)(len - 40);
		ip[6] = 6;
		ip[7] = 64;
		ip[8] = 0xfd;
		ip[23] = 2;
		ip[24] = 0xfd;
		ip[39] = 3;
	}
	tcp = ip + ihl;
	tcp[0] = 0x30;
	tcp[1] = 0x39;
	tcp[3] = 80;
	tcp[7] = 1;
	tcp[12] = (uint8_t)((20 + olen) / 4 << 4);
	tcp[13] = flags;
	tcp[14] = 0xff;
	memcpy(tcp + 20, opts, olen);
	c = ~tcp_sum(ip, len) & 0xffff;
	tcp[16] = (uint8_t)(c >> 8);
	tcp[17] = (uint8_t)c;
	plen = off + len;
	return ip;
}

static unsigned
mss_at(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static void
assert_csum_ok(const uint8_t *ip)
{
	assert_int_equal(tcp_sum(ip, plen - (size_t)(ip - pkt)), 0xffff);
}

static const uint8_t mss1460[] = { 2, 4, 0x05, 0xb4, 1, 1, 4, 2 };
/* no-op first: the MSS value at an odd offset */
static const uint8_t nop_mss[] = { 1, 2, 4, 0x05, 0xb4, 1, 1, 0 };

static void
ipv4(void **state)
{
	uint8_t *ip;

	(void)state;
	ip = syn(4, 0, mss1460, sizeof(mss1460), 0x02);
	assert_true(mss_clamp(pkt, plen, false, 1200));
	assert_int_equal(mss_at(ip + 40 + 2), 1160);
	assert_csum_ok(ip);
	/* twice: nothing more to do */
	assert_false(mss_clamp(pkt, plen, false, 1200));
	/* SYN-ACK too */
	ip = syn(4, 0, mss1460, sizeof(mss1460), 0x12);
	assert_true(mss_clamp(pkt, plen, false, 1400));
	assert_int_equal(mss_at(ip + 40 + 2), 1360);
	assert_csum_ok(ip);
}

static void
odd_offset(void **state)
{
	uint8_t *ip;

	(void)state;
	ip = syn(4, 0, nop_mss, sizeof(nop_mss), 0x02);
	assert_true(mss_clamp(pkt, plen, false, 1280));
	assert_int_equal(mss_at(ip + 40 + 3), 1240);
	assert_csum_ok(ip);
	ip = syn(6, 14, nop_mss, sizeof(nop_mss), 0x02);
	assert_true(mss_clamp(pkt, plen, true, 1280));
	assert_int_equal(mss_at(ip + 60 + 3), 1220);
	assert_csum_ok(ip);
}

static void
ipv6_and_ethernet(void **state)
{
	uint8_t *ip;

	(void)state;
	ip = syn(6, 0, mss1460, sizeof(mss1460), 0x02);
	assert_true(mss_clamp(pkt, plen, false, 1300));
	assert_int_equal(mss_at(ip + 60 + 2), 1240);
	assert_csum_ok(ip);
	ip = syn(4, 14, mss1460, sizeof(mss1460), 0x02);
	assert_true(mss_clamp(pkt, plen, true, 1406));
	assert_int_equal(mss_at(ip + 40 + 2), 1366);
	assert_csum_ok(ip);
	/* the same frame read as an IP packet: not IP at all */
	ip = syn(4, 14, mss1460, sizeof(mss1460), 0x02);
	assert_false(mss_clamp(pkt, plen, false, 1200));
}

static void
untouched(void **state)
{
	static const uint8_t small[] = { 2, 4, 0x04, 0x00, 0, 0, 0, 0 };
	static const uint8_t none[] = { 1, 1, 4, 2 };
	static const uint8_t cut[] = { 1, 1, 2, 9 };
	uint8_t copy[sizeof(pkt)];

#define SAME(expr)                                           \
	do {                                                 \
		memcpy(copy, pkt, sizeof(pkt));              \
		assert_false(expr);                          \
		assert_memory_equal(copy, pkt, sizeof(pkt)); \
	} while (0)
	(void)state;
	syn(4, 0, mss1460, sizeof(mss1460), 0x10); /* an ACK */
	SAME(mss_clamp(pkt, plen, false, 1200));
	syn(4, 0, small, sizeof(small), 0x02); /* already below */
	SAME(mss_clamp(pkt, plen, false, 1200));
	syn(4, 0, none, sizeof(none), 0x02); /* no MSS */
	SAME(mss_clamp(pkt, plen, false, 1200));
	syn(4, 0, cut, sizeof(cut), 0x02); /* an option past the header */
	SAME(mss_clamp(pkt, plen, false, 1200));
	syn(4, 0, mss1460, sizeof(mss1460), 0x02);
	pkt[6] = 0x00;
	pkt[7] = 0x10; /* a later fragment */
	SAME(mss_clamp(pkt, plen, false, 1200));
	syn(4, 0, mss1460, sizeof(mss1460), 0x02);
	pkt[9] = 17; /* UDP */
	SAME(mss_clamp(pkt, plen, false, 1200));
	syn(6, 0, mss1460, sizeof(mss1460), 0x02);
	pkt[6] = 0; /* behind a hop-by-hop header */
	SAME(mss_clamp(pkt, plen, false, 1200));
	syn(4, 0, mss1460, sizeof(mss1460), 0x02);
	SAME(mss_clamp(pkt, 39, false, 1200)); /* cut short */
	SAME(mss_clamp(pkt, 0, false, 1200));
	syn(4, 14, mss1460, sizeof(mss1460), 0x02);
	pkt[12] = 0x81; /* VLAN-tagged */
	SAME(mss_clamp(pkt, plen, true, 1200));
#undef SAME
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ipv4),
		cmocka_unit_test(odd_offset),
		cmocka_unit_test(ipv6_and_ethernet),
		cmocka_unit_test(untouched),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
