/*
 * The users file format (see users.h). The rules are strict on purpose:
 * a file that vland-auth would half understand is refused as a whole,
 * with the first bad line named, so the operator never wonders which
 * users are in force.
 */
#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "users.h"

/*
 * The length of the hash proper (after the last '$') for the methods in
 * use, so that a salt setting pasted without its hash is caught: it
 * could never match. Other methods that libxcrypt accepts need at least
 * HASH_TAIL_MIN characters there.
 */
static const struct {
	const char *prefix;
	size_t tail;
} hash_tails[] = {
	{ "$y$", 43 },	/* yescrypt */
	{ "$gy$", 43 }, /* gost-yescrypt */
	{ "$7$", 43 },	/* scrypt */
	{ "$6$", 86 },	/* sha512crypt */
	{ "$2b$", 53 }, /* bcrypt: salt and hash in one field */
	{ "$2a$", 53 },
	{ "$2y$", 53 },
};
#define HASH_TAIL_MIN 22

static enum users_line __attribute__((format(printf, 3, 4)))
bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return USERS_LINE_BAD;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool
crypt_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '/' || c == '$' ||
	    c == '=' || c == ',';
}

static enum users_line
check_hash(const char *h, size_t len, char *err, size_t errlen)
{
	const char *tail;
	size_t i, want;

	for (i = 0; i < len; i++)
		if (!crypt_char(h[i]))
			return bad(err, errlen,
			    "hash: character 0x%02x is not used by crypt(3)",
			    (unsigned char)h[i]);
	switch (crypt_checksalt(h)) {
	case CRYPT_SALT_OK:
		break;
	case CRYPT_SALT_METHOD_LEGACY:
		/* Any two salt characters make a DES setting: only a string
		 * as long as a DES hash is one. */
		if (h[0] != '$' && h[0] != '_' && len != 13)
			return bad(err, errlen,
			    "hash: not a crypt(3) hash "
			    "(expected $y$... as made by "
			    "mkpasswd or vlanctl user "
			    "passwd)");
		return bad(err, errlen,
		    "hash: legacy method (DES, MD5, SHA-256 crypt and the "
		    "like are refused); set a new password with vlanctl "
		    "user passwd");
	case CRYPT_SALT_METHOD_DISABLED:
		return bad(err, errlen, "hash: method disabled in libxcrypt");
	case CRYPT_SALT_TOO_CHEAP:
		return bad(err, errlen, "hash: cost too low");
	default:
		return bad(err, errlen,
		    "hash: not a crypt(3) hash (expected $y$... as made by "
		    "mkpasswd or vlanctl user passwd)");
	}
	if ((tail = strrchr(h, '$')) == NULL)
		tail = h - 1;
	want = 0;
	for (i = 0; i < sizeof(hash_tails) / sizeof(hash_tails[0]); i++)
		if (strncmp(h, hash_tails[i].prefix,
			strlen(hash_tails[i].prefix)) == 0)
			want = hash_tails[i].tail;
	if (want != 0 ? strlen(tail + 1) != want
		      : strlen(tail + 1) < HASH_TAIL_MIN)
		return bad(err, errlen,
		    "hash: incomplete (a salt setting without its hash?)");
	return USERS_LINE_USER;
}

enum users_line
users_parse_line(const char *line, size_t len, struct user_ent *u, char *err,
    size_t errlen)
{
	const char *c1, *c2, *end, *f;
	char text[ADDR_STRLEN];
	size_t i, n;

	memset(u, 0, sizeof(*u));
	if (memchr(line, '\0', len) != NULL)
		return bad(err, errlen, "NUL byte in line");
	if (len > USERS_LINE_MAX)
		return bad(err, errlen, "line longer than %d bytes",
		    USERS_LINE_MAX);
	while (len > 0 && is_blank(line[len - 1]))
		len--;
	for (i = 0; i < len && is_blank(line[i]); i++)
		;
	if (i == len || line[i] == '#')
		return USERS_LINE_EMPTY;
	end = line + len;

	if ((c1 = memchr(line, ':', len)) == NULL)
		return bad(err, errlen, "expected username:hash[:address]");
	n = (size_t)(c1 - line);
	if (n == strlen(NEXTHOP_SERVER) && memcmp(line, NEXTHOP_SERVER, n) == 0)
		return bad(err, errlen,
		    "user name %s is reserved for the hub in routes",
		    NEXTHOP_SERVER);
	if (!username_valid(line, n))
		return bad(err, errlen,
		    "bad user name '%.*s' (1 to %d characters of A-Z a-z 0-9 "
		    ". _ -, starting with a letter or digit)",
		    (int)(n > 40 ? 40 : n), line, USERNAME_MAX);
	memcpy(u->name, line, n);

	f = c1 + 1;
	if ((c2 = memchr(f, ':', (size_t)(end - f))) == NULL)
		c2 = end;
	n = (size_t)(c2 - f);
	if (n == 0)
		return bad(err, errlen, "hash missing");
	if (n > USERS_HASH_MAX)
		return bad(err, errlen, "hash longer than %d characters",
		    USERS_HASH_MAX);
	memcpy(u->hash, f, n);
	/* A locked user (vlanctl user lock): "!" and the hash, as in
	 * /etc/shadow; the hash itself must still be a good one. */
	u->locked = u->hash[0] == '!';
	if ((u->locked && n == 1) ||
	    check_hash(u->hash + u->locked, n - u->locked, err, errlen) !=
		USERS_LINE_USER) {
		if (u->locked && n == 1)
			bad(err, errlen, "hash missing after '!'");
		explicit_bzero(u->hash, sizeof(u->hash));
		return USERS_LINE_BAD;
	}
	if (c2 == end)
		return USERS_LINE_USER;

	f = c2 + 1;
	n = (size_t)(end - f);
	if (n == 0)
		return bad(err, errlen, "fixed address missing after ':'");
	if (n >= sizeof(text))
		return bad(err, errlen, "bad fixed address");
	memcpy(text, f, n);
	text[n] = '\0';
	if (addr_parse(text, &u->fixed) == 0 && u->fixed.af != AF_INET)
		return bad(err, errlen,
		    "fixed address %s: must be IPv4, like the pool", text);
	if (memchr(text, ':', n) != NULL)
		return bad(err, errlen,
		    "too many fields (expected username:hash[:address])");
	if (addr_parse(text, &u->fixed) == -1)
		return bad(err, errlen, "bad fixed address '%s'", text);
	u->has_fixed = true;
	return USERS_LINE_USER;
}

