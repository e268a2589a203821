/*
 * Joining TCP segments on their way to a tap (daemons/vland/gro.c),
 * with a struct gro of the test's own and each session's tap a
 * SOCK_SEQPACKET socketpair, so every write is read back as it was
 * made: its virtio header and length. What is joined (in-order
 * segments of one flow, of one session), where a batch ends (64 KiB of
 * IP, OFF_SEGS_MAX segments, a short or PSH segment, a gap, a frame
 * that cannot be joined, more flows than GRO_SLOTS, the session going
 * away, the end of the UDP batch), that a session's frames keep their
 * order, and what is counted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "gro.h"
#include "session.h"

#define TH_PSH 0x08
#define TH_ACK 0x10
#define TH_SYN 0x02

/* Large: not on the stack. */
static struct gro gr;
static struct counters total;
static struct session sa, sb;
static int peer_a = -1, peer_b = -1; /* the taps' far ends */

/* What a tap received. */
struct written {
	struct virtio_net_hdr h;
	size_t len; /* the frame, without its header */
	uint8_t first[64];
};
static struct written w[512];
static unsigned nw;

/* A flow: Ethernet (or not), IPv4, TCP from port sport. */
struct flow {
	uint16_t sport;
	uint32_t seq;
	bool eth;
};

static size_t
segment(const struct flow *f, uint8_t *buf, size_t paylen, uint8_t flags)
{
	size_t l3 = f->eth ? 14 : 0, len = l3 + 40 + paylen, i;
	uint8_t *ip = buf + l3, *th = ip + 20;

	memset(buf, 0, len);
	if (f->eth) {
		memcpy(buf, "\x62\xe2\x0a\x00\x00\x64\x62\xe2\x0a\x00\x00\x65",
		    12);
		buf[12] = 0x08;
	}
	ip[0] = 0x45;
	ip[2] = (uint8_t)((len - l3) >> 8);
	ip[3] = (uint8_t)(len - l3);
	ip[6] = 0x40;
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, "\x0a\x00\x00\x65\x0a\x00\x00\x64", 8);
	th[0] = (uint8_t)(f->sport >> 8);
	th[1] = (uint8_t)f->sport;
	th[2] = 0x00, th[3] = 0x50;
	th[4] = (uint8_t)(f->seq >> 24), th[5] = (uint8_t)(f->seq >> 16);
	th[6] = (uint8_t)(f->seq >> 8), th[7] = (uint8_t)f->seq;
	th[11] = 1;
	th[12] = 5 << 4;
	th[13] = flags;
	th[14] = 0xff;
	for (i = 0; i < paylen; i++)
		th[20 + i] = (uint8_t)(f->seq + i);
	return len;
}

/* The next segment of f, paylen bytes, to session s. */
static void
send_seg(struct session *s, struct flow *f, size_t paylen, uint8_t flags)
{
	static uint8_t buf[2048];
	size_t len = segment(f, buf, paylen, flags);

	gro_add(&gr, s, buf, len);
	f->seq += (uint32_t)paylen;
}

/* Read what both taps received since the last time, in order of
 * arrival per tap (a's first). */
