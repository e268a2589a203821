/*
 * Shared between the config parser and the config checker: where each
 * key was found, so that a contradiction found after parsing still names
 * the line and column of the value at fault.
 */
#ifndef VLAND_CONFIG_PRIV_H
#define VLAND_CONFIG_PRIV_H

#include "config.h"
#include "log.h"

enum cfg_key {
	K_PORT,
	K_LISTEN,
	K_MODE,
	K_IP,
	K_IP6,
	K_RANGE,
	K_BRIDGE,
	K_INTERFACE,
	K_LOGLEVEL,
	K_LOGFILE,
	K_KEY,
	K_PRIVKEY,
	K_USERS,
	K_KEEPALIVE,
	K_TIMEOUT,
	K_MTU,
	K_MAX_SESSIONS,
	K_ROUTES,
	K_RMCAST,
	K_BRIDGE_USERS,
	K_SWITCH,
	K_ISOLATE,
	K_NAT,
	K_GROUPS,
	K_ALLOW,
	K_MSS_CLAMP,
	K_DIRECT,
	K_DNS,
	K_CONTROL,
	K_CONTROL_GROUP,
	K_CONTROL_ADMIN_GROUP,
	K_WEB,
	K_CONNECT,
	K_WEB_ENABLE,
	K_WEB_LISTEN,
	K_WEB_PORT,
	K_C_SERVER,
	K_C_SERVERKEY,
	K_C_USER,
	K_C_PASSWORD,
	K_C_PASSFILE,
	K_C_KEY,
	K_C_INTERFACE,
	K_C_DEVICE,
	K_C_FULL_TUNNEL,
	K_C_DNS,
	K_C_DIRECT,
	K__COUNT
};

struct cfg_loc {
	int line, col;
};

struct cfgp {
	struct cfg_error *err;
	char dir[CFG_PATH_MAX]; /* directory of the config file */
	bool seen[K__COUNT];
	struct cfg_loc loc[K__COUNT];	      /* of each key's value */
	struct cfg_loc root;		      /* the top-level mapping */
	struct cfg_loc route[CFG_MAX_ROUTES]; /* of each route's cidr */
	struct cfg_loc nexthop[CFG_MAX_ROUTES];
	struct cfg_loc listen[CFG_MAX_LISTEN];
	struct cfg_loc allow[CFG_MAX_ALLOW][2]; /* of each group named */
};

struct ynode;

/* Where a node of the YAML tree is, for messages. */
struct cfg_loc cfg_loc_of(const struct ynode *);
/* A non-empty scalar without NUL bytes. */
int cfg_get_scalar(struct cfgp *, const struct ynode *, const char *key,
    const char **out);
/* groups and allow (config_groups.c) */
int cfg_key_groups(struct cfgp *, const struct ynode *, struct config *);
int cfg_key_allow(struct cfgp *, const struct ynode *, struct config *);
int cfg_check_groups(struct cfgp *, struct config *);
/* dns (config_dns.c) */
int cfg_key_dns(struct cfgp *, const struct ynode *, struct config *);
int cfg_fail_at(struct cfgp *, struct cfg_loc, const char *fmt, ...)
    LOG_FMT(3, 4);
int cfg_check(struct cfgp *, struct config *);

#endif
