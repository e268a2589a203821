/*
 * platform/windows/tapwin.c against a fake registry and a fake
 * tap-windows6 driver (win64 build, run under wine, which has neither):
 * which adapter it picks (by connection name, else the first free one,
 * never a non-TAP adapter), the device path and flags it opens, the
 * ioctls it sends and their bytes, the errors it gives (none, busy, too
 * old), and that every key and handle it opened is closed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tapwin.h"

#define GUID_A "{11111111-2222-3333-4444-555555555555}"
#define GUID_B "{66666666-7777-8888-9999-000000000000}"

/* The fake registry: a key is its full path; a handle is its index + 1
 * (HKEY_LOCAL_MACHINE is the root, path ""). */
struct fkey {
	const char *path;
	const char *values[3][2]; /* name, string */
};
static const struct fkey reg[] = {
	{ TAPWIN_ADAPTER_KEY, { { NULL, NULL } } },
	{ TAPWIN_ADAPTER_KEY "\\0000",
	    { { "ComponentId", "pci\\ven_8086&dev_100e" },
		{ "NetCfgInstanceId",
		    "{00000000-0000-0000-0000-000000000000}" },
		{ NULL, NULL } } },
	{ TAPWIN_ADAPTER_KEY "\\0001",
	    { { "ComponentId", "tap0901" }, { "NetCfgInstanceId", GUID_A },
		{ NULL, NULL } } },
	{ TAPWIN_ADAPTER_KEY "\\0002",
	    { { "ComponentId", "root\\tap0901" },
		{ "NetCfgInstanceId", GUID_B }, { NULL, NULL } } },
	{ TAPWIN_ADAPTER_KEY "\\Properties", { { NULL, NULL } } },
	{ TAPWIN_CONNECTION_KEY "\\" GUID_A "\\Connection",
	    { { "Name", "vland-a" }, { NULL, NULL } } },
	{ TAPWIN_CONNECTION_KEY "\\" GUID_B "\\Connection",
	    { { "Name", "vland-b" }, { NULL, NULL } } },
};
#define NREG (sizeof(reg) / sizeof(reg[0]))
static const char *const children[] = { "0000", "0001", "0002", "Properties" };

static int keys_open, handles_open;
static bool busy_a, busy_b;
static DWORD err;
static ULONG driver_ver[3];
static char opened_path[128];
static DWORD opened_flags;
/* ioctls sent, in order, and the input of the last two kinds. */
static DWORD codes[16];
static size_t ncodes;
static ULONG media;
static ULONG tun[3];

static const struct fkey *
key_of(HKEY h)
{
	size_t i = (size_t)(uintptr_t)h;

	assert_true(i >= 1 && i <= NREG);
	return &reg[i - 1];
}

static LONG WINAPI
f_reg_open(HKEY parent, LPCSTR sub, DWORD opt, REGSAM sam, PHKEY out)
{
	char path[512];
	size_t i;

	(void)opt;
	assert_int_equal(sam, KEY_READ);
	if (parent == HKEY_LOCAL_MACHINE)
		snprintf(path, sizeof(path), "%s", sub);
	else
		snprintf(path, sizeof(path), "%s\\%s", key_of(parent)->path,
		    sub);
	for (i = 0; i < NREG; i++) {
		if (strcmp(reg[i].path, path) == 0) {
			*out = (HKEY)(uintptr_t)(i + 1);
			keys_open++;
			return ERROR_SUCCESS;
		}
	}
	return ERROR_FILE_NOT_FOUND;
}

static LONG WINAPI
f_reg_enum(HKEY h, DWORD i, LPSTR name, LPDWORD len, LPDWORD r, LPSTR c,
    LPDWORD clen, PFILETIME ft)
{
	(void)r;
	(void)c;
	(void)clen;
	(void)ft;
	assert_string_equal(key_of(h)->path, TAPWIN_ADAPTER_KEY);
	if (i >= sizeof(children) / sizeof(children[0]))
		return ERROR_NO_MORE_ITEMS;
	assert_true(strlen(children[i]) < *len);
	strcpy(name, children[i]);
	*len = (DWORD)strlen(name);
	return ERROR_SUCCESS;
}

static LONG WINAPI
f_reg_query(HKEY h, LPCSTR value, LPDWORD r, LPDWORD type, LPBYTE data,
    LPDWORD len)
{
	const struct fkey *k = key_of(h);
	size_t i, n;

	(void)r;
	for (i = 0; i < 3 && k->values[i][0] != NULL; i++) {
		if (strcmp(k->values[i][0], value) != 0)
			continue;
		n = strlen(k->values[i][1]) + 1;
		if (n > *len)
			return ERROR_MORE_DATA;
		memcpy(data, k->values[i][1], n);
		*len = (DWORD)n;
		*type = REG_SZ;
		return ERROR_SUCCESS;
	}
	return ERROR_FILE_NOT_FOUND;
}

static LONG WINAPI
f_reg_close(HKEY h)
{
	(void)key_of(h);
	keys_open--;
	return ERROR_SUCCESS;
}

