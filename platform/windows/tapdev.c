/*
 * plat_tap_open and plat_tun_open on Windows (tapdev.h): open the
 * tap-windows6 adapter of that connection name (tapwin.c), set its
 * media connected, and start the relay (relay.c) whose socket is the
 * descriptor vland reads and writes, one plain frame each (no offload
 * header: vland's plain device path, as for the test-only UDP device).
 * The driver's tun mode and a tap's MAC need the address, which comes
 * after the open: tapdev_addressed (from plat_addr_add) and
 * tapdev_set_mac set them.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "platform.h"
#include "relay.h"
#include "routerec.h"
#include "tapdev.h"

struct tapdev {
	bool used, tun;
	int fd;
	int ifindex;   /* the adapter's interface, for IP Helper */
	uint64_t luid; /* the same, as the record (routerec.h) keys it */
	struct relay *r;
	struct tapwin t;
};

static struct tapdev devs[TAPDEV_MAX];

static struct tapdev *
find(int fd)
{
	size_t i;

	for (i = 0; i < TAPDEV_MAX; i++)
		if (devs[i].used && devs[i].fd == fd)
			return &devs[i];
	return NULL;
}

static int
tapdev_open(const char *name, bool tun)
{
	struct tapdev *d = NULL;
	size_t i, frame_max;
	int rc;

	for (i = 0; i < TAPDEV_MAX && d == NULL; i++)
		if (!devs[i].used)
			d = &devs[i];
	if (d == NULL)
		return -EMFILE;
	memset(d, 0, sizeof(*d));
	if ((rc = tapwin_open(name, &d->t)) != 0)
		return rc;
	/* A frame of the driver's MTU with its Ethernet and VLAN
	 * headers; never less than a standard Ethernet frame. */
	frame_max = d->t.mtu + 18 < 1518 ? 1518 : d->t.mtu + 18;
	if ((rc = tapwin_interface(d->t.guid, &d->luid, &d->ifindex)) != 0 ||
	    (rc = tapwin_set_media(&d->t, true)) != 0 ||
	    (rc = relay_start(d->t.h, frame_max, &d->r, &d->fd)) != 0) {
		tapwin_close(&d->t);
		return rc;
	}
	d->used = true;
	d->tun = tun;
	return d->fd;
}

int
plat_tap_open(const char *name)
{
	return tapdev_open(name, false);
}

int
plat_tun_open(const char *name)
{
	return tapdev_open(name, true);
}

const struct tapwin *
tapdev_adapter(int fd)
{
	struct tapdev *d = find(fd);

	return d != NULL ? &d->t : NULL;
}

int
tapdev_ifindex(int fd)
{
	struct tapdev *d = find(fd);

	return d != NULL ? d->ifindex : -EBADF;
}

uint64_t
tapdev_luid(int fd)
{
	struct tapdev *d = find(fd);

	return d != NULL ? d->luid : 0;
}

int
tapdev_by_ifindex(int ifindex)
{
	size_t i;

	for (i = 0; i < TAPDEV_MAX; i++)
		if (devs[i].used && devs[i].ifindex == ifindex)
			return devs[i].fd;
	return -ENODEV;
}

int
tapdev_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < TAPDEV_MAX; i++)
		if (devs[i].used && strcmp(devs[i].t.name, name) == 0)
			return devs[i].fd;
	return -ENODEV;
}

int
tapdev_addressed(int ifindex, const struct prefix *p)
{
	struct tapdev *d = find(tapdev_by_ifindex(ifindex));

	if (d == NULL || !d->tun || p->a.af != AF_INET)
		return 0;
	return tapwin_config_tun(&d->t, p);
}

int
tapdev_set_mac(int fd, const uint8_t mac[6])
{
	struct tapdev *d = find(fd);
	int rc;

	char old[32];

	if (d == NULL)
		return -EBADF;
	if (d->tun)
		return -EINVAL;
	if (memcmp(d->t.mac, mac, 6) == 0)
		return 0;
	/* The parameter it had is recorded first, to be put back at
	 * exit or after a crash (iphlp.h); a later change keeps it. */
	if ((rc = tapwin_mac_param(&d->t, old, sizeof(old))) != 0 ||
	    (rc = routerec_put(d->luid, "mac", d->t.key,
		 old[0] != '\0' ? old : "-", true)) != 0)
		return rc;
	/* The relay's threads use the handle the restart replaces. */
	relay_pause(d->r);
	if ((rc = tapwin_set_mac(&d->t, mac)) != 0 ||
	    (rc = tapwin_set_media(&d->t, true)) != 0)
		return rc;
	/* A restarted adapter may have another index (its LUID stays). */
	if ((rc = tapwin_interface(d->t.guid, &d->luid, &d->ifindex)) != 0)
		return rc;
	return relay_resume(d->r, d->t.h);
}

int
tapdev_close(int fd)
{
	struct tapdev *d = find(fd);

	if (d == NULL)
		return -EBADF;
	/* The relay first: its threads use the handle. */
	relay_stop(d->r);
	tapwin_close(&d->t);
	memset(d, 0, sizeof(*d));
	return 0;
}
