/*
 * UDP batching (daemons/vland/udp.c) with a struct udp_tx and udp_rx of
 * the test's own. Without a socket: how a batch is grouped into
 * UDP_SEGMENT messages (same destination, same size, the last one
 * alone shorter, at most UDP_GSO_BYTES). Over loopback UDP sockets: a
 * batch goes out when BATCH datagrams are queued, in order, one run per
 * socket, and intact; a socket that refuses is counted; datagrams the
 * kernel joined (UDP_GRO) are cut apart again on receipt, a receive
 * takes about BATCH datagrams whatever they were joined into, datagrams
 * too large are dropped and counted, and the sockets are read after
 * UDP_STARVE_MAX device batches. The one-at-a-time path (udp_single.c,
 * Windows' only one) runs the sending and receiving tests again, on
 * sockets without UDP_GRO.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/udp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include <cmocka.h>

#include "udp.h"

/* Large: not on the stack. */
static struct udp_tx tx;
static struct udp_rx rx;
static struct counters total;
/* Two sockets that send (tx's 0 and 1), two that receive (rx's 0, with
 * UDP_GRO, and one without). */
static int sfd[2], rfd[2];
static struct peer_addr to_r0, to_r1, to_r0_via1, to_s0;

/* What udp_receive handed over. */
static struct {
	size_t len;
	uint8_t first;
	struct peer_addr from;
} got[256];
static unsigned ngot;

static int
lo_socket(bool gro)
{
	struct sockaddr_in sin;
	int fd, one = 1;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	assert_true(fd != -1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	if (gro)
		assert_int_equal(setsockopt(fd, IPPROTO_UDP, UDP_GRO, &one,
				     sizeof(one)),
		    0);
	return fd;
}

/* Where fd is, reached through socket number sock. */
static struct peer_addr
peer_of(int fd, int sock)
{
	struct peer_addr p;

	memset(&p, 0, sizeof(p));
	p.len = sizeof(struct sockaddr_in);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&p.ss, &p.len), 0);
	p.sock = sock;
	return p;
}

/* Queue one datagram of len bytes, all of them `mark'. */
static void
queue(const struct peer_addr *to, size_t len, uint8_t mark)
{
	uint8_t *slot = udp_tx_slot(&tx);

	memset(slot, mark, len);
	udp_tx_commit(&tx, to, len);
}

/* The UDP_SEGMENT size of message k, or 0 if it has none. */
static uint16_t
segment_of(unsigned k)
{
	struct msghdr *m = &tx.gsomsg[k].msg_hdr;
	struct cmsghdr *cm = CMSG_FIRSTHDR(m);
	uint16_t seg;

	if (m->msg_controllen == 0)
		return 0;
	if (cm == NULL) {
		fail();
		return 0;
	}
	assert_int_equal(cm->cmsg_level, IPPROTO_UDP);
	assert_int_equal(cm->cmsg_type, UDP_SEGMENT);
	memcpy(&seg, CMSG_DATA(cm), sizeof(seg));
	return seg;
}

static void
assert_message(unsigned k, unsigned first, unsigned count, uint16_t seg)
{
	assert_int_equal(tx.gsofirst[k], first);
	assert_int_equal(tx.gsocount[k], count);
	assert_int_equal(tx.gsomsg[k].msg_hdr.msg_iovlen, count);
	assert_ptr_equal(tx.gsomsg[k].msg_hdr.msg_iov, &tx.iov[first]);
	assert_int_equal(segment_of(k), seg);
}

/* Datagrams waiting at fd: their lengths and first bytes. */
static unsigned
read_all(int fd, size_t *len, uint8_t *first, unsigned max)
{
	static uint8_t buf[UDP_RXBUF_SZ];
	unsigned n = 0;
	ssize_t r;

	while ((r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) >= 0) {
		assert_true(n < max);
		len[n] = (size_t)r;
		first[n] = r > 0 ? buf[0] : 0;
		/* Every byte of a datagram is its mark. */
		assert_true(r == 0 || buf[r - 1] == buf[0]);
		n++;
	}
	return n;
}

static void
take(uint8_t *buf, size_t len, struct peer_addr *from)
{
	assert_true(ngot < sizeof(got) / sizeof(got[0]));
	got[ngot].len = len;
	got[ngot].first = len > 0 ? buf[0] : 0;
	got[ngot].from = *from;
	ngot++;
}

