/*
 * platform/windows/tapmac.c (tapwin_set_mac) against a fake registry,
 * SetupAPI and tap-windows6 driver (win64 build, under wine, which has
 * none of them): the "MAC" parameter written to the adapter's key with
 * its type and text, the adapter restarted only when its MAC differs
 * and in order (write, close, restart, open, read back), the right
 * device restarted among the class's, a driver that keeps its old MAC
 * refused, and every key, handle and device list closed. Whether the
 * real driver reads the value at a restart is not what this can show.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tapwin.h"

#define GUID_A	   "{11111111-2222-3333-4444-555555555555}"
#define GUID_X	   "{00000000-0000-0000-0000-000000000000}"
#define GUID_Y	   "{99999999-0000-0000-0000-000000000000}"
#define KEY_A	   TAPWIN_ADAPTER_KEY "\\0001"
#define DEV_HANDLE ((HANDLE)(uintptr_t)0x42)
#define DEV_LIST   ((HDEVINFO)(uintptr_t)0x77)
/* The driver keys SetupAPI opens: one per device of the class. */
#define DRV_KEY(i) ((HKEY)(uintptr_t)(0x100 + (i)))
#define SET_KEY	   ((HKEY)(uintptr_t)0x200)

static const uint8_t old_mac[6] = { 0x00, 0xff, 0x12, 0x34, 0x56, 0x78 };
static const uint8_t want_mac[6] = { 0x62, 0xe2, 0xc0, 0xa8, 0x7b, 0xb4 };
/* The class's devices, in SetupAPI's order: ours between two others. */
static const char *const dev_guid[] = { GUID_X, GUID_A, GUID_Y };
#define NDEV (sizeof(dev_guid) / sizeof(dev_guid[0]))

/* What was called, in order, one word each. */
static char calls[32][32];
static size_t ncalls;
static int keys_open, handles_open, lists_open;
/* The driver: its MAC now, and whether a restart takes the value. */
static uint8_t driver_mac[6];
static bool driver_reads_value;
static char written[64];
static DWORD written_type, written_len;
static DWORD restarted_dev;
static ULONG media;

static void
called(const char *what)
{
	assert_true(ncalls < 32);
	snprintf(calls[ncalls++], sizeof(calls[0]), "%s", what);
}

static LONG WINAPI
f_reg_open(HKEY parent, LPCSTR sub, DWORD opt, REGSAM sam, PHKEY out)
{
	(void)opt;
	assert_ptr_equal(parent, HKEY_LOCAL_MACHINE);
	assert_string_equal(sub, KEY_A);
	assert_int_equal(sam, KEY_SET_VALUE);
	called("reg_open");
	keys_open++;
	*out = SET_KEY;
	return ERROR_SUCCESS;
}

static LONG WINAPI
f_reg_set(HKEY k, LPCSTR name, DWORD r, DWORD type, const BYTE *data, DWORD len)
{
	(void)r;
	assert_ptr_equal(k, SET_KEY);
	assert_string_equal(name, "MAC");
	assert_true(len < sizeof(written));
	memcpy(written, data, len);
	written_type = type;
	written_len = len;
	called("reg_set");
	return ERROR_SUCCESS;
}

static LONG WINAPI
f_reg_query(HKEY k, LPCSTR value, LPDWORD r, LPDWORD type, LPBYTE data,
    LPDWORD len)
{
	size_t i = (size_t)((uintptr_t)k - 0x100), n;

	(void)r;
	assert_true(i < NDEV);
	assert_string_equal(value, "NetCfgInstanceId");
	n = strlen(dev_guid[i]) + 1;
	if (n > *len)
		return ERROR_MORE_DATA;
	memcpy(data, dev_guid[i], n);
	*len = (DWORD)n;
	*type = REG_SZ;
	return ERROR_SUCCESS;
}

static LONG WINAPI
f_reg_close(HKEY k)
{
	assert_true(k == SET_KEY ||
	    ((uintptr_t)k >= 0x100 && (uintptr_t)k < 0x100 + NDEV));
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
	(void)flags;
	(void)tmpl;
	assert_string_equal(path, "\\\\.\\Global\\" GUID_A ".tap");
	called("open");
	handles_open++;
	return DEV_HANDLE;
}

