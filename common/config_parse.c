/*
 * vland.yaml: YAML tree to struct config. Each key has one handler that
 * checks the value's type and form; relations between keys are checked
 * afterwards in config_check.c.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "config_priv.h"
#include "psk.h"
#include "vland_config.h"
#include "yamltree.h"

typedef int (*key_fn)(struct cfgp *, const struct ynode *, struct config *);

#define R_HUB	   0x1
#define R_ENDPOINT 0x2
#define R_BOTH	   (R_HUB | R_ENDPOINT)

struct key_def {
	const char *name;
	enum cfg_key id;
	unsigned roles;
	key_fn fn;
};

int
cfg_fail_at(struct cfgp *c, struct cfg_loc at, const char *fmt, ...)
{
	va_list ap;

	c->err->line = at.line;
	c->err->col = at.col;
	va_start(ap, fmt);
	vsnprintf(c->err->msg, sizeof(c->err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

struct cfg_loc
cfg_loc_of(const struct ynode *n)
{
	struct cfg_loc l = { n->line, n->col };

	return l;
}

#define FAIL(c, n, ...) cfg_fail_at((c), cfg_loc_of(n), __VA_ARGS__)

static const char *
type_name(const struct ynode *n)
{
	switch (n->type) {
	case Y_MAP:
		return "a mapping";
	case Y_SEQ:
		return "a list";
	case Y_SCALAR:
		break;
	}
	return "a value";
}

int
cfg_get_scalar(struct cfgp *c, const struct ynode *n, const char *key,
    const char **out)
{
	if (n->type != Y_SCALAR)
		return FAIL(c, n, "%s: expected a single value, got %s", key,
		    type_name(n));
	if (n->vlen == 0)
		return FAIL(c, n, "%s: value missing", key);
	if (strlen(n->val) != n->vlen)
		return FAIL(c, n, "%s: NUL byte in value", key);
	*out = n->val;
	return 0;
}

static int
get_str(struct cfgp *c, const struct ynode *n, const char *key, char *buf,
    size_t size)
{
	const char *s = NULL;

	if (cfg_get_scalar(c, n, key, &s) == -1)
		return -1;
	if (strlen(s) >= size)
		return FAIL(c, n, "%s: value too long (at most %zu characters)",
		    key, size - 1);
	strcpy(buf, s);
	return 0;
}

static int
get_uint(struct cfgp *c, const struct ynode *n, const char *key,
    unsigned long min, unsigned long max, unsigned long *out)
{
	const char *s, *p;
	unsigned long v = 0;

	if (cfg_get_scalar(c, n, key, &s) == -1)
		return -1;
	if (!n->plain)
		return FAIL(c, n, "%s: expected a number, got a quoted string",
		    key);
	for (p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return FAIL(c, n, "%s: '%s' is not a number", key, s);
		if (v > max)
			break;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	if (v < min || v > max)
		return FAIL(c, n, "%s: %s is out of range (%lu-%lu)", key, s,
		    min, max);
	*out = v;
	return 0;
}

static int
get_bool(struct cfgp *c, const struct ynode *n, const char *key, bool *out)
{
	static const char *yes[] = { "true", "yes", "on" };
	static const char *no[] = { "false", "no", "off" };
	const char *s = NULL;
	size_t i;

	if (cfg_get_scalar(c, n, key, &s) == -1)
		return -1;
	for (i = 0; i < 3; i++) {
		if (n->plain && strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (n->plain && strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return FAIL(c, n, "%s: expected true or false, got '%s'", key, s);
}

static int
get_addr(struct cfgp *c, const struct ynode *n, const char *key, struct addr *a)
{
	const char *s = NULL;

	if (cfg_get_scalar(c, n, key, &s) == -1)
		return -1;
	if (addr_parse(s, a) == -1)
		return FAIL(c, n, "%s: '%s' is not an IPv4 or IPv6 address",
		    key, s);
	return 0;
}

static int
get_port(struct cfgp *c, const struct ynode *n, const char *key, uint16_t *port)
{
	unsigned long v;

	if (get_uint(c, n, key, 1, 65535, &v) == -1)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static bool
path_has_dotdot(const char *p)
{
	const char *s = p;

	while ((s = strstr(s, "..")) != NULL) {
		if ((s == p || s[-1] == '/') && (s[2] == '\0' || s[2] == '/'))
			return true;
		s += 2;
	}
	return false;
}

static int
get_path(struct cfgp *c, const struct ynode *n, const char *key, char *buf)
{
	if (get_str(c, n, key, buf, CFG_PATH_MAX) == -1)
		return -1;
	if (path_has_dotdot(buf))
		return FAIL(c, n, "%s: '..' is not allowed in paths", key);
	return 0;
}

/*
 * key: a raw 32-byte key as 64 hex or 44 base64 characters, or a
 * passphrase that is hashed (common/psk.h).
 */