static int
setup(void **state)
{
	(void)state;
	memset(&total, 0, sizeof(total));
	sfd[0] = lo_socket(false);
	sfd[1] = lo_socket(false);
	rfd[0] = lo_socket(true);
	rfd[1] = lo_socket(false);
	udp_tx_init(&tx, sfd, &total);
	udp_rx_init(&rx, rfd, &total);
	to_r0 = peer_of(rfd[0], 0);
	to_r1 = peer_of(rfd[1], 0);
	to_r0_via1 = peer_of(rfd[0], 1);
	to_s0 = peer_of(sfd[0], 0);
	ngot = 0;
	return 0;
}

/* The same sockets, none with UDP_GRO, and the path of sendto and
 * recvfrom. */
static int
setup_single(void **state)
{
	setup(state);
	close(rfd[0]);
	rfd[0] = lo_socket(false);
	to_r0 = peer_of(rfd[0], 0);
	to_r0_via1 = peer_of(rfd[0], 1);
	tx.single = true;
	rx.single = true;
	return 0;
}

static int
teardown(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		close(sfd[i]);
		close(rfd[i]);
	}
	return 0;
}

static void
test_group_same_size(void **state)
{
	unsigned i;

	(void)state;
	for (i = 0; i < 10; i++)
		queue(&to_r0, 1200, 1);
	assert_int_equal(udp_gso_group(&tx, 0, tx.n), 1);
	assert_message(0, 0, 10, 1200);
	/* One alone: no UDP_SEGMENT. */
	tx.n = 0;
	queue(&to_r0, 1200, 1);
	assert_int_equal(udp_gso_group(&tx, 0, tx.n), 1);
	assert_message(0, 0, 1, 0);
	tx.n = 0;
}

static void
test_group_short_last(void **state)
{
	unsigned i;

	(void)state;
	/* The last may be shorter; nothing joins after it. */
	for (i = 0; i < 5; i++)
		queue(&to_r0, 1200, 1);
	queue(&to_r0, 300, 2);
	queue(&to_r0, 1200, 3);
	queue(&to_r0, 1200, 3);
	assert_int_equal(udp_gso_group(&tx, 0, tx.n), 2);
	assert_message(0, 0, 6, 1200);
	assert_message(1, 6, 2, 1200);
	tx.n = 0;
	/* Two short ones in a row: the second starts a message. */
	queue(&to_r0, 1200, 1);
	queue(&to_r0, 300, 2);
	queue(&to_r0, 300, 2);
	assert_int_equal(udp_gso_group(&tx, 0, tx.n), 2);
	assert_message(0, 0, 2, 1200);
	assert_message(1, 2, 1, 0);
	tx.n = 0;
	/* A larger one never joins a smaller. */
	queue(&to_r0, 1000, 1);
	queue(&to_r0, 1200, 2);
	assert_int_equal(udp_gso_group(&tx, 0, tx.n), 2);
	assert_message(0, 0, 1, 0);
	assert_message(1, 1, 1, 0);
	tx.n = 0;
}

static void
test_group_destinations(void **state)
{
	struct peer_addr other_port = to_r0;

	(void)state;
	((struct sockaddr_in *)&other_port.ss)->sin_port ^= htons(1);
	queue(&to_r0, 1200, 1);
	queue(&to_r0, 1200, 1);
	queue(&to_r1, 1200, 2);
	queue(&to_r1, 1200, 2);
	queue(&to_r0, 1200, 1);
	queue(&other_port, 1200, 3);
	assert_int_equal(udp_gso_group(&tx, 0, tx.n), 4);
	assert_message(0, 0, 2, 1200);
	assert_message(1, 2, 2, 1200);
	assert_message(2, 4, 1, 0);
	assert_message(3, 5, 1, 0);
	tx.n = 0;
}

