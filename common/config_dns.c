/*
 * dns: (vland.yaml(5)): the name servers and search domains a hub
 * pushes to its endpoints. Each value is checked here with the rules of
 * dnsset.h, the same that the wire codec and vland-ifmgr apply, so a
 * file vland -n accepts never yields a set an endpoint refuses.
 */
#include <strings.h>
#include <string.h>

#include "config_priv.h"
#include "yamltree.h"

#define FAIL(c, n, ...) cfg_fail_at((c), cfg_loc_of(n), __VA_ARGS__)

static int
server_add(struct cfgp *c, const struct ynode *n, struct dns_set *d)
{
	const char *s = NULL;
	struct addr a;
	size_t i;

	if (cfg_get_scalar(c, n, "servers", &s) == -1)
		return -1;
	if (addr_parse(s, &a) == -1)
		return FAIL(c, n,
		    "servers: '%s' is not an IPv4 or IPv6 address", s);
	if (!dns_server_valid(&a))
		return FAIL(c, n,
		    "servers: %s is not a unicast address a resolver can ask",
		    s);
	for (i = 0; i < d->nservers; i++)
		if (addr_cmp(&d->servers[i], &a) == 0)
			return FAIL(c, n, "servers: %s is listed twice", s);
	if (d->nservers == DNS_SERVERS_MAX)
		return FAIL(c, n,
		    "servers: at most %d (the resolver reads no more)",
		    DNS_SERVERS_MAX);
	d->servers[d->nservers++] = a;
	return 0;
}

static int
search_add(struct cfgp *c, const struct ynode *n, struct dns_set *d)
{
	const char *s = NULL;
	size_t i, len;

	if (cfg_get_scalar(c, n, "search", &s) == -1)
		return -1;
	len = strlen(s);
	/* A trailing dot says "absolute", which a search domain is. */
	if (len > 1 && s[len - 1] == '.')
		len--;
	if (!dns_name_valid(s, len))
		/* Not echoed: it may hold a newline or worse. */
		return FAIL(c, n,
		    "search: not a domain name (labels of 1-63 of A-Z a-z "
		    "0-9 -, 253 characters at most)");
	for (i = 0; i < d->nsearch; i++)
		if (strlen(d->search[i]) == len &&
		    strncasecmp(d->search[i], s, len) == 0)
			return FAIL(c, n, "search: %s is listed twice", s);
	if (d->nsearch == DNS_SEARCH_MAX)
		return FAIL(c, n, "search: at most %d domains", DNS_SEARCH_MAX);
	memcpy(d->search[d->nsearch], s, len);
	d->search[d->nsearch][len] = '\0';
	d->nsearch++;
	if (dns_search_chars(d) > DNS_SEARCH_CHARS)
		return FAIL(c, n,
		    "search: the domains are longer than %d "
		    "characters in all",
		    DNS_SEARCH_CHARS);
	return 0;
}

/* One value or a list of them. */
static int
each(struct cfgp *c, const struct ynode *v, const char *key,
    int (*add)(struct cfgp *, const struct ynode *, struct dns_set *),
    struct dns_set *d)
{
	size_t i;

	if (v->type == Y_MAP)
		return FAIL(c, v, "%s: expected a value or a list", key);
	if (v->type == Y_SCALAR)
		return add(c, v, d);
	if (v->nkids == 0)
		return FAIL(c, v, "%s: the list is empty", key);
	for (i = 0; i < v->nkids; i++)
		if (add(c, v->kids[i], d) == -1)
			return -1;
	return 0;
}

int
cfg_key_dns(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	const struct ynode *k, *v, *servers = NULL, *search = NULL;
	size_t j;

	if (n->type != Y_MAP)
		return FAIL(c, n,
		    "dns: expected a mapping with servers and "
		    "search");
	for (j = 0; j + 1 < n->nkids; j += 2) {
		k = n->kids[j];
		v = n->kids[j + 1];
		if (k->type != Y_SCALAR)
			return FAIL(c, k, "dns: keys are words");
		if (strcmp(k->val, "servers") == 0 && servers == NULL)
			servers = v;
		else if (strcmp(k->val, "search") == 0 && search == NULL)
			search = v;
		else if (strcmp(k->val, "servers") == 0 ||
		    strcmp(k->val, "search") == 0)
			return FAIL(c, k, "dns: duplicate key '%s'", k->val);
		else
			return FAIL(c, k,
			    "dns: unknown key '%s' (expected servers and "
			    "search)",
			    k->val);
	}
	if (servers == NULL && search == NULL)
		return FAIL(c, n, "dns: servers or search needed");
	if (servers != NULL &&
	    each(c, servers, "servers", server_add, &cfg->dns) == -1)
		return -1;
	if (search != NULL &&
	    each(c, search, "search", search_add, &cfg->dns) == -1)
		return -1;
	return 0;
}
