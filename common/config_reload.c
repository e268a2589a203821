/*
 * The reload table (config_reload.h). Each rule compares one key of
 * two parsed configurations; the connect: section counts as one key,
 * since a hub that becomes an endpoint is another daemon.
 */
#include <string.h>

#include "config_reload.h"

static bool
same_addrs(const struct addr *a, size_t na, const struct addr *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (addr_cmp(&a[i], &b[i]) != 0)
			return false;
	return true;
}

static bool
same_prefix(const struct prefix *a, const struct prefix *b)
{
	return addr_cmp(&a->a, &b->a) == 0 && a->len == b->len;
}

#define DIFF(name, expr)                                                 \
	static bool name(const struct config *o, const struct config *n) \
	{                                                                \
		return !(expr);                                          \
	}

DIFF(d_connect,
    o->role == n->role &&
	memcmp(&o->connect, &n->connect, sizeof(o->connect)) == 0)
DIFF(d_mode, o->mode == n->mode)
DIFF(d_port, o->port == n->port)
DIFF(d_listen, same_addrs(o->listen, o->nlisten, n->listen, n->nlisten))
DIFF(d_ip, same_prefix(&o->ip, &n->ip))
DIFF(d_ip6, same_prefix(&o->ip6, &n->ip6))
DIFF(d_range,
    addr_cmp(&o->range_lo, &n->range_lo) == 0 &&
	addr_cmp(&o->range_hi, &n->range_hi) == 0)
DIFF(d_bridge, strcmp(o->bridge, n->bridge) == 0)
DIFF(d_interface, strcmp(o->interface, n->interface) == 0)
DIFF(d_privkey, strcmp(o->private_key, n->private_key) == 0)
DIFF(d_users, strcmp(o->users, n->users) == 0)
DIFF(d_key,
    o->has_psk == n->has_psk && memcmp(o->psk, n->psk, sizeof(o->psk)) == 0)
DIFF(d_mtu, o->mtu == n->mtu)
DIFF(d_control, strcmp(o->control, n->control) == 0)
DIFF(d_control_group, strcmp(o->control_group, n->control_group) == 0)
DIFF(d_control_admin_group,
    strcmp(o->control_admin_group, n->control_admin_group) == 0)
DIFF(d_rmcast, o->route_multicast == n->route_multicast)
DIFF(d_web, memcmp(&o->web, &n->web, sizeof(o->web)) == 0)
DIFF(d_loglevel, o->log_level == n->log_level)
DIFF(d_logfile, strcmp(o->log_file, n->log_file) == 0)
DIFF(d_keepalive, o->keepalive == n->keepalive)
DIFF(d_timeout, o->timeout == n->timeout)
DIFF(d_max_sessions, o->max_sessions == n->max_sessions)
DIFF(d_routes,
    o->nroutes == n->nroutes &&
	memcmp(o->routes, n->routes, o->nroutes * sizeof(o->routes[0])) == 0)
DIFF(d_switch, o->l2switch == n->l2switch)
DIFF(d_mss_clamp, o->mss_clamp == n->mss_clamp)
DIFF(d_direct, o->direct == n->direct)
DIFF(d_isolate, o->isolate == n->isolate)
DIFF(d_nat, strcmp(o->nat, n->nat) == 0)
DIFF(d_groups,
    o->ngroups == n->ngroups && o->nmembers == n->nmembers &&
	memcmp(o->groups, n->groups, sizeof(o->groups)) == 0 &&
	memcmp(o->members, n->members, o->nmembers * sizeof(o->members[0])) ==
	    0)
DIFF(d_allow,
    o->nallow == n->nallow &&
	memcmp(o->allow, n->allow, o->nallow * sizeof(o->allow[0])) == 0)
DIFF(d_dns, dns_set_equal(&o->dns, &n->dns))
DIFF(d_bridge_users,
    o->nbridge_users == n->nbridge_users &&
	memcmp(o->bridge_users, n->bridge_users,
	    o->nbridge_users * sizeof(o->bridge_users[0])) == 0)

const struct cfg_reload_rule cfg_reload_rules[] = {
	{ "connect", true, d_connect },
	{ "mode", true, d_mode },
	{ "port", true, d_port },
	{ "listen", true, d_listen },
	{ "ip", true, d_ip },
	{ "ip6", true, d_ip6 },
	{ "dhcp-range", true, d_range },
	{ "bridge", true, d_bridge },
	{ "interface", true, d_interface },
	{ "private-key", true, d_privkey },
	{ "users", true, d_users },
	{ "key", true, d_key },
	{ "mtu", true, d_mtu },
	{ "control", true, d_control },
	{ "control-group", true, d_control_group },
	{ "control-admin-group", true, d_control_admin_group },
	{ "route-multicast", true, d_rmcast },
	{ "isolate", true, d_isolate },
	{ "nat", true, d_nat },
	{ "web", true, d_web },
	{ "log-file", true, d_logfile },
	{ "log-level", false, d_loglevel },
	{ "keepalive", false, d_keepalive },
	{ "timeout", false, d_timeout },
	{ "max-sessions", false, d_max_sessions },
	{ "routes", false, d_routes },
	{ "bridge-users", false, d_bridge_users },
	{ "switch", false, d_switch },
	{ "groups", false, d_groups },
	{ "allow", false, d_allow },
	{ "mss-clamp", false, d_mss_clamp },
	{ "direct", false, d_direct },
	{ "dns", false, d_dns },
};
const size_t cfg_nreload_rules =
    sizeof(cfg_reload_rules) / sizeof(cfg_reload_rules[0]);

const char *
cfg_restart_needed(const struct config *o, const struct config *n)
{
	size_t i;

	for (i = 0; i < cfg_nreload_rules; i++)
		if (cfg_reload_rules[i].restart &&
		    cfg_reload_rules[i].differs(o, n))
			return cfg_reload_rules[i].key;
	return NULL;
}

void
cfg_reload_changes(const struct config *o, const struct config *n,
    void (*fn)(const char *key, void *arg), void *arg)
{
	size_t i;

	for (i = 0; i < cfg_nreload_rules; i++)
		if (!cfg_reload_rules[i].restart &&
		    cfg_reload_rules[i].differs(o, n))
			fn(cfg_reload_rules[i].key, arg);
}