/* key: a raw 32-byte key or a passphrase (common/psk.h). */
static int
get_psk(struct cfgp *c, const struct ynode *n, const char *key,
    struct config *cfg)
{
	char text[CFG_PASSWORD_MAX + 1];
	size_t len;
	int rc = -1;

	if (get_str(c, n, key, text, sizeof(text)) == -1)
		goto out;
	len = strlen(text);
	if (len < CFG_PSK_MINLEN) {
		FAIL(c, n,
		    "%s: too short (a passphrase of at least %d characters, "
		    "or 32 bytes as 64 hex or 44 base64 characters)",
		    key, CFG_PSK_MINLEN);
		goto out;
	}
	switch (psk_from_text(cfg->psk, text)) {
	case 0:
		cfg->has_psk = true;
		rc = 0;
		break;
	case -1:
		FAIL(c, n, "%s: not a valid base64 key", key);
		break;
	default:
		FAIL(c, n, "%s: cannot derive the key", key);
	}
out:
	OPENSSL_cleanse(text, sizeof(text));
	return rc;
}

static int
k_port(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_port(c, n, "port", &cfg->port);
}

static int
k_listen(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	size_t i, j, count = n->type == Y_SEQ ? n->nkids : 1;
	const struct ynode *e;

	if (n->type == Y_MAP)
		return FAIL(c, n, "listen: expected an address or a list");
	if (count == 0)
		return FAIL(c, n, "listen: empty list");
	if (count > CFG_MAX_LISTEN)
		return FAIL(c, n, "listen: at most %d addresses",
		    CFG_MAX_LISTEN);
	for (i = 0; i < count; i++) {
		e = n->type == Y_SEQ ? n->kids[i] : n;
		if (get_addr(c, e, "listen", &cfg->listen[i]) == -1)
			return -1;
		c->listen[i] = cfg_loc_of(e);
		for (j = 0; j < i; j++)
			if (addr_cmp(&cfg->listen[i], &cfg->listen[j]) == 0)
				return FAIL(c, e,
				    "listen: duplicate address %s", e->val);
	}
	cfg->nlisten = count;
	return 0;
}

static int
k_bridge_users(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	size_t i, j, count = n->type == Y_SEQ ? n->nkids : 1;
	const struct ynode *e;

	if (n->type == Y_MAP)
		return FAIL(c, n, "bridge-users: expected a user or a list");
	if (count > CFG_MAX_BRIDGE_USERS)
		return FAIL(c, n, "bridge-users: at most %d users",
		    CFG_MAX_BRIDGE_USERS);
	for (i = 0; i < count; i++) {
		e = n->type == Y_SEQ ? n->kids[i] : n;
		if (e->type != Y_SCALAR || e->val == NULL ||
		    !username_valid(e->val, e->vlen))
			return FAIL(c, e,
			    "bridge-users: '%s' is not a valid "
			    "username",
			    e->type == Y_SCALAR && e->val ? e->val : "");
		for (j = 0; j < i; j++)
			if (strcmp(cfg->bridge_users[j], e->val) == 0)
				return FAIL(c, e,
				    "bridge-users: %s is listed twice", e->val);
		snprintf(cfg->bridge_users[i], sizeof(cfg->bridge_users[i]),
		    "%s", e->val);
	}
	cfg->nbridge_users = count;
	return 0;
}

