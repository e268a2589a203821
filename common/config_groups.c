/*
 * isolate, groups and allow (vland.yaml(5)): named groups of users, and
 * the pairs of groups whose members may reach each other when the hub
 * isolates its endpoints. Parsed here, checked against each other once
 * the whole file is read (a group may be named before it is defined),
 * and turned into bit masks for the hub's forwarding decisions.
 */
#include <string.h>

#include "config_priv.h"
#include "yamltree.h"

#define FAIL(c, n, ...) cfg_fail_at((c), cfg_loc_of(n), __VA_ARGS__)

static int
group_index(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->ngroups; i++)
		if (strcmp(cfg->groups[i], name) == 0)
			return (int)i;
	return -1;
}

/* A group or user name: the rules of usernames. */
static int
get_name(struct cfgp *c, const struct ynode *n, const char *what, char *out)
{
	const char *s = NULL;

	if (cfg_get_scalar(c, n, what, &s) == -1)
		return -1;
	if (!username_valid(s, strlen(s)))
		return FAIL(c, n, "%s: '%s' is not a valid name", what, s);
	snprintf(out, USERNAME_MAX + 1, "%s", s);
	return 0;
}

/* One group: NAME: user, or NAME: [user, ...]. */
static int
add_group(struct cfgp *c, struct config *cfg, const struct ynode *k,
    const struct ynode *v)
{
	size_t i, j, count = v->type == Y_SEQ ? v->nkids : 1;
	const struct ynode *e;
	struct cfg_member *m;
	uint8_t g;

	if (cfg->ngroups == CFG_MAX_GROUPS)
		return FAIL(c, k, "groups: at most %d groups", CFG_MAX_GROUPS);
	g = (uint8_t)cfg->ngroups;
	if (get_name(c, k, "groups", cfg->groups[g]) == -1)
		return -1;
	if (group_index(cfg, cfg->groups[g]) != -1)
		return FAIL(c, k, "groups: %s is defined twice",
		    cfg->groups[g]);
	if (v->type == Y_MAP)
		return FAIL(c, v, "groups: %s: expected a user or a list",
		    cfg->groups[g]);
	cfg->ngroups++;
	for (i = 0; i < count; i++) {
		e = v->type == Y_SEQ ? v->kids[i] : v;
		if (cfg->nmembers == CFG_MAX_GROUP_MEMBERS)
			return FAIL(c, e, "groups: at most %d members in all",
			    CFG_MAX_GROUP_MEMBERS);
		m = &cfg->members[cfg->nmembers];
		if (get_name(c, e, "groups", m->user) == -1)
			return -1;
		for (j = 0; j < cfg->nmembers; j++)
			if (cfg->members[j].group == g &&
			    strcmp(cfg->members[j].user, m->user) == 0)
				return FAIL(c, e,
				    "groups: %s is listed twice "
				    "in %s",
				    m->user, cfg->groups[g]);
		m->group = g;
		cfg->nmembers++;
	}
	return 0;
}

int
cfg_key_groups(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	size_t i;

	if (n->type != Y_MAP)
		return FAIL(c, n,
		    "groups: expected a mapping of group names to users");
	for (i = 0; i + 1 < n->nkids; i += 2)
		if (add_group(c, cfg, n->kids[i], n->kids[i + 1]) == -1)
			return -1;
	return 0;
}

/* allow: a list of pairs, [GROUP, GROUP]; the names are checked once
 * the groups are known (cfg_check_groups). */
int
cfg_key_allow(struct cfgp *c, const struct ynode *n, struct config *cfg)
{
	const struct ynode *p;
	size_t i, j;

	if (n->type != Y_SEQ)
		return FAIL(c, n, "allow: expected a list of [group, group]");
	if (n->nkids > CFG_MAX_ALLOW)
		return FAIL(c, n, "allow: at most %d pairs", CFG_MAX_ALLOW);
	for (i = 0; i < n->nkids; i++) {
		p = n->kids[i];
		if (p->type != Y_SEQ || p->nkids != 2)
			return FAIL(c, p,
			    "allow: expected a pair of groups, [a, b]");
		for (j = 0; j < 2; j++) {
			if (get_name(c, p->kids[j], "allow",
				cfg->allow[i][j]) == -1)
				return -1;
			c->allow[i][j] = cfg_loc_of(p->kids[j]);
		}
	}
	cfg->nallow = n->nkids;
	return 0;
}

int
cfg_check_groups(struct cfgp *c, struct config *cfg)
{
	size_t i, j;

	if (!cfg->isolate && c->seen[K_ALLOW])
		return cfg_fail_at(c, c->loc[K_ALLOW],
		    "allow needs isolate: true (without it every endpoint "
		    "reaches every other)");
	if (cfg->mode == CFG_TAP && cfg->l2switch == CFG_SWITCH_BRIDGE &&
	    cfg->nallow > 0)
		return cfg_fail_at(c, c->loc[K_ALLOW],
		    "allow needs switch: hub in tap mode (an isolated bridge "
		    "forwards between no endpoints)");
	for (i = 0; i < cfg->nallow; i++)
		for (j = 0; j < 2; j++)
			if (group_index(cfg, cfg->allow[i][j]) == -1)
				return cfg_fail_at(c, c->allow[i][j],
				    "allow: no group %s in groups:",
				    cfg->allow[i][j]);
	return 0;
}

uint64_t
cfg_groups_of(const struct config *cfg, const char *user)
{
	uint64_t mask = 0;
	size_t i;

	for (i = 0; i < cfg->nmembers; i++)
		if (strcmp(cfg->members[i].user, user) == 0)
			mask |= UINT64_C(1) << cfg->members[i].group;
	return mask;
}

uint64_t
cfg_reach_of(const struct config *cfg, uint64_t mask)
{
	uint64_t reach = 0;
	int a, b;
	size_t i;

	for (i = 0; i < cfg->nallow; i++) {
		a = group_index(cfg, cfg->allow[i][0]);
		b = group_index(cfg, cfg->allow[i][1]);
		if (a < 0 || b < 0)
			continue;
		if (mask & UINT64_C(1) << a)
			reach |= UINT64_C(1) << b;
		if (mask & UINT64_C(1) << b)
			reach |= UINT64_C(1) << a;
	}
	return reach;
}
