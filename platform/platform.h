/*
 * What vland needs from the operating system, call by call: the devices
 * vland-ifmgr makes, their links, addresses and routes, the events that
 * say a link went away, and the privilege drop and sandbox of every
 * daemon. platform/linux/ implements it with rtnetlink (libmnl),
 * /dev/net/tun, capabilities (libcap-ng) and seccomp (libseccomp); a
 * port is a directory beside it (doc/PORTING.md maps each call to
 * Windows and macOS).
 *
 * Rules for every call: 0 (or a descriptor) on success, -errno on
 * failure, never a partial change that the caller cannot undo with the
 * matching delete; links are named by ifindex once they exist, and the
 * platform changes nothing it was not named (no other link, address,
 * route or table). Calls are synchronous: each one returns when the
 * system has applied it, because vland-ifmgr must know whether it
 * worked before it answers vland. vland-ifmgr runs one call at a time.
 */
#ifndef VLAND_PLATFORM_H
#define VLAND_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "hostroutes.h"
#include "privsep.h"
#include "sandbox.h"

/*
 * The channel to the system's network configuration (Linux: one
 * rtnetlink socket), opened while the process may still open it, before
 * priv_drop and sandbox_enter; closed at exit. Every call below but the
 * device opens and the link events needs it open.
 */
int plat_net_open(void);
void plat_net_close(void);

/*
 * Devices. vland-ifmgr opens them and hands the descriptor to vland,
 * which reads and writes whole frames (tap: Ethernet, with no FCS) or
 * whole packets (tun: IPv4 or IPv6, no header of the system's), one per
 * read and write, non-blocking. On Linux each one is preceded by a
 * struct virtio_net_hdr (common/offload.h) and may be up to 64 KiB of
 * TCP (TSO/GSO both ways); vland's data path relies on it. A port
 * without it delivers plain frames and needs vland's offload turned off
 * first (doc/PORTING.md: not yet a switch).
 *
 * Each open makes a new device named name (at most IFNAMSIZ - 1 bytes)
 * and returns its non-blocking, close-on-exec descriptor, or -errno. It
 * never attaches to a device that exists already (Linux: IFF_TUN_EXCL,
 * -EBUSY): a device of that name may belong to someone else. The device
 * lives while the descriptor is open, or until plat_link_delete. A
 * platform without the kind returns -EOPNOTSUPP.
 */
int plat_tap_open(const char *name); /* Ethernet frames */
int plat_tun_open(const char *name); /* IP packets */

/*
 * The test-only UDP device (vland.yaml(5), connect: device:), which
 * every build has: no link, only a UDP socket connected to a loopback
 * address and port, whose datagrams are the frames (plain, no offload
 * header). plat_udp_connect makes it, non-blocking and close-on-exec,
 * before the sandbox (which allows no new socket), where a datagram
 * the peer refused is no error on a later receive; plat_udp_dup gives
 * another descriptor of the same socket for each device vland gets
 * (closing one leaves the others). The descriptor, or -errno.
 */
int plat_udp_connect(const struct addr *a, uint16_t port);
int plat_udp_dup(int fd);

/*
 * The host's own addresses, for an endpoint's direct paths (where a
 * peer may reach it besides the address the hub sees): of the links
 * that are up and not loopback, IPv4, and IPv6 global unicast (no
 * link-local). At most max into out; how many, or -errno (a port
 * without the call: -EOPNOTSUPP, and the hub's view alone is offered).
 * Needs no plat_net_open.
 */
int plat_local_addrs(struct addr *out, size_t max);

/*
 * Links: any network interface, by ifindex once it exists. A bridge is
 * the system's own Ethernet switch, which holds a hub's per-session
 * taps (plat_link_set_master) and carries the hub's address.
 */
struct plat_link {
	int ifindex;
	int master; /* ifindex of the bridge it is attached to, or 0 */
	char name[16];
	char kind[16];	/* "bridge" for a bridge; otherwise anything or "" */
	char alias[64]; /* the free-text mark owner.h reads, or "" */
	uint32_t group; /* the link's group (ip link set group), 0 by default */
};