static int
k_mode(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	const char *s = NULL;

	if (cfg_get_scalar(c, n, "mode", &s) == -1)
		return -1;
	if (strcmp(s, "tap") == 0)
		cfg->mode = CFG_TAP;
	else if (strcmp(s, "tun") == 0)
		cfg->mode = CFG_TUN;
	else
		return FAIL(c, n, "mode: expected tap or tun, got '%s'", s);
	return 0;
}

/* An interface address with its prefix length, of one family. */
static int
get_host_prefix(struct cfgp *c, const struct ynode *n, const char *key,
    sa_family_t af, struct prefix *out)
{
	const char *s = NULL;

	if (cfg_get_scalar(c, n, key, &s) == -1)
		return -1;
	if (prefix_parse(s, out) == -1 || out->a.af != af)
		return FAIL(c, n,
		    "%s: '%s' is not an IPv%d address with a prefix length "
		    "(e.g. %s)",
		    key, s, af == AF_INET ? 4 : 6,
		    af == AF_INET ? "192.168.123.254/24" : "fd00:7b::1/64");
	return 0;
}

static int
k_ip(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_host_prefix(c, n, "ip", AF_INET, &cfg->ip);
}

static int
k_ip6(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_host_prefix(c, n, "ip6", AF_INET6, &cfg->ip6);
}

static int
k_range(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	char buf[2 * ADDR_STRLEN + 8], *dash, *lo, *hi, *e;

	if (get_str(c, n, "dhcp-range", buf, sizeof(buf)) == -1)
		return -1;
	if ((dash = strchr(buf, '-')) == NULL)
		return FAIL(c, n, "dhcp-range: expected FIRST-LAST, got '%s'",
		    buf);
	*dash = '\0';
	lo = buf;
	hi = dash + 1;
	/* Tolerate spaces around the dash. */
	while (*hi == ' ')
		hi++;
	for (e = dash; e > lo && e[-1] == ' '; e--)
		e[-1] = '\0';
	if (addr_parse(lo, &cfg->range_lo) == -1 || cfg->range_lo.af != AF_INET)
		return FAIL(c, n, "dhcp-range: '%s' is not an IPv4 address",
		    lo);
	if (addr_parse(hi, &cfg->range_hi) == -1 || cfg->range_hi.af != AF_INET)
		return FAIL(c, n, "dhcp-range: '%s' is not an IPv4 address",
		    hi);
	return 0;
}

static int
get_ifname(struct cfgp *c, const struct ynode *n, const char *key, char *buf)
{
	if (get_str(c, n, key, buf, IFNAMSIZ) == -1)
		return -1;
	if (!ifname_valid(buf))
		return FAIL(c, n,
		    "%s: '%s' is not a valid interface name "
		    "(1-15 of A-Z a-z 0-9 . _ -)",
		    key, buf);
	return 0;
}

static int
k_bridge(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_ifname(c, n, "bridge", cfg->bridge);
}

static int
k_interface(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_ifname(c, n, "interface", cfg->interface);
}

static int
k_nat(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_ifname(c, n, "nat", cfg->nat);
}

static int
k_loglevel(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	static const char *names[] = { "debug", "info", "warn", "error" };
	const char *s = NULL;
	int i;

	if (cfg_get_scalar(c, n, "log-level", &s) == -1)
		return -1;
	for (i = 0; i < 4; i++) {
		if (strcmp(s, names[i]) == 0) {
			cfg->log_level = (enum cfg_loglevel)i;
			return 0;
		}
	}
	return FAIL(c, n,
	    "log-level: expected debug, info, warn or error, got '%s'", s);
}

static int
k_logfile(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_path(c, n, "log-file", cfg->log_file);
}

static int
k_key(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_psk(c, n, "key", cfg);
}

static int
k_privkey(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_path(c, n, "private-key", cfg->private_key);
}