static HANDLE WINAPI
f_create_file(LPCSTR path, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES sa,
    DWORD disp, DWORD flags, HANDLE tmpl)
{
	(void)sa;
	(void)tmpl;
	assert_int_equal(access, GENERIC_READ | GENERIC_WRITE);
	assert_int_equal(share, 0);
	assert_int_equal(disp, OPEN_EXISTING);
	snprintf(opened_path, sizeof(opened_path), "%s", path);
	opened_flags = flags;
	if ((strstr(path, GUID_A) != NULL && busy_a) ||
	    (strstr(path, GUID_B) != NULL && busy_b)) {
		err = ERROR_SHARING_VIOLATION;
		return INVALID_HANDLE_VALUE;
	}
	handles_open++;
	return (HANDLE)(uintptr_t)0x42;
}

static BOOL WINAPI
f_ioctl(HANDLE h, DWORD code, LPVOID in, DWORD inlen, LPVOID out, DWORD outlen,
    LPDWORD got, LPOVERLAPPED ov)
{
	static const uint8_t mac[6] = { 0x00, 0xff, 0x12, 0x34, 0x56, 0x78 };
	ULONG mtu = 1500;

	assert_ptr_equal(h, (HANDLE)(uintptr_t)0x42);
	assert_null(ov);
	assert_true(ncodes < 16);
	codes[ncodes++] = code;
	*got = 0;
	if (code == TAPWIN_GET_VERSION && outlen >= sizeof(driver_ver)) {
		memcpy(out, driver_ver, sizeof(driver_ver));
		*got = sizeof(driver_ver);
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

static BOOL WINAPI
f_close_handle(HANDLE h)
{
	assert_ptr_equal(h, (HANDLE)(uintptr_t)0x42);
	handles_open--;
	return TRUE;
}

static DWORD WINAPI
f_last_error(void)
{
	return err;
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
	(void)state;
	plat_winapi = &fake;
	keys_open = handles_open = 0;
	busy_a = busy_b = false;
	err = 0;
	driver_ver[0] = 9;
	driver_ver[1] = 24;
	driver_ver[2] = 0;
	opened_path[0] = '\0';
	ncodes = 0;
	media = 99;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	assert_int_equal(keys_open, 0);
	assert_int_equal(handles_open, 0);
	return 0;
}

static void
test_open_by_name(void **state)
{
	static const uint8_t mac[6] = { 0x00, 0xff, 0x12, 0x34, 0x56, 0x78 };
	struct tapwin t;

	(void)state;
	assert_int_equal(tapwin_open("vland-b", &t), 0);
	assert_string_equal(t.guid, GUID_B);
	assert_string_equal(t.name, "vland-b");
	/* Its key, where tapmac.c writes its MAC. */
	assert_string_equal(t.key, "0002");
	assert_string_equal(opened_path, "\\\\.\\Global\\" GUID_B ".tap");
	assert_true((opened_flags & FILE_FLAG_OVERLAPPED) != 0);
	assert_memory_equal(t.mac, mac, 6);
	assert_int_equal(t.mtu, 1500);
	assert_int_equal(t.version[0], 9);
	assert_int_equal(t.version[1], 24);
	assert_int_equal(ncodes, 3);
	assert_int_equal(codes[0], TAPWIN_GET_VERSION);
	tapwin_close(&t);
	/* Closing says "cable disconnected" first. */
	assert_int_equal(codes[3], TAPWIN_SET_MEDIA_STATUS);
	assert_int_equal(media, 0);
}

static void
test_open_first_free(void **state)
{
	struct tapwin t;

	(void)state;
	assert_int_equal(tapwin_open("", &t), 0);
	assert_string_equal(t.guid, GUID_A); /* not the Intel adapter */
	tapwin_close(&t);
	busy_a = true;
	assert_int_equal(tapwin_open("", &t), 0);
	assert_string_equal(t.guid, GUID_B);
	tapwin_close(&t);
}

static void
test_open_errors(void **state)
{
	struct tapwin t;

	(void)state;
	assert_int_equal(tapwin_open("nope", &t), -ENODEV);
	busy_a = true;
	assert_int_equal(tapwin_open("vland-a", &t), -EBUSY);
	/* Named: no other adapter is tried. */
	assert_non_null(strstr(opened_path, GUID_A));
	busy_b = true;
	assert_int_equal(tapwin_open("", &t), -EBUSY);
	busy_a = busy_b = false;
	driver_ver[1] = 8; /* 9.8: too old, and the handle closed */
	assert_int_equal(tapwin_open("vland-a", &t), -EPROTO);
}

static void
test_media_and_tun(void **state)
{
	struct tapwin t;
	struct prefix p;
	uint8_t b[12];

	(void)state;
	assert_int_equal(tapwin_open("vland-a", &t), 0);
	assert_int_equal(tapwin_set_media(&t, true), 0);
	assert_int_equal(media, 1);
	assert_int_equal(prefix_parse("192.168.123.117/24", &p), 0);
	assert_int_equal(tapwin_config_tun(&t, &p), 0);
	memcpy(b, tun, sizeof(b));
	/* Address, network, netmask, each in network byte order. */
	assert_memory_equal(b,
	    ((const uint8_t[]){ 192, 168, 123, 117, 192, 168, 123, 0, 255, 255,
		255, 0 }),
	    12);
	assert_int_equal(prefix_parse("fd00::1/64", &p), 0);
	assert_int_equal(tapwin_config_tun(&t, &p), -EINVAL);
	tapwin_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_by_name, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_open_first_free, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_open_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_media_and_tun, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