static BOOL WINAPI
f_ioctl(HANDLE h, DWORD code, LPVOID in, DWORD inlen, LPVOID out, DWORD outlen,
    LPDWORD got, LPOVERLAPPED ov)
{
	static const ULONG ver[3] = { 9, 27, 0 };
	ULONG mtu = 1500;

	assert_ptr_equal(h, DEV_HANDLE);
	assert_null(ov);
	*got = 0;
	if (code == TAPWIN_GET_VERSION && outlen >= sizeof(ver)) {
		memcpy(out, ver, sizeof(ver));
		*got = sizeof(ver);
	} else if (code == TAPWIN_GET_MTU && outlen >= sizeof(mtu)) {
		memcpy(out, &mtu, sizeof(mtu));
		*got = sizeof(mtu);
	} else if (code == TAPWIN_GET_MAC && outlen >= 6) {
		called("get_mac");
		memcpy(out, driver_mac, 6);
		*got = 6;
	} else if (code == TAPWIN_SET_MEDIA_STATUS && inlen == 4) {
		memcpy(&media, in, 4);
		*got = 4;
	} else {
		return FALSE;
	}
	return TRUE;
}

static BOOL WINAPI
f_close_handle(HANDLE h)
{
	assert_ptr_equal(h, DEV_HANDLE);
	called("close");
	handles_open--;
	return TRUE;
}

static DWORD WINAPI
f_last_error(void)
{
	return ERROR_GEN_FAILURE;
}

static HDEVINFO WINAPI
f_dev_list(const GUID *cls, PCSTR enumerator, HWND w, DWORD flags)
{
	/* GUID_DEVCLASS_NET, present devices only. */
	static const GUID net = { 0x4d36e972, 0xe325, 0x11ce,
		{ 0xbf, 0xc1, 0x08, 0x00, 0x2b, 0xe1, 0x03, 0x18 } };

	assert_memory_equal(cls, &net, sizeof(net));
	assert_null(enumerator);
	assert_null(w);
	assert_int_equal(flags, DIGCF_PRESENT);
	lists_open++;
	return DEV_LIST;
}

static BOOL WINAPI
f_dev_enum(HDEVINFO set, DWORD i, PSP_DEVINFO_DATA dev)
{
	assert_ptr_equal(set, DEV_LIST);
	assert_int_equal(dev->cbSize, sizeof(*dev));
	if (i >= NDEV)
		return FALSE;
	dev->DevInst = i;
	return TRUE;
}

static HKEY WINAPI
f_dev_reg_key(HDEVINFO set, PSP_DEVINFO_DATA dev, DWORD scope, DWORD prof,
    DWORD type, REGSAM sam)
{
	assert_ptr_equal(set, DEV_LIST);
	assert_int_equal(scope, DICS_FLAG_GLOBAL);
	assert_int_equal(prof, 0);
	assert_int_equal(type, DIREG_DRV);
	assert_int_equal(sam, KEY_READ);
	keys_open++;
	return DRV_KEY(dev->DevInst);
}

static BOOL WINAPI
f_dev_set_params(HDEVINFO set, PSP_DEVINFO_DATA dev, PSP_CLASSINSTALL_HEADER h,
    DWORD len)
{
	const SP_PROPCHANGE_PARAMS *p = (const SP_PROPCHANGE_PARAMS *)h;

	assert_ptr_equal(set, DEV_LIST);
	assert_int_equal(len, sizeof(*p));
	assert_int_equal(h->cbSize, sizeof(*h));
	assert_int_equal(h->InstallFunction, DIF_PROPERTYCHANGE);
	assert_int_equal(p->StateChange, DICS_PROPCHANGE);
	assert_int_equal(p->Scope, DICS_FLAG_GLOBAL);
	assert_int_equal(p->HwProfile, 0);
	/* Ours only, once. */
	assert_string_equal(dev_guid[dev->DevInst], GUID_A);
	assert_int_equal(restarted_dev, 99);
	restarted_dev = dev->DevInst;
	called("set_params");
	return TRUE;
}

static BOOL WINAPI
f_dev_call_installer(DI_FUNCTION f, HDEVINFO set, PSP_DEVINFO_DATA dev)
{
	uint8_t m[6];
	unsigned v[6];
	size_t i;

	assert_int_equal(f, DIF_PROPERTYCHANGE);
	assert_ptr_equal(set, DEV_LIST);
	assert_int_equal(dev->DevInst, restarted_dev);
	/* Restarting with a handle open would be vetoed. */
	assert_int_equal(handles_open, 0);
	called("restart");
	if (driver_reads_value &&
	    sscanf(written, "%2x%2x%2x%2x%2x%2x", &v[0], &v[1], &v[2], &v[3],
		&v[4], &v[5]) == 6) {
		for (i = 0; i < 6; i++)
			m[i] = (uint8_t)v[i];
		memcpy(driver_mac, m, 6);
	}
	return TRUE;
}

