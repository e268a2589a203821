/*
 * Relations between configuration keys: contradictions that no single
 * value shows (range outside the subnet, a route over the VPN subnet,
 * a tun-only key in tap mode, ...). Each error names the value at fault.
 */
#include <string.h>

#include "config_priv.h"
#include "ctlpath.h"

/*
 * The test-only UDP device is no link of the system's: nothing can be
 * named, routed or resolved through it.
 */
static int
check_udp_dev(struct cfgp *c, struct config *cfg)
{
	if (!c->seen[K_C_DEVICE])
		return 0;
	if (c->seen[K_C_INTERFACE])
		return cfg_fail_at(c, c->loc[K_C_INTERFACE],
		    "connect: give interface or device, not both (the UDP "
		    "device has no interface)");
	if (cfg->connect.full_tunnel)
		return cfg_fail_at(c, c->loc[K_C_FULL_TUNNEL],
		    "connect: full-tunnel needs a system device, not the "
		    "UDP device (it carries no routes)");
	if (cfg->connect.dns)
		return cfg_fail_at(c, c->loc[K_C_DNS],
		    "connect: dns needs a system device, not the UDP device");
	return 0;
}

static int
check_role_keys(struct cfgp *c, struct config *cfg)
{
	if (cfg->role == CFG_ENDPOINT) {
		if (!c->seen[K_C_SERVER])
			return cfg_fail_at(c, c->loc[K_CONNECT],
			    "connect: server missing (HOST:PORT of the hub)");
		if (!c->seen[K_C_SERVERKEY])
			return cfg_fail_at(c, c->loc[K_CONNECT],
			    "connect: server-key missing (the hub's public "
			    "key, from vlanctl pubkey)");
		if (!c->seen[K_C_USER])
			return cfg_fail_at(c, c->loc[K_CONNECT],
			    "connect: user missing");
		if (c->seen[K_C_PASSWORD] && c->seen[K_C_PASSFILE])
			return cfg_fail_at(c, c->loc[K_C_PASSFILE],
			    "connect: give password or password-file, not "
			    "both");
		return check_udp_dev(c, cfg);
	}
	if (!c->seen[K_IP])
		return cfg_fail_at(c, c->root,
		    "ip missing (the hub address with the VPN prefix length)");
	if (!c->seen[K_RANGE])
		return cfg_fail_at(c, c->root,
		    "dhcp-range missing (the address pool, FIRST-LAST)");
	if (cfg->mode == CFG_TUN) {
		if (c->seen[K_BRIDGE])
			return cfg_fail_at(c, c->loc[K_BRIDGE],
			    "bridge is a tap-mode key (mode is tun)");
		if (c->seen[K_RMCAST])
			return cfg_fail_at(c, c->loc[K_RMCAST],
			    "route-multicast is a tap-mode key (mode is tun)");
		if (c->seen[K_BRIDGE_USERS])
			return cfg_fail_at(c, c->loc[K_BRIDGE_USERS],
			    "bridge-users is a tap-mode key (mode is tun)");
		if (c->seen[K_SWITCH])
			return cfg_fail_at(c, c->loc[K_SWITCH],
			    "switch is a tap-mode key (mode is tun: the hub "
			    "always forwards itself)");
	} else if (c->seen[K_INTERFACE]) {
		return cfg_fail_at(c, c->loc[K_INTERFACE],
		    "interface is a tun-mode key (mode is tap); the bridge "
		    "is named by bridge:");
	}
	return 0;
}

static int
check_pool(struct cfgp *c, struct config *cfg)
{
	struct prefix net;
	struct addr bcast;
	char a[ADDR_STRLEN], b[PREFIX_STRLEN];

	prefix_network(&cfg->ip, &net);
	prefix_broadcast(&cfg->ip, &bcast);
	prefix_fmt(&net, b, sizeof(b));
	if (cfg->ip.len < 8 || cfg->ip.len > 30)
		return cfg_fail_at(c, c->loc[K_IP],
		    "ip: prefix length /%u is outside /8 to /30", cfg->ip.len);
	if (addr_cmp(&cfg->ip.a, &net.a) == 0)
		return cfg_fail_at(c, c->loc[K_IP],
		    "ip: %s is the network address of %s, not a host",
		    addr_fmt(&cfg->ip.a, a, sizeof(a)), b);
	if (addr_cmp(&cfg->ip.a, &bcast) == 0)
		return cfg_fail_at(c, c->loc[K_IP],
		    "ip: %s is the broadcast address of %s, not a host",
		    addr_fmt(&cfg->ip.a, a, sizeof(a)), b);
	if (addr_v4_host(&cfg->range_lo) > addr_v4_host(&cfg->range_hi))
		return cfg_fail_at(c, c->loc[K_RANGE],
		    "dhcp-range: first address is above the last");
	if (!prefix_contains(&net, &cfg->range_lo) ||
	    !prefix_contains(&net, &cfg->range_hi))
		return cfg_fail_at(c, c->loc[K_RANGE],
		    "dhcp-range: outside the hub subnet %s", b);
	if (addr_v4_host(&cfg->range_lo) <= addr_v4_host(&cfg->ip.a) &&
	    addr_v4_host(&cfg->ip.a) <= addr_v4_host(&cfg->range_hi))
		return cfg_fail_at(c, c->loc[K_RANGE],
		    "dhcp-range: contains the hub address %s",
		    addr_fmt(&cfg->ip.a, a, sizeof(a)));
	if (addr_cmp(&cfg->range_lo, &net.a) == 0)
		return cfg_fail_at(c, c->loc[K_RANGE],
		    "dhcp-range: contains the network address %s",
		    addr_fmt(&net.a, a, sizeof(a)));
	if (addr_cmp(&cfg->range_hi, &bcast) == 0)
		return cfg_fail_at(c, c->loc[K_RANGE],
		    "dhcp-range: contains the broadcast address %s",
		    addr_fmt(&bcast, a, sizeof(a)));
	return 0;
}