static int
k_users(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	size_t dl = strlen(c->dir);

	if (get_path(c, n, "users", cfg->users) == -1)
		return -1;
	/* vland-auth is chrooted to the config directory (vland-auth(8)). */
	if (cfg->users[0] == '/' &&
	    (c->dir[0] != '/' || strncmp(cfg->users, c->dir, dl) != 0 ||
		cfg->users[dl] != '/'))
		return FAIL(c, n,
		    "users: %s is outside the configuration directory "
		    "(vland-auth can only read files there)",
		    cfg->users);
	return 0;
}

static int
k_keepalive(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	unsigned long v;

	if (get_uint(c, n, "keepalive", 1, CFG_KEEPALIVE_MAX, &v) == -1)
		return -1;
	cfg->keepalive = v;
	return 0;
}

static int
k_max_sessions(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	unsigned long v;

	if (get_uint(c, n, "max-sessions", 1, CFG_MAX_SESSIONS_MAX, &v) == -1)
		return -1;
	cfg->max_sessions = v;
	return 0;
}

static int
k_timeout(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	unsigned long v;

	if (get_uint(c, n, "timeout", 1, CFG_TIMEOUT_MAX, &v) == -1)
		return -1;
	cfg->timeout = v;
	return 0;
}

static int
k_mtu(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	unsigned long v;

	if (n->type == Y_SCALAR && n->plain && strcmp(n->val, "auto") == 0) {
		cfg->mtu = 0;
		return 0;
	}
	if (n->type == Y_SCALAR && n->plain && n->vlen > 0 &&
	    strspn(n->val, "0123456789") != n->vlen)
		return FAIL(c, n, "mtu: expected auto or a number, got '%s'",
		    n->val);
	if (get_uint(c, n, "mtu", CFG_MTU_MIN, CFG_MTU_MAX, &v) == -1)
		return -1;
	cfg->mtu = v;
	return 0;
}

static int
get_nexthop(struct cfgp *c, const struct ynode *n, struct cfg_route *r)
{
	const char *s = NULL;

	if (cfg_get_scalar(c, n, "nexthop", &s) == -1)
		return -1;
	if (strcmp(s, NEXTHOP_SERVER) == 0) {
		r->server = true;
		return 0;
	}
	if (!username_valid(s, strlen(s)))
		return FAIL(c, n,
		    "nexthop: '%s' is neither SERVER nor a valid username", s);
	strcpy(r->nexthop, s);
	return 0;
}

static int
k_routes(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	const struct ynode *item, *k, *v, *cidr, *nh;
	const char *s = NULL;
	struct cfg_route *r;
	size_t i, j;

	if (n->type != Y_SEQ)
		return FAIL(c, n, "routes: expected a list, got %s",
		    type_name(n));
	if (n->nkids > CFG_MAX_ROUTES)
		return FAIL(c, n, "routes: at most %d routes", CFG_MAX_ROUTES);
	for (i = 0; i < n->nkids; i++) {
		item = n->kids[i];
		r = &cfg->routes[i];
		if (item->type != Y_MAP)
			return FAIL(c, item,
			    "routes: each route is a mapping with cidr and "
			    "nexthop");
		cidr = nh = NULL;
		for (j = 0; j + 1 < item->nkids; j += 2) {
			k = item->kids[j];
			v = item->kids[j + 1];
			if (k->type != Y_SCALAR)
				return FAIL(c, k, "routes: keys are words");
			if (strcmp(k->val, "cidr") == 0 && cidr == NULL)
				cidr = v;
			else if (strcmp(k->val, "nexthop") == 0 && nh == NULL)
				nh = v;
			else if (strcmp(k->val, "cidr") == 0 ||
			    strcmp(k->val, "nexthop") == 0)
				return FAIL(c, k, "routes: duplicate key '%s'",
				    k->val);
			else
				return FAIL(c, k,
				    "routes: unknown key '%s' (expected cidr "
				    "and nexthop)",
				    k->val);
		}
		if (cidr == NULL)
			return FAIL(c, item, "routes: cidr missing");
		if (nh == NULL)
			return FAIL(c, item, "routes: nexthop missing");
		if (cfg_get_scalar(c, cidr, "cidr", &s) == -1)
			return -1;
		if (prefix_parse(cidr->val, &r->cidr) == -1)
			return FAIL(c, cidr,
			    "cidr: '%s' is not an address with a prefix "
			    "length",
			    cidr->val);
		if (get_nexthop(c, nh, r) == -1)
			return -1;
		c->route[i] = cfg_loc_of(cidr);
		c->nexthop[i] = cfg_loc_of(nh);
	}
	cfg->nroutes = n->nkids;
	return 0;
}

