/*
 * Finding and opening a tap-windows6 adapter (tapwin.h). The adapters
 * are installed ahead of time (OpenVPN's installer, tapctl); each is a
 * numbered key of the network adapter class whose ComponentId is
 * tap0901, named by its NetCfgInstanceId (a GUID), and its connection
 * name (what the user sees, and writes as interface:) is under the
 * Network key by that GUID. The device is \\.\Global\{GUID}.tap,
 * opened for overlapped I/O as the driver expects. Every call goes
 * through plat_winapi, so tests/unit/winplat runs this against a fake
 * registry and driver; it has not run against the real driver yet.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tapwin.h"

/* The string value of a key; -1 if absent or not a string. */
static int
reg_string(HKEY key, const char *value, char *out, DWORD len)
{
	DWORD type = 0, n = len - 1;

	if (plat_winapi->reg_query(key, value, NULL, &type, (LPBYTE)out, &n) !=
		ERROR_SUCCESS ||
	    type != REG_SZ)
		return -1;
	out[n < len ? n : len - 1] = '\0';
	return 0;
}

/* The connection name of the adapter guid ("" if it has none). */
static void
connection_name(const char *guid, char *out, DWORD len)
{
	char path[256];
	HKEY k;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s\\%s\\Connection",
	    TAPWIN_CONNECTION_KEY, guid);
	if (plat_winapi->reg_open(HKEY_LOCAL_MACHINE, path, 0, KEY_READ, &k) !=
	    ERROR_SUCCESS)
		return;
	if (reg_string(k, "Name", out, len) == -1)
		out[0] = '\0';
	plat_winapi->reg_close(k);
}

/* Whether the class's subkey sub is a tap-windows6 adapter; its GUID. */
static bool
is_tap(HKEY cls, const char *sub, char *guid, DWORD len)
{
	char comp[256];
	HKEY k;
	bool yes;

	if (plat_winapi->reg_open(cls, sub, 0, KEY_READ, &k) != ERROR_SUCCESS)
		return false;
	yes = reg_string(k, "ComponentId", comp, sizeof(comp)) == 0 &&
	    (_stricmp(comp, "tap0901") == 0 ||
		_stricmp(comp, "root\\tap0901") == 0) &&
	    reg_string(k, "NetCfgInstanceId", guid, len) == 0;
	plat_winapi->reg_close(k);
	return yes;
}

/* A buffered ioctl: the bytes it returned, or -EIO. */
static int
tap_ioctl(HANDLE h, DWORD code, void *in, DWORD inlen, void *out, DWORD outlen)
{
	DWORD got = 0;

	if (!plat_winapi->ioctl(h, code, in, inlen, out, outlen, &got, NULL))
		return -EIO;
	return (int)got;
}

/*
 * The device of guid, for overlapped I/O: 0, or -EBUSY if in use (the
 * driver allows one handle; which error a second open gets is not
 * documented: sharing violation or access denied, both taken),
 * -ENODEV if gone, -EIO.
 */
static int
open_device(const char *guid, struct tapwin *t)
{
	char path[96];
	DWORD e;

	snprintf(path, sizeof(path), "\\\\.\\Global\\%s.tap", guid);
	t->h = plat_winapi->create_file(path, GENERIC_READ | GENERIC_WRITE, 0,
	    NULL, OPEN_EXISTING, FILE_ATTRIBUTE_SYSTEM | FILE_FLAG_OVERLAPPED,
	    NULL);
	if (t->h != INVALID_HANDLE_VALUE)
		return 0;
	e = plat_winapi->last_error();
	if (e == ERROR_SHARING_VIOLATION || e == ERROR_ACCESS_DENIED ||
	    e == ERROR_BUSY)
		return -EBUSY;
	if (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND)
		return -ENODEV;
	return -EIO;
}

/* The driver's version, MTU and MAC; the version checked. */
static int
query(struct tapwin *t)
{
	ULONG ver[3] = { 0, 0, 0 }, mtu = 0;

	if (tap_ioctl(t->h, TAPWIN_GET_VERSION, ver, sizeof(ver), ver,
		sizeof(ver)) < (int)sizeof(ver) ||
	    tap_ioctl(t->h, TAPWIN_GET_MTU, &mtu, sizeof(mtu), &mtu,
		sizeof(mtu)) < (int)sizeof(mtu) ||
	    tap_ioctl(t->h, TAPWIN_GET_MAC, t->mac, sizeof(t->mac), t->mac,
		sizeof(t->mac)) < (int)sizeof(t->mac))
		return -EIO;
	t->version[0] = ver[0];
	t->version[1] = ver[1];
	t->version[2] = ver[2];
	t->mtu = mtu;
	if (ver[0] < TAPWIN_MIN_MAJOR ||
	    (ver[0] == TAPWIN_MIN_MAJOR && ver[1] < TAPWIN_MIN_MINOR))
		return -EPROTO;
	return 0;
}

