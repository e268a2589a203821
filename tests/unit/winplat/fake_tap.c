/*
 * A fake tap-windows6 adapter for the Windows platform layer's tests
 * (win64 build, under wine), behind plat_winapi: the registry holds
 * one adapter (class subkey 0000, GUID_A, connection name
 * FAKE_TAP_NAME), its device handle is a named pipe in message mode
 * whose other end (ft.drv) is the "driver", the ioctls answer as
 * tap-windows6 9.24 with an MTU of 1500, SetupAPI restarts it (reading
 * the MAC parameter if ft.reads_value), and IP Helper knows its
 * interface (FAKE_TAP_LUID, FAKE_TAP_IFINDEX). What it was asked, in
 * order, is in ft.log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#include "fake_tap.h"

struct fake_tap ft;
const uint8_t fake_tap_old_mac[6] = { 0x00, 0xff, 0x12, 0x34, 0x56, 0x78 };

/* The registry: handle 1 the adapter class, 2 its subkey 0000, 3 the
 * adapter's Connection key, 4 its subkey 0000 to read or set a value;
 * 6 any other subkey of the class opened to read or set, noted
 * ("other-key"): nothing of vland's should touch one. */
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
	else if (parent == HKEY_LOCAL_MACHINE &&
	    (sam == KEY_SET_VALUE || sam == KEY_QUERY_VALUE) &&
	    strcmp(sub, TAPWIN_ADAPTER_KEY "\\0000") == 0)
		*out = (HKEY)4;
	else if (parent == HKEY_LOCAL_MACHINE &&
	    (sam == KEY_SET_VALUE || sam == KEY_QUERY_VALUE) &&
	    strncmp(sub, TAPWIN_ADAPTER_KEY "\\",
		strlen(TAPWIN_ADAPTER_KEY) + 1) == 0) {
		fake_note("other-key");
		*out = (HKEY)6;
	} else
		return ERROR_FILE_NOT_FOUND;
	ft.keys_open++;
	return ERROR_SUCCESS;
}

static LONG WINAPI
f_reg_enum(HKEY h, DWORD i, LPSTR name, LPDWORD len, LPDWORD r, LPSTR c,
    LPDWORD clen, PFILETIME when)
{
	(void)r;
	(void)c;
	(void)clen;
	(void)when;
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
		v = FAKE_TAP_NAME;
	else if (h == (HKEY)4 && strcmp(value, "MAC") == 0 &&
	    ft.mac_value[0] != '\0')
		v = ft.mac_value;
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
	char note[32];

	(void)r;
	if (h == (HKEY)6) {
		fake_note("other-key-set");
		return ERROR_SUCCESS;
	}
	assert_ptr_equal(h, (HKEY)4);
	assert_string_equal(name, "MAC");
	assert_int_equal(type, REG_SZ);
	assert_true(len <= sizeof(ft.mac_value));
	memcpy(ft.mac_value, data, len);
	snprintf(note, sizeof(note), "mac-param:%s", ft.mac_value);
	fake_note(note);
	return ERROR_SUCCESS;
}

static LONG WINAPI
f_reg_close(HKEY h)
{
	(void)h;
	ft.keys_open--;
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
	if (ft.busy)
		return INVALID_HANDLE_VALUE;
	ft.handles_open++;
	fake_note("open");
	return ft.dev;
}

static BOOL WINAPI
f_ioctl(HANDLE h, DWORD code, LPVOID in, DWORD inlen, LPVOID out, DWORD outlen,
    LPDWORD got, LPOVERLAPPED ov)
{
	static const ULONG ver[3] = { 9, 24, 0 }, mtu = 1500;

	(void)ov;
	assert_ptr_equal(h, ft.dev);
	*got = 0;
	if (code == TAPWIN_GET_VERSION && outlen >= sizeof(ver)) {
		memcpy(out, ver, sizeof(ver));
		*got = sizeof(ver);
	} else if (code == TAPWIN_GET_MTU && outlen >= sizeof(mtu)) {
		memcpy(out, &mtu, sizeof(mtu));
		*got = sizeof(mtu);
	} else if (code == TAPWIN_GET_MAC && outlen >= 6) {
		memcpy(out, ft.driver_mac, 6);
		*got = 6;
	} else if (code == TAPWIN_SET_MEDIA_STATUS && inlen == 4) {
		memcpy(&ft.media, in, 4);
		fake_note(ft.media ? "media-on" : "media-off");
		*got = 4;
	} else if (code == TAPWIN_CONFIG_TUN && inlen == sizeof(ft.tun)) {
		memcpy(ft.tun, in, sizeof(ft.tun));
		fake_note("tun-mode");
		*got = sizeof(ft.tun);
	} else {
		return FALSE;
	}
	return TRUE;
}

/* The pipe stays the test's to close: the fake only counts. */
static BOOL WINAPI
f_close_handle(HANDLE h)
{
	assert_ptr_equal(h, ft.dev);
	ft.handles_open--;
	fake_note("close");
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
	ft.lists_open++;
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
	ft.keys_open++;
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
	assert_int_equal(ft.handles_open, 0);
	ft.restarts++;
	fake_note("restart");
	if (ft.reads_value &&
	    sscanf(ft.mac_value, "%2x%2x%2x%2x%2x%2x", &v[0], &v[1], &v[2],
		&v[3], &v[4], &v[5]) == 6)
		for (i = 0; i < 6; i++)
			ft.driver_mac[i] = (uint8_t)v[i];
	return TRUE;
}