int
users_check_fixed(const struct addr *a, const struct prefix *ip, char *err,
    size_t errlen)
{
	struct prefix net;
	struct addr bcast;
	char as[ADDR_STRLEN], ns[PREFIX_STRLEN];

	prefix_network(ip, &net);
	prefix_broadcast(ip, &bcast);
	addr_fmt(a, as, sizeof(as));
	prefix_fmt(&net, ns, sizeof(ns));
	if (a->af != AF_INET || !prefix_contains(&net, a))
		snprintf(err, errlen,
		    "fixed address %s is outside the VPN subnet %s", as, ns);
	else if (addr_cmp(a, &ip->a) == 0)
		snprintf(err, errlen, "fixed address %s is the hub address",
		    as);
	else if (addr_cmp(a, &net.a) == 0)
		snprintf(err, errlen,
		    "fixed address %s is the network address of %s", as, ns);
	else if (addr_cmp(a, &bcast) == 0)
		snprintf(err, errlen,
		    "fixed address %s is the broadcast address of %s", as, ns);
	else
		return 0;
	return -1;
}

static int
cmp_name_line(const void *a, const void *b)
{
	const struct user_ent *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : (x->line > y->line) - (x->line < y->line);
}

static int
cmp_fixed_line(const void *a, const void *b)
{
	const struct user_ent *x = *(const struct user_ent *const *)a;
	const struct user_ent *y = *(const struct user_ent *const *)b;
	int c = addr_cmp(&x->fixed, &y->fixed);

	return c != 0 ? c : (x->line > y->line) - (x->line < y->line);
}

/*
 * The first line (in file order) that repeats a name or a fixed address
 * seen on an earlier line; 0 if none, -1 if out of memory. u must be
 * sorted by name.
 */
static int
first_duplicate(const struct users *u, char *what, size_t whatlen)
{
	const struct user_ent **fx = NULL;
	size_t i, nfx = 0;
	int worst = 0;
	char as[ADDR_STRLEN];

	for (i = 1; i < u->n; i++) {
		if (strcmp(u->v[i].name, u->v[i - 1].name) != 0 ||
		    (worst != 0 && u->v[i].line >= worst))
			continue;
		worst = u->v[i].line;
		snprintf(what, whatlen, "duplicate user %s (first on line %d)",
		    u->v[i].name, u->v[i - 1].line);
	}
	for (i = 0; i < u->n; i++)
		if (u->v[i].has_fixed)
			nfx++;
	if (nfx < 2)
		return worst;
	if ((fx = calloc(nfx, sizeof(*fx))) == NULL) {
		snprintf(what, whatlen, "out of memory");
		return -1;
	}
	for (i = 0, nfx = 0; i < u->n; i++)
		if (u->v[i].has_fixed)
			fx[nfx++] = &u->v[i];
	qsort(fx, nfx, sizeof(*fx), cmp_fixed_line);
	for (i = 1; i < nfx; i++) {
		if (addr_cmp(&fx[i]->fixed, &fx[i - 1]->fixed) != 0 ||
		    (worst != 0 && fx[i]->line >= worst))
			continue;
		worst = fx[i]->line;
		snprintf(what, whatlen,
		    "fixed address %s already belongs to %s (line %d)",
		    addr_fmt(&fx[i]->fixed, as, sizeof(as)), fx[i - 1]->name,
		    fx[i - 1]->line);
	}
	free(fx);
	return worst;
}

