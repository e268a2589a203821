/*
 * platform/windows/relay.c with a named pipe in message mode standing
 * for the TAP driver's handle (win64 build, run under wine): like the
 * driver, it is opened for overlapped I/O and gives one whole message
 * per read. Frames written at the device come out of vland's socket
 * whole and in order, frames sent on the socket reach the device whole,
 * and relay_stop ends both threads (the test would hang otherwise).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "relay.h"

#define FRAME_MAX 2048

static HANDLE dev, drv; /* the relay's end, the "driver's" end */

static int
setup(void **state)
{
	char name[64];
	OVERLAPPED ov;
	DWORD mode = PIPE_READMODE_MESSAGE;

	(void)state;
	snprintf(name, sizeof(name), "\\\\.\\pipe\\vland-relay-%lu",
	    GetCurrentProcessId());
	dev = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
	    PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT, 1, FRAME_MAX,
	    FRAME_MAX, 0, NULL);
	assert_true(dev != INVALID_HANDLE_VALUE);
	memset(&ov, 0, sizeof(ov));
	ov.hEvent = CreateEvent(NULL, TRUE, FALSE, NULL);
	if (!ConnectNamedPipe(dev, &ov))
		assert_true(GetLastError() == ERROR_IO_PENDING ||
		    GetLastError() == ERROR_PIPE_CONNECTED);
	drv = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL,
	    OPEN_EXISTING, 0, NULL);
	assert_true(drv != INVALID_HANDLE_VALUE);
	assert_true(SetNamedPipeHandleState(drv, &mode, NULL, NULL));
	WaitForSingleObject(ov.hEvent, 5000);
	CloseHandle(ov.hEvent);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	CloseHandle(drv);
	CloseHandle(dev);
	return 0;
}

/* One datagram from vland's non-blocking socket, waiting up to 5 s. */
static int
recv_frame(int fd, char *buf, int len)
{
	fd_set rd;
	struct timeval tv = { 5, 0 };

	FD_ZERO(&rd);
	FD_SET((SOCKET)fd, &rd);
	assert_int_equal(select(0, &rd, NULL, NULL, &tv), 1);
	return recv((SOCKET)fd, buf, len, 0);
}

static void
fill(char *b, size_t n, int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (char)(i * 7 + (size_t)seed);
}

static void
test_both_ways(void **state)
{
	static const size_t sizes[] = { 60, 1514, 1, 1280 };
	char want[FRAME_MAX], got[FRAME_MAX];
	struct relay *r;
	DWORD n;
	size_t i;
	int fd;

	(void)state;
	assert_int_equal(relay_start(dev, FRAME_MAX, &r, &fd), 0);
	/* Device to vland: whole, in order. */
	for (i = 0; i < 4; i++) {
		fill(want, sizes[i], (int)i);
		assert_true(WriteFile(drv, want, (DWORD)sizes[i], &n, NULL));
		assert_int_equal(recv_frame(fd, got, sizeof(got)),
		    (int)sizes[i]);
		assert_memory_equal(got, want, sizes[i]);
	}
	/* vland to the device: one read, one frame. */
	for (i = 0; i < 4; i++) {
		fill(want, sizes[i], (int)i + 100);
		assert_int_equal(send((SOCKET)fd, want, (int)sizes[i], 0),
		    (int)sizes[i]);
		assert_true(ReadFile(drv, got, sizeof(got), &n, NULL));
		assert_int_equal(n, sizes[i]);
		assert_memory_equal(got, want, sizes[i]);
	}
	relay_stop(r);
}

static void
test_stop_idle(void **state)
{
	struct relay *r;
	int fd;

	(void)state;
	/* Both threads blocked (a device read, a socket read): stop must
	 * still end them. */
	assert_int_equal(relay_start(dev, FRAME_MAX, &r, &fd), 0);
	Sleep(100);
	relay_stop(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_both_ways, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stop_idle, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
