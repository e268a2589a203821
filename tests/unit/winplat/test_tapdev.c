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

#include "platform.h"
#include "tapdev.h"

#define GUID_A "{11111111-2222-3333-4444-555555555555}"

static HANDLE dev, drv; /* the adapter's handle, the "driver's" end */
static int keys_open, handles_open;
static bool busy;
static ULONG media = 99, tun[3];
/* The driver's MAC, the MAC parameter written, whether a restart reads
 * it, and the restarts. */
static const uint8_t old_mac[6] = { 0x00, 0xff, 0x12, 0x34, 0x56, 0x78 };
static const uint8_t new_mac[6] = { 0x62, 0xe2, 0xc0, 0xa8, 0x7b, 0x05 };
static uint8_t driver_mac[6];
static char mac_value[16];
static bool reads_value;
static int restarts, lists_open;

/* The registry: handle 1 the adapter class, 2 its subkey 0000, 3 the
 * adapter's Connection key. */
static LONG WINAPI
f_reg_open(HKEY parent, LPCSTR sub, DWORD opt, REGSAM sam, PHKEY out)
{
	(void)opt;
	if (parent == HKEY_LOCAL_MACHINE &&
	    strcmp(sub, TAPWIN_ADAPTER_KEY) == 0)
		*out = (HKEY)1;
	else if (parent == (HKEY)1 && strcmp(sub, "0000") == 0)
		*out = (HKEY)2;
	else if (parent == HKEY_LOCAL_MACHINE &&
	    strcmp(sub, TAPWIN_CONNECTION_KEY "\\" GUID_A "\\Connection") == 0)
		*out = (HKEY)3;
	else if (parent == HKEY_LOCAL_MACHINE && sam == KEY_SET_VALUE &&
	    strcmp(sub, TAPWIN_ADAPTER_KEY "\\0000") == 0)
		*out = (HKEY)4;
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
	/* 5: the driver key SetupAPI opens, the same as 2. */
	if (h == (HKEY)2 && strcmp(value, "ComponentId") == 0)
		v = "tap0901";
	else if ((h == (HKEY)2 || h == (HKEY)5) &&
	    strcmp(value, "NetCfgInstanceId") == 0)
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
f_reg_set(HKEY h, LPCSTR name, DWORD r, DWORD type, const BYTE *data, DWORD len)
{
	(void)r;
	assert_ptr_equal(h, (HKEY)4);
	assert_string_equal(name, "MAC");
	assert_int_equal(type, REG_SZ);
	assert_true(len <= sizeof(mac_value));
	memcpy(mac_value, data, len);
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

	(void)ov;
	assert_ptr_equal(h, dev);
	*got = 0;
	if (code == TAPWIN_GET_VERSION && outlen >= sizeof(ver)) {
		memcpy(out, ver, sizeof(ver));
		*got = sizeof(ver);
	} else if (code == TAPWIN_GET_MTU && outlen >= sizeof(mtu)) {
		memcpy(out, &mtu, sizeof(mtu));
		*got = sizeof(mtu);
	} else if (code == TAPWIN_GET_MAC && outlen >= 6) {
		memcpy(out, driver_mac, 6);
		*got = 6;
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

/* SetupAPI: one device, the adapter; its restart reads the MAC
 * parameter if the driver does. */
static HDEVINFO WINAPI
f_dev_list(const GUID *cls, PCSTR e, HWND w, DWORD flags)
{
	(void)cls;
	(void)e;
	(void)w;
	(void)flags;
	lists_open++;
	return (HDEVINFO)7;
}

static BOOL WINAPI
f_dev_enum(HDEVINFO set, DWORD i, PSP_DEVINFO_DATA di)
{
	(void)di;
	assert_ptr_equal(set, (HDEVINFO)7);
	return i == 0;
}

static HKEY WINAPI
f_dev_reg_key(HDEVINFO set, PSP_DEVINFO_DATA di, DWORD scope, DWORD prof,
    DWORD type, REGSAM sam)
{
	(void)set;
	(void)di;
	(void)scope;
	(void)prof;
	(void)type;
	(void)sam;
	keys_open++;
	return (HKEY)5;
}

static BOOL WINAPI
f_dev_set_params(HDEVINFO set, PSP_DEVINFO_DATA di, PSP_CLASSINSTALL_HEADER h,
    DWORD len)
{
	(void)set;
	(void)di;
	(void)len;
	assert_int_equal(h->InstallFunction, DIF_PROPERTYCHANGE);
	return TRUE;
}

static BOOL WINAPI
f_dev_call_installer(DI_FUNCTION f, HDEVINFO set, PSP_DEVINFO_DATA di)
{
	unsigned v[6];
	size_t i;

	(void)set;
	(void)di;
	assert_int_equal(f, DIF_PROPERTYCHANGE);
	/* The adapter is closed for its restart. */
	assert_int_equal(handles_open, 0);
	restarts++;
	if (reads_value &&
	    sscanf(mac_value, "%2x%2x%2x%2x%2x%2x", &v[0], &v[1], &v[2], &v[3],
		&v[4], &v[5]) == 6)
		for (i = 0; i < 6; i++)
			driver_mac[i] = (uint8_t)v[i];
	return TRUE;
}

static BOOL WINAPI
f_dev_list_free(HDEVINFO set)
{
	assert_ptr_equal(set, (HDEVINFO)7);
	lists_open--;
	return TRUE;
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
	.reg_set = f_reg_set,
	.dev_list = f_dev_list,
	.dev_enum = f_dev_enum,
	.dev_reg_key = f_dev_reg_key,
	.dev_set_params = f_dev_set_params,
	.dev_call_installer = f_dev_call_installer,
	.dev_list_free = f_dev_list_free,
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
	memcpy(driver_mac, old_mac, 6);
	memset(mac_value, 0, sizeof(mac_value));
	reads_value = true;
	restarts = lists_open = 0;
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
	assert_int_equal(lists_open, 0);
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

/* A frame each way between the "driver" and vland's socket. */
static void
frames_pass(int fd)
{
	char want[100], got[2048];
	DWORD n;

	memset(want, 0x5a, sizeof(want));
	assert_true(WriteFile(drv, want, sizeof(want), &n, NULL));
	assert_int_equal(recv_frame(fd, got, sizeof(got)), (int)sizeof(want));
	assert_memory_equal(got, want, sizeof(want));
	assert_int_equal(send((SOCKET)fd, want, 60, 0), 60);
	assert_true(ReadFile(drv, got, sizeof(got), &n, NULL));
	assert_int_equal(n, 60);
}

static void
test_set_mac(void **state)
{
	int fd;

	(void)state;
	fd = plat_tap_open("vland-a");
	assert_true(fd >= 0);
	/* The MAC it has: no restart. */
	assert_int_equal(tapdev_set_mac(fd, old_mac), 0);
	assert_int_equal(restarts, 0);
	/* Another: written, restarted once, connected again, and the
	 * same descriptor carries frames both ways. */
	media = 99;
	assert_int_equal(tapdev_set_mac(fd, new_mac), 0);
	assert_string_equal(mac_value, "62E2C0A87B05");
	assert_int_equal(restarts, 1);
	assert_memory_equal(tapdev_adapter(fd)->mac, new_mac, 6);
	assert_int_equal(media, 1);
	assert_int_equal(handles_open, 1);
	frames_pass(fd);
	assert_int_equal(tapdev_set_mac(fd, new_mac), 0);
	assert_int_equal(restarts, 1);
	assert_int_equal(tapdev_close(fd), 0);
	/* No MAC for a tun, nor for a stranger's fd. */
	fd = plat_tun_open("vland-a");
	assert_true(fd >= 0);
	assert_int_equal(tapdev_set_mac(fd, new_mac), -EINVAL);
	assert_int_equal(tapdev_close(fd), 0);
	assert_int_equal(tapdev_set_mac(12345, new_mac), -EBADF);
	assert_int_equal(restarts, 1);
}

/* The driver comes back with its old MAC: the error, the adapter
 * closed, and the close still stops the paused relay. */
static void
test_mac_kept(void **state)
{
	int fd;

	(void)state;
	reads_value = false;
	fd = plat_tap_open("vland-a");
	assert_true(fd >= 0);
	assert_int_equal(tapdev_set_mac(fd, new_mac), -EADDRNOTAVAIL);
	assert_int_equal(restarts, 1);
	assert_int_equal(handles_open, 0);
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
		cmocka_unit_test_setup_teardown(test_set_mac, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mac_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
