/*
 * The whole vland configuration (vland.yaml(5)) as one struct, with
 * defaults applied. Parsing and checking are pure: they read a buffer and
 * fill the struct or an error naming file:line:column.
 */
#ifndef VLAND_CONFIG_H
#define VLAND_CONFIG_H

#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"
#include "ctlpath.h"
#include "dnsset.h"
#include "keyenc.h"
#include "names.h"

#define CFG_MAX_LISTEN		  8
#define CFG_MAX_ROUTES		  256
#define CFG_MAX_BRIDGE_USERS	  64
#define CFG_MAX_GROUPS		  64 /* bits of a session's group mask */
#define CFG_MAX_GROUP_MEMBERS	  4096
#define CFG_MAX_ALLOW		  256
#define CFG_MAX_SERVERS		  8
#define CFG_PATH_MAX		  256
#define CFG_HOST_MAX		  255
#define CFG_PASSWORD_MAX	  256
#define CFG_DEFAULT_FILE	  VLAND_SYSCONFDIR "/vland.yaml"
#define CFG_DEFAULT_PORT	  6123
#define CFG_DEFAULT_CONTROL	  ctl_default_path /* ctlpath.h */
#define CFG_DEFAULT_CONTROL_GROUP VLAND_USER
#define CFG_DEFAULT_WEBPORT	  8000
#define CFG_DEFAULT_KEEPALIVE	  10 /* s; the hub announces it at login */
#define CFG_DEFAULT_TIMEOUT	  50 /* s; more than twice keepalive */
#define CFG_MTU_MIN		  576
#define CFG_MTU_MAX		  9000
#define CFG_KEEPALIVE_MAX	  3600
#define CFG_TIMEOUT_MAX		  86400
#define CFG_PSK_MINLEN		  8
/* Sessions a hub serves at once: a Linux bridge takes 1023 ports, and
 * each tap-mode session is one; tun mode has no such bound. */
#define CFG_MAX_SESSIONS_TAP 1000 /* the default */
/* a tap each: the hub's bridge and 64 overflow bridges of 1,022 ports */
#define CFG_MAX_SESSIONS_TAP_MAX 60000
#define CFG_MAX_SESSIONS_TUN	 10000
#define CFG_MAX_SESSIONS_MAX	 1000000

enum cfg_role { CFG_HUB, CFG_ENDPOINT };
enum cfg_mode { CFG_TAP, CFG_TUN };

/* switch: who carries a unicast frame between two endpoints (tap mode) */
enum cfg_switch {
	CFG_SWITCH_HUB = 0, /* vland itself (l2switch.h) */
	CFG_SWITCH_BRIDGE,  /* the kernel bridge, through both taps */
};
enum cfg_loglevel { CFG_LOG_DEBUG, CFG_LOG_INFO, CFG_LOG_WARN, CFG_LOG_ERROR };

struct cfg_route {
	struct prefix cidr;
	bool server; /* nexthop is the hub itself */
	char nexthop[USERNAME_MAX + 1];
};

struct cfg_web {
	bool enable;
	struct addr listen;
	uint16_t port;
};

struct cfg_server {
	char host[CFG_HOST_MAX + 1]; /* name or address, as written */
	uint16_t port;
};

struct cfg_connect {
	/* the hub, and others with its key to try in turn if it fails */
	struct cfg_server servers[CFG_MAX_SERVERS];
	size_t nservers;
	uint8_t server_key[KEY_LEN];
	char user[USERNAME_MAX + 1];
	bool has_password;
	char password[CFG_PASSWORD_MAX + 1];
	char password_file[CFG_PATH_MAX];
	char interface[IFNAMSIZ];
	/* device: udp:ADDR:PORT, the test-only device whose frames are
	 * datagrams to a loopback address (vland.yaml(5)); af 0: none,
	 * the system's tap or tun of the mode */
	struct addr udp_dev;
	uint16_t udp_dev_port;
	bool full_tunnel; /* take routes that cover the default route */
	bool dns;	  /* apply the hub's dns: to this host */
	/* take direct paths to other endpoints when the hub offers them */
	bool direct;
};

struct config {
	enum cfg_role role;
	enum cfg_mode mode;
	enum cfg_loglevel log_level;
	/* Windows (vland.exe) only: the file its lines are appended to,
	 * "" for none; relative to the configuration's directory. */
	char log_file[CFG_PATH_MAX];
	char control[CFG_PATH_MAX];
	char control_group[USERNAME_MAX + 1];	    /* may show */
	char control_admin_group[USERNAME_MAX + 1]; /* may also change;
						     * "": root only */
	/* clamp the MSS of TCP SYNs crossing the tunnel to its MTU */
	bool mss_clamp;
	bool has_psk;
	uint8_t psk[KEY_LEN];