/*
 * The hub's IPv6 address must be a host of its prefix that no endpoint
 * can get: endpoints take the prefix with their IPv4 address in the
 * last 32 bits (addr_v6_embed).
 */
static int
check_ip6(struct cfgp *c, struct config *cfg)
{
	struct prefix net;
	struct addr v4;
	char a[ADDR_STRLEN], b[PREFIX_STRLEN], v[ADDR_STRLEN];

	if (cfg->ip6.a.af != AF_INET6)
		return 0;
	prefix_network(&cfg->ip6, &net);
	prefix_fmt(&net, b, sizeof(b));
	if (cfg->ip6.len < 16 || cfg->ip6.len > ADDR_V6_PREFIX_MAX)
		return cfg_fail_at(c, c->loc[K_IP6],
		    "ip6: prefix length /%u is outside /16 to /%u (the last "
		    "32 bits hold each endpoint's IPv4 address)",
		    cfg->ip6.len, ADDR_V6_PREFIX_MAX);
	if (!addr_v6_unicast(&cfg->ip6.a))
		return cfg_fail_at(c, c->loc[K_IP6],
		    "ip6: %s is a multicast or link-local prefix", b);
	if (addr_cmp(&cfg->ip6.a, &net.a) == 0)
		return cfg_fail_at(c, c->loc[K_IP6],
		    "ip6: %s is the network address of %s, not a host",
		    addr_fmt(&cfg->ip6.a, a, sizeof(a)), b);
	prefix_network(&cfg->ip, &net);
	if (addr_v6_extract(&cfg->ip6, &cfg->ip6.a, &v4) &&
	    prefix_contains(&net, &v4) && addr_cmp(&v4, &cfg->ip.a) != 0)
		return cfg_fail_at(c, c->loc[K_IP6],
		    "ip6: %s is the IPv6 address an endpoint with %s would "
		    "get; use one whose last 32 bits are not in %s",
		    addr_fmt(&cfg->ip6.a, a, sizeof(a)),
		    addr_fmt(&v4, v, sizeof(v)),
		    prefix_fmt(&net, b, sizeof(b)));
	return 0;
}

