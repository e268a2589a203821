/*
 * OpenVPN's TAP driver for Windows (tap-windows6, component id tap0901):
 * finding an installed adapter and opening it (issue #19, item 2;
 * doc/PORTING.md, "Windows"). This is the layer below plat_tap_open
 * and plat_tun_open: the adapter's handle, which Windows reads and
 * writes with overlapped I/O, not a descriptor vland's loop can poll.
 * Feeding its frames to the loop (a thread or an I/O completion port
 * relaying to a socket) is the next step, and comes with those two.
 */
#ifndef VLAND_TAPWIN_H
#define VLAND_TAPWIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "winapi.h"

/* The driver's ioctls: CTL_CODE(FILE_DEVICE_UNKNOWN, n,
 * METHOD_BUFFERED, FILE_ANY_ACCESS), n as in its tap-windows.h. */
#define TAPWIN_IOCTL(n)		(((0x22) << 16) | ((n) << 2))
#define TAPWIN_GET_MAC		TAPWIN_IOCTL(1)
#define TAPWIN_GET_VERSION	TAPWIN_IOCTL(2)
#define TAPWIN_GET_MTU		TAPWIN_IOCTL(3)
#define TAPWIN_SET_MEDIA_STATUS TAPWIN_IOCTL(6)
#define TAPWIN_CONFIG_TUN	TAPWIN_IOCTL(10)

/* The oldest driver vland takes: 9.9, as OpenVPN does. */
#define TAPWIN_MIN_MAJOR 9
#define TAPWIN_MIN_MINOR 9

/* The network adapter class, where each adapter has a numbered key. */
#define TAPWIN_ADAPTER_KEY                            \
	"SYSTEM\\CurrentControlSet\\Control\\Class\\" \
	"{4D36E972-E325-11CE-BFC1-08002BE10318}"
/* The connections, by GUID: {GUID}\Connection has the name. */
#define TAPWIN_CONNECTION_KEY                           \
	"SYSTEM\\CurrentControlSet\\Control\\Network\\" \
	"{4D36E972-E325-11CE-BFC1-08002BE10318}"

struct tapwin {
	HANDLE h;
	char guid[40];	/* {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx} */
	char key[256];	/* its subkey of TAPWIN_ADAPTER_KEY, "0007" */
	char name[256]; /* the connection's name, as ipconfig shows it */
	uint8_t mac[6];
	unsigned long mtu;
	unsigned long version[3]; /* major, minor, debug */
};

/*
 * Open the tap-windows6 adapter whose connection name is name, or, with
 * name "" (no interface: given), the first adapter that opens, that is
 * the first not in use, since the driver lets one handle at a time.
 * Fills *t (its handle, GUID, name, MAC, MTU, driver version). 0, or
 * -ENODEV (no such adapter, or none), -EBUSY (in use: every one, or
 * the one named), -EPROTO (a driver older than 9.9), -EIO.
 */
int tapwin_open(const char *name, struct tapwin *t);
/*
 * The interface of the adapter guid ("{...}"): its NET_LUID and, if
 * ifindex is not NULL, its index (which an adapter that is down or
 * disabled lacks: -ENODEV then). 0, or -ENODEV.
 */
int tapwin_interface(const char *guid, uint64_t *luid, int *ifindex);
/*
 * The tap-windows6 adapter whose interface is luid, not opened: its
 * GUID, key and name in *t (t->h invalid; tapwin_reopen opens it).
 * Found by its LUID alone, so also when it is down (no index). 0, or
 * -ENODEV if no tap-windows6 adapter has that interface.
 */
int tapwin_find_luid(uint64_t luid, struct tapwin *t);
/*
 * Open t's adapter again by its GUID after tapwin_close (the driver
 * restarted, tapmac.c) and read its version, MTU and MAC again; the
 * errors of tapwin_open.
 */
int tapwin_reopen(struct tapwin *t);
/*
 * Make the adapter's MAC mac (the endpoint's, 62:e2 and its IPv4
 * address: the hub takes its frames from that MAC only). The driver
 * reads its MAC from the registry when the adapter starts, so if the
 * MAC differs, this writes the parameter, closes the handle, restarts
 * the adapter and opens it again (media disconnected, as after
 * tapwin_open). 0; else the adapter is closed and -ENODEV (not
 * found to restart), -EIO, or -EADDRNOTAVAIL with a log line if the
 * driver kept another MAC.
 */
int tapwin_set_mac(struct tapwin *t, const uint8_t mac[6]);
/*
 * The adapter's MAC parameter as it is now, for the record (routerec.h)
 * before tapwin_set_mac changes it: its text into out, "" if it has
 * none. 0, or -EIO.
 */
int tapwin_mac_param(const struct tapwin *t, char *out, size_t len);
/*
 * Set the MAC parameter of the adapter whose class subkey is key to
 * value, or to none if value is "" (putting back what the record
 * says). The driver reads it at the adapter's next start; the running
 * adapter keeps its MAC. 0, or -ENOENT (no such adapter key), -EIO.
 */
int tapwin_mac_param_set(const char *key, const char *value);
/* "Cable connected" or not: the link up or down. */
int tapwin_set_media(const struct tapwin *t, bool connected);
/*
 * tun mode: the adapter gives and takes IP packets for local's network
 * instead of Ethernet frames (IPv4; the driver's tun mode is IPv4's).
 */
int tapwin_config_tun(const struct tapwin *t, const struct prefix *local);
/* Media disconnected and the handle closed (the adapter stays). */
void tapwin_close(struct tapwin *t);

#endif