static void
test_group_bytes(void **state)
{
	unsigned i;

	(void)state;
	/* UDP_GSO_BYTES: 46 datagrams of 1400, then the rest. */
	for (i = 0; i < 60; i++)
		queue(&to_r0, 1400, 1);
	assert_int_equal(udp_gso_group(&tx, 0, tx.n), 2);
	assert_message(0, 0, UDP_GSO_BYTES / 1400, 1400);
	assert_message(1, UDP_GSO_BYTES / 1400, 60 - UDP_GSO_BYTES / 1400,
	    1400);
	tx.n = 0;
	/* As many small ones as a batch holds: one message. */
	for (i = 0; i < BATCH - 1; i++)
		queue(&to_r0, 100, 1);
	assert_int_equal(udp_gso_group(&tx, 0, tx.n), 1);
	assert_message(0, 0, BATCH - 1, 100);
	/* A range: what one socket's run is. */
	assert_int_equal(udp_gso_group(&tx, 10, 20), 1);
	assert_message(0, 10, 10, 100);
	tx.n = 0;
}

static void
test_flush_at_batch(void **state)
{
	size_t len[BATCH + 1];
	uint8_t first[BATCH + 1];
	unsigned i;

	(void)state;
	for (i = 0; i < BATCH - 1; i++)
		queue(&to_r1, 100 + i, (uint8_t)i);
	assert_int_equal(tx.n, BATCH - 1);
	assert_int_equal(read_all(rfd[1], len, first, BATCH + 1), 0);
	/* The last one a batch holds: sent at once. */
	queue(&to_r1, 100 + i, (uint8_t)i);
	assert_int_equal(tx.n, 0);
	assert_int_equal(read_all(rfd[1], len, first, BATCH + 1), BATCH);
	for (i = 0; i < BATCH; i++) {
		assert_int_equal(len[i], 100 + i);
		assert_int_equal(first[i], i);
	}
	/* udp_queue copies. */
	udp_queue(&tx, &to_r1, (const uint8_t *)"\x07\x07\x07", 3);
	udp_flush(&tx);
	assert_int_equal(read_all(rfd[1], len, first, BATCH + 1), 1);
	assert_int_equal(len[0], 3);
	assert_int_equal(first[0], 7);
	assert_int_equal(total.drops[DROP_SEND], 0);
}

static void
test_flush_runs(void **state)
{
	size_t len[32];
	uint8_t first[32];
	unsigned i, n;

	(void)state;
	/* Joined, then through the other socket, then joined again: all
	 * arrive, in order, each as it was queued. */
	for (i = 0; i < 10; i++)
		queue(&to_r0, 1200, (uint8_t)i);
	queue(&to_r0, 300, 10);
	queue(&to_r0_via1, 500, 11);
	queue(&to_r0_via1, 500, 12);
	queue(&to_r0, 1200, 13);
	queue(&to_r0, 1200, 14);
	udp_flush(&tx);
	assert_int_equal(tx.n, 0);
	/* rfd[0] has UDP_GRO: read through udp_receive, which cuts. */
	while (udp_receive(&rx, 0, take) > 0)
		;
	assert_int_equal(ngot, 15);
	for (i = 0; i < 15; i++) {
		assert_int_equal(got[i].first, i);
		assert_int_equal(got[i].len,
		    i < 10	  ? 1200
			: i == 10 ? 300
			: i < 13  ? 500
				  : 1200);
		assert_int_equal(got[i].from.sock, 0);
	}
	/* Each from the socket it was sent by. */
	assert_true(peer_equal(&got[0].from, &to_s0));
	assert_false(peer_equal(&got[11].from, &to_s0));
	assert_true(peer_equal(&got[13].from, &to_s0));
	/* And rfd[1] (no UDP_GRO) gets them one by one. */
	for (i = 0; i < 5; i++)
		queue(&to_r1, 1000, (uint8_t)i);
	udp_flush(&tx);
	n = read_all(rfd[1], len, first, 32);
	assert_int_equal(n, 5);
	for (i = 0; i < 5; i++)
		assert_int_equal(len[i], 1000);
	assert_int_equal(total.drops[DROP_SEND], 0);
}

static void
test_send_refused(void **state)
{
	int bad[2] = { -1, -1 };

	(void)state;
	/* Every message refused: its datagrams counted, the batch done. */
	tx.fds = bad;
	queue(&to_r0, 1200, 1);
	queue(&to_r0, 1200, 1);
	queue(&to_r0, 1200, 1);
	queue(&to_r1, 1200, 2);
	udp_flush(&tx);
	assert_int_equal(tx.n, 0);
	assert_int_equal(total.drops[DROP_SEND], 4);
	tx.fds = sfd;
}