static int
check_routes(struct cfgp *c, struct config *cfg)
{
	struct prefix net, canon;
	char a[PREFIX_STRLEN], b[PREFIX_STRLEN];
	size_t i, j, ndefault = 0;

	for (i = 0; i < cfg->nroutes; i++) {
		struct cfg_route *r = &cfg->routes[i];

		/* An IPv6 route's nexthop is an IPv6 address inside the
		 * tunnel (the user's, or the hub's), which only ip6 gives. */
		if (r->cidr.a.af == AF_INET6 && cfg->ip6.a.af != AF_INET6)
			return cfg_fail_at(c, c->route[i],
			    "cidr: %s is an IPv6 route, but the hub has no "
			    "ip6 (its nexthop needs an IPv6 address inside "
			    "the tunnel)",
			    prefix_fmt(&r->cidr, a, sizeof(a)));
		prefix_network(r->cidr.a.af == AF_INET6 ? &cfg->ip6 : &cfg->ip,
		    &net);
		if (!prefix_is_network(&r->cidr)) {
			prefix_network(&r->cidr, &canon);
			return cfg_fail_at(c, c->route[i],
			    "cidr: %s has host bits set (did you mean %s?)",
			    prefix_fmt(&r->cidr, a, sizeof(a)),
			    prefix_fmt(&canon, b, sizeof(b)));
		}
		/* A supernet (even a default route) is fine: the VPN
		 * subnet stays more specific. */
		if (r->cidr.len >= net.len && prefix_contains(&net, &r->cidr.a))
			return cfg_fail_at(c, c->route[i],
			    "cidr: %s lies inside the VPN subnet %s%s",
			    prefix_fmt(&r->cidr, a, sizeof(a)),
			    prefix_fmt(&net, b, sizeof(b)),
			    r->cidr.a.af == AF_INET6 ? " (ip6)" : "");
		/* The full tunnel: the hub sends a default route as its
		 * halves, through itself; through a user it would take
		 * the hub's own traffic too, which no route of ours may. */
		if (r->cidr.len == 0 && !r->server)
			return cfg_fail_at(c, c->nexthop[i],
			    "nexthop: the default route %s (a full tunnel) "
			    "goes through SERVER only",
			    prefix_fmt(&r->cidr, a, sizeof(a)));
		if (r->cidr.len == 0)
			ndefault++;
		for (j = 0; j < i; j++) {
			const struct cfg_route *o = &cfg->routes[j];

			if (addr_cmp(&o->cidr.a, &r->cidr.a) == 0 &&
			    o->cidr.len == r->cidr.len)
				return cfg_fail_at(c, c->route[i],
				    "cidr: duplicate route %s (first at line "
				    "%d)",
				    prefix_fmt(&r->cidr, a, sizeof(a)),
				    c->route[j].line);
			/* A half beside the default would be sent twice. */
			if (o->cidr.a.af == r->cidr.a.af &&
			    ((o->cidr.len == 0 && r->cidr.len == 1) ||
				(o->cidr.len == 1 && r->cidr.len == 0)))
				return cfg_fail_at(c, c->route[i],
				    "cidr: %s and %s at line %d: the hub "
				    "sends a default route as its two halves "
				    "already",
				    prefix_fmt(&r->cidr, a, sizeof(a)),
				    prefix_fmt(&o->cidr, b, sizeof(b)),
				    c->route[j].line);
		}
	}
	if (cfg->nroutes + ndefault > CFG_MAX_ROUTES)
		return cfg_fail_at(c, c->route[cfg->nroutes - 1],
		    "routes: at most %d routes, a default route counting as "
		    "two (its halves)",
		    CFG_MAX_ROUTES);
	return 0;
}

static int
check_hub(struct cfgp *c, struct config *cfg)
{
	if (check_pool(c, cfg) == -1 || check_ip6(c, cfg) == -1 ||
	    check_routes(c, cfg) == -1 || cfg_check_groups(c, cfg) == -1)
		return -1;
	if (cfg->max_sessions == 0)
		cfg->max_sessions = cfg->mode == CFG_TAP ? CFG_MAX_SESSIONS_TAP
							 : CFG_MAX_SESSIONS_TUN;
	else if (cfg->mode == CFG_TAP &&
	    cfg->max_sessions > CFG_MAX_SESSIONS_TAP_MAX)
		return cfg_fail_at(c, c->loc[K_MAX_SESSIONS],
		    "max-sessions: at most %d in tap mode (a tap each, on the "
		    "bridge and up to 64 overflow bridges of 1022)",
		    CFG_MAX_SESSIONS_TAP_MAX);
	if (cfg->timeout <= 2 * cfg->keepalive)
		return cfg_fail_at(c,
		    c->seen[K_TIMEOUT] ? c->loc[K_TIMEOUT]
				       : c->loc[K_KEEPALIVE],
		    "timeout (%u) must be more than twice keepalive (%u)",
		    cfg->timeout, cfg->keepalive);
	if (cfg->web.enable && cfg->web.port == cfg->port)
		return cfg_fail_at(c,
		    c->seen[K_WEB_PORT] ? c->loc[K_WEB_PORT] : c->loc[K_WEB],
		    "web: port %u is also the VPN port; pick another so "
		    "firewall rules stay unambiguous",
		    cfg->web.port);
	return 0;
}

/*
 * A log file is vland.exe's (Windows, where a service has no console
 * and no syslog); on Linux every process logs to syslog, which keeps
 * the journal's order across the three, or to standard error with -d.
 */
static bool
log_file_allowed(void)
{
#ifdef _WIN32
	return true;
#else
	return false;
#endif
}

int
cfg_check(struct cfgp *c, struct config *cfg)
{
	const char *why;

	if (check_role_keys(c, cfg) == -1)
		return -1;
	if ((why = ctl_path_invalid(cfg->control)) != NULL)
		return cfg_fail_at(c, c->loc[K_CONTROL], "control: %s", why);
	if (c->seen[K_LOGFILE] && !log_file_allowed())
		return cfg_fail_at(c, c->loc[K_LOGFILE],
		    "log-file: only vland.exe (Windows) writes a log file; "
		    "on Linux vland logs to syslog, or to standard error "
		    "with -d");
	if (cfg->role == CFG_HUB)
		return check_hub(c, cfg);
	return 0;
}