static int
k_rmcast(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_bool(c, n, "route-multicast", &cfg->route_multicast);
}

static int
k_switch(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	const char *s = NULL;

	if (cfg_get_scalar(c, n, "switch", &s) == -1)
		return -1;
	if (strcmp(s, "hub") == 0)
		cfg->l2switch = CFG_SWITCH_HUB;
	else if (strcmp(s, "bridge") == 0)
		cfg->l2switch = CFG_SWITCH_BRIDGE;
	else
		return FAIL(c, n, "switch: expected hub or bridge, got '%s'",
		    s);
	return 0;
}

static int
k_direct(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_bool(c, n, "direct", &cfg->direct);
}

static int
k_mss_clamp(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_bool(c, n, "mss-clamp", &cfg->mss_clamp);
}

static int
k_isolate(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_bool(c, n, "isolate", &cfg->isolate);
}

static int
k_control(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_path(c, n, "control", cfg->control);
}

/* A POSIX-portable group name. */
static int
get_group(struct cfgp *c, const struct ynode *n, const char *key, char *buf,
    size_t len)
{
	size_t i;

	if (get_str(c, n, key, buf, len) == -1)
		return -1;
	for (i = 0; buf[i] != '\0'; i++) {
		char ch = buf[i];

		if (!((ch >= 'a' && ch <= 'z') || ch == '_' ||
			(i > 0 && ((ch >= '0' && ch <= '9') || ch == '-'))))
			return FAIL(c, n, "%s: '%s' is not a valid group name",
			    key, buf);
	}
	return 0;
}

static int
k_control_group(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_group(c, n, "control-group", cfg->control_group,
	    sizeof(cfg->control_group));
}

static int
k_control_admin_group(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_group(c, n, "control-admin-group", cfg->control_admin_group,
	    sizeof(cfg->control_admin_group));
}

static int
k_web_enable(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_bool(c, n, "enable", &cfg->web.enable);
}

static int
k_web_listen(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_addr(c, n, "listen", &cfg->web.listen);
}

static int
k_web_port(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_port(c, n, "port", &cfg->web.port);
}

/* One HOST:PORT, or a list of them tried in order. */
static int
k_c_server(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	size_t i, count = n->type == Y_SEQ ? n->nkids : 1;
	struct cfg_server *sv = cfg->connect.servers;
	const struct ynode *e;

	if (n->type == Y_MAP || count == 0)
		return FAIL(c, n,
		    "server: expected HOST:PORT or a list of them");
	if (count > CFG_MAX_SERVERS)
		return FAIL(c, n, "server: at most %d servers",
		    CFG_MAX_SERVERS);
	for (i = 0; i < count; i++) {
		e = n->type == Y_SEQ ? n->kids[i] : n;
		if (e->type != Y_SCALAR || e->val == NULL ||
		    hostport_parse(e->val, sv[i].host, sizeof(sv[i].host),
			&sv[i].port) == -1)
			return FAIL(c, e,
			    "server: expected HOST:PORT or [IPv6]:PORT, got "
			    "'%s'",
			    e->type == Y_SCALAR && e->val ? e->val : "");
	}
	cfg->connect.nservers = count;
	return 0;
}

static int
k_c_serverkey(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	const char *s = NULL;

	if (cfg_get_scalar(c, n, "server-key", &s) == -1)
		return -1;
	if (key_from_base64(cfg->connect.server_key, s) == -1)
		return FAIL(c, n,
		    "server-key: not a base64 public key of 32 bytes "
		    "(vlanctl pubkey prints it)");
	return 0;
}

