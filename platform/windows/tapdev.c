/*
 * plat_tap_open and plat_tun_open on Windows (tapdev.h): open the
 * tap-windows6 adapter of that connection name (tapwin.c), set its
 * media connected, and start the relay (relay.c) whose socket is the
 * descriptor vland reads and writes, one plain frame each (no offload
 * header: vland's plain device path, as for the test-only UDP device).
 * The driver's tun mode and a tap's MAC need the address, which comes
 * after the open: tapdev_tun_address and tapdev_set_mac set them.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "platform.h"
#include "relay.h"
#include "tapdev.h"

struct tapdev {
	bool used, tun;
	int fd;
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
	if ((rc = tapwin_set_media(&d->t, true)) != 0 ||
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
tapdev_tun_address(int fd, const struct prefix *local)
{
	struct tapdev *d = find(fd);

	if (d == NULL)
		return -EBADF;
	if (!d->tun)
		return -EINVAL;
	return tapwin_config_tun(&d->t, local);
}

int
tapdev_set_mac(int fd, const uint8_t mac[6])
{
	struct tapdev *d = find(fd);
	int rc;

	if (d == NULL)
		return -EBADF;
	if (d->tun)
		return -EINVAL;
	/* The relay's threads use the handle the restart replaces. */
	relay_pause(d->r);
	if ((rc = tapwin_set_mac(&d->t, mac)) != 0 ||
	    (rc = tapwin_set_media(&d->t, true)) != 0)
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