static void
test_receive_paced(void **state)
{
	unsigned i;
	int n;

	(void)state;
	assert_int_equal(udp_receive(&rx, 0, take), 0);
	/* 16 joined in one message: then a receive asks for 64 / 16. */
	for (i = 0; i < 16; i++)
		queue(&to_r0, 1000, 1);
	udp_flush(&tx);
	assert_int_equal(udp_receive(&rx, 0, take), 1);
	assert_int_equal(ngot, 16);
	assert_int_equal(rx.per_msg, 16);
	/* Single datagrams now, of different sizes (never joined). */
	for (i = 0; i < 40; i++) {
		queue(&to_r0, 100 + i, 2);
		udp_flush(&tx);
	}
	ngot = 0;
	assert_int_equal(udp_receive(&rx, 0, take), BATCH / 16);
	/* It follows the traffic down: halved each time. */
	assert_int_equal(rx.per_msg, 8);
	assert_int_equal(udp_receive(&rx, 0, take), BATCH / 8);
	assert_int_equal(rx.per_msg, 4);
	assert_int_equal(udp_receive(&rx, 0, take), BATCH / 4);
	n = udp_receive(&rx, 0, take);
	assert_int_equal(n, 40 - BATCH / 16 - BATCH / 8 - BATCH / 4);
	assert_int_equal(rx.per_msg, 1);
	assert_int_equal(ngot, 40);
	for (i = 0; i < 40; i++)
		assert_int_equal(got[i].len, 100 + i);
}

static void
test_receive_too_large(void **state)
{
	static uint8_t big[PKT_MAX + 1];
	struct sockaddr_in *sin = (struct sockaddr_in *)&to_r0.ss;

	(void)state;
	memset(big, 9, sizeof(big));
	/* A datagram of PKT_MAX bytes is taken, one more is not. */
	assert_int_equal(sendto(sfd[0], big, PKT_MAX, 0, (struct sockaddr *)sin,
			     sizeof(*sin)),
	    PKT_MAX);
	assert_int_equal(sendto(sfd[0], big, PKT_MAX + 1, 0,
			     (struct sockaddr *)sin, sizeof(*sin)),
	    PKT_MAX + 1);
	assert_int_equal(udp_receive(&rx, 0, take), 2);
	assert_int_equal(ngot, 1);
	assert_int_equal(got[0].len, PKT_MAX);
	assert_int_equal(total.drops[DROP_TRUNC], 1);
}

static unsigned reads;

static void
on_read(evutil_socket_t fd, short ev, void *arg)
{
	(void)ev;
	assert_int_equal(fd, rfd[(intptr_t)arg]);
	reads++;
	udp_receive(&rx, (int)(intptr_t)arg, take);
}

static void
test_device_batches(void **state)
{
	struct event_base *base = event_base_new();
	struct event *ev[2];
	unsigned i;

	(void)state;
	assert_non_null(base);
	assert_int_equal(event_base_priority_init(base, PRIO_COUNT), 0);
	reads = 0;
	/* Nothing watched yet: never read from here. */
	for (i = 0; i < 2 * UDP_STARVE_MAX; i++)
		udp_device_batch(&rx);
	assert_int_equal(reads, 0);
	udp_events(&rx, base, 2, ev, on_read);
	/* A receive starts the count again. */
	udp_receive(&rx, 0, take);
	for (i = 0; i < UDP_STARVE_MAX - 1; i++)
		udp_device_batch(&rx);
	assert_int_equal(reads, 0);
	udp_device_batch(&rx);
	assert_int_equal(reads, 2);
	for (i = 0; i < UDP_STARVE_MAX - 1; i++)
		udp_device_batch(&rx);
	assert_int_equal(reads, 2);
	for (i = 0; i < 2; i++)
		event_free(ev[i]);
	event_base_free(base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_group_same_size, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_group_short_last, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_group_destinations, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_group_bytes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_flush_at_batch, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_flush_runs, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_send_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_receive_paced, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_receive_too_large, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_device_batches, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_flush_at_batch,
		    setup_single, teardown),
		cmocka_unit_test_setup_teardown(test_flush_runs, setup_single,
		    teardown),
		cmocka_unit_test_setup_teardown(test_send_refused, setup_single,
		    teardown),
		cmocka_unit_test_setup_teardown(test_receive_too_large,
		    setup_single, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
