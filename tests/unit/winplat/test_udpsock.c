/*
 * platform/windows/udpsock.c under wine: the test-only UDP device's
 * socket is connected to the responder's port (what is sent on it
 * arrives there, from one port, and the answer comes back), is
 * non-blocking, and a duplicate sends and receives as the same socket
 * and outlives the original's close; a datagram nobody took leaves
 * no error on the socket, or only the reset vland takes as a lost frame.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "platform.h"
#include "winapi.h"

static SOCKET resp; /* the responder */
static uint16_t port;

static int
setup(void **state)
{
	struct sockaddr_in a;
	WSADATA wsa;
	int len = sizeof(a);

	(void)state;
	assert_int_equal(WSAStartup(MAKEWORD(2, 2), &wsa), 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	resp = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(resp != INVALID_SOCKET);
	assert_int_equal(bind(resp, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(resp, (struct sockaddr *)&a, &len), 0);
	port = ntohs(a.sin_port);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	closesocket(resp);
	WSACleanup();
	return 0;
}

static bool
readable(SOCKET s)
{
	fd_set rd;
	struct timeval tv = { 5, 0 };

	FD_ZERO(&rd);
	FD_SET(s, &rd);
	return select(0, &rd, NULL, NULL, &tv) == 1;
}

static void
loopback(struct addr *a)
{
	memset(a, 0, sizeof(*a));
	a->af = AF_INET;
	a->v4.s_addr = htonl(INADDR_LOOPBACK);
}

static void
test_frames_both_ways(void **state)
{
	struct sockaddr_in from, from2;
	struct addr a;
	char buf[64];
	int fd, dup, len;

	(void)state;
	loopback(&a);
	fd = plat_udp_connect(&a, port);
	assert_true(fd >= 0);
	/* Nothing there yet: non-blocking. */
	assert_int_equal(recv((SOCKET)fd, buf, sizeof(buf), 0), SOCKET_ERROR);
	assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
	assert_int_equal(send((SOCKET)fd, "frame1", 6, 0), 6);
	assert_true(readable(resp));
	len = sizeof(from);
	assert_int_equal(recvfrom(resp, buf, sizeof(buf), 0,
			     (struct sockaddr *)&from, &len),
	    6);
	assert_memory_equal(buf, "frame1", 6);
	/* The duplicate is the same socket: same port, same peer. */
	dup = plat_udp_dup(fd);
	assert_true(dup >= 0);
	assert_int_not_equal(dup, fd);
	assert_int_equal(send((SOCKET)dup, "frame2", 6, 0), 6);
	assert_true(readable(resp));
	len = sizeof(from2);
	assert_int_equal(recvfrom(resp, buf, sizeof(buf), 0,
			     (struct sockaddr *)&from2, &len),
	    6);
	assert_int_equal(from2.sin_port, from.sin_port);
	/* The original closed, the duplicate goes on, answers included. */
	closesocket((SOCKET)fd);
	assert_int_equal(sendto(resp, "answer", 6, 0, (struct sockaddr *)&from,
			     sizeof(from)),
	    6);
	assert_true(readable((SOCKET)dup));
	assert_int_equal(recv((SOCKET)dup, buf, sizeof(buf), 0), 6);
	assert_memory_equal(buf, "answer", 6);
	closesocket((SOCKET)dup);
}

static void
test_nobody_listening(void **state)
{
	struct addr a;
	char buf[64];
	int fd, n, e;

	(void)state;
	loopback(&a);
	closesocket(resp); /* the port is free now */
	resp = socket(AF_INET, SOCK_DGRAM, 0);
	fd = plat_udp_connect(&a, port);
	assert_true(fd >= 0);
	assert_int_equal(send((SOCKET)fd, "lost", 4, 0), 4);
	Sleep(100);
	n = recv((SOCKET)fd, buf, sizeof(buf), 0);
	e = WSAGetLastError();
	assert_int_equal(n, SOCKET_ERROR);
	assert_true(e == WSAEWOULDBLOCK || e == WSAECONNRESET);
	/* Still usable. */
	assert_int_equal(send((SOCKET)fd, "again", 5, 0), 5);
	closesocket((SOCKET)fd);
}

static void
test_bad_family(void **state)
{
	struct addr a;

	(void)state;
	memset(&a, 0, sizeof(a));
	assert_int_equal(plat_udp_connect(&a, port), -EAFNOSUPPORT);
	assert_true(plat_udp_dup(-1) < 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_frames_both_ways, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_nobody_listening, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_family, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