static BOOL WINAPI
f_dev_list_free(HDEVINFO set)
{
	assert_ptr_equal(set, DEV_LIST);
	called("list_free");
	lists_open--;
	return TRUE;
}

static const struct plat_winapi fake = {
	.reg_open = f_reg_open,
	.reg_set = f_reg_set,
	.reg_query = f_reg_query,
	.reg_close = f_reg_close,
	.create_file = f_create_file,
	.ioctl = f_ioctl,
	.close_handle = f_close_handle,
	.last_error = f_last_error,
	.dev_list = f_dev_list,
	.dev_enum = f_dev_enum,
	.dev_reg_key = f_dev_reg_key,
	.dev_set_params = f_dev_set_params,
	.dev_call_installer = f_dev_call_installer,
	.dev_list_free = f_dev_list_free,
};

/* An adapter as tapwin_open leaves it: GUID_A, key 0001, open. */
static void
opened(struct tapwin *t)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->guid, sizeof(t->guid), "%s", GUID_A);
	snprintf(t->key, sizeof(t->key), "0001");
	snprintf(t->name, sizeof(t->name), "vland");
	memcpy(t->mac, driver_mac, 6);
	t->h = DEV_HANDLE;
	handles_open = 1;
}

static int
setup(void **state)
{
	(void)state;
	plat_winapi = &fake;
	ncalls = 0;
	keys_open = handles_open = lists_open = 0;
	memcpy(driver_mac, old_mac, 6);
	driver_reads_value = true;
	memset(written, 0, sizeof(written));
	written_type = written_len = 0;
	restarted_dev = 99;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	assert_int_equal(keys_open, 0);
	assert_int_equal(handles_open, 0);
	assert_int_equal(lists_open, 0);
	return 0;
}

static void
assert_calls(const char *const *want, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < ncalls; i++)
		assert_string_equal(calls[i], want[i]);
	assert_int_equal(ncalls, n);
}

/* The driver's MAC is the one wanted already: nothing written, no
 * restart, the handle kept. */
static void
test_same_mac(void **state)
{
	struct tapwin t;

	(void)state;
	memcpy(driver_mac, want_mac, 6);
	opened(&t);
	assert_int_equal(tapwin_set_mac(&t, want_mac), 0);
	assert_int_equal(ncalls, 0);
	assert_ptr_equal(t.h, DEV_HANDLE);
	tapwin_close(&t);
}

/* Another MAC: the value written, the handle closed, our device (the
 * second of three in the class) restarted, the adapter opened and read back. */
static void
test_set_mac(void **state)
{
	static const char *const want[] = { "reg_open", "reg_set", "close",
		"set_params", "restart", "list_free", "open", "get_mac" };
	struct tapwin t;

	(void)state;
	opened(&t);
	assert_int_equal(tapwin_set_mac(&t, want_mac), 0);
	assert_calls(want, sizeof(want) / sizeof(want[0]));
	assert_int_equal(written_type, REG_SZ);
	assert_int_equal(written_len, 13);
	assert_string_equal(written, "62E2C0A87BB4");
	assert_int_equal(restarted_dev, 1);
	assert_memory_equal(t.mac, want_mac, 6);
	assert_ptr_equal(t.h, DEV_HANDLE);
	assert_int_equal(t.mtu, 1500);
	tapwin_close(&t);
}

/* The driver comes back with its old MAC (a restart that needs a
 * reboot, a driver that ignores the value): refused, the adapter
 * closed, since the hub would drop every frame from it. */
static void
test_mac_kept(void **state)
{
	static const char *const want[] = { "reg_open", "reg_set", "close",
		"set_params", "restart", "list_free", "open", "get_mac",
		"close" };
	struct tapwin t;

	(void)state;
	driver_reads_value = false;
	opened(&t);
	assert_int_equal(tapwin_set_mac(&t, want_mac), -EADDRNOTAVAIL);
	assert_calls(want, sizeof(want) / sizeof(want[0]));
	assert_ptr_equal(t.h, INVALID_HANDLE_VALUE);
	tapwin_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_same_mac, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_mac, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mac_kept, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