static int
k_c_user(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	const char *s = NULL;

	if (cfg_get_scalar(c, n, "user", &s) == -1)
		return -1;
	if (!username_valid(s, strlen(s)))
		return FAIL(c, n,
		    "user: '%s' is not a valid username (1-32 of A-Z a-z "
		    "0-9 . _ -, starting with a letter or digit)",
		    s);
	strcpy(cfg->connect.user, s);
	return 0;
}

static int
k_c_password(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	if (get_str(c, n, "password", cfg->connect.password,
		sizeof(cfg->connect.password)) == -1)
		return -1;
	cfg->connect.has_password = true;
	return 0;
}

static int
k_c_passfile(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_path(c, n, "password-file", cfg->connect.password_file);
}

static int
k_c_interface(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_ifname(c, n, "interface", cfg->connect.interface);
}

/*
 * The test-only device: udp:ADDR:PORT, frames as datagrams to a
 * loopback address (a test's responder), never to another host.
 */
static int
k_c_device(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	static const uint8_t loop6[15];
	char host[CFG_HOST_MAX + 1];
	const char *s = NULL;
	struct addr a;
	uint16_t port;

	if (cfg_get_scalar(c, n, "device", &s) == -1)
		return -1;
	if (strncmp(s, "udp:", 4) != 0 ||
	    hostport_parse(s + 4, host, sizeof(host), &port) == -1 ||
	    port == 0 || addr_parse(host, &a) == -1)
		return FAIL(c, n,
		    "device: expected udp:ADDR:PORT (the test-only UDP "
		    "device), got '%s'",
		    s);
	if (!((a.af == AF_INET && a.b[0] == 127) ||
		(a.af == AF_INET6 && a.b[15] == 1 &&
		    memcmp(a.b, loop6, 15) == 0)))
		return FAIL(c, n,
		    "device: %s is not a loopback address (the UDP device "
		    "is for tests, on this host only)",
		    host);
	cfg->connect.udp_dev = a;
	cfg->connect.udp_dev_port = port;
	return 0;
}

static int
k_c_full_tunnel(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_bool(c, n, "full-tunnel", &cfg->connect.full_tunnel);
}

static int
k_c_dns(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_bool(c, n, "dns", &cfg->connect.dns);
}

static int
k_c_direct(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return get_bool(c, n, "direct", &cfg->connect.direct);
}

static int walk_map(struct cfgp *, const struct ynode *, struct config *,
    const struct key_def *, size_t, unsigned role, const char *section);

static const struct key_def web_keys[] = {
	{ "enable", K_WEB_ENABLE, R_HUB, k_web_enable },
	{ "listen", K_WEB_LISTEN, R_HUB, k_web_listen },
	{ "port", K_WEB_PORT, R_HUB, k_web_port },
};

static const struct key_def connect_keys[] = {
	{ "server", K_C_SERVER, R_ENDPOINT, k_c_server },
	{ "server-key", K_C_SERVERKEY, R_ENDPOINT, k_c_serverkey },
	{ "user", K_C_USER, R_ENDPOINT, k_c_user },
	{ "password", K_C_PASSWORD, R_ENDPOINT, k_c_password },
	{ "password-file", K_C_PASSFILE, R_ENDPOINT, k_c_passfile },
	{ "key", K_C_KEY, R_ENDPOINT, k_key },
	{ "interface", K_C_INTERFACE, R_ENDPOINT, k_c_interface },
	{ "device", K_C_DEVICE, R_ENDPOINT, k_c_device },
	{ "full-tunnel", K_C_FULL_TUNNEL, R_ENDPOINT, k_c_full_tunnel },
	{ "dns", K_C_DNS, R_ENDPOINT, k_c_dns },
	{ "direct", K_C_DIRECT, R_ENDPOINT, k_c_direct },
};

static int
k_web(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return walk_map(c, n, cfg, web_keys,
	    sizeof(web_keys) / sizeof(web_keys[0]), R_HUB, "web");
}