static BOOL WINAPI
f_dev_list_free(HDEVINFO set)
{
	assert_ptr_equal(set, (HDEVINFO)7);
	ft.lists_open--;
	return TRUE;
}

/* The interface of GUID_A: LUID FAKE_TAP_LUID, index FAKE_TAP_IFINDEX. */
/* The interface of GUID_A: LUID FAKE_TAP_LUID, index FAKE_TAP_IFINDEX;
 * and the host's own, "Ethernet": LUID 0x3000, index 3. */
static NETIO_STATUS WINAPI
f_guid_to_luid(const GUID *g, NET_LUID *l)
{
	static const GUID want = { 0x12345678, 0x9abc, 0xdef0,
		{ 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 } };

	assert_memory_equal(g, &want, sizeof(want));
	l->Value = FAKE_TAP_LUID;
	return NO_ERROR;
}

static NETIO_STATUS WINAPI
f_alias_to_luid(const WCHAR *alias, NET_LUID *l)
{
	if (wcscmp(alias, L"Ethernet") != 0)
		return ERROR_FILE_NOT_FOUND;
	l->Value = 0x3000;
	return NO_ERROR;
}

static NETIO_STATUS WINAPI
f_luid_to_index(const NET_LUID *l, NET_IFINDEX *i)
{
	if (l->Value == 0x3000)
		*i = 3;
	else if (l->Value == FAKE_TAP_LUID)
		*i = FAKE_TAP_IFINDEX;
	else
		return ERROR_FILE_NOT_FOUND;
	return NO_ERROR;
}

static LONG WINAPI
f_reg_delete_value(HKEY h, LPCSTR name)
{
	if (h == (HKEY)6) {
		fake_note("other-key-set");
		return ERROR_SUCCESS;
	}
	assert_ptr_equal(h, (HKEY)4);
	assert_string_equal(name, "MAC");
	if (ft.mac_value[0] == '\0')
		return ERROR_FILE_NOT_FOUND;
	ft.mac_value[0] = '\0';
	fake_note("mac-param-deleted");
	return ERROR_SUCCESS;
}

void
fake_tap_api(struct plat_winapi *api)
{
	api->reg_open = f_reg_open;
	api->reg_enum = f_reg_enum;
	api->reg_query = f_reg_query;
	api->reg_close = f_reg_close;
	api->reg_set = f_reg_set;
	api->create_file = f_create_file;
	api->ioctl = f_ioctl;
	api->close_handle = f_close_handle;
	api->last_error = f_last_error;
	api->dev_list = f_dev_list;
	api->dev_enum = f_dev_enum;
	api->dev_reg_key = f_dev_reg_key;
	api->dev_set_params = f_dev_set_params;
	api->dev_call_installer = f_dev_call_installer;
	api->dev_list_free = f_dev_list_free;
	api->guid_to_luid = f_guid_to_luid;
	api->luid_to_index = f_luid_to_index;
	api->alias_to_luid = f_alias_to_luid;
	api->reg_delete_value = f_reg_delete_value;
}

void
fake_note(const char *what)
{
	size_t n = strlen(ft.log);

	assert_true(n + strlen(what) + 2 < sizeof(ft.log));
	snprintf(ft.log + n, sizeof(ft.log) - n, "%s%s", n > 0 ? " " : "",
	    what);
}

void
fake_tap_setup(void)
{
	char name[64];
	OVERLAPPED ov;
	DWORD mode = PIPE_READMODE_MESSAGE;

	ft.keys_open = ft.handles_open = 0;
	ft.busy = false;
	ft.media = 99;
	memset(ft.tun, 0, sizeof(ft.tun));
	memcpy(ft.driver_mac, fake_tap_old_mac, 6);
	memset(ft.mac_value, 0, sizeof(ft.mac_value));
	ft.reads_value = true;
	ft.restarts = ft.lists_open = 0;
	ft.log[0] = '\0';
	snprintf(name, sizeof(name), "\\\\.\\pipe\\vland-tapdev-%lu",
	    GetCurrentProcessId());
	ft.dev =
	    CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
		PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT, 1, 2048,
		2048, 0, NULL);
	assert_true(ft.dev != INVALID_HANDLE_VALUE);
	memset(&ov, 0, sizeof(ov));
	ov.hEvent = CreateEvent(NULL, TRUE, FALSE, NULL);
	if (!ConnectNamedPipe(ft.dev, &ov))
		assert_true(GetLastError() == ERROR_IO_PENDING ||
		    GetLastError() == ERROR_PIPE_CONNECTED);
	ft.drv = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL,
	    OPEN_EXISTING, 0, NULL);
	assert_true(ft.drv != INVALID_HANDLE_VALUE);
	assert_true(SetNamedPipeHandleState(ft.drv, &mode, NULL, NULL));
	WaitForSingleObject(ov.hEvent, 5000);
	CloseHandle(ov.hEvent);
}

void
fake_tap_teardown(void)
{
	assert_int_equal(ft.keys_open, 0);
	assert_int_equal(ft.handles_open, 0);
	assert_int_equal(ft.lists_open, 0);
	CloseHandle(ft.drv);
	CloseHandle(ft.dev);
}
