/*
 * libFuzzer target: the users file parser (common/users/users.c),
 * which vland-auth loads at start and on reload and vlanctl edits.
 * Whatever parses must print back ("name:hash[:address]" per user) and
 * parse again to the same table, every name must be found by
 * users_find, and every line must get the same verdict from
 * users_parse_line as from the whole-file parse. No password is hashed
 * here: the parser only checks a hash's shape (crypt_checksalt).
 *
 * Input: byte 0 picks the VPN subnet the fixed addresses are checked
 * against (bits 0-1: none, 10.0.0.1/24, 192.168.7.1/30, 10.9.0.1/8) and,
 * with bit 7, whether the file is read through users_load from a memfd
 * (the read path, with its size limit) instead of parsed from memory;
 * the rest is the file.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "users.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const subnets[4] = { NULL, "10.0.0.1/24", "192.168.7.1/30",
	"10.9.0.1/8" };

/* One memfd for the whole run, refilled per input: no descriptor or
 * file is left behind by an input. */
static int memfd = -1;
static char memfd_path[64];

static void
setup(void)
{
	if ((memfd = memfd_create("fuzz-users", MFD_CLOEXEC)) == -1)
		abort();
	snprintf(memfd_path, sizeof(memfd_path), "/proc/self/fd/%d", memfd);
}

static struct users *
load_via_memfd(const char *buf, size_t len, const struct prefix *ip, char *err,
    size_t errlen)
{
	if (ftruncate(memfd, 0) == -1 ||
	    (len > 0 && pwrite(memfd, buf, len, 0) != (ssize_t)len))
		abort();
	return users_load(memfd_path, "users", ip, err, errlen);
}

static void
same_table(const struct users *a, const struct users *b)
{
	size_t i;

	if (a->n != b->n)
		abort();
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].name, b->v[i].name) != 0 ||
		    strcmp(a->v[i].hash, b->v[i].hash) != 0 ||
		    a->v[i].locked != b->v[i].locked ||
		    a->v[i].has_fixed != b->v[i].has_fixed ||
		    (a->v[i].has_fixed &&
			addr_cmp(&a->v[i].fixed, &b->v[i].fixed) != 0))
			abort();
}

/* Print the table as a users file and parse it back. */
static void
round_trip(const struct users *u, const struct prefix *ip)
{
	struct users *again;
	char *text = NULL, err[USERS_ERR_MAX], as[ADDR_STRLEN];
	size_t len = 0, i;
	FILE *f;

	if ((f = open_memstream(&text, &len)) == NULL)
		abort();
	fprintf(f, "# printed back\n");
	for (i = 0; i < u->n; i++) {
		fprintf(f, "%s:%s", u->v[i].name, u->v[i].hash);
		if (u->v[i].has_fixed)
			fprintf(f, ":%s",
			    addr_fmt(&u->v[i].fixed, as, sizeof(as)));
		fputc('\n', f);
	}
	fclose(f);
	if ((again = users_parse(text, len, "again", ip, err, sizeof(err))) ==
	    NULL) {
		fprintf(stderr, "printed table refused: %s\n%s", err, text);
		abort();
	}
	same_table(u, again);
	users_free(again);
	free(text);
}

static void
check_table(const struct users *u, const struct prefix *ip)
{
	const struct user_ent *e;
	char err[USERS_ERR_MAX];
	size_t i;

	for (i = 0; i < u->n; i++) {
		e = &u->v[i];
		if (memchr(e->name, '\0', sizeof(e->name)) == NULL ||
		    memchr(e->hash, '\0', sizeof(e->hash)) == NULL ||
		    !username_valid(e->name, strlen(e->name)) ||
		    e->locked != (e->hash[0] == '!') || e->line < 1)
			abort();
		if (users_find(u, e->name) != e)
			abort();
		if (ip != NULL && e->has_fixed &&
		    users_check_fixed(&e->fixed, ip, err, sizeof(err)) != 0)
			abort();
	}
	if (users_find(u, "") != NULL)
		abort();
	round_trip(u, ip);
}

/* users_parse fails exactly when some line is bad or repeats a name or
 * an address; a bad line fails both ways. */
static void
check_lines(const char *buf, size_t len, bool parsed)
{
	const char *p = buf, *end = buf + len, *nl;
	struct user_ent e;
	char err[USERS_ERR_MAX];

	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (users_parse_line(p, (size_t)(nl - p), &e, err,
			sizeof(err)) == USERS_LINE_BAD &&
		    parsed)
			abort();
		p = nl + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prefix net, *ip = NULL;
	struct users *u;
	char err[USERS_ERR_MAX];
	const char *buf;
	size_t len;

	if (memfd == -1)
		setup();
	if (size < 1)
		return 0;
	if (subnets[data[0] & 3] != NULL) {
		if (prefix_parse(subnets[data[0] & 3], &net) == -1)
			abort();
		ip = &net;
	}
	buf = (const char *)data + 1;
	len = size - 1;
	err[0] = '\0';
	if (data[0] & 0x80)
		u = load_via_memfd(buf, len, ip, err, sizeof(err));
	else
		u = users_parse(buf, len, "users", ip, err, sizeof(err));
	if (u == NULL) {
		/* Every refusal names the file and a line. */
		if (strncmp(err, "users:", 6) != 0)
			abort();
	} else {
		check_table(u, ip);
		users_free(u);
	}
	check_lines(buf, len, u != NULL);
	return 0;
}
