/*
 * platform/windows/tapdev.c (plat_tap_open, plat_tun_open) against a
 * fake registry and driver whose device handle is a named pipe in
 * message mode (win64 build, under wine): the open finds the adapter
 * by connection name, sets the media connected and hands vland a
 * socket on which frames from the "driver" arrive whole and frames
 * sent reach it whole; a tun's address sets the driver's tun mode; the
 * close stops the relay, sets the media disconnected and closes the
 * handle; an adapter in use, a missing name and a stranger's fd are
 * errors that leave nothing open.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "platform.h"
#include "tapdev.h"

#define GUID_A "{11111111-2222-3333-4444-555555555555}"

static HANDLE dev, drv; /* the adapter's handle, the "driver's" end */
static int keys_open, handles_open;
static bool busy;
static ULONG media = 99, tun[3];

/* The registry: handle 1 the adapter class, 2 its subkey 0000, 3 the
 * adapter's Connection key. */
static LONG WINAPI
f_reg_open(HKEY parent, LPCSTR sub, DWORD opt, REGSAM sam, PHKEY out)
{
	(void)opt;
	(void)sam;
	if (parent == HKEY_LOCAL_MACHINE &&
	    strcmp(sub, TAPWIN_ADAPTER_KEY) == 0)
		*out = (HKEY)1;
	else if (parent == (HKEY)1 && strcmp(sub, "0000") == 0)
		*out = (HKEY)2;
	else if (parent == HKEY_LOCAL_MACHINE &&
	    strcmp(sub, TAPWIN_CONNECTION_KEY "\\" GUID_A "\\Connection") == 0)
		*out = (HKEY)3;
	else
		return ERROR_FILE_NOT_FOUND;
	keys_open++;
	return ERROR_SUCCESS;
}

static LONG WINAPI
f_reg_enum(HKEY h, DWORD i, LPSTR name, LPDWORD len, LPDWORD r, LPSTR c,
    LPDWORD clen, PFILETIME ft)
{
	(void)r;
	(void)c;
	(void)clen;
	(void)ft;
	assert_ptr_equal(h, (HKEY)1);
	if (i > 0)
		return ERROR_NO_MORE_ITEMS;
	strcpy(name, "0000");
	*len = 4;
	return ERROR_SUCCESS;
}

static LONG WINAPI
f_reg_query(HKEY h, LPCSTR value, LPDWORD r, LPDWORD type, LPBYTE data,
    LPDWORD len)
{
	const char *v = NULL;
	size_t n;

	(void)r;
	if (h == (HKEY)2 && strcmp(value, "ComponentId") == 0)
		v = "tap0901";
	else if (h == (HKEY)2 && strcmp(value, "NetCfgInstanceId") == 0)
		v = GUID_A;
	else if (h == (HKEY)3 && strcmp(value, "Name") == 0)
		v = "vland-a";
	if (v == NULL)
		return ERROR_FILE_NOT_FOUND;
	n = strlen(v) + 1;
	if (n > *len)
		return ERROR_MORE_DATA;
	memcpy(data, v, n);
	*len = (DWORD)n;
	*type = REG_SZ;
	return ERROR_SUCCESS;
}

static LONG WINAPI
f_reg_close(HKEY h)
{
	(void)h;
	keys_open--;
	return ERROR_SUCCESS;
}

static HANDLE WINAPI
f_create_file(LPCSTR path, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES sa,
    DWORD disp, DWORD flags, HANDLE tmpl)
{
	(void)access;
	(void)share;
	(void)sa;
	(void)disp;
	(void)tmpl;
	assert_string_equal(path, "\\\\.\\Global\\" GUID_A ".tap");
	assert_true((flags & FILE_FLAG_OVERLAPPED) != 0);
	if (busy)
		return INVALID_HANDLE_VALUE;
	handles_open++;
	return dev;
}

