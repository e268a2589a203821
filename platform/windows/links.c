/*
 * platform.h's links on Windows, for an endpoint's tap-windows6 adapter
 * (tapdev.h). An adapter is installed ahead of time and stays: it is
 * found by its connection name and opened (plat_devices_installed),
 * "up" is its media connected, its MAC the driver's parameter
 * (tapdev_set_mac), and "delete" undoes what vland changed on it (its
 * addresses and routes, its MTU and MAC parameter, from the record:
 * iphlp.h), as Linux's link deletion takes them along; the handle goes
 * with plat_dev_close. Links by name are IP Helper's interfaces by
 * alias. No link carries vland's mark: the driver lets one handle in,
 * so holding the adapter is the claim that Linux's marks make
 * (owner.h), and vland-ifmgr does not look for a mark where devices
 * are installed. The claim lapses while the MAC's restart has the
 * adapter closed: another program may take it then, and the reopen
 * fails as busy (vland.8, PLATFORMS).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "platform.h"
#include "iphlp.h"
#include "tapdev.h"
#include "winapi.h"

const bool plat_devices_installed = true;

/* An open adapter's link: ifindex and its connection name. */
static void
adapter_link(int fd, struct plat_link *out)
{
	memset(out, 0, sizeof(*out));
	out->ifindex = tapdev_ifindex(fd);
	snprintf(out->name, sizeof(out->name), "%s", tapdev_adapter(fd)->name);
}

int
plat_dev_link(int fd, const char *name, struct plat_link *out)
{
	(void)name;
	if (tapdev_adapter(fd) == NULL)
		return -ENODEV;
	adapter_link(fd, out);
	return 0;
}

int
plat_link_get(const char *name, struct plat_link *out)
{
	WCHAR alias[IF_MAX_STRING_SIZE + 1];
	NET_IFINDEX i = 0;
	NET_LUID luid;
	int fd;

	if ((fd = tapdev_by_name(name)) >= 0) {
		adapter_link(fd, out);
		return 0;
	}
	if (name[0] == '\0' ||
	    MultiByteToWideChar(CP_ACP, 0, name, -1, alias,
		IF_MAX_STRING_SIZE + 1) == 0 ||
	    plat_winapi->alias_to_luid(alias, &luid) != NO_ERROR ||
	    plat_winapi->luid_to_index(&luid, &i) != NO_ERROR || i == 0)
		return -ENODEV;
	memset(out, 0, sizeof(*out));
	out->ifindex = (int)i;
	snprintf(out->name, sizeof(out->name), "%s", name);
	return 0;
}

/* Only vland's own open adapter is changed (platform.h: nothing it was
 * not named); any other interface is not one it may set. */
int
plat_link_set_up(int ifindex)
{
	int fd = tapdev_by_ifindex(ifindex);

	if (fd < 0)
		return -EOPNOTSUPP;
	return tapwin_set_media(tapdev_adapter(fd), true);
}

int
plat_link_set_mac(int ifindex, const uint8_t mac[6])
{
	int fd = tapdev_by_ifindex(ifindex);

	if (fd < 0)
		return -EOPNOTSUPP;
	return tapdev_set_mac(fd, mac);
}

/* No mark to keep (the head comment says why): nothing to set. */
int
plat_link_set_alias(int ifindex, const char *alias)
{
	(void)alias;
	return tapdev_by_ifindex(ifindex) >= 0 ? 0 : -EOPNOTSUPP;
}

int
plat_link_delete(int ifindex)
{
	int fd = tapdev_by_ifindex(ifindex), rc;

	if (fd < 0)
		return -ENODEV;
	/* Without a record there is nothing to undo by: an error, so
	 * that the caller says what is left. */
	rc = iphlp_undo_adapter(tapdev_luid(fd), tapdev_adapter(fd)->key);
	(void)tapwin_set_media(tapdev_adapter(fd), false);
	return rc < 0 ? rc : 0;
}
