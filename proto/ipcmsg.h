/*
 * The IPC message catalogue between vland, vland-ifmgr and vland-auth:
 * types, who may send them, and their payloads. Payloads are fixed-size
 * structs (received with ipc_get_exact) except the few marked variable,
 * whose exact size follows from a count in their fixed head. Strings are
 * NUL-padded fixed arrays; a receiver checks the NUL before use
 * (ipcmsg_str_ok).
 *
 * Every request carries the requester's id in hdr.reqid, echoed in the
 * reply; hdr.peerid names the object (a session) where one is meant.
 */
#ifndef VLAND_IPCMSG_H
#define VLAND_IPCMSG_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "names.h"

#define IPCMSG_PASSWORD_MAX 256
#define IPCMSG_ERRMSG_MAX   160
#define IPCMSG_ROUTES_MAX   256

enum ipcmsg_type {
	/* vland -> vland-ifmgr. Type 1 (IF_INIT, the policy sent by vland)
	 * is retired: vland-ifmgr reads its policy from the configuration
	 * file itself (vland-ifmgr(8)). */
	IMSG_IF_HUB_UP = 2, /* none; hub: create/adopt the bridge (tap
			     * mode, answered with IF_RESULT) or create the
			     * tun (tun mode, answered with IF_DEVICE) */
	IMSG_IF_TAP_CREATE, /* struct if_tap_req; peerid = session */
	IMSG_IF_DEV_CREATE, /* struct if_dev_req; endpoint device */
	IMSG_IF_DEV_DELETE, /* none; peerid = session (0: endpoint device) */
	IMSG_IF_ROUTES,	    /* variable: struct if_routes + n if_route;
			     * answered with IF_ROUTES_RESULT */
	IMSG_IF_RELOAD,	    /* none: re-read the configuration file and
			     * take its route prefixes (answered with
			     * IF_RESULT) */
	/* vland-ifmgr -> vland */
	IMSG_IF_RESULT = 32,   /* struct ipc_result */
	IMSG_IF_DEVICE,	       /* struct if_device + the device fd */
	IMSG_IF_ROUTES_RESULT, /* variable: struct if_routes_result + n
				* if_route_refusal */

	/* vland -> vland-auth */
	IMSG_AUTH_CHECK = 64, /* struct auth_check; peerid = session */
	IMSG_AUTH_RELEASE,    /* struct auth_user; the user's address */
	IMSG_AUTH_RELOAD,     /* none: re-read the users file */
	IMSG_AUTH_CONFIG_GET, /* none: send the config file text */
	/* vland-auth -> vland */
	IMSG_AUTH_RESULT = 96, /* struct auth_result */
	IMSG_AUTH_USER_GONE,   /* struct auth_user: removed by a reload */
	IMSG_AUTH_RELOADED,    /* struct ipc_result: reload done or failed */
	IMSG_AUTH_CONFIG_TEXT, /* variable: the configuration file */

	/* vland -> both helpers */
	IMSG_LOG_VERBOSE = 128, /* struct ipc_int */
};

/* Request ids vland uses towards vland-ifmgr, echoed in the replies. */
enum if_reqid {
	IFREQ_NONE = 0,	  /* a failure is only logged */
	IFREQ_SETUP = 1,  /* IF_HUB_UP, IF_DEV_CREATE, IF_TAP_CREATE */
	IFREQ_RELOAD = 2, /* IF_RELOAD */
	IFREQ_ROUTES = 3, /* IF_ROUTES */
};

struct ipc_result {
	int32_t error; /* 0 or an errno value */
	char msg[IPCMSG_ERRMSG_MAX];
};

struct ipc_int {
	int32_t value;
};

struct if_tap_req {
	char user[USERNAME_MAX + 1];
};

struct if_dev_req {
	struct prefix ip;     /* the endpoint's address and VPN prefix */
	struct addr underlay; /* the hub's address outside the tunnel */
	struct prefix ip6;    /* its IPv6 address and prefix; af 0: none */
	uint16_t mtu;
	uint8_t mac[6]; /* tap mode: 62:e2 + the address */
};

struct if_device {
	char ifname[IFNAMSIZ];
	int32_t ifindex;
};

struct if_route {
	struct prefix cidr;
	struct addr nexthop; /* af 0: unknown, the route is withdrawn */
};

struct if_routes {
	uint32_t version;
	uint32_t count;	      /* if_route entries that follow */
	struct addr underlay; /* endpoint: the hub's address outside the
			       * tunnel, which no route may capture */
};

/* Why vland-ifmgr did not install a route (vland-ifmgr(8)). */
enum route_refusal {
	RR_FAMILY = 1,	   /* not an IPv4 network prefix */
	RR_NEXTHOP,	   /* nexthop outside the VPN subnet */
	RR_NOT_CONFIGURED, /* hub: not a prefix of the configuration */
	RR_DEFAULT,	   /* the default route, or with the others
			     * covering it */
	RR_VPN,		   /* inside the VPN subnet */
	RR_UNDERLAY,	   /* covers the hub's address outside the tunnel */
	RR_COLLISION,	   /* the host has a route there of another
			     * protocol */
	RR_KERNEL,	   /* the kernel refused it */
};

struct if_route_refusal {
	struct prefix cidr;
	uint32_t reason;	     /* enum route_refusal */
	char why[IPCMSG_ERRMSG_MAX]; /* one line, for the log and vlanctl */
};

struct if_routes_result {
	uint32_t version;   /* of the route set answered */
	uint32_t installed; /* routes now in the kernel */
	uint32_t count;	    /* if_route_refusal entries that follow */
};

struct auth_user {
	char user[USERNAME_MAX + 1];
};

struct auth_check {
	char user[USERNAME_MAX + 1];
	char password[IPCMSG_PASSWORD_MAX + 1];
	struct addr source; /* for per-source back-off */
};

enum auth_status {
	AUTH_S_OK = 0,
	AUTH_S_BAD_CREDENTIALS,
	AUTH_S_POOL_EXHAUSTED,
	AUTH_S_BACKOFF, /* too many failures: refused without a check */
	AUTH_S_INTERNAL,
	AUTH_S_BUSY, /* too many checks queued: refused without a check */
};

struct auth_result {
	int32_t status; /* enum auth_status */
	struct addr address;
	uint8_t prefixlen;
	uint8_t fixed; /* the address is the user's fixed one */
	uint32_t wait; /* seconds to wait: BACKOFF and BUSY */
};

/* true if s (a fixed array of size n) holds a NUL-terminated string. */
bool ipcmsg_str_ok(const char *s, size_t n);
#define IPCMSG_STR_OK(field) ipcmsg_str_ok((field), sizeof(field))

/* Size of an IMSG_IF_ROUTES payload holding count routes. */
size_t ipcmsg_routes_size(uint32_t count);
/*
 * Check an IMSG_IF_ROUTES payload: its size must be exactly that of its
 * count. Returns the head and sets *routes, or NULL.
 */
const struct if_routes *ipcmsg_routes_get(const void *data, size_t len,
    const struct if_route **routes);

/* The same for IMSG_IF_ROUTES_RESULT and its refusals. */
size_t ipcmsg_routes_result_size(uint32_t count);
const struct if_routes_result *ipcmsg_routes_result_get(const void *data,
    size_t len, const struct if_route_refusal **refusals);

const char *ipcmsg_type_name(uint16_t type);

#endif