static BOOL WINAPI
f_ioctl(HANDLE h, DWORD code, LPVOID in, DWORD inlen, LPVOID out, DWORD outlen,
    LPDWORD got, LPOVERLAPPED ov)
{
	static const ULONG ver[3] = { 9, 24, 0 }, mtu = 1500;
	static const uint8_t mac[6] = { 0x00, 0xff, 0x12, 0x34, 0x56, 0x78 };

	(void)ov;
	assert_ptr_equal(h, dev);
	*got = 0;
	if (code == TAPWIN_GET_VERSION && outlen >= sizeof(ver)) {
		memcpy(out, ver, sizeof(ver));
		*got = sizeof(ver);
	} else if (code == TAPWIN_GET_MTU && outlen >= sizeof(mtu)) {
		memcpy(out, &mtu, sizeof(mtu));
		*got = sizeof(mtu);
	} else if (code == TAPWIN_GET_MAC && outlen >= sizeof(mac)) {
		memcpy(out, mac, sizeof(mac));
		*got = sizeof(mac);
	} else if (code == TAPWIN_SET_MEDIA_STATUS && inlen == 4) {
		memcpy(&media, in, 4);
		*got = 4;
	} else if (code == TAPWIN_CONFIG_TUN && inlen == sizeof(tun)) {
		memcpy(tun, in, sizeof(tun));
		*got = sizeof(tun);
	} else {
		return FALSE;
	}
	return TRUE;
}

/* The pipe stays the test's to close: the fake only counts. */
static BOOL WINAPI
f_close_handle(HANDLE h)
{
	assert_ptr_equal(h, dev);
	handles_open--;
	return TRUE;
}

static DWORD WINAPI
f_last_error(void)
{
	return ERROR_SHARING_VIOLATION;
}

static const struct plat_winapi fake = {
	.reg_open = f_reg_open,
	.reg_enum = f_reg_enum,
	.reg_query = f_reg_query,
	.reg_close = f_reg_close,
	.create_file = f_create_file,
	.ioctl = f_ioctl,
	.close_handle = f_close_handle,
	.last_error = f_last_error,
};

static int
setup(void **state)
{
	char name[64];
	OVERLAPPED ov;
	DWORD mode = PIPE_READMODE_MESSAGE;

	(void)state;
	plat_winapi = &fake;
	keys_open = handles_open = 0;
	busy = false;
	media = 99;
	snprintf(name, sizeof(name), "\\\\.\\pipe\\vland-tapdev-%lu",
	    GetCurrentProcessId());
	dev = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
	    PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT, 1, 2048,
	    2048, 0, NULL);
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
	assert_int_equal(keys_open, 0);
	assert_int_equal(handles_open, 0);
	CloseHandle(drv);
	CloseHandle(dev);
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
	fd = plat_tap_open("vland-a");
	assert_true(fd >= 0);
	assert_int_equal(media, 1);
	assert_non_null(t = tapdev_adapter(fd));
	assert_string_equal(t->guid, GUID_A);
	assert_int_equal(t->mtu, 1500);
	for (i = 0; i < sizeof(want); i++)
		want[i] = (char)(i * 13);
	/* Driver to vland, a full-size frame, whole. */
	assert_true(WriteFile(drv, want, sizeof(want), &n, NULL));
	assert_int_equal(recv_frame(fd, got, sizeof(got)), (int)sizeof(want));
	assert_memory_equal(got, want, sizeof(want));
	/* vland to the driver: one send, one frame. */
	assert_int_equal(send((SOCKET)fd, want, 60, 0), 60);
	assert_true(ReadFile(drv, got, sizeof(got), &n, NULL));
	assert_int_equal(n, 60);
	assert_memory_equal(got, want, 60);
	/* No tun mode on a tap. */
	{
		struct prefix p;

		assert_int_equal(prefix_parse("192.168.123.5/24", &p), 0);
		assert_int_equal(tapdev_tun_address(fd, &p), -EINVAL);
	}
	assert_int_equal(tapdev_close(fd), 0);
	assert_int_equal(media, 0);
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
	fd = plat_tun_open("vland-a");
	assert_true(fd >= 0);
	assert_int_equal(prefix_parse("192.168.123.5/24", &p), 0);
	assert_int_equal(tapdev_tun_address(fd, &p), 0);
	/* Address, network, mask, in network byte order. */
	memcpy(b, tun, sizeof(b));
	assert_memory_equal(b,
	    "\xc0\xa8\x7b\x05\xc0\xa8\x7b\x00\xff\xff\xff\x00", 12);
	assert_int_equal(tapdev_close(fd), 0);
}

static void
test_errors(void **state)
{
	struct prefix p;

	(void)state;
	assert_int_equal(plat_tap_open("no-such"), -ENODEV);
	busy = true;
	assert_int_equal(plat_tap_open("vland-a"), -EBUSY);
	assert_int_equal(prefix_parse("192.168.123.5/24", &p), 0);
	assert_int_equal(tapdev_tun_address(12345, &p), -EBADF);
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
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