static int
k_connect(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	return walk_map(c, n, cfg, connect_keys,
	    sizeof(connect_keys) / sizeof(connect_keys[0]), R_ENDPOINT,
	    "connect");
}

static const struct key_def top_keys[] = {
	{ "port", K_PORT, R_HUB, k_port },
	{ "listen", K_LISTEN, R_HUB, k_listen },
	{ "mode", K_MODE, R_BOTH, k_mode },
	{ "ip", K_IP, R_HUB, k_ip },
	{ "ip6", K_IP6, R_HUB, k_ip6 },
	{ "dhcp-range", K_RANGE, R_HUB, k_range },
	{ "bridge", K_BRIDGE, R_HUB, k_bridge },
	{ "interface", K_INTERFACE, R_HUB, k_interface },
	{ "log-level", K_LOGLEVEL, R_BOTH, k_loglevel },
	{ "log-file", K_LOGFILE, R_BOTH, k_logfile },
	{ "key", K_KEY, R_HUB, k_key },
	{ "private-key", K_PRIVKEY, R_HUB, k_privkey },
	{ "users", K_USERS, R_HUB, k_users },
	{ "keepalive", K_KEEPALIVE, R_HUB, k_keepalive },
	{ "timeout", K_TIMEOUT, R_HUB, k_timeout },
	{ "max-sessions", K_MAX_SESSIONS, R_HUB, k_max_sessions },
	{ "mtu", K_MTU, R_BOTH, k_mtu },
	{ "mss-clamp", K_MSS_CLAMP, R_BOTH, k_mss_clamp },
	{ "routes", K_ROUTES, R_HUB, k_routes },
	{ "route-multicast", K_RMCAST, R_HUB, k_rmcast },
	{ "bridge-users", K_BRIDGE_USERS, R_HUB, k_bridge_users },
	{ "switch", K_SWITCH, R_HUB, k_switch },
	{ "direct", K_DIRECT, R_HUB, k_direct },
	{ "isolate", K_ISOLATE, R_HUB, k_isolate },
	{ "nat", K_NAT, R_HUB, k_nat },
	{ "groups", K_GROUPS, R_HUB, cfg_key_groups },
	{ "allow", K_ALLOW, R_HUB, cfg_key_allow },
	{ "dns", K_DNS, R_HUB, cfg_key_dns },
	{ "control", K_CONTROL, R_BOTH, k_control },
	{ "control-group", K_CONTROL_GROUP, R_BOTH, k_control_group },
	{ "control-admin-group", K_CONTROL_ADMIN_GROUP, R_BOTH,
	    k_control_admin_group },
	{ "web", K_WEB, R_HUB, k_web },
	{ "connect", K_CONNECT, R_ENDPOINT, k_connect },
};

size_t
cfg_top_key_count(void)
{
	return sizeof(top_keys) / sizeof(top_keys[0]);
}

const char *
cfg_top_key_name(size_t i)
{
	return i < cfg_top_key_count() ? top_keys[i].name : NULL;
}

static int
walk_map(struct cfgp *c, const struct ynode *map, struct config *cfg,
    const struct key_def *keys, size_t nkeys, unsigned role,
    const char *section)
{
	const struct ynode *k, *v;
	const struct key_def *d;
	size_t i, j;

	if (map->type != Y_MAP)
		return FAIL(c, map, "%s%sexpected a mapping of keys, got %s",
		    section ? section : "", section ? ": " : "",
		    type_name(map));
	for (i = 0; i + 1 < map->nkids; i += 2) {
		k = map->kids[i];
		v = map->kids[i + 1];
		if (k->type != Y_SCALAR || strlen(k->val) != k->vlen)
			return FAIL(c, k, "keys must be plain words");
		d = NULL;
		for (j = 0; j < nkeys; j++)
			if (strcmp(keys[j].name, k->val) == 0)
				d = &keys[j];
		if (d == NULL) {
			if (section != NULL)
				return FAIL(c, k,
				    "unknown key '%s' in %s:", k->val, section);
			return FAIL(c, k, "unknown key '%s'", k->val);
		}
		if (c->seen[d->id])
			return FAIL(c, k,
			    "duplicate key '%s' (first at line %d)", k->val,
			    c->loc[d->id].line);
		if (!(d->roles & role)) {
			if (role == R_ENDPOINT && d->id == K_KEY)
				return FAIL(c, k,
				    "'key' goes inside connect: on an "
				    "endpoint");
			if (role == R_ENDPOINT && d->id == K_DNS)
				return FAIL(c, k,
				    "dns: is the hub's list; an endpoint "
				    "takes it with dns: yes inside connect:");
			return FAIL(c, k,
			    "'%s' is a hub key, not valid in an endpoint "
			    "configuration (one with connect:)",
			    k->val);
		}
		c->seen[d->id] = true;
		c->loc[d->id] = cfg_loc_of(v);
		if (d->fn(c, v, cfg) == -1)
			return -1;
	}
	return 0;
}