/* Make an empty bridge, down; -EEXIST if any link has that name. */
int plat_bridge_create(const char *name);
/*
 * A pair of linked Ethernet devices, name and peer, down: what one sends
 * the other receives. Joins a hub's overflow bridge to its bridge
 * (a bridge cannot be a port of another). -EEXIST if a name is taken.
 */
int plat_veth_create(const char *name, const char *peer);
/* Delete the link (a bridge, tap or tun); -ENODEV if it is gone. */
int plat_link_delete(int ifindex);
/*
 * Delete n links at once (a hub's taps at exit). One at a time, each
 * deletion waits for the kernel's grace periods (about 18 ms a tap
 * here: 1,000 taps took 18 s); in one request the kernel unregisters
 * them together (0.4 s). Links already gone are skipped. Returns 0, or
 * the first error of a link that could not be deleted.
 */
int plat_links_delete(const int *ifindex, size_t n);
/*
 * A permanent neighbour entry: a on the link ifindex is at mac (created
 * or replaced). A hub's bridge gets one per endpoint, whose MAC follows
 * from its address: the kernel then never asks (no ARP broadcast to
 * every endpoint), and permanent entries do not count against the
 * neighbour table's limit (gc_thresh3, 1024 by default), which a hub
 * of a thousand endpoints talking to it would otherwise overflow.
 */
int plat_neigh_set(int ifindex, const struct addr *a, const uint8_t mac[6]);
/* ... and gone again (the endpoint left: no frame for it should go
 * out as unknown unicast to every port). */
int plat_neigh_del(int ifindex, const struct addr *a);
/* Administratively up; no error if it is up already. */
int plat_link_set_up(int ifindex);
/* The link's MTU, in bytes of IP packet (no Ethernet header). */
int plat_link_set_mtu(int ifindex, unsigned mtu);
/* The link's Ethernet address (tap or bridge). */
int plat_link_set_mac(int ifindex, const uint8_t mac[6]);
/* Attach the link to the bridge master (a tap to the hub's bridge). */
int plat_link_set_master(int ifindex, int master);
/*
 * Make a bridge port isolated: the bridge forwards its frames only to
 * ports that are not isolated and to the bridge itself (the host), never
 * to another isolated port (isolate: a hub's endpoints meet the hub, not
 * each other). Linux 4.18 and later.
 */
int plat_link_set_isolated(int ifindex, bool isolated);
/*
 * Set the link's alias: the mark (owner.h, at most 63 bytes) that tells
 * vland's devices from others' and a running vland's from a dead one's,
 * read back by plat_link_get and plat_link_foreach. It must survive the
 * process that set it (the reaper and the next run read it) and be
 * visible to every process. A port without a per-link text field keeps
 * it elsewhere that outlives the process (doc/PORTING.md).
 */
int plat_link_set_alias(int ifindex, const char *alias);
/* Look a link up by name; -ENODEV if there is none. */
int plat_link_get(const char *name, struct plat_link *out);
/*
 * The link of the device plat_tap_open or plat_tun_open just opened as
 * fd under name. Linux: the link of that name (plat_link_get). Windows:
 * the adapter behind fd, whose connection name may not be name (name
 * "" takes the first adapter free) and goes into out->name.
 */
int plat_dev_link(int fd, const char *name, struct plat_link *out);
/*
 * Whether devices are installed ahead of time and opened, rather than
 * made by the open and gone with it: false on Linux; true on Windows,
 * whose tap-windows6 adapters an administrator installs. Where they
 * are installed, a device's name is always taken (by the adapter), so
 * vland-ifmgr claims no name by its mark (owner.h): the open's own
 * exclusion (-EBUSY: the driver lets one handle in) says whether
 * another program has it.
 */
extern const bool plat_devices_installed;
/*
 * Call fn for every link; stops early if fn returns non-zero. fn must
 * not call the platform (on Linux the dump is still being read): it
 * collects, and the caller acts after.
 */
int plat_link_foreach(int (*fn)(const struct plat_link *, void *), void *arg);