int
tapwin_open(const char *name, struct tapwin *t)
{
	char sub[256];
	HKEY cls;
	DWORD i, n;
	int rc = -ENODEV, r;

	memset(t, 0, sizeof(*t));
	t->h = INVALID_HANDLE_VALUE;
	if (plat_winapi->reg_open(HKEY_LOCAL_MACHINE, TAPWIN_ADAPTER_KEY, 0,
		KEY_READ, &cls) != ERROR_SUCCESS)
		return -ENODEV;
	for (i = 0;; i++) {
		n = sizeof(sub);
		if (plat_winapi->reg_enum(cls, i, sub, &n, NULL, NULL, NULL,
			NULL) != ERROR_SUCCESS)
			break;
		if (!is_tap(cls, sub, t->guid, sizeof(t->guid)))
			continue;
		connection_name(t->guid, t->name, sizeof(t->name));
		if (name[0] != '\0' && strcmp(t->name, name) != 0)
			continue;
		if ((r = open_device(t->guid, t)) == 0) {
			snprintf(t->key, sizeof(t->key), "%s", sub);
			rc = 0;
			break;
		}
		/* The next one may be free (unnamed; a name matches one
		 * adapter). Busy beats absent. */
		if (rc == -ENODEV || r == -EBUSY)
			rc = r;
	}
	plat_winapi->reg_close(cls);
	if (rc == 0 && (rc = query(t)) != 0)
		tapwin_close(t);
	return rc;
}

int
tapwin_interface(const char *guid, uint64_t *luid_out, int *ifindex)
{
	unsigned long d1;
	unsigned d2, d3, b[8];
	NET_IFINDEX i = 0;
	NET_LUID luid;
	GUID g;
	int k, end = -1;

	if (sscanf(guid, "{%8lx-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x}%n", &d1, &d2,
		&d3, &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &b[6], &b[7],
		&end) != 11 ||
	    end < 0 || guid[end] != '\0')
		return -ENODEV;
	g.Data1 = d1;
	g.Data2 = (unsigned short)d2;
	g.Data3 = (unsigned short)d3;
	for (k = 0; k < 8; k++)
		g.Data4[k] = (unsigned char)b[k];
	if (plat_winapi->guid_to_luid(&g, &luid) != NO_ERROR)
		return -ENODEV;
	/* An adapter that is down or disabled has a LUID and no index. */
	if (ifindex != NULL &&
	    (plat_winapi->luid_to_index(&luid, &i) != NO_ERROR || i == 0))
		return -ENODEV;
	*luid_out = luid.Value;
	if (ifindex != NULL)
		*ifindex = (int)i;
	return 0;
}

int
tapwin_find_luid(uint64_t luid, struct tapwin *t)
{
	char sub[256];
	uint64_t l;
	HKEY cls;
	DWORD i, n;
	int rc = -ENODEV;

	memset(t, 0, sizeof(*t));
	t->h = INVALID_HANDLE_VALUE;
	if (plat_winapi->reg_open(HKEY_LOCAL_MACHINE, TAPWIN_ADAPTER_KEY, 0,
		KEY_READ, &cls) != ERROR_SUCCESS)
		return -ENODEV;
	for (i = 0; rc != 0; i++) {
		n = sizeof(sub);
		if (plat_winapi->reg_enum(cls, i, sub, &n, NULL, NULL, NULL,
			NULL) != ERROR_SUCCESS)
			break;
		if (is_tap(cls, sub, t->guid, sizeof(t->guid)) &&
		    tapwin_interface(t->guid, &l, NULL) == 0 && l == luid) {
			snprintf(t->key, sizeof(t->key), "%s", sub);
			connection_name(t->guid, t->name, sizeof(t->name));
			rc = 0;
		}
	}
	plat_winapi->reg_close(cls);
	return rc;
}

int
tapwin_reopen(struct tapwin *t)
{
	int rc;

	if ((rc = open_device(t->guid, t)) == 0 && (rc = query(t)) != 0)
		tapwin_close(t);
	return rc;
}

int
tapwin_set_media(const struct tapwin *t, bool connected)
{
	ULONG status = connected ? 1 : 0;

	/* Closed by a restart that failed (tapwin_set_mac). */
	if (t->h == INVALID_HANDLE_VALUE || t->h == NULL)
		return -EBADF;
	return tap_ioctl(t->h, TAPWIN_SET_MEDIA_STATUS, &status, sizeof(status),
		   &status, sizeof(status)) < 0
	    ? -EIO
	    : 0;
}

int
tapwin_config_tun(const struct tapwin *t, const struct prefix *local)
{
	struct prefix net;
	ULONG ep[3]; /* address, network, netmask; network byte order */
	uint32_t mask;

	if (local->a.af != AF_INET || local->len > 32)
		return -EINVAL;
	prefix_network(local, &net);
	mask = local->len == 0 ? 0 : 0xffffffffu << (32 - local->len);
	memcpy(&ep[0], &local->a.v4, 4);
	memcpy(&ep[1], &net.a.v4, 4);
	ep[2] = htonl(mask);
	return tap_ioctl(t->h, TAPWIN_CONFIG_TUN, ep, sizeof(ep), ep,
		   sizeof(ep)) < 0
	    ? -EIO
	    : 0;
}

void
tapwin_close(struct tapwin *t)
{
	if (t->h == INVALID_HANDLE_VALUE || t->h == NULL)
		return;
	(void)tapwin_set_media(t, false);
	plat_winapi->close_handle(t->h);
	t->h = INVALID_HANDLE_VALUE;
}
