/*
 * vland-ifmgr's state: its policy, what it created, and the functions
 * the request handlers of each file offer the dispatcher.
 */
#ifndef IFMGR_H
#define IFMGR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include "ipc.h"
#include "ipcmsg.h"
#include "policy.h"
#include "routecheck.h"

/*
 * Kinds of device, the first word of the alias; the maker follows
 * (owner.h), so a later run knows what is ours and what is stale.
 */
#define ALIAS_BRIDGE "vland:bridge"
#define ALIAS_TAP    "vland:tap:" /* followed by the bridge name */
#define ALIAS_DEV    "vland:dev"

struct ifmgr_dev {
	TAILQ_ENTRY(ifmgr_dev) entry;
	uint32_t peerid; /* session on a hub, 0 for an endpoint's device */
	char name[IFNAMSIZ];
	int ifindex;
	int fd;
	int master; /* a hub's tap: the bridge it is a port of (overflow.c) */
	/* A hub's tap: its endpoint's neighbour entries, IPv4 and IPv6
	 * (af 0: none). */
	struct addr neigh[2];
};

struct ifmgr_route {
	struct prefix cidr;
	struct addr gw;
	int ifindex;
};

struct ifmgr {
	struct ipc_chan chan;
	int reaper;	     /* notes to the reaper (reaper.h) */
	const char *cfgfile; /* where the policy comes from (-f) */
	struct ifmgr_policy pol;
	/* hub, tap mode */
	bool bridge_up;
	bool bridge_ours; /* created (or adopted from a crashed run) */
	bool addr_added;  /* hub address added to an operator's bridge */
	bool addr6_added; /* and its IPv6 address */
	int bridge_ifindex;
	bool nat_up; /* hub: our nftables table is there (nat.h) */
	/* endpoint */
	struct prefix ep_ip;
	struct prefix ep_ip6; /* af 0: the hub gave none */
	/* what exists because of us */
	TAILQ_HEAD(, ifmgr_dev) devs;
	int dnsfd; /* the DNS helper (dnsapply.h); -1: none */
	struct ifmgr_route routes[IPCMSG_ROUTES_MAX + 1]; /* [0] may be a
							   * full tunnel's pin */
	bool pinned;	      /* routes[0] is the pin to underlay */
	struct addr underlay; /* the hub's address outside the tunnel */
	size_t nroutes;
};

extern struct ifmgr ifm;

/* serve.c: the channel's requests (an ipc_cb), the answers, the
 * policy's log line; ifmgr_channel_closed is the host's (ifmgr.c,
 * inproc.c): vland closed its end. */
void ifmgr_serve(struct ipc_chan *, short ev, void *arg);
void ifmgr_policy_log(const char *when);
void ifmgr_channel_closed(void);
void ifmgr_reply(const struct ipc_hdr *, int error, const char *msg);
void ifmgr_reply_device(const struct ipc_hdr *, const struct ifmgr_dev *);

/* inproc.c (Windows): vland-ifmgr in vland.exe, on its end fd of the
 * helper channel, read from vland's loop; stop removes what it made. */
struct event_base;
void ifmgr_inproc_start(const char *cfgfile, int fd);
void ifmgr_inproc_events(struct event_base *);
void ifmgr_inproc_stop(void);

/* spawn.c: a helper process running child(fd) at the other end of a
 * socketpair; returns vland-ifmgr's end. child does not return. */
int ifmgr_spawn(void (*child)(int fd));

/* overflow.c: a hub's tap onto its bridge, or onto an overflow bridge
 * when that is full; 0 or -errno. */
int overflow_attach(struct ifmgr_dev *);
void overflow_remove_all(void);

/* udpdev.c: the test-only UDP device; udpdev_start (before the
 * sandbox) opens and connects its socket, udpdev_open gives vland a
 * duplicate (or -errno). */
void udpdev_start(const struct addr *, uint16_t port);
int udpdev_open(const char *name);

/* devices.c */
bool ifmgr_ip6_ok(const struct prefix *);
void ifmgr_check_names(void);
void ifmgr_remove_stale(void);
void ifmgr_bridge_up(const struct ipc_hdr *);
void ifmgr_hub_tun_up(const struct ipc_hdr *);
void ifmgr_tap_create(const struct ipc_hdr *, const struct if_tap_req *);
void ifmgr_dev_create(const struct ipc_hdr *, const struct if_dev_req *);
void ifmgr_dev_delete(const struct ipc_hdr *);
void ifmgr_cleanup(void);
void ifmgr_mac_from_addr(uint8_t mac[6], const struct addr *);
/* A device name as the log says it: "" (Windows: none given) is the
 * first adapter free. */
const char *ifmgr_dev_label(const char *name);

/* dns.c */
void ifmgr_dns(const struct ipc_hdr *, const struct if_dns *);
/* Before the device goes: its DNS settings go first. */
void ifmgr_dns_remove(const char *ifname, int ifindex);

/* routes.c */
void ifmgr_routes_sync(const struct ipc_hdr *, const struct if_routes *,
    const struct if_route *);
/* The VPN subnet and our devices, for route checks of an endpoint's
 * address (ctx->host must be filled by the caller). */
void ifmgr_routecheck_ctx(struct routecheck_ctx *, const struct addr *underlay);
void ifmgr_routes_remove(int ifindex);
/* The host's routes changed: move a full tunnel's pin if its way to the
 * hub did. */
void ifmgr_underlay_recheck(void);

#endif
