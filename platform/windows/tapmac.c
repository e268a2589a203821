/*
 * The tap-windows6 adapter's MAC (tapwin.h, tapwin_set_mac). The hub
 * takes an endpoint's frames only from 62:e2 and its address
 * (daemons/vland/l2filter.c), which Linux sets on its tap. The driver
 * has no ioctl to set it: it reads the string parameter "MAC" of the
 * adapter's key (hex digits, with or without ':' '-' '.' between
 * bytes) when the adapter starts, else makes one up from the GUID. So
 * the value is written and the adapter restarted the way Device
 * Manager applies a changed property (SetupAPI, DIF_PROPERTYCHANGE
 * with DICS_PROPCHANGE: stop and start), and the MAC read back, since
 * a restart that needs a reboot, or a driver that ignores the value,
 * would leave every frame dropped by the hub. Every call goes through
 * plat_winapi (tests/unit/winplat/test_tapmac.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "tapwin.h"

/* The network adapter class, {4D36E972-E325-11CE-BFC1-08002BE10318}:
 * GUID_DEVCLASS_NET, spelt out to need no INITGUID for devguid.h. */
static const GUID net_class = { 0x4d36e972, 0xe325, 0x11ce,
	{ 0xbf, 0xc1, 0x08, 0x00, 0x2b, 0xe1, 0x03, 0x18 } };

/* The parameter as the driver parses it: 12 hex digits, no separator
 * (one less rule of its parser to rely on). */
static void
mac_text(const uint8_t mac[6], char out[13])
{
	snprintf(out, 13, "%02X%02X%02X%02X%02X%02X", mac[0], mac[1], mac[2],
	    mac[3], mac[4], mac[5]);
}

/* For the log, as ip link shows it. */
static const char *
mac_colons(const uint8_t mac[6], char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
	    mac[2], mac[3], mac[4], mac[5]);
	return out;
}

/* The adapter's key, for what is asked. */
static int
open_adapter_key(const char *key, REGSAM sam, HKEY *k)
{
	char path[512];

	snprintf(path, sizeof(path), "%s\\%s", TAPWIN_ADAPTER_KEY, key);
	switch (plat_winapi->reg_open(HKEY_LOCAL_MACHINE, path, 0, sam, k)) {
	case ERROR_SUCCESS:
		return 0;
	case ERROR_FILE_NOT_FOUND:
		return -ENOENT;
	default:
		return -EIO;
	}
}

int
tapwin_mac_param(const struct tapwin *t, char *out, size_t len)
{
	DWORD type = 0, n;
	HKEY k;
	LONG e;

	if (len < 2 || open_adapter_key(t->key, KEY_QUERY_VALUE, &k) != 0)
		return -EIO;
	memset(out, 0, len);
	n = (DWORD)len - 1;
	e = plat_winapi->reg_query(k, "MAC", NULL, &type, (LPBYTE)out, &n);
	plat_winapi->reg_close(k);
	if (e == ERROR_FILE_NOT_FOUND) {
		out[0] = '\0';
		return 0;
	}
	return e == ERROR_SUCCESS && type == REG_SZ ? 0 : -EIO;
}

int
tapwin_mac_param_set(const char *key, const char *value)
{
	HKEY k;
	LONG e;

	if ((e = open_adapter_key(key, KEY_SET_VALUE, &k)) != 0)
		return (int)e;
	if (value[0] == '\0') {
		e = plat_winapi->reg_delete_value(k, "MAC");
		if (e == ERROR_FILE_NOT_FOUND)
			e = ERROR_SUCCESS;
	} else {
		e = plat_winapi->reg_set(k, "MAC", 0, REG_SZ,
		    (const BYTE *)value, (DWORD)strlen(value) + 1);
	}
	plat_winapi->reg_close(k);
	return e == ERROR_SUCCESS ? 0 : -EIO;
}

static int
write_mac(const struct tapwin *t, const uint8_t mac[6])
{
	char text[13];

	mac_text(mac, text);
	return tapwin_mac_param_set(t->key, text);
}

/* Whether dev is the adapter guid: its driver key, the class's subkey
 * tapwin_open found, names it. */
static bool
is_adapter(HDEVINFO set, SP_DEVINFO_DATA *dev, const char *guid)
{
	char id[64];
	DWORD type = 0, n = sizeof(id) - 1;
	HKEY k;
	bool yes;

	k = plat_winapi->dev_reg_key(set, dev, DICS_FLAG_GLOBAL, 0, DIREG_DRV,
	    KEY_READ);
	if (k == INVALID_HANDLE_VALUE || k == NULL)
		return false;
	memset(id, 0, sizeof(id));
	yes = plat_winapi->reg_query(k, "NetCfgInstanceId", NULL, &type,
		  (LPBYTE)id, &n) == ERROR_SUCCESS &&
	    type == REG_SZ && _stricmp(id, guid) == 0;
	plat_winapi->reg_close(k);
	return yes;
}

/* Stop and start the adapter guid, so that its driver reads its
 * parameters again. */
static int
restart(const char *guid)
{
	SP_DEVINFO_DATA dev;
	SP_PROPCHANGE_PARAMS p;
	HDEVINFO set;
	DWORD i;
	int rc = -ENODEV;

	set = plat_winapi->dev_list(&net_class, NULL, NULL, DIGCF_PRESENT);
	if (set == INVALID_HANDLE_VALUE)
		return -EIO;
	for (i = 0;; i++) {
		memset(&dev, 0, sizeof(dev));
		dev.cbSize = sizeof(dev);
		if (!plat_winapi->dev_enum(set, i, &dev))
			break;
		if (!is_adapter(set, &dev, guid))
			continue;
		memset(&p, 0, sizeof(p));
		p.ClassInstallHeader.cbSize = sizeof(p.ClassInstallHeader);
		p.ClassInstallHeader.InstallFunction = DIF_PROPERTYCHANGE;
		p.StateChange = DICS_PROPCHANGE;
		p.Scope = DICS_FLAG_GLOBAL;
		rc = plat_winapi->dev_set_params(set, &dev,
			 &p.ClassInstallHeader, sizeof(p)) &&
			plat_winapi->dev_call_installer(DIF_PROPERTYCHANGE, set,
			    &dev)
		    ? 0
		    : -EIO;
		break;
	}
	plat_winapi->dev_list_free(set);
	return rc;
}

int
tapwin_set_mac(struct tapwin *t, const uint8_t mac[6])
{
	char want[18], got[18];
	int rc;

	if (memcmp(t->mac, mac, 6) == 0)
		return 0;
	if ((rc = write_mac(t, mac)) != 0) {
		tapwin_close(t);
		return rc;
	}
	/* A handle open on the adapter would keep it from stopping. */
	tapwin_close(t);
	if ((rc = restart(t->guid)) != 0 || (rc = tapwin_reopen(t)) != 0)
		return rc;
	if (memcmp(t->mac, mac, 6) == 0)
		return 0;
	log_warnx("adapter %s kept MAC %s after a restart, not %s: the hub "
		  "would drop every frame from it",
	    t->name, mac_colons(t->mac, got), mac_colons(mac, want));
	tapwin_close(t);
	return -EADDRNOTAVAIL;
}
