/*
 * TCP segmentation and coalescing (common/offload.c) against an
 * independent RFC 1071 checksum written byte by byte here: a large frame
 * is cut into segments with whole, valid headers, and the segments
 * joined again give back the large frame with the virtio header the
 * kernel needs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "offload.h"

#define MSS	1000
#define PAYLOAD 4321 /* five segments, the last one short */
#define OPTLEN	12   /* NOP NOP timestamp */
#define TH_PSH	0x08
#define TH_ACK	0x10
#define TH_SYN	0x02
#define SEQ0	0xfffff000u /* wraps inside the burst */

static uint8_t big[OFF_FRAME_MAX], seg[8][2048];
static size_t seglen[8];
static struct off_gro g;

/* RFC 1071, one 16-bit big-endian word at a time. */
static uint16_t
rfc1071(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* The pseudo-header sum for a TCP segment of tcplen bytes. */
static uint32_t
pseudo(const uint8_t *ip, bool v6, size_t tcplen)
{
	return v6 ? rfc1071(ip + 8, 32, 0) + 6 + (uint32_t)tcplen
		  : rfc1071(ip + 12, 8, 0) + 6 + (uint32_t)tcplen;
}

/* A large TCP frame as the kernel hands it over with TSO. */
static size_t
make_big(bool v6, uint8_t flags)
{
	size_t l4 = v6 ? 54 : 34, i, len = l4 + 20 + OPTLEN + PAYLOAD;
	uint8_t *ip = big + 14, *th = big + l4;

	memset(big, 0, sizeof(big));
	memcpy(big, "\x62\xe2\xc0\xa8\x7b\x01\x62\xe2\xc0\xa8\x7b\x02", 12);
	if (v6) {
		big[12] = 0x86, big[13] = 0xdd;
		ip[0] = 0x60;
		ip[6] = 6;
		ip[7] = 64;
		ip[8] = 0xfd, ip[23] = 1;
		ip[24] = 0xfd, ip[39] = 2;
	} else {
		big[12] = 0x08;
		ip[0] = 0x45;
		ip[4] = 0x12, ip[5] = 0x34;
		ip[6] = 0x40; /* DF */
		ip[8] = 64;
		ip[9] = 6;
		memcpy(ip + 12, "\xc0\xa8\x7b\x01\xc0\xa8\x7b\x02", 8);
	}
	th[0] = 0x9c, th[1] = 0x40, th[2] = 0x14, th[3] = 0x51;
	th[4] = (uint8_t)(SEQ0 >> 24), th[5] = (uint8_t)(SEQ0 >> 16);
	th[6] = (uint8_t)(SEQ0 >> 8), th[7] = (uint8_t)SEQ0;
	th[11] = 7; /* ack */
	th[12] = (20 + OPTLEN) / 4 << 4;
	th[13] = flags;
	th[14] = 0x01, th[15] = 0xf5;
	memcpy(th + 20, "\x01\x01\x08\x0a\x00\x00\x00\x2a\x00\x00\x00\x17", 12);
	for (i = 0; i < PAYLOAD; i++)
		th[20 + OPTLEN + i] = (uint8_t)(i * 7 + 3);
	return len;
}

static void
cut(bool v6, uint8_t flags, struct off_seg *p)
{
	struct virtio_net_hdr h;
	size_t len = make_big(v6, flags);
	unsigned i;

	memset(&h, 0, sizeof(h));
	h.gso_type = v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4;
	h.gso_size = MSS;
	h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	assert_int_equal(off_seg_plan(&h, big, len, true, p), 0);
	assert_int_equal(p->nseg, 5);
	for (i = 0; i < p->nseg; i++)
		seglen[i] = off_seg_build(p, big, i, seg[i]);
}

static void
check_segments(bool v6, const struct off_seg *p, uint8_t flags)
{
	size_t l4 = v6 ? 54 : 34, hlen = l4 + 20 + OPTLEN, n, tcplen;
	unsigned i;

	for (i = 0; i < p->nseg; i++) {
		const uint8_t *ip = seg[i] + 14, *th = seg[i] + l4;

		n = i < 4 ? MSS : PAYLOAD - 4 * MSS;
		tcplen = seglen[i] - l4;
		assert_int_equal(seglen[i], hlen + n);
		if (v6) {
			assert_int_equal(get16(ip + 4), tcplen);
		} else {
			assert_int_equal(get16(ip + 2), seglen[i] - 14);
			assert_int_equal(get16(ip + 4), 0x1234 + i);
			assert_int_equal(rfc1071(ip, 20, 0), 0xffff);
		}
		assert_int_equal(get32(th + 4), (uint32_t)(SEQ0 + i * MSS));
		assert_int_equal(rfc1071(th, tcplen, pseudo(ip, v6, tcplen)),
		    0xffff);
		/* PSH only on the last; the options (timestamps) on all. */
		assert_int_equal(th[13],
		    i == 4 ? flags : (uint8_t)(flags & ~TH_PSH));
		assert_memory_equal(th + 20, big + l4 + 20, OPTLEN);
		assert_memory_equal(seg[i] + hlen, big + hlen + i * MSS, n);
	}
}

static void
join_and_check(bool v6)
{
	struct virtio_net_hdr h;
	size_t l4 = v6 ? 54 : 34, hlen = l4 + 20 + OPTLEN, tcplen;
	unsigned i;

	assert_true(off_gro_start(&g, seg[0], seglen[0], true));
	for (i = 1; i < 5; i++)
		assert_true(off_gro_append(&g, seg[i], seglen[i]));
	assert_int_equal(g.nseg, 5);
	/* The short last segment closed it. */
	assert_true(g.closed);
	assert_false(off_gro_append(&g, seg[1], seglen[1]));
	off_gro_finish(&g, &h);
	assert_int_equal(g.len, hlen + PAYLOAD);
	assert_memory_equal(g.buf + hlen, big + hlen, PAYLOAD);
	assert_int_equal(h.gso_type,
	    v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4);
	assert_int_equal(h.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	assert_int_equal(h.gso_size, MSS);
	assert_int_equal(h.hdr_len, hlen);
	assert_int_equal(h.csum_start, l4);
	assert_int_equal(h.csum_offset, 16);
	tcplen = g.len - l4;
	if (v6) {
		assert_int_equal(get16(g.buf + 18), tcplen);
	} else {
		assert_int_equal(get16(g.buf + 16), g.len - 14);
		assert_int_equal(rfc1071(g.buf + 14, 20, 0), 0xffff);
	}
	/* The checksum field holds the pseudo-header sum, not inverted. */
	assert_int_equal(get16(g.buf + l4 + 16),
	    rfc1071(NULL, 0, pseudo(g.buf + 14, v6, tcplen)));
	/* Cut again, it gives back the same segments. */
	{
		struct off_seg p;
		uint8_t again[2048];

		assert_int_equal(off_seg_plan(&h, g.buf, g.len, true, &p), 0);
		for (i = 0; i < p.nseg; i++) {
			assert_int_equal(off_seg_build(&p, g.buf, i, again),
			    seglen[i]);
			assert_memory_equal(again, seg[i], seglen[i]);
		}
	}
}

static void
test_ipv4(void **state)
{
	struct off_seg p;

	(void)state;
	cut(false, TH_ACK | TH_PSH, &p);
	check_segments(false, &p, TH_ACK | TH_PSH);
	join_and_check(false);
}

static void
test_ipv6(void **state)
{
	struct off_seg p;

	(void)state;
	cut(true, TH_ACK, &p);
	check_segments(true, &p, TH_ACK);
	join_and_check(true);
}

/* A tun's packets have no Ethernet header: the same segments without it. */
static void
test_tun(void **state)
{
	static uint8_t ip[OFF_FRAME_MAX], ipseg[2048];
	struct virtio_net_hdr h, h2;
	struct off_seg p, q;
	size_t len;
	unsigned i;
	bool v6;

	(void)state;
	for (v6 = false;; v6 = true) {
		cut(v6, TH_ACK, &p);
		len = make_big(v6, TH_ACK) - 14;
		memcpy(ip, big + 14, len);
		memset(&h, 0, sizeof(h));
		h.gso_type =
		    v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4;
		h.gso_size = MSS;
		assert_int_equal(off_seg_plan(&h, ip, len, false, &q), 0);
		assert_int_equal(q.nseg, p.nseg);
		assert_int_equal(q.l3, 0);
		for (i = 0; i < q.nseg; i++) {
			assert_int_equal(off_seg_build(&q, ip, i, ipseg),
			    seglen[i] - 14);
			assert_memory_equal(ipseg, seg[i] + 14, seglen[i] - 14);
			if (i == 0)
				assert_true(off_gro_start(&g, ipseg,
				    seglen[i] - 14, false));
			else
				assert_true(
				    off_gro_append(&g, ipseg, seglen[i] - 14));
		}
		off_gro_finish(&g, &h2);
		assert_int_equal(h2.csum_start, v6 ? 40 : 20);
		assert_int_equal(h2.hdr_len, (v6 ? 40 : 20) + 20 + OPTLEN);
		assert_int_equal(g.len, len);
		assert_memory_equal(g.buf + (v6 ? 40 : 20) + 20,
		    ip + (v6 ? 40 : 20) + 20, len - (v6 ? 40 : 20) - 20);
		/* An Ethernet frame is not a tun packet. */
		assert_false(off_gro_start(&g, seg[0], seglen[0], false));
		if (v6)
			break;
	}
}

/* What must not be joined. */
static void
test_refusals(void **state)
{
	struct off_seg p;
	uint8_t other[2048];

	(void)state;
	cut(false, TH_ACK, &p);
	/* Out of order. */
	assert_true(off_gro_start(&g, seg[0], seglen[0], true));
	assert_false(off_gro_append(&g, seg[2], seglen[2]));
	assert_true(off_gro_append(&g, seg[1], seglen[1]));
	/* Another flow (port), and a changed ack, are not the next segment. */
	memcpy(other, seg[2], seglen[2]);
	other[34 + 1] ^= 1;
	assert_false(off_gro_same_flow(&g, other, seglen[2]));
	assert_false(off_gro_append(&g, other, seglen[2]));
	memcpy(other, seg[2], seglen[2]);
	other[34 + 11] ^= 1;
	assert_true(off_gro_same_flow(&g, other, seglen[2]));
	assert_false(off_gro_append(&g, other, seglen[2]));
	/* A SYN, a frame with Ethernet padding, a cut-off frame. */
	memcpy(other, seg[0], seglen[0]);
	other[34 + 13] |= TH_SYN;
	assert_false(off_gro_start(&g, other, seglen[0], true));
	assert_false(off_gro_start(&g, seg[0], seglen[0] + 1, true));
	assert_false(off_gro_start(&g, seg[0], 40, true));
	/* A PSH segment ends the frame it joins. */
	assert_true(off_gro_start(&g, seg[0], seglen[0], true));
	memcpy(other, seg[1], seglen[1]);
	other[34 + 13] |= TH_PSH;
	assert_true(off_gro_append(&g, other, seglen[1]));
	assert_false(off_gro_append(&g, seg[2], seglen[2]));
	/* A single segment is written as it is. */
	{
		struct virtio_net_hdr h;

		assert_true(off_gro_start(&g, seg[3], seglen[3], true));
		off_gro_finish(&g, &h);
		assert_int_equal(h.gso_type, VIRTIO_NET_HDR_GSO_NONE);
		assert_int_equal(h.flags, 0);
		assert_memory_equal(g.buf, seg[3], seglen[3]);
	}
}

/* Plans the kernel could send that we refuse, and a checksum to finish. */
static void
test_plan_and_csum(void **state)
{
	struct virtio_net_hdr h;
	struct off_seg p;
	size_t len = make_big(false, TH_ACK);
	uint16_t c;

	(void)state;
	memset(&h, 0, sizeof(h));
	h.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	h.gso_size = 0;
	assert_int_equal(off_seg_plan(&h, big, len, true, &p), -1);
	h.gso_size = 8; /* too many segments */
	assert_int_equal(off_seg_plan(&h, big, len, true, &p), -1);
	h.gso_size = MSS;
	h.gso_type = VIRTIO_NET_HDR_GSO_TCPV6; /* not what the frame is */
	assert_int_equal(off_seg_plan(&h, big, len, true, &p), -1);
	h.gso_type = VIRTIO_NET_HDR_GSO_UDP;
	assert_int_equal(off_seg_plan(&h, big, len, true, &p), -1);
	h.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	assert_int_equal(off_seg_plan(&h, big, 60, true, &p), -1);

	/* NEEDS_CSUM without GSO: the field holds the pseudo-header sum. */
	len = 34 + 32 + 100;
	big[16] = (uint8_t)((len - 14) >> 8), big[17] = (uint8_t)(len - 14);
	c = rfc1071(NULL, 0, pseudo(big + 14, false, len - 34));
	big[34 + 16] = (uint8_t)(c >> 8), big[34 + 17] = (uint8_t)c;
	h.gso_type = VIRTIO_NET_HDR_GSO_NONE;
	h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h.csum_start = 34;
	h.csum_offset = 16;
	assert_int_equal(off_csum_complete(&h, big, len), 0);
	assert_int_equal(rfc1071(big + 34, len - 34,
			     pseudo(big + 14, false, len - 34)),
	    0xffff);
	h.csum_offset = (uint16_t)(len - 34 - 1);
	assert_int_equal(off_csum_complete(&h, big, len), -1);
	h.csum_start = (uint16_t)(len + 1);
	assert_int_equal(off_csum_complete(&h, big, len), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_tun),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_plan_and_csum),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