/*
 * Addresses. plat_addr_add sets *exists and returns 0 when the address
 * was there already (an operator's bridge may carry it), so that the
 * caller removes only what it added. An IPv6 address is usable at once
 * (no duplicate address detection: the hub hands them out). The
 * system makes the connected route for its prefix, as for any address
 * (vland-ifmgr checks that route before it adds the address).
 */
int plat_addr_add(int ifindex, const struct prefix *p, bool *exists);
int plat_addr_del(int ifindex, const struct prefix *p);

/*
 * Routes, in the main table only. Every route vland installs carries
 * the mark PLAT_RTPROT_VLAND (Linux: rtm_protocol 118), and a host
 * route's protocol field reads it back, so that vland's routes are told
 * apart from the host's and a crashed run's are found and removed.
 */
#define PLAT_RTPROT_VLAND 0x76
/*
 * Add a route to dst out of ifindex, through gw (NULL or af 0: on the
 * link). replace false: -EEXIST if a route to dst exists, whoever made
 * it. replace true: take the place of the route with the same
 * destination, which the caller has checked is one of ours
 * (routecheck.h); never asked for a route that is not.
 */
int plat_route_install(int ifindex, const struct prefix *dst,
    const struct addr *gw, bool replace);
/* Delete our route to dst on ifindex; -ESRCH if there is none. */
int plat_route_del(int ifindex, const struct prefix *dst);
/*
 * The route the host would take to the address dst now, as a lookup,
 * not a table entry: out->gw (af 0 if on the link) and out->oif are
 * what the caller uses; the other fields are not promised.
 */
int plat_route_get(const struct addr *dst, struct host_route *out);
/* The main table's IPv4 and IPv6 routes (out->r is malloc'd; free it). */
int plat_route_dump(struct host_routes *out);
/* Delete every route of ours (PLAT_RTPROT_VLAND) out of ifindex. */
int plat_route_flush_ours(int ifindex);

/*
 * Link events, so that vland-ifmgr sees a device of ours deleted under
 * it instead of running on broken: a hub whose bridge is gone stops,
 * with one line, and its supervisor starts it again whole. open gives a
 * non-blocking descriptor to poll for reading (before the sandbox;
 * -errno on failure). read drains it and calls fn(ifindex) for each link
 * deleted, and fn(0) when events were lost (the caller then checks its
 * links by name). close takes -1 as well.
 */
int plat_linkwatch_open(void);
void plat_linkwatch_read(int fd, void (*fn)(int ifindex));
void plat_linkwatch_close(int fd);

/*
 * Route changes, IPv4 and IPv6, as a descriptor to poll (a full tunnel's
 * endpoint follows its way to the hub when it roams). open as above;
 * drain reads what is there and says whether anything came (lost events
 * count as a change); close with plat_linkwatch_close.
 */
int plat_routewatch_open(void);
bool plat_routewatch_drain(int fd);

/*
 * Privileges and the sandbox (privsep.h, sandbox.h; their names keep
 * the priv_ and sandbox_ prefixes). Unlike the calls above they do not
 * return errors: a process that cannot drop what it must not keep
 * stops, fatal().
 *   priv_drop              look the user up, chroot, change to the user
 *                          and group keeping only CAP_NET_ADMIN if asked
 *                          (Linux: libcap-ng), then forbid regaining
 *                          anything (no_new_privs) and core dumps; then
 *                          verify that the kernel agrees.
 *   priv_check_chroot_dir  a chroot is a root-owned directory writable
 *                          by no one else (and empty, if asked).
 *   priv_log_protections   one log line: ids, groups, root,
 *                          capabilities, no_new_privs, dumpable.
 *   priv_exec_child        start a helper with its socket on
 *                          PRIV_IPC_FD and nothing else inherited.
 *   priv_libexec_dir       where the helpers are.
 *   sandbox_enter          the system call allowlist of a role
 *                          (SANDBOX_NETWORK, SANDBOX_IFMGR,
 *                          SANDBOX_AUTH; Linux: seccomp), after start-up.
 *   sandbox_describe       the filter in force, for the log.
 * A port without a sandbox says "none" in sandbox_describe, and the
 * protections line says what it does have.
 */

#endif
