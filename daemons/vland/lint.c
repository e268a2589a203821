/*
 * Configuration warnings for vland -n (lint.h). It runs as the operator
 * who checks, reading the users file and /proc; the daemon never does.
 */
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "lint.h"
#include "names.h"
#include "users.h"

/* Is forwarding of this sysctl's family on here? -1 if it cannot be
 * told. */
static int
ip_forward(const char *path)
{
	FILE *f = fopen(path, "re");
	int c;

	if (f == NULL)
		return -1;
	c = fgetc(f);
	fclose(f);
	return c == EOF ? -1 : c == '1';
}

/* nat: the interface must be there to masquerade out of (one that
 * comes later, such as ppp0, only warns), and forwarding on, since the
 * masqueraded traffic is forwarded. */
static int
lint_nat(const struct config *cfg, const char *cfgfile)
{
	int n = 0;

	if (cfg->role != CFG_HUB || cfg->nat[0] == '\0')
		return 0;
	if (if_nametoindex(cfg->nat) == 0) {
		fprintf(stderr,
		    "%s: warning: nat: no interface %s here; vland-ifmgr "
		    "masquerades out of it only once it exists\n",
		    cfgfile, cfg->nat);
		n++;
	}
	if (ip_forward("/proc/sys/net/ipv4/ip_forward") == 0) {
		fprintf(stderr,
		    "%s: warning: nat: IPv4 forwarding is off here, so "
		    "nothing leaves through %s (sysctl "
		    "net.ipv4.ip_forward=1)\n",
		    cfgfile, cfg->nat);
		n++;
	}
	if (cfg->ip6.a.af == AF_INET6 &&
	    ip_forward("/proc/sys/net/ipv6/conf/all/forwarding") == 0) {
		fprintf(stderr,
		    "%s: warning: nat: IPv6 forwarding is off here, so no "
		    "IPv6 leaves through %s (sysctl "
		    "net.ipv6.conf.all.forwarding=1)\n",
		    cfgfile, cfg->nat);
		n++;
	}
	return n;
}

int
lint_config(const struct config *cfg, const char *cfgfile)
{
	char path[PATH_MAX], err[512], p[PREFIX_STRLEN];
	struct users *users = NULL;
	bool fam[2] = { false, false }; /* IPv4, IPv6 routes */
	size_t i;
	int n = lint_nat(cfg, cfgfile);

	if (cfg->role != CFG_HUB || cfg->nroutes == 0)
		return n;
	cfg_path_of(cfgfile, cfg->users, path, sizeof(path));
	users = users_load(path, NULL, NULL, err, sizeof(err));
	for (i = 0; i < cfg->nroutes; i++) {
		const char *nh = cfg->routes[i].nexthop, *why;

		prefix_fmt(&cfg->routes[i].cidr, p, sizeof(p));
		if (cfg->routes[i].server)
			continue;
		if ((why = lint_nexthop_shape(nh)) != NULL) {
			fprintf(stderr,
			    "%s: warning: route %s: nexthop %s %s\n", cfgfile,
			    p, nh, why);
			n++;
		} else if (users != NULL && users_find(users, nh) == NULL) {
			fprintf(stderr,
			    "%s: warning: route %s: nexthop %s is "
			    "no user of %s; the route stays "
			    "withdrawn\n",
			    cfgfile, p, nh, path);
			n++;
		}
	}
	if (users == NULL) {
		fprintf(stderr, "%s: warning: nexthops not checked: %s\n",
		    cfgfile, err);
		n++;
	}
	users_free(users);
	for (i = 0; i < cfg->nroutes; i++)
		fam[cfg->routes[i].cidr.a.af == AF_INET6] = true;
	if (fam[0] && ip_forward("/proc/sys/net/ipv4/ip_forward") == 0) {
		fprintf(stderr,
		    "%s: warning: routes go through this host, "
		    "but IPv4 forwarding is off here (sysctl "
		    "net.ipv4.ip_forward=1)\n",
		    cfgfile);
		n++;
	}
	if (fam[1] &&
	    ip_forward("/proc/sys/net/ipv6/conf/all/forwarding") == 0) {
		fprintf(stderr,
		    "%s: warning: IPv6 routes go through this host, "
		    "but IPv6 forwarding is off here (sysctl "
		    "net.ipv6.conf.all.forwarding=1)\n",
		    cfgfile);
		n++;
	}
	return n;
}
