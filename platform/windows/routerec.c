/*
 * routerec.h's file: one line per route, "LUID route DST/LEN GW" (LUID
 * in hex, GW "-" on the link), and per address, "LUID addr ADDR/LEN -".
 * The file is small (the routes of one
 * endpoint), so each call reads it whole, and a change writes a new
 * file and moves it over the old one, so that a crash leaves the old
 * record or the new, never half of one.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "routerec.h"
#include "winapi.h"

#define ROUTEREC_MAX 1024

struct rec {
	uint64_t luid;
	bool addr;	   /* an address on the interface, not a route */
	struct prefix dst; /* the route's destination, or the address */
	struct addr gw;	   /* af 0: on the link */
};

static char rec_path[MAX_PATH];

void
routerec_set_path(const char *path)
{
	rec_path[0] = '\0';
	if (path != NULL)
		snprintf(rec_path, sizeof(rec_path), "%s", path);
}

bool
routerec_enabled(void)
{
	return rec_path[0] != '\0';
}

/* The record's lines into r (a line that does not parse is dropped). */
static size_t
load(struct rec *r)
{
	char line[256], kind[8], dst[PREFIX_STRLEN + 1], gw[ADDR_STRLEN + 1];
	unsigned long long luid;
	size_t n = 0;
	FILE *f;

	if ((f = fopen(rec_path, "r")) == NULL)
		return 0;
	while (n < ROUTEREC_MAX && fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%llx %7s %46s %45s", &luid, kind, dst, gw) !=
			4 ||
		    (strcmp(kind, "route") != 0 && strcmp(kind, "addr") != 0) ||
		    prefix_parse(dst, &r[n].dst) == -1)
			continue;
		r[n].addr = strcmp(kind, "addr") == 0;
		memset(&r[n].gw, 0, sizeof(r[n].gw));
		if (strcmp(gw, "-") != 0 && addr_parse(gw, &r[n].gw) == -1)
			continue;
		r[n++].luid = luid;
	}
	fclose(f);
	return n;
}

static int
save(const struct rec *r, size_t n)
{
	char tmp[MAX_PATH + 8], dst[PREFIX_STRLEN], gw[ADDR_STRLEN];
	FILE *f;
	size_t i;
	int ok;

	snprintf(tmp, sizeof(tmp), "%s.new", rec_path);
	if ((f = fopen(tmp, "w")) == NULL)
		return -EIO;
	for (i = 0; i < n; i++)
		fprintf(f, "%016" PRIx64 " %s %s %s\n", r[i].luid,
		    r[i].addr ? "addr" : "route",
		    prefix_fmt(&r[i].dst, dst, sizeof(dst)),
		    r[i].gw.af == 0 ? "-" : addr_fmt(&r[i].gw, gw, sizeof(gw)));
	ok = fflush(f) == 0 && _commit(_fileno(f)) == 0;
	ok = fclose(f) == 0 && ok;
	if (!ok ||
	    !MoveFileExA(tmp, rec_path,
		MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
		remove(tmp);
		return -EIO;
	}
	return 0;
}

static bool
same(const struct rec *r, bool addr, uint64_t luid, const struct prefix *dst)
{
	return r->addr == addr && r->luid == luid && r->dst.len == dst->len &&
	    addr_cmp(&r->dst.a, &dst->a) == 0;
}

static struct rec recs[ROUTEREC_MAX];

/* Record (or update) dst on luid, as a route through gw or an address. */
static int
put(bool addr, uint64_t luid, const struct prefix *dst, const struct addr *gw)
{
	size_t n, i;

	if (!routerec_enabled())
		return 0;
	n = load(recs);
	for (i = 0; i < n && !same(&recs[i], addr, luid, dst); i++)
		;
	if (i == ROUTEREC_MAX)
		return -EIO;
	recs[i].luid = luid;
	recs[i].addr = addr;
	recs[i].dst = *dst;
	memset(&recs[i].gw, 0, sizeof(recs[i].gw));
	if (gw != NULL && gw->af != 0)
		recs[i].gw = *gw;
	return save(recs, i == n ? n + 1 : n);
}

/* Forget dst on luid (of its kind), or every one of the kind if NULL. */
static int
forget(bool addr, uint64_t luid, const struct prefix *dst)
{
	size_t n, i, k = 0;

	if (!routerec_enabled())
		return 0;
	n = load(recs);
	for (i = 0; i < n; i++)
		if (recs[i].luid != luid || recs[i].addr != addr ||
		    (dst != NULL && !same(&recs[i], addr, luid, dst)))
			recs[k++] = recs[i];
	return k == n ? 0 : save(recs, k);
}

int
routerec_add(uint64_t luid, const struct prefix *dst, const struct addr *gw)
{
	return put(false, luid, dst, gw);
}

int
routerec_del(uint64_t luid, const struct prefix *dst)
{
	return forget(false, luid, dst);
}

bool
routerec_has(uint64_t luid, const struct prefix *dst, const struct addr *gw)
{
	size_t n, i;

	if (!routerec_enabled())
		return false;
	n = load(recs);
	for (i = 0; i < n; i++)
		if (same(&recs[i], false, luid, dst) &&
		    addr_cmp(&recs[i].gw, gw) == 0)
			return true;
	return false;
}

int
routerec_addr_add(uint64_t luid, const struct prefix *p)
{
	return put(true, luid, p, NULL);
}

int
routerec_addr_del(uint64_t luid, const struct prefix *p)
{
	return forget(true, luid, p);
}

size_t
routerec_addrs(uint64_t luid, struct prefix *out, size_t max)
{
	size_t n, i, k = 0;

	if (!routerec_enabled())
		return 0;
	n = load(recs);
	for (i = 0; i < n && k < max; i++)
		if (recs[i].addr && recs[i].luid == luid)
			out[k++] = recs[i].dst;
	return k;
}
