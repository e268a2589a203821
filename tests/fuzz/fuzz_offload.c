/*
 * libFuzzer target: TCP segmentation and coalescing (common/offload.c).
 * Joining runs on frames a peer sends, cutting on what a tap hands over:
 * neither may read or write out of bounds, and what they produce must
 * hold together.
 *
 * Input: byte 0 picks the mode (byte 0 % 3) and whether frames are
 * Ethernet (byte 0 < 128, a tap) or IP packets (a tun).
 *   0: a virtio-net header (10 bytes), then a large frame to cut: every
 *      segment must carry a valid TCP checksum, and the segments'
 *      payloads together must be the frame's.
 *   1: frames, each as a 2-byte big-endian length and its bytes, joined
 *      in order; a joined frame must cut again into as many segments,
 *      whose payloads together are what was joined.
 *   2: a header and a frame for off_csum_complete.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "offload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t frame[OFF_FRAME_MAX], seg[OFF_FRAME_MAX], joined[OFF_FRAME_MAX];
static struct off_gro g;

/* A segment's TCP checksum, verified the independent way: the sum of
 * the pseudo-header and the segment folds to all ones. */
static void
check_tcp_csum(const struct off_seg *p, const uint8_t *s, size_t len)
{
	const uint8_t *ip = s + p->l3;
	size_t tcplen = len - p->l4;
	uint64_t sum;

	if (p->v6)
		sum = off_csum_add(0, ip + 8, 32) + htonl((uint32_t)tcplen) +
		    htonl(6);
	else
		sum = off_csum_add(0, ip + 12, 8) + htons(6) +
		    htons((uint16_t)tcplen);
	sum = off_csum_add(sum, s + p->l4, tcplen);
	if (off_csum_fold(sum) != 0xffff)
		abort();
}

/* Cut frame[0..len) as h says; the payloads must add up. Returns the
 * number of segments, 0 if refused. */
static unsigned
cut(const struct virtio_net_hdr *h, const uint8_t *f, size_t len, bool eth)
{
	struct off_seg p;
	size_t n, got = 0;
	unsigned i;

	if (off_seg_plan(h, f, len, eth, &p) == -1)
		return 0;
	if (p.nseg == 0 || p.nseg > OFF_SEGS_MAX || p.hlen > len)
		abort();
	for (i = 0; i < p.nseg; i++) {
		n = off_seg_build(&p, f, i, seg);
		if (n <= p.hlen || n > p.hlen + p.mss)
			abort();
		check_tcp_csum(&p, seg, n);
		if (memcmp(seg + p.hlen, f + p.hlen + got, n - p.hlen) != 0)
			abort();
		got += n - p.hlen;
	}
	if (got != len - p.hlen)
		abort();
	return p.nseg;
}

static void
mode_join(const uint8_t *d, size_t size, bool eth)
{
	struct virtio_net_hdr h;
	size_t n, paylen = 0, hlen = 0;
	bool started = false;

	while (size >= 2) {
		n = (size_t)(d[0] << 8 | d[1]);
		d += 2;
		size -= 2;
		if (n > size)
			n = size;
		if (started && off_gro_append(&g, d, n)) {
			paylen += n - g.hlen;
		} else if (!started && off_gro_start(&g, d, n, eth)) {
			started = true;
			hlen = g.hlen;
			paylen = n - g.hlen;
		}
		d += n;
		size -= n;
	}
	if (!started)
		return;
	if (g.len != hlen + paylen || g.len > sizeof(g.buf))
		abort();
	off_gro_finish(&g, &h);
	if (g.nseg == 1) {
		if (h.gso_type != VIRTIO_NET_HDR_GSO_NONE)
			abort();
		return;
	}
	/* What the kernel would do with it: cut it at gso_size. */
	memcpy(joined, g.buf, g.len);
	if (cut(&h, joined, g.len, eth) != g.nseg)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct virtio_net_hdr h;
	size_t len;

	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
	case 2:
		if (size < 1 + sizeof(h))
			return 0;
		memcpy(&h, data + 1, sizeof(h));
		len = size - 1 - sizeof(h);
		if (len > sizeof(frame))
			return 0;
		memcpy(frame, data + 1 + sizeof(h), len);
		if (data[0] % 3 == 0)
			cut(&h, frame, len, data[0] < 128);
		else if (off_csum_complete(&h, frame, len) == 0 &&
		    ((size_t)h.csum_start + h.csum_offset + 2 > len))
			abort();
		break;
	case 1:
		mode_join(data + 1, size - 1, data[0] < 128);
		break;
	}
	return 0;
}
