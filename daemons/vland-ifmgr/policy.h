/*
 * vland-ifmgr's policy: what it may create, address and route. It is
 * derived from the configuration file, which vland-ifmgr reads itself at
 * start (as root, before it drops privileges) and again when vland says
 * "reload now"; nothing vland sends can widen it.
 */
#ifndef IFMGR_POLICY_H
#define IFMGR_POLICY_H

#include <net/if.h>
#include <stddef.h>

#include "addr.h"
#include "config.h"

struct ifmgr_policy {
	enum cfg_role role;
	enum cfg_mode mode;
	unsigned mtu;		  /* hub: the devices' MTU */
	char bridge[IFNAMSIZ];	  /* hub, tap mode */
	char interface[IFNAMSIZ]; /* hub tun device or endpoint device */
	struct prefix ip;	  /* hub address and VPN prefix */
	struct prefix ip6;	  /* hub IPv6 and prefix; af 0: none */
	bool full_tunnel;	  /* endpoint: may cover the default */
	bool dns;		  /* endpoint: may apply the hub's DNS */
	bool isolate;		  /* hub, tap mode: taps are isolated ports */
	char nat[IFNAMSIZ];	  /* hub: masquerade out of it; "" none */
	size_t nallowed;	  /* hub: the configured route prefixes */
	struct prefix allowed[CFG_MAX_ROUTES];
	/* endpoint: the test-only UDP device's peer; af 0: none */
	struct addr udp_dev;
	uint16_t udp_dev_port;
};

/*
 * Read file and derive the policy. Returns 0, or -1 with a one-line
 * message in err ("file:line:col: what").
 */
int policy_load(const char *file, struct ifmgr_policy *, char *err,
    size_t errlen);

/* The first setting of o and n that only a restart may change, or NULL. */
const char *policy_restart_needed(const struct ifmgr_policy *o,
    const struct ifmgr_policy *n);

/* Is p one of the configured route prefixes? */
bool policy_route_configured(const struct ifmgr_policy *,
    const struct prefix *p);

#endif
