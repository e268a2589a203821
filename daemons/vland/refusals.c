/*
 * Route refusals (refusals.h). A route set is sent again only when it
 * changes, and a refusal that stays from one set to the next is not
 * logged again.
 */
#include <string.h>

#include "log.h"
#include "refusals.h"

static struct {
	struct if_route_refusal r[IPCMSG_ROUTES_MAX];
	uint32_t n;
	uint64_t total;
	uint32_t installed, version;
} rf;

static const struct if_route_refusal *
refusal_find(const struct prefix *p)
{
	uint32_t i;

	for (i = 0; i < rf.n; i++)
		if (rf.r[i].cidr.len == p->len &&
		    addr_cmp(&rf.r[i].cidr.a, &p->a) == 0)
			return &rf.r[i];
	return NULL;
}

void
refusals_update(const struct if_routes_result *res,
    const struct if_route_refusal *ref)
{
	const struct if_route_refusal *old;
	char p[PREFIX_STRLEN];
	uint32_t i, fresh = 0;

	for (i = 0; i < res->count; i++) {
		old = refusal_find(&ref[i].cidr);
		if (old != NULL && old->reason == ref[i].reason)
			continue;
		log_warnx("route %s refused: %s",
		    prefix_fmt(&ref[i].cidr, p, sizeof(p)), ref[i].why);
		fresh++;
	}
	rf.total += fresh;
	memcpy(rf.r, ref, res->count * sizeof(ref[0]));
	rf.n = res->count;
	rf.installed = res->installed;
	rf.version = res->version;
}

uint32_t
refusals_installed(uint32_t *version)
{
	*version = rf.version;
	return rf.installed;
}

const char *
refusals_why(const struct prefix *p)
{
	const struct if_route_refusal *r = refusal_find(p);

	return r != NULL ? r->why : NULL;
}

uint32_t
refusals_now(void)
{
	return rf.n;
}

uint64_t
refusals_total(void)
{
	return rf.total;
}