static void
drain(void)
{
	static uint8_t buf[OFF_VNET_HDR_LEN + OFF_FRAME_MAX];
	int fds[2] = { peer_a, peer_b }, i;
	ssize_t n;

	nw = 0;
	for (i = 0; i < 2; i++)
		while ((n = recv(fds[i], buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
			assert_true(nw < sizeof(w) / sizeof(w[0]));
			assert_true((size_t)n >= OFF_VNET_HDR_LEN);
			memcpy(&w[nw].h, buf, sizeof(w[nw].h));
			w[nw].len = (size_t)n - OFF_VNET_HDR_LEN;
			memcpy(w[nw].first, buf + OFF_VNET_HDR_LEN,
			    sizeof(w[nw].first));
			nw++;
		}
}

/* Write k: joined from nseg segments of mss (or one frame as it was). */
static void
assert_write(unsigned k, unsigned nseg, uint16_t mss, size_t len)
{
	assert_true(k < nw);
	assert_int_equal(w[k].len, len);
	if (nseg == 1) {
		assert_int_equal(w[k].h.gso_type, VIRTIO_NET_HDR_GSO_NONE);
		return;
	}
	assert_int_equal(w[k].h.gso_type, VIRTIO_NET_HDR_GSO_TCPV4);
	assert_int_equal(w[k].h.gso_size, mss);
	assert_int_equal((w[k].len - w[k].h.hdr_len + mss - 1) / mss, nseg);
}

/* The TCP source port of write k. */
static uint16_t
sport_of(unsigned k, bool eth)
{
	const uint8_t *th = w[k].first + (eth ? 14 : 0) + 20;

	return (uint16_t)(th[0] << 8 | th[1]);
}

static void
tap(struct session *s, int *peer)
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	memset(s, 0, sizeof(*s));
	s->tapfd = sv[0];
	*peer = sv[1];
}

static int
setup(void **state)
{
	(void)state;
	memset(&total, 0, sizeof(total));
	gro_init(&gr, true, true, &total);
	tap(&sa, &peer_a);
	tap(&sb, &peer_b);
	nw = 0;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	close(sa.tapfd);
	close(sb.tapfd);
	close(peer_a);
	close(peer_b);
	return 0;
}

static void
test_joined(void **state)
{
	struct flow f = { 40000, 1000, true };
	unsigned i;

	(void)state;
	for (i = 0; i < 10; i++)
		send_seg(&sa, &f, 1400, TH_ACK);
	/* Nothing until the end of the UDP batch. */
	drain();
	assert_int_equal(nw, 0);
	gro_flush(&gr);
	drain();
	assert_int_equal(nw, 1);
	assert_write(0, 10, 1400, 14 + 40 + 10 * 1400);
	assert_int_equal(w[0].h.hdr_len, 14 + 40);
	assert_int_equal(w[0].h.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	assert_int_equal(w[0].h.csum_start, 14 + 20);
	/* Counted as the frames came, on a hub as the endpoint's sends. */
	assert_int_equal(sa.c.tx_packets, 10);
	assert_int_equal(sa.c.tx_bytes, 10 * (14 + 40 + 1400));
	assert_int_equal(total.tx_packets, 10);
	assert_int_equal(sa.c.rx_packets, 0);
	/* One segment alone: written as it came. */
	send_seg(&sa, &f, 1400, TH_ACK);
	gro_flush(&gr);
	drain();
	assert_int_equal(nw, 1);
	assert_write(0, 1, 0, 14 + 40 + 1400);
}

static void
test_size_limit(void **state)
{
	struct flow f = { 40000, 7, true };
	unsigned i;

	(void)state;
	/* 64 KiB of IP: 46 segments of 1400 and their headers. */
	for (i = 0; i < 100; i++)
		send_seg(&sa, &f, 1400, TH_ACK);
	drain();
	assert_int_equal(nw, 2);
	assert_write(0, 46, 1400, 14 + 40 + 46 * 1400);
	assert_write(1, 46, 1400, 14 + 40 + 46 * 1400);
	gro_flush(&gr);
	drain();
	assert_int_equal(nw, 1);
	assert_write(0, 8, 1400, 14 + 40 + 8 * 1400);
	assert_int_equal(sa.c.tx_packets, 100);
}

static void
test_count_limit(void **state)
{
	struct flow f = { 40000, 7, true };
	unsigned i;

	(void)state;
	for (i = 0; i < OFF_SEGS_MAX + 10; i++)
		send_seg(&sa, &f, 100, TH_ACK);
	drain();
	assert_int_equal(nw, 1);
	assert_write(0, OFF_SEGS_MAX, 100, 14 + 40 + OFF_SEGS_MAX * 100);
	gro_flush(&gr);
	drain();
	assert_int_equal(nw, 1);
	assert_write(0, 10, 100, 14 + 40 + 10 * 100);
}

static void
test_batch_ends(void **state)
{
	struct flow f = { 40000, 7, true };

	(void)state;
	/* A short segment ends the batch (it is joined, the next is
	 * not), and the batch is written before the next one starts. */
	send_seg(&sa, &f, 1400, TH_ACK);
	send_seg(&sa, &f, 1400, TH_ACK);
	send_seg(&sa, &f, 600, TH_ACK);
	send_seg(&sa, &f, 1400, TH_ACK);
	drain();
	assert_int_equal(nw, 1);
	assert_write(0, 3, 1400, 14 + 40 + 3400);
	/* So does PSH. */
	send_seg(&sa, &f, 1400, TH_ACK | TH_PSH);
	send_seg(&sa, &f, 1400, TH_ACK);
	drain();
	assert_int_equal(nw, 1);
	assert_write(0, 2, 1400, 14 + 40 + 2800);
	/* A gap (a segment lost) or a longer segment: no join. */
	f.seq += 1400;
	send_seg(&sa, &f, 1400, TH_ACK);
	drain();
	assert_int_equal(nw, 1);
	assert_write(0, 1, 0, 14 + 40 + 1400);
	send_seg(&sa, &f, 1500, TH_ACK);
	drain();
	assert_int_equal(nw, 1);
	assert_write(0, 1, 0, 14 + 40 + 1400);
	gro_flush(&gr);
	drain();
	assert_int_equal(nw, 1);
	assert_write(0, 1, 0, 14 + 40 + 1500);
	/* Not ACK alone (SYN): written at once, never held. */
	send_seg(&sa, &f, 100, TH_SYN | TH_ACK);
	drain();
	assert_int_equal(nw, 1);
	assert_write(0, 1, 0, 14 + 40 + 100);
	assert_int_equal(sa.c.tx_packets, 9);
}

static void
test_flows(void **state)
{
	struct flow f1 = { 40001, 7, true }, f2 = { 40002, 7, true };
	struct flow g = { 40003, 7, true };
	unsigned i;

	(void)state;
	/* Two flows of a and one of b, interleaved: each joined. */
	for (i = 0; i < 4; i++) {
		send_seg(&sa, &f1, 1000, TH_ACK);
		send_seg(&sb, &g, 1000, TH_ACK);
		send_seg(&sa, &f2, 1000, TH_ACK);
	}
	drain();
	assert_int_equal(nw, 0);
	gro_flush(&gr);
	drain();
	assert_int_equal(nw, 3);
	/* Oldest first: on a's tap f1, then f2; then b's. */
	assert_write(0, 4, 1000, 14 + 40 + 4000);
	assert_int_equal(sport_of(0, true), 40001);
	assert_write(1, 4, 1000, 14 + 40 + 4000);
	assert_int_equal(sport_of(1, true), 40002);
	assert_write(2, 4, 1000, 14 + 40 + 4000);
	assert_int_equal(sport_of(2, true), 40003);
	assert_int_equal(sa.c.tx_packets, 8);
	assert_int_equal(sb.c.tx_packets, 4);
	/* A segment of a's flow to b is b's: not joined with a's. */
	f1.seq = 1;
	g = f1;
	send_seg(&sa, &f1, 1000, TH_ACK);
	send_seg(&sb, &g, 1000, TH_ACK);
	gro_flush(&gr);
	drain();
	assert_int_equal(nw, 2);
	assert_write(0, 1, 0, 14 + 40 + 1000);
	assert_write(1, 1, 0, 14 + 40 + 1000);
}

static void
test_order_kept(void **state)
{
	static const uint8_t arp[42] = { [12] = 0x08, [13] = 0x06 };
	struct flow f1 = { 40001, 7, true }, f2 = { 40002, 7, true };
	struct flow g = { 40003, 7, true };

	(void)state;
	send_seg(&sa, &f1, 1000, TH_ACK);
	send_seg(&sa, &f1, 1000, TH_ACK);
	send_seg(&sa, &f2, 1000, TH_ACK);
	send_seg(&sb, &g, 1000, TH_ACK);
	/* A frame that cannot be joined: all of a's pending first, oldest
	 * first, then it; b's stays pending. */
	gro_add(&gr, &sa, arp, sizeof(arp));
	drain();
	assert_int_equal(nw, 3);
	assert_int_equal(sport_of(0, true), 40001);
	assert_write(0, 2, 1000, 14 + 40 + 2000);
	assert_int_equal(sport_of(1, true), 40002);
	assert_write(2, 1, 0, sizeof(arp));
	assert_int_equal(sa.c.tx_packets, 4);
	assert_int_equal(sb.c.tx_packets, 0);
	/* b goes away: its frames are written first. */
	gro_session_gone(&gr, &sb);
	drain();
	assert_int_equal(nw, 1);
	assert_int_equal(sport_of(0, true), 40003);
	gro_flush(&gr);
	drain();
	assert_int_equal(nw, 0);
}

static void
test_slots(void **state)
{
	struct flow f[GRO_SLOTS + 2];
	unsigned i;

	(void)state;
	/* One flow more than there are slots: the oldest is written to
	 * make room. */
	for (i = 0; i < GRO_SLOTS + 2; i++) {
		f[i].sport = (uint16_t)(41000 + i);
		f[i].seq = 7;
		f[i].eth = true;
		send_seg(&sa, &f[i], 1000, TH_ACK);
		send_seg(&sa, &f[i], 1000, TH_ACK);
	}
	drain();
	assert_int_equal(nw, 2);
	assert_int_equal(sport_of(0, true), 41000);
	assert_int_equal(sport_of(1, true), 41001);
	assert_write(0, 2, 1000, 14 + 40 + 2000);
	gro_flush(&gr);
	drain();
	assert_int_equal(nw, GRO_SLOTS);
	for (i = 0; i < GRO_SLOTS; i++)
		assert_int_equal(sport_of(i, true), 41002 + i);
}

static void
test_tap_fails(void **state)
{
	static const uint8_t arp[42] = { [12] = 0x08, [13] = 0x06 };
	struct flow f = { 40000, 7, true };
	int fd = sa.tapfd;

	(void)state;
	/* The tap refuses the write: the frames are dropped, counted. */
	sa.tapfd = -1;
	send_seg(&sa, &f, 1000, TH_ACK);
	send_seg(&sa, &f, 1000, TH_ACK);
	send_seg(&sa, &f, 1000, TH_ACK);
	gro_flush(&gr);
	gro_add(&gr, &sa, arp, sizeof(arp));
	sa.tapfd = fd;
	assert_int_equal(sa.c.drops[DROP_TAP], 4);
	assert_int_equal(total.drops[DROP_TAP], 4);
	assert_int_equal(sa.c.tx_packets, 0);
}

static void
test_tun_endpoint(void **state)
{
	struct flow f = { 40000, 7, false };
	unsigned i;

	(void)state;
	/* An endpoint's tun: IP packets, counted as received. */
	gro_init(&gr, false, false, &total);
	for (i = 0; i < 5; i++)
		send_seg(&sa, &f, 1200, TH_ACK);
	gro_flush(&gr);
	drain();
	assert_int_equal(nw, 1);
	assert_write(0, 5, 1200, 40 + 5 * 1200);
	assert_int_equal(w[0].h.hdr_len, 40);
	assert_int_equal(sa.c.rx_packets, 5);
	assert_int_equal(sa.c.rx_bytes, 5 * (40 + 1200));
	assert_int_equal(total.rx_packets, 5);
	assert_int_equal(sa.c.tx_packets, 0);
	/* An Ethernet frame on a tun is no TCP segment. */
	f.eth = true;
	send_seg(&sa, &f, 1200, TH_ACK);
	drain();
	assert_int_equal(nw, 1);
	assert_write(0, 1, 0, 14 + 40 + 1200);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_joined, setup, teardown),
		cmocka_unit_test_setup_teardown(test_size_limit, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_count_limit, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_batch_ends, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_flows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_order_kept, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_slots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tap_fails, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tun_endpoint, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