struct users *
users_parse(const char *buf, size_t len, const char *name,
    const struct prefix *ip, char *err, size_t errlen)
{
	struct users *u;
	struct user_ent e, *nv;
	const char *p = buf, *end = buf + len, *nl;
	char why[USERS_ERR_MAX];
	size_t cap = 0;
	int line = 0, dup;

	if ((u = calloc(1, sizeof(*u))) == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	while (p < end) {
		line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		switch (users_parse_line(p, (size_t)(nl - p), &e, why,
		    sizeof(why))) {
		case USERS_LINE_EMPTY:
			break;
		case USERS_LINE_BAD:
			goto fail;
		case USERS_LINE_USER:
			if (ip != NULL && e.has_fixed &&
			    users_check_fixed(&e.fixed, ip, why, sizeof(why)) ==
				-1)
				goto fail;
			if (u->n == cap) {
				cap = cap == 0 ? 64 : cap * 2;
				if ((nv = reallocarray(u->v, cap,
					 sizeof(*nv))) == NULL) {
					snprintf(why, sizeof(why),
					    "out of memory");
					goto fail;
				}
				u->v = nv;
			}
			e.line = line;
			u->v[u->n++] = e;
			break;
		}
		p = nl + 1;
	}
	explicit_bzero(&e, sizeof(e));
	if (u->n > 0)
		qsort(u->v, u->n, sizeof(*u->v), cmp_name_line);
	if ((dup = first_duplicate(u, why, sizeof(why))) != 0) {
		line = dup == -1 ? 0 : dup;
		goto fail;
	}
	return u;
fail:
	explicit_bzero(&e, sizeof(e));
	snprintf(err, errlen, "%s:%d: %s", name, line, why);
	users_free(u);
	return NULL;
}

/* Grow buf to cap bytes (plus a NUL), wiping the old copy. */
static char *
grow(char *buf, size_t len, size_t cap)
{
	char *nb;

	if ((nb = malloc(cap + 1)) == NULL)
		return NULL;
	memcpy(nb, buf, len);
	users_free_text(buf, len);
	return nb;
}

ssize_t
users_read_file(const char *path, size_t max, char **bufp)
{
	struct stat st;
	char *buf = NULL, *nb;
	size_t len = 0, cap;
	ssize_t n;
	int fd, saved;

	*bufp = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1)
		return -1;
	if (fstat(fd, &st) == -1)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	if ((size_t)st.st_size > max) {
		errno = EFBIG;
		goto fail;
	}
	/* Room for one byte more than fstat said, to see the end. */
	cap = (size_t)st.st_size + 1;
	if ((buf = malloc(cap + 1)) == NULL)
		goto fail;
	for (;;) {
		if (len == cap) {
			/* The file grew since fstat. */
			if (len > max) {
				errno = EFBIG;
				goto fail;
			}
			cap = cap > max / 2 ? max + 1 : cap * 2;
			if ((nb = grow(buf, len, cap)) == NULL)
				goto fail;
			buf = nb;
		}
		if ((n = read(fd, buf + len, cap - len)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > max) {
		errno = EFBIG;
		goto fail;
	}
	buf[len] = '\0';
	close(fd);
	*bufp = buf;
	return (ssize_t)len;
fail:
	saved = errno;
	users_free_text(buf, len);
	close(fd);
	errno = saved;
	return -1;
}

void
users_free_text(char *buf, size_t len)
{
	if (buf == NULL)
		return;
	/* Hashes are secrets too: they allow offline guessing. */
	explicit_bzero(buf, len);
	free(buf);
}

struct users *
users_load(const char *path, const char *name, const struct prefix *ip,
    char *err, size_t errlen)
{
	return users_load_maybe(path, name, ip, false, err, errlen);
}

struct users *
users_load_maybe(const char *path, const char *name, const struct prefix *ip,
    bool missing_ok, char *err, size_t errlen)
{
	struct users *u;
	char *buf;
	ssize_t len;

	if (name == NULL)
		name = path;
	if ((len = users_read_file(path, USERS_FILE_MAX, &buf)) == -1 &&
	    errno == ENOENT && missing_ok) {
		/* Not made yet (no vlanctl user add so far): nobody. */
		return users_parse("", 0, name, ip, err, errlen);
	}
	if (len == -1) {
		snprintf(err, errlen, "%s: %s", name,
		    errno == EFBIG ? "file too large" : strerror(errno));
		return NULL;
	}
	u = users_parse(buf, (size_t)len, name, ip, err, errlen);
	users_free_text(buf, (size_t)len);
	return u;
}

static int
cmp_name(const void *key, const void *ent)
{
	return strcmp(key, ((const struct user_ent *)ent)->name);
}

const struct user_ent *
users_find(const struct users *u, const char *name)
{
	if (u == NULL || u->n == 0)
		return NULL;
	return bsearch(name, u->v, u->n, sizeof(*u->v), cmp_name);
}

void
users_free(struct users *u)
{
	if (u == NULL)
		return;
	if (u->v != NULL)
		explicit_bzero(u->v, u->n * sizeof(*u->v));
	free(u->v);
	free(u);
}
