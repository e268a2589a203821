/*
 * The Windows devices of platform.h (plat_tap_open, plat_tun_open): a
 * tap-windows6 adapter (tapwin.h) whose frames a relay (relay.h) moves
 * to a socket vland's loop polls. Windows' adapters are installed
 * ahead of time, not made per open: name is the adapter's connection
 * name, and an adapter another program holds is -EBUSY (the driver
 * lets one handle in). What the in-process device manager of
 * vland.exe needs beyond the descriptor is here too: the adapter
 * behind a descriptor, its tun mode or its MAC once the address is
 * known, and its close. The open also removes what a crashed run left
 * on the adapter (iphlp.h): holding its one handle, no other vland
 * can be using it.
 */
#ifndef VLAND_TAPDEV_H
#define VLAND_TAPDEV_H

#include "addr.h"
#include "tapwin.h"

/* At most this many devices open at once (an endpoint has one). */
#define TAPDEV_MAX 4

/* The adapter behind fd (GUID, name, MAC, MTU), or NULL. */
const struct tapwin *tapdev_adapter(int fd);
/* Its interface index (IP Helper's, platform.h's ifindex), or -EBADF. */
int tapdev_ifindex(int fd);
/* Its NET_LUID, which a restart keeps (unlike the index), or 0. */
uint64_t tapdev_luid(int fd);
/* The fd of the open adapter whose interface is ifindex, or whose
 * connection name is name; -ENODEV if none is open. */
int tapdev_by_ifindex(int ifindex);
int tapdev_by_name(const char *name);
/*
 * The address p was put on ifindex (plat_addr_add): a tun's driver
 * then takes IP packets for its IPv4 network (tapwin_config_tun).
 * 0 for an IPv6 address, a tap, or an interface that is not an open
 * adapter; else tapwin_config_tun's errors.
 */
int tapdev_addressed(int ifindex, const struct prefix *p);
/*
 * A tap's MAC, the one the endpoint's address gives (62:e2 and the
 * IPv4 address, chosen by vland-ifmgr's policy as on Linux): the relay
 * paused while tapwin_set_mac restarts the adapter if its MAC differs,
 * then the media connected and the relay resumed on the new handle;
 * the descriptor stays the same, its interface index is read again
 * (a restart may change it). The parameter the adapter had is recorded
 * first (routerec.h), to be put back at exit (iphlp.h). -EINVAL for a
 * tun (its frames are the driver's own), -EBADF for an fd that is none
 * of ours, else the record's or tapwin_set_mac's errors, after which
 * only tapdev_close is left.
 */
int tapdev_set_mac(int fd, const uint8_t mac[6]);
/* Stop the relay, set the media disconnected, close the adapter (it
 * stays installed); -EBADF for an fd that is none of ours. */
int tapdev_close(int fd);

#endif
