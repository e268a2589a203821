/*
 * vland-ifmgr's policy from the configuration file (policy.h). The file
 * is parsed by the same code as vland's, so both read it alike; only the
 * settings that bound what vland-ifmgr does are kept, and the secrets
 * the file may hold are wiped at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

int
policy_load(const char *file, struct ifmgr_policy *pol, char *err,
    size_t errlen)
{
	struct config *cfg;
	struct cfg_error e;
	size_t i;

	if ((cfg = calloc(1, sizeof(*cfg))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (cfg_load(file, cfg, &e) == -1) {
		cfg_error_fmt(&e, file, err, errlen);
		cfg_clear(cfg);
		free(cfg);
		return -1;
	}
	memset(pol, 0, sizeof(*pol));
	pol->role = cfg->role;
	pol->mode = cfg->mode;
	pol->mtu = cfg_effective_mtu(cfg);
	snprintf(pol->bridge, sizeof(pol->bridge), "%s", cfg->bridge);
	snprintf(pol->interface, sizeof(pol->interface), "%s",
	    cfg->role == CFG_HUB ? cfg->interface : cfg->connect.interface);
	pol->full_tunnel =
	    cfg->role == CFG_ENDPOINT && cfg->connect.full_tunnel;
	pol->dns = cfg->role == CFG_ENDPOINT && cfg->connect.dns;
	if (cfg->role == CFG_ENDPOINT) {
		pol->udp_dev = cfg->connect.udp_dev;
		pol->udp_dev_port = cfg->connect.udp_dev_port;
	}
	if (cfg->role == CFG_HUB) {
		pol->isolate = cfg->isolate;
		snprintf(pol->nat, sizeof(pol->nat), "%s", cfg->nat);
		pol->ip = cfg->ip;
		pol->ip6 = cfg->ip6;
		pol->nallowed = cfg->nroutes;
		for (i = 0; i < cfg->nroutes; i++)
			pol->allowed[i] = cfg->routes[i].cidr;
	}
	cfg_clear(cfg);
	free(cfg);
	return 0;
}

const char *
policy_restart_needed(const struct ifmgr_policy *o,
    const struct ifmgr_policy *n)
{
	if (o->role != n->role)
		return "connect (the role)";
	if (o->mode != n->mode)
		return "mode";
	if (o->mtu != n->mtu)
		return "mtu";
	if (strcmp(o->bridge, n->bridge) != 0)
		return "bridge";
	if (o->isolate != n->isolate)
		return "isolate";
	if (strcmp(o->nat, n->nat) != 0)
		return "nat";
	if (strcmp(o->interface, n->interface) != 0)
		return "interface";
	if (addr_cmp(&o->udp_dev, &n->udp_dev) != 0 ||
	    o->udp_dev_port != n->udp_dev_port)
		return "device";
	if (addr_cmp(&o->ip.a, &n->ip.a) != 0 || o->ip.len != n->ip.len)
		return "ip";
	if (addr_cmp(&o->ip6.a, &n->ip6.a) != 0 || o->ip6.len != n->ip6.len)
		return "ip6";
	return NULL;
}

bool
policy_route_configured(const struct ifmgr_policy *pol, const struct prefix *p)
{
	size_t i;

	for (i = 0; i < pol->nallowed; i++)
		if (addr_cmp(&pol->allowed[i].a, &p->a) == 0 &&
		    pol->allowed[i].len == p->len)
			return true;
	return false;
}
