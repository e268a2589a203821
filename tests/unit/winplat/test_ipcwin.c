/*
 * platform/windows/ipcwin.c under wine: ipc.h's records over a
 * connected loopback TCP pair, as vland.exe's channel to its
 * in-process vland-ifmgr. Records of every size arrive whole, in order
 * and as sent, however the stream cuts them; a socket handed over
 * arrives as another socket of the process that works after the
 * sender closed its own; a channel that takes no descriptor refuses
 * one; a closed end reads as the end (0), nothing to read as EAGAIN.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <event2/util.h>

#include "ipc.h"
#include "winapi.h"

static struct ipc_chan a, b;

static void
pair(int pass_b)
{
	evutil_socket_t sv[2];

	assert_int_equal(evutil_socketpair(AF_INET, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(ipc_init(&a, (int)sv[0], 1), 0);
	assert_int_equal(ipc_init(&b, (int)sv[1], pass_b), 0);
}

static int
setup(void **state)
{
	WSADATA wsa;

	(void)state;
	assert_int_equal(WSAStartup(MAKEWORD(2, 2), &wsa), 0);
	pair(1);
	return 0;
}

static int
setup_nopass(void **state)
{
	WSADATA wsa;

	(void)state;
	assert_int_equal(WSAStartup(MAKEWORD(2, 2), &wsa), 0);
	pair(0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ipc_clear(&a);
	ipc_clear(&b);
	WSACleanup();
	return 0;
}

/* The next record at b, flushing a while it comes (at most 5 s). */
static int
next(struct ipc_msg *m)
{
	int i, n;

	for (i = 0; i < 500; i++) {
		ipc_flush(&a);
		if ((n = ipc_read(&b, m)) != -1 || errno != EAGAIN)
			return n;
		Sleep(10);
	}
	return -1;
}

static void
test_records(void **state)
{
	static uint8_t big[IPC_MAX_PAYLOAD];
	struct ipc_msg m;
	size_t i;
	int k;

	(void)state;
	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	/* Nothing yet. */
	assert_int_equal(ipc_read(&b, &m), -1);
	assert_int_equal(errno, EAGAIN);
	for (k = 0; k < 3; k++) {
		assert_int_equal(ipc_compose(&a, 10, 1, 2, -1, NULL, 0), 0);
		assert_int_equal(ipc_compose(&a, 11, 3, 4, -1, "abc", 3), 0);
		assert_int_equal(ipc_compose(&a, 12, 5, 6, -1, big,
				     sizeof(big)),
		    0);
	}
	assert_int_equal(ipc_compose(&a, 1, 0, 0, -1, big, sizeof(big) + 1),
	    -1);
	assert_int_equal(errno, EMSGSIZE);
	for (k = 0; k < 3; k++) {
		assert_int_equal(next(&m), 1);
		assert_int_equal(m.hdr.type, 10);
		assert_int_equal(m.hdr.peerid, 1);
		assert_int_equal(m.hdr.reqid, 2);
		assert_int_equal(m.datalen, 0);
		assert_int_equal(m.fd, -1);
		assert_int_equal(next(&m), 1);
		assert_int_equal(m.hdr.type, 11);
		assert_int_equal(m.datalen, 3);
		assert_memory_equal(m.data, "abc", 3);
		assert_int_equal(next(&m), 1);
		assert_int_equal(m.hdr.type, 12);
		assert_int_equal(m.hdr.reqid, 6);
		assert_int_equal(m.datalen, sizeof(big));
		assert_memory_equal(m.data, big, sizeof(big));
	}
	assert_int_equal(ipc_read(&b, &m), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(a.queued, 0);
}

/* A bound UDP socket, and its port. */
static SOCKET
udp_socket(uint16_t *port)
{
	struct sockaddr_in sin;
	int len = sizeof(sin);
	SOCKET s = socket(AF_INET, SOCK_DGRAM, 0);

	assert_true(s != INVALID_SOCKET);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return s;
}

static void
test_descriptor(void **state)
{
	struct sockaddr_in to;
	struct ipc_msg m;
	uint16_t pdev, pdst;
	SOCKET dev = udp_socket(&pdev), dst = udp_socket(&pdst);
	char buf[16];

	(void)state;
	assert_int_equal(ipc_compose(&a, 20, 0, 7, (int)dev, "dev", 3), 0);
	/* The sender's socket may go at once: the record has its own. */
	closesocket(dev);
	assert_int_equal(next(&m), 1);
	assert_int_equal(m.hdr.type, 20);
	assert_int_equal(m.hdr.flags, IPC_FLAG_FD);
	assert_int_equal(m.datalen, 3);
	assert_true(m.fd != -1);
	/* The same socket: it sends from the port dev was bound to. */
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	to.sin_port = htons(pdst);
	assert_int_equal(sendto((SOCKET)m.fd, "frame", 5, 0,
			     (struct sockaddr *)&to, sizeof(to)),
	    5);
	{
		struct sockaddr_in from;
		int flen = sizeof(from);
		fd_set rd;
		struct timeval tv = { 5, 0 };

		FD_ZERO(&rd);
		FD_SET(dst, &rd);
		assert_int_equal(select(0, &rd, NULL, NULL, &tv), 1);
		assert_int_equal(recvfrom(dst, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &flen),
		    5);
		assert_memory_equal(buf, "frame", 5);
		assert_int_equal(ntohs(from.sin_port), pdev);
	}
	closesocket((SOCKET)m.fd);
	closesocket(dst);
}

static void
test_descriptor_refused(void **state)
{
	struct ipc_msg m;
	uint16_t p;
	SOCKET s = udp_socket(&p);

	(void)state;
	/* b takes no descriptor: the record is malformed there. */
	assert_int_equal(ipc_compose(&a, 20, 0, 0, (int)s, NULL, 0), 0);
	closesocket(s);
	assert_int_equal(next(&m), -1);
	assert_int_equal(errno, EBADMSG);
	/* Nor does b send one. */
	s = udp_socket(&p);
	assert_int_equal(ipc_compose(&b, 20, 0, 0, (int)s, NULL, 0), -1);
	assert_int_equal(errno, EINVAL);
	closesocket(s);
}

static void
test_closed(void **state)
{
	struct ipc_msg m;

	(void)state;
	assert_int_equal(ipc_compose(&a, 30, 0, 0, -1, "x", 1), 0);
	ipc_clear(&a);
	/* What was sent first, then the end. */
	assert_int_equal(next(&m), 1);
	assert_int_equal(m.hdr.type, 30);
	assert_int_equal(next(&m), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_descriptor, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_descriptor_refused,
		    setup_nopass, teardown),
		cmocka_unit_test_setup_teardown(test_closed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
