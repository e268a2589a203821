/*
 * platform/windows/relay.c with a named pipe in message mode standing
 * for the TAP driver's handle (win64 build, run under wine): like the
 * driver, it is opened for overlapped I/O and gives one whole message
 * per read. Frames written at the device come out of vland's socket
 * whole and in order, frames sent on the socket reach the device whole,
 * relay_stop ends both threads (the test would hang otherwise), and a
 * pause (the adapter's restart for its MAC) keeps vland's socket, holds
 * what vland sends until the relay resumes, and can be stopped.
 */
#include <errno.h>
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

/* A pipe pair, the relay's end opened for overlapped I/O as the
 * driver's device is. */
static void
pipe_pair(const char *tag, HANDLE *relay_end, HANDLE *driver_end)
{
	char name[64];
	OVERLAPPED ov;
	DWORD mode = PIPE_READMODE_MESSAGE;

	snprintf(name, sizeof(name), "\\\\.\\pipe\\vland-relay-%s-%lu", tag,
	    GetCurrentProcessId());
	*relay_end =
	    CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
		PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT, 1,
		FRAME_MAX, FRAME_MAX, 0, NULL);
	assert_true(*relay_end != INVALID_HANDLE_VALUE);
	memset(&ov, 0, sizeof(ov));
	ov.hEvent = CreateEvent(NULL, TRUE, FALSE, NULL);
	if (!ConnectNamedPipe(*relay_end, &ov))
		assert_true(GetLastError() == ERROR_IO_PENDING ||
		    GetLastError() == ERROR_PIPE_CONNECTED);
	*driver_end = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL,
	    OPEN_EXISTING, 0, NULL);
	assert_true(*driver_end != INVALID_HANDLE_VALUE);
	assert_true(SetNamedPipeHandleState(*driver_end, &mode, NULL, NULL));
	WaitForSingleObject(ov.hEvent, 5000);
	CloseHandle(ov.hEvent);
}

static int
setup(void **state)
{
	(void)state;
	pipe_pair("a", &dev, &drv);
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

/* Bytes waiting at a driver's end. */
static DWORD
waiting(HANDLE h)
{
	DWORD avail = 0;

	assert_true(PeekNamedPipe(h, NULL, 0, NULL, &avail, NULL));
	return avail;
}

static void
test_pause_resume(void **state)
{
	char want[FRAME_MAX], got[FRAME_MAX];
	struct relay *r;
	HANDLE dev2, drv2; /* the adapter opened again */
	DWORD n;
	int fd;

	(void)state;
	pipe_pair("b", &dev2, &drv2);
	assert_int_equal(relay_start(dev, FRAME_MAX, &r, &fd), 0);
	/* Both threads blocked (a device read, a socket read). */
	Sleep(100);
	relay_pause(r);
	/* Paused: what vland sends waits; no device is written. */
	fill(want, 60, 1);
	assert_int_equal(send((SOCKET)fd, want, 60, 0), 60);
	Sleep(200);
	assert_int_equal(waiting(drv), 0);
	assert_int_equal(waiting(drv2), 0);
	/* Resumed on the new handle, same socket: the waiting frame goes
	 * to it, and frames pass both ways again, there only. */
	assert_int_equal(relay_resume(r, dev2), 0);
	assert_int_equal(relay_resume(r, dev2), -EALREADY);
	assert_true(ReadFile(drv2, got, sizeof(got), &n, NULL));
	assert_int_equal(n, 60);
	assert_memory_equal(got, want, 60);
	fill(want, 1514, 2);
	assert_true(WriteFile(drv2, want, 1514, &n, NULL));
	assert_int_equal(recv_frame(fd, got, sizeof(got)), 1514);
	assert_memory_equal(got, want, 1514);
	fill(want, 100, 3);
	assert_int_equal(send((SOCKET)fd, want, 100, 0), 100);
	assert_true(ReadFile(drv2, got, sizeof(got), &n, NULL));
	assert_int_equal(n, 100);
	assert_memory_equal(got, want, 100);
	assert_int_equal(waiting(drv), 0);
	relay_stop(r);
	CloseHandle(drv2);
	CloseHandle(dev2);
}

static void
test_stop_paused(void **state)
{
	struct relay *r;
	int fd;

	(void)state;
	/* The adapter failed to come back: the close stops a paused
	 * relay. */
	assert_int_equal(relay_start(dev, FRAME_MAX, &r, &fd), 0);
	Sleep(100);
	relay_pause(r);
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
		cmocka_unit_test_setup_teardown(test_pause_resume, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stop_paused, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
