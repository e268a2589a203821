/*
 * routerec.h's file: one line per change, "LUID KIND KEY VALUE" (LUID
 * in hex). The file is small (what one endpoint changed), so each call
 * reads it whole, and a change writes a new file and moves it over the
 * old one, so that a crash leaves the old record or the new, never half
 * of one.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "routerec.h"
#include "winapi.h"

static char rec_path[MAX_PATH];
static struct routerec recs[ROUTEREC_MAX];

int
routerec_set_path(const char *path)
{
	rec_path[0] = '\0';
	if (path == NULL)
		return 0;
	if (strlen(path) >= sizeof(rec_path))
		return -ENAMETOOLONG;
	snprintf(rec_path, sizeof(rec_path), "%s", path);
	return 0;
}

bool
routerec_enabled(void)
{
	return rec_path[0] != '\0';
}

/*
 * One line of f into line (at most len - 1 bytes and its end): 1, 0 at
 * the end of the file, -1 for a line that is no line of the record (too
 * long, or holding a NUL), which is read to its end and dropped, so
 * that nothing of it is read as a line of its own.
 */
static int
read_line(FILE *f, char *line, size_t len)
{
	size_t n = 0;
	bool bad = false;
	int c;

	while ((c = fgetc(f)) != EOF && c != '\n') {
		if (c == '\0' || n == len - 1)
			bad = true;
		else
			line[n++] = (char)c;
	}
	line[n] = '\0';
	if (c == EOF && n == 0 && !bad)
		return 0;
	return bad ? -1 : 1;
}

/*
 * The record's lines into r. A line that does not parse whole (four
 * words, each within its field, nothing after), or is longer than any
 * line of ours, is dropped: the record is vland's own file, and what
 * is not a line of it is not acted on.
 */
static size_t
load(struct routerec *r)
{
	char line[256];
	unsigned long long luid;
	size_t n = 0;
	int end, got;
	FILE *f;

	if ((f = fopen(rec_path, "r")) == NULL)
		return 0;
	while (
	    n < ROUTEREC_MAX && (got = read_line(f, line, sizeof(line))) != 0) {
		if (got == -1)
			continue;
		end = -1;
		if (sscanf(line, "%llx %7s %63s %63s %n", &luid, r[n].kind,
			r[n].key, r[n].value, &end) != 4 ||
		    end < 0 || line[end] != '\0' ||
		    strlen(r[n].kind) >= sizeof(r[n].kind) - 1 ||
		    strlen(r[n].key) >= sizeof(r[n].key) - 1 ||
		    strlen(r[n].value) >= sizeof(r[n].value) - 1)
			continue;
		r[n++].luid = luid;
	}
	fclose(f);
	return n;
}

static int
save(const struct routerec *r, size_t n)
{
	char tmp[MAX_PATH + 8];
	FILE *f;
	size_t i;
	int ok;

	snprintf(tmp, sizeof(tmp), "%s.new", rec_path);
	if ((f = fopen(tmp, "w")) == NULL)
		return -EIO;
	for (i = 0; i < n; i++)
		fprintf(f, "%016" PRIx64 " %s %s %s\n", r[i].luid, r[i].kind,
		    r[i].key, r[i].value);
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
same(const struct routerec *r, uint64_t luid, const char *kind, const char *key)
{
	return r->luid == luid && strcmp(r->kind, kind) == 0 &&
	    (key == NULL || strcmp(r->key, key) == 0);
}

/* A word of the file: no blank, not empty, shorter than its field by
 * one more than the text needs (load takes a full field for cut). */
static bool
word(const char *s, size_t max)
{
	size_t n = strlen(s);

	return n > 0 && n < max - 1 && strpbrk(s, " \t\r\n") == NULL;
}

int
routerec_put(uint64_t luid, const char *kind, const char *key,
    const char *value, bool keep)
{
	size_t n, i;

	if (!routerec_enabled())
		return 0;
	if (!word(kind, sizeof(recs[0].kind)) ||
	    !word(key, sizeof(recs[0].key)) ||
	    !word(value, sizeof(recs[0].value)))
		return -EINVAL;
	n = load(recs);
	for (i = 0; i < n && !same(&recs[i], luid, kind, key); i++)
		;
	if (i < n && keep)
		return 0;
	if (i == ROUTEREC_MAX)
		return -EIO;
	recs[i].luid = luid;
	snprintf(recs[i].kind, sizeof(recs[i].kind), "%s", kind);
	snprintf(recs[i].key, sizeof(recs[i].key), "%s", key);
	snprintf(recs[i].value, sizeof(recs[i].value), "%s", value);
	return save(recs, i == n ? n + 1 : n);
}

int
routerec_forget(uint64_t luid, const char *kind, const char *key)
{
	size_t n, i, k = 0;

	if (!routerec_enabled())
		return 0;
	n = load(recs);
	for (i = 0; i < n; i++)
		if (!same(&recs[i], luid, kind, key))
			recs[k++] = recs[i];
	return k == n ? 0 : save(recs, k);
}

bool
routerec_find(uint64_t luid, const char *kind, const char *key, char *value,
    size_t len)
{
	size_t n, i;

	if (!routerec_enabled())
		return false;
	n = load(recs);
	for (i = 0; i < n; i++)
		if (same(&recs[i], luid, kind, key)) {
			if (value != NULL)
				snprintf(value, len, "%s", recs[i].value);
			return true;
		}
	return false;
}

size_t
routerec_list(struct routerec *out, size_t max)
{
	size_t n;

	if (!routerec_enabled())
		return 0;
	n = load(recs);
	if (n > max)
		n = max;
	memcpy(out, recs, n * sizeof(*out));
	return n;
}

int
routerec_add(uint64_t luid, const struct prefix *dst, const struct addr *gw)
{
	char d[PREFIX_STRLEN], g[ADDR_STRLEN];

	return routerec_put(luid, "route", prefix_fmt(dst, d, sizeof(d)),
	    gw != NULL && gw->af != 0 ? addr_fmt(gw, g, sizeof(g)) : "-",
	    false);
}

int
routerec_del(uint64_t luid, const struct prefix *dst)
{
	char d[PREFIX_STRLEN];

	return routerec_forget(luid, "route",
	    dst != NULL ? prefix_fmt(dst, d, sizeof(d)) : NULL);
}

bool
routerec_has(uint64_t luid, const struct prefix *dst, const struct addr *gw)
{
	char d[PREFIX_STRLEN], g[ADDR_STRLEN];
	size_t n, i;

	if (!routerec_enabled())
		return false;
	prefix_fmt(dst, d, sizeof(d));
	if (gw != NULL && gw->af != 0)
		addr_fmt(gw, g, sizeof(g));
	else
		strcpy(g, "-");
	n = load(recs);
	for (i = 0; i < n; i++)
		if (same(&recs[i], luid, "route", d) &&
		    strcmp(recs[i].value, g) == 0)
			return true;
	return false;
}

int
routerec_addr_add(uint64_t luid, const struct prefix *p)
{
	char a[PREFIX_STRLEN];

	return routerec_put(luid, "addr", prefix_fmt(p, a, sizeof(a)), "-",
	    false);
}

int
routerec_addr_del(uint64_t luid, const struct prefix *p)
{
	char a[PREFIX_STRLEN];

	return routerec_forget(luid, "addr",
	    p != NULL ? prefix_fmt(p, a, sizeof(a)) : NULL);
}
