/*
 * platform/windows/tapdev.c (plat_tap_open, plat_tun_open) against a
 * fake registry and driver whose device handle is a named pipe in
 * message mode (win64 build, under wine): the open finds the adapter
 * by connection name, sets the media connected and hands vland a
 * socket on which frames from the "driver" arrive whole and frames
 * sent reach it whole; a tun's address sets the driver's tun mode; the
 * close stops the relay, sets the media disconnected and closes the
 * handle; a tap's MAC, when it differs, restarts the adapter (fake
 * SetupAPI) with the relay paused and vland's socket kept, and a driver
 * that keeps its MAC leaves only the close; an adapter in use, a
 * missing name and a stranger's fd are errors that leave nothing open.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fake_tap.h"
#include "platform.h"
#include "tapdev.h"

/* The MAC the endpoint's address gives (62:e2, 192.168.123.5). */
static const uint8_t new_mac[6] = { 0x62, 0xe2, 0xc0, 0xa8, 0x7b, 0x05 };
static struct plat_winapi api;

static int
setup(void **state)
{
	(void)state;
	fake_tap_api(&api);
	plat_winapi = &api;
	fake_tap_setup();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	fake_tap_teardown();
	return 0;
}

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
test_tap_frames(void **state)
{
	char want[1514], got[2048];
	const struct tapwin *t;
	DWORD n;
	size_t i;
	int fd;

	(void)state;
	fd = plat_tap_open(FAKE_TAP_NAME);
	assert_true(fd >= 0);
	assert_int_equal(ft.media, 1);
	assert_non_null(t = tapdev_adapter(fd));
	assert_string_equal(t->guid, GUID_A);
	assert_int_equal(t->mtu, 1500);
	for (i = 0; i < sizeof(want); i++)
		want[i] = (char)(i * 13);
	/* Driver to vland, a full-size frame, whole. */
	assert_true(WriteFile(ft.drv, want, sizeof(want), &n, NULL));
	assert_int_equal(recv_frame(fd, got, sizeof(got)), (int)sizeof(want));
	assert_memory_equal(got, want, sizeof(want));
	/* vland to the driver: one send, one frame. */
	assert_int_equal(send((SOCKET)fd, want, 60, 0), 60);
	assert_true(ReadFile(ft.drv, got, sizeof(got), &n, NULL));
	assert_int_equal(n, 60);
	assert_memory_equal(got, want, 60);
	/* No ft.tun mode on a tap. */
	{
		struct prefix p;

		assert_int_equal(prefix_parse("192.168.123.5/24", &p), 0);
		assert_int_equal(tapdev_addressed(FAKE_TAP_IFINDEX, &p), 0);
		assert_int_equal(ft.tun[0], 0);
	}
	assert_int_equal(tapdev_close(fd), 0);
	assert_int_equal(ft.media, 0);
	assert_null(tapdev_adapter(fd));
	assert_int_equal(tapdev_close(fd), -EBADF);
}

static void
test_tun_address(void **state)
{
	struct prefix p;
	uint8_t b[12];
	int fd;

	(void)state;
	fd = plat_tun_open(FAKE_TAP_NAME);
	assert_true(fd >= 0);
	assert_int_equal(prefix_parse("192.168.123.5/24", &p), 0);
	assert_int_equal(tapdev_addressed(FAKE_TAP_IFINDEX, &p), 0);
	/* Address, network, mask, in network byte order. */
	memcpy(b, ft.tun, sizeof(b));
	assert_memory_equal(b,
	    "\xc0\xa8\x7b\x05\xc0\xa8\x7b\x00\xff\xff\xff\x00", 12);
	assert_int_equal(tapdev_close(fd), 0);
}

/* A frame each way between the "driver" and vland's socket. */
static void
frames_pass(int fd)
{
	char want[100], got[2048];
	DWORD n;

	memset(want, 0x5a, sizeof(want));
	assert_true(WriteFile(ft.drv, want, sizeof(want), &n, NULL));
	assert_int_equal(recv_frame(fd, got, sizeof(got)), (int)sizeof(want));
	assert_memory_equal(got, want, sizeof(want));
	assert_int_equal(send((SOCKET)fd, want, 60, 0), 60);
	assert_true(ReadFile(ft.drv, got, sizeof(got), &n, NULL));
	assert_int_equal(n, 60);
}

static void
test_set_mac(void **state)
{
	int fd;

	(void)state;
	fd = plat_tap_open(FAKE_TAP_NAME);
	assert_true(fd >= 0);
	/* The MAC it has: no restart. */
	assert_int_equal(tapdev_set_mac(fd, fake_tap_old_mac), 0);
	assert_int_equal(ft.restarts, 0);
	/* Another: written, restarted once, connected again, and the
	 * same descriptor carries frames both ways. */
	ft.media = 99;
	assert_int_equal(tapdev_set_mac(fd, new_mac), 0);
	assert_string_equal(ft.mac_value, "62E2C0A87B05");
	assert_int_equal(ft.restarts, 1);
	assert_memory_equal(tapdev_adapter(fd)->mac, new_mac, 6);
	assert_int_equal(ft.media, 1);
	assert_int_equal(ft.handles_open, 1);
	frames_pass(fd);
	assert_int_equal(tapdev_set_mac(fd, new_mac), 0);
	assert_int_equal(ft.restarts, 1);
	assert_int_equal(tapdev_close(fd), 0);
	/* No MAC for a ft.tun, nor for a stranger's fd. */
	fd = plat_tun_open(FAKE_TAP_NAME);
	assert_true(fd >= 0);
	assert_int_equal(tapdev_set_mac(fd, new_mac), -EINVAL);
	assert_int_equal(tapdev_close(fd), 0);
	assert_int_equal(tapdev_set_mac(12345, new_mac), -EBADF);
	assert_int_equal(ft.restarts, 1);
}

/* The driver comes back with its old MAC: the error, the adapter
 * closed, and the close still stops the paused relay. */
static void
test_mac_kept(void **state)
{
	int fd;

	(void)state;
	ft.reads_value = false;
	fd = plat_tap_open(FAKE_TAP_NAME);
	assert_true(fd >= 0);
	assert_int_equal(tapdev_set_mac(fd, new_mac), -EADDRNOTAVAIL);
	assert_int_equal(ft.restarts, 1);
	assert_int_equal(ft.handles_open, 0);
	assert_int_equal(tapdev_close(fd), 0);
}

static void
test_errors(void **state)
{
	struct prefix p;

	(void)state;
	assert_int_equal(plat_tap_open("no-such"), -ENODEV);
	ft.busy = true;
	assert_int_equal(plat_tap_open(FAKE_TAP_NAME), -EBUSY);
	assert_int_equal(prefix_parse("192.168.123.5/24", &p), 0);
	assert_int_equal(tapdev_addressed(12345, &p), 0);
	assert_int_equal(ft.tun[0], 0);
	assert_null(tapdev_adapter(-1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tap_frames, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tun_address, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_set_mac, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mac_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