static void
cfg_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->role = CFG_HUB;
	cfg->mode = CFG_TAP;
	cfg->log_level = CFG_LOG_INFO;
	strcpy(cfg->control, CFG_DEFAULT_CONTROL);
	strcpy(cfg->control_group, CFG_DEFAULT_CONTROL_GROUP);
	cfg->port = CFG_DEFAULT_PORT;
	addr_parse("0.0.0.0", &cfg->listen[0]);
	cfg->nlisten = 1;
	strcpy(cfg->bridge, "br-vl");
	strcpy(cfg->interface, "vl-hub");
	strcpy(cfg->private_key, "hub.key");
	strcpy(cfg->users, "users");
	cfg->keepalive = CFG_DEFAULT_KEEPALIVE;
	cfg->timeout = CFG_DEFAULT_TIMEOUT;
	addr_parse("127.0.0.1", &cfg->web.listen);
	cfg->web.port = CFG_DEFAULT_WEBPORT;
#ifdef _WIN32
	/* Windows: no name, the first tap-windows6 adapter free. */
	cfg->connect.interface[0] = '\0';
#else
	strcpy(cfg->connect.interface, "vl0");
#endif
	/* The hub decides (its direct:, off by default); an endpoint
	 * follows unless its own file says no. */
	cfg->connect.direct = true;
}

static void
cfg_dir_of(struct cfgp *c, const char *file)
{
	const char *slash = strrchr(file, '/');
	size_t n;

	if (slash == NULL) {
		strcpy(c->dir, ".");
		return;
	}
	n = (size_t)(slash - file);
	if (n == 0)
		n = 1; /* "/x.yaml" */
	if (n >= sizeof(c->dir))
		n = sizeof(c->dir) - 1;
	memcpy(c->dir, file, n);
	c->dir[n] = '\0';
}

int
cfg_parse(const char *buf, size_t len, const char *file, struct config *cfg,
    struct cfg_error *err)
{
	struct cfgp *c;
	struct ynode *root;
	unsigned role = R_HUB;
	size_t i;
	int rc = -1;

	memset(err, 0, sizeof(*err));
	cfg_defaults(cfg);
	root = ytree_parse(buf, len, &err->line, &err->col, err->msg,
	    sizeof(err->msg));
	if (root == NULL)
		return -1;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		goto out;
	}
	c->err = err;
	cfg_dir_of(c, file);
	c->root = cfg_loc_of(root);
	if (root->type != Y_MAP) {
		FAIL(c, root, "the configuration must be a mapping of keys");
		goto out;
	}
	for (i = 0; i + 1 < root->nkids; i += 2)
		if (root->kids[i]->type == Y_SCALAR &&
		    strcmp(root->kids[i]->val, "connect") == 0)
			role = R_ENDPOINT;
	cfg->role = role == R_ENDPOINT ? CFG_ENDPOINT : CFG_HUB;
	if (walk_map(c, root, cfg, top_keys,
		sizeof(top_keys) / sizeof(top_keys[0]), role, NULL) == -1)
		goto out;
	rc = cfg_check(c, cfg);
out:
	if (rc == -1)
		cfg_clear(cfg);
	free(c);
	ytree_free(root);
	return rc;
}