	/* hub */
	uint16_t port;
	struct addr listen[CFG_MAX_LISTEN];
	size_t nlisten;
	struct prefix ip;  /* hub address with the VPN prefix length */
	struct prefix ip6; /* the same for IPv6 inside the tunnel; af 0: none */
	struct addr range_lo, range_hi;
	char bridge[IFNAMSIZ];
	char interface[IFNAMSIZ];
	char private_key[CFG_PATH_MAX];
	char users[CFG_PATH_MAX];
	unsigned keepalive, timeout;
	unsigned max_sessions; /* logged in at once; 0 until checked */
	/* hub: the tunnel's MTU; endpoint: at most this, below the hub's.
	 * 0: auto (the hub's default; the endpoint takes the hub's). */
	unsigned mtu;
	struct cfg_route routes[CFG_MAX_ROUTES];
	size_t nroutes;
	bool route_multicast;
	/* tap mode: who carries frames between two endpoints */
	enum cfg_switch l2switch;
	/* direct: introduce endpoints to each other for direct paths */
	bool direct;
	/* isolate: endpoints reach each other only as allow says; allow
	 * names pairs of groups whose members may talk, either way. */
	bool isolate;
	/* nat: masquerade what leaves the hub out of this interface from
	 * the VPN subnets (vland-ifmgr's nftables table); "" for none. */
	char nat[IFNAMSIZ];
	char groups[CFG_MAX_GROUPS][USERNAME_MAX + 1];
	size_t ngroups;
	struct cfg_member {
		char user[USERNAME_MAX + 1];
		uint8_t group; /* index in groups */
	} members[CFG_MAX_GROUP_MEMBERS];
	size_t nmembers;
	char allow[CFG_MAX_ALLOW][2][USERNAME_MAX + 1];
	size_t nallow;
	/* tap mode: users whose endpoints may bridge a LAN onto the hub's
	 * (frames from other MACs; see l2filter.h) */
	char bridge_users[CFG_MAX_BRIDGE_USERS][USERNAME_MAX + 1];
	size_t nbridge_users;
	struct cfg_web web;
	struct dns_set dns; /* pushed to endpoints; empty: none */

	/* endpoint */
	struct cfg_connect connect;
};

struct cfg_error {
	int line, col;
	char msg[256];
};

/*
 * Parse and check the configuration in buf. file is used for messages
 * and to locate relative paths (their directory must be the config
 * directory). Returns 0, or -1 with err filled.
 */
int cfg_parse(const char *buf, size_t len, const char *file, struct config *,
    struct cfg_error *err);

/* Read file and parse it. I/O errors are reported at line 0. */
int cfg_load(const char *file, struct config *, struct cfg_error *err);

/* The top-level keys the parser knows, for tests that walk them. */
size_t cfg_top_key_count(void);
const char *cfg_top_key_name(size_t i);

/* "host:port", or "[v6]:port" for an IPv6 address. */
void cfg_server_fmt(const struct cfg_server *, char *buf, size_t len);

/* "file:line:col: message" (or "file: message" when there is no line). */
void cfg_error_fmt(const struct cfg_error *, const char *file, char *buf,
    size_t len);

/*
 * The normalised configuration, every key with its value, as YAML.
 * Unless secrets is set, the pre-shared key and the password print as
 * CFG_SECRET_SHOWN (which reads back as a valid value, so the output
 * still checks and round-trips as text).
 */
#define CFG_SECRET_SHOWN "(secret, not shown)"
void cfg_print(FILE *, const struct config *, bool secrets);

/* Wipe the secrets it holds (password, PSK). */
void cfg_clear(struct config *);

const char *cfg_mode_name(enum cfg_mode);
/* The groups user is in, one bit each (bit i: groups[i]). */
uint64_t cfg_groups_of(const struct config *, const char *user);
/* The groups that members of the groups in mask may reach (allow). */
uint64_t cfg_reach_of(const struct config *, uint64_t mask);
const char *cfg_loglevel_name(enum cfg_loglevel);

/* A path of the configuration (users, private-key, password-file): a
 * relative one is taken from cfgfile's directory. */
const char *cfg_path_of(const char *cfgfile, const char *path, char *buf,
    size_t len);

/* Is user named in bridge-users? */
bool cfg_bridge_user(const struct config *, const char *user);

/* The default MTU for a mode when mtu is auto (PROTOCOL.md, "MTU"). */
unsigned cfg_effective_mtu(const struct config *);

#endif
