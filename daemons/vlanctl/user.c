/*
 * vlanctl user: edit the users file of vland-auth(8) directly, no daemon
 * needed. Lines are parsed by the same code vland-auth uses; lines this
 * command does not change (comments, other users, even bad lines) are
 * written back byte for byte. Every change replaces the file atomically
 * (temporary file, fsync, rename) under a lock on its directory, so
 * vland-auth never reads half a file and two editors never lose each
 * other's change. Passwords never come from the command line.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "config.h"
#include "ipcmsg.h"
#include "names.h"
#include "pwhash.h"
#include "users.h"
#include "vland_config.h"
#include "password.h"
#include "vlanctl.h"

#define USERS_DEFAULT_FILE VLAND_SYSCONFDIR "/users"
/* vland-auth's own group: it alone reads the hashes (not vland-ifmgr,
 * which reads the configuration as a member of VLAND_GROUP). */
#define USERS_GROUP VLAND_AUTH_USER
#define PW_MAX	    IPCMSG_PASSWORD_MAX

struct ufile {
	char path[PATH_MAX]; /* symlinks resolved: the file we replace */
	const char *name;    /* as the user wrote it, for messages */
	int dirfd;	     /* locked for the whole command */
	bool exists;
	struct stat st;
	char *text;
	size_t len;
};

struct uopts {
	const char *file;
	bool default_file; /* no -f */
	const char *config;
};

static int fail(const char *, ...) __attribute__((format(printf, 1, 2)));

static int
fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vlanctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return 1;
}

/* Line n (from 1) of f: start and length without the newline. */
struct uline {
	const char *s;
	size_t len;
	int no;
};

static bool
next_line(const struct ufile *f, struct uline *l)
{
	const char *end, *p, *nl;

	if (f->text == NULL)
		return false;
	end = f->text + f->len;
	p = l->s == NULL ? f->text : l->s + l->len + 1;
	if (p >= end)
		return false;
	if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
		nl = end;
	l->s = p;
	l->len = (size_t)(nl - p);
	l->no++;
	return true;
}

/* The name a line belongs to, even a bad line; "" if none. */
static const char *
line_user(const struct uline *l, struct user_ent *u)
{
	char err[USERS_ERR_MAX];

	if (users_parse_line(l->s, l->len, u, err, sizeof(err)) ==
	    USERS_LINE_EMPTY)
		u->name[0] = '\0';
	return u->name;
}

/*
 * Lock the directory and read the file. A missing file is empty when
 * create is set, else an error.
 */
static int
ufile_open(struct ufile *f, const char *name, bool create)
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	ssize_t n;

	memset(f, 0, sizeof(*f));
	f->dirfd = -1;
	f->name = name;
	if (realpath(name, f->path) == NULL) {
		if (errno != ENOENT || !create)
			return fail("%s: %s", name, strerror(errno));
		/* A new file: resolve its directory instead. */
		snprintf(tmp, sizeof(tmp), "%s", name);
		if (realpath(dirname(tmp), dir) == NULL)
			return fail("%s: %s", name, strerror(errno));
		snprintf(tmp, sizeof(tmp), "%s", name);
		if ((size_t)snprintf(f->path, sizeof(f->path), "%s/%s",
			strcmp(dir, "/") == 0 ? "" : dir,
			basename(tmp)) >= sizeof(f->path))
			return fail("%s: path too long", name);
	}
	snprintf(tmp, sizeof(tmp), "%s", f->path);
	if ((f->dirfd = open(dirname(tmp),
		 O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return fail("%s: %s", tmp, strerror(errno));
	if (flock(f->dirfd, LOCK_EX) == -1)
		return fail("%s: lock: %s", tmp, strerror(errno));
	if ((n = users_read_file(f->path, USERS_FILE_MAX, &f->text)) == -1) {
		if (errno != ENOENT || !create)
			return fail("%s: %s", name,
			    errno == EFBIG ? "file too large"
					   : strerror(errno));
		return 0;
	}
	f->len = (size_t)n;
	f->exists = true;
	if (stat(f->path, &f->st) == -1)
		return fail("%s: %s", name, strerror(errno));
	return 0;
}

static void
ufile_close(struct ufile *f)
{
	users_free_text(f->text, f->len);
	f->text = NULL;
	if (f->dirfd != -1)
		close(f->dirfd); /* and the lock with it */
	f->dirfd = -1;
}

static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Replace the file with the pieces given: a temporary file in the same
 * directory, mode 0640 and group USERS_GROUP (so that vland-auth, and
 * only it, can read the hashes), fsync, rename over the old one, fsync the
 * directory. On any failure the old file stays as it was.
 */
static int
ufile_replace(struct ufile *f, const struct iovec *iov, int niov)
{
	struct group *gr;
	char tmp[PATH_MAX], base[PATH_MAX];
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;
	int fd, i;

	snprintf(base, sizeof(base), "%s", f->path);
	snprintf(tmp, sizeof(tmp), "%s", f->path);
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dirname(tmp),
		basename(base)) >= sizeof(tmp))
		return fail("%s: path too long", f->name);
	if ((fd = mkstemp(tmp)) == -1)
		return fail("%s: %s", tmp, strerror(errno));
	if (f->exists) {
		uid = f->st.st_uid;
		gid = f->st.st_gid;
	}
	if ((gr = getgrnam(USERS_GROUP)) != NULL)
		gid = gr->gr_gid;
	if (fchmod(fd, 0640) == -1)
		goto bad;
	if (fchown(fd, uid, gid) == -1) {
		if (errno != EPERM)
			goto bad;
		/* Not root: the file keeps our group; say what it means. */
		if (gr != NULL)
			fprintf(stderr,
			    "vlanctl: %s: cannot give the file to group %s; "
			    "vland-auth may not be able to read it\n",
			    f->name, USERS_GROUP);
	}
	for (i = 0; i < niov; i++)
		if (write_all(fd, iov[i].iov_base, iov[i].iov_len) == -1)
			goto bad;
	if (fsync(fd) == -1)
		goto bad;
	if (close(fd) == -1) {
		fd = -1;
		goto bad;
	}
	fd = -1;
	if (rename(tmp, f->path) == -1)
		goto bad;
	if (fsync(f->dirfd) == -1)
		return fail("%s: fsync of the directory: %s", f->name,
		    strerror(errno));
	return 0;
bad:
	i = errno;
	if (fd != -1)
		close(fd);
	unlink(tmp);
	return fail("%s: cannot write: %s", f->name, strerror(i));
}

/*
 * The new password: from the terminal (asked twice when confirm is
 * set), or the first line of standard input when it is not a terminal,
 * for scripts. Returns 0, or 1 after printing why not.
 */
static int
get_password(const char *user, bool confirm, char *pw, size_t size)
{
	char again[PW_MAX + 1], prompt[64 + USERNAME_MAX];
	ssize_t n;
	int rc = 1;

	if (!isatty(STDIN_FILENO)) {
		n = password_read_line(STDIN_FILENO, pw, size);
	} else {
		snprintf(prompt, sizeof(prompt), "Password for %s: ", user);
		n = password_read_tty(prompt, pw, size);
		if (n >= 0 && confirm) {
			if (password_read_tty("Retype password: ", again,
				sizeof(again)) != n ||
			    CRYPTO_memcmp(pw, again, (size_t)n) != 0)
				n = -4;
			explicit_bzero(again, sizeof(again));
		}
	}
	if (n == -1)
		fail("cannot read the password: %s", strerror(errno));
	else if (n == -2)
		fail("password longer than %d bytes", PW_MAX);
	else if (n == -3)
		fail("no password on standard input");
	else if (n == -4)
		fail("passwords do not match");
	else if (n == 0)
		fail("empty password");
	else
		rc = 0;
	if (rc != 0)
		explicit_bzero(pw, size);
	return rc;
}

/*
 * The configuration whose subnet a fixed address must lie in: -c, or
 * the default one when the default users file is edited. Returns 0
 * with *ip set, 1 if there is none to check against, -1 on an error
 * (printed).
 */
static int
config_subnet(const struct uopts *o, struct prefix *ip)
{
	struct config *cfg;
	struct cfg_error err;
	const char *file = o->config;
	char msg[512];
	int rc = 1;

	if (file == NULL) {
		if (!o->default_file || access(CFG_DEFAULT_FILE, F_OK) == -1)
			return 1;
		file = CFG_DEFAULT_FILE;
	}
	if ((cfg = calloc(1, sizeof(*cfg))) == NULL) {
		fail("out of memory");
		return -1;
	}
	if (cfg_load(file, cfg, &err) == -1) {
		cfg_error_fmt(&err, file, msg, sizeof(msg));
		fail("%s", msg);
		rc = -1;
	} else if (cfg->role == CFG_HUB) {
		*ip = cfg->ip;
		rc = 0;
	}
	cfg_clear(cfg);
	free(cfg);
	return rc;
}

/* -c without -f: the users file that configuration names. */
static const char *
config_users(const char *file)
{
	static char path[PATH_MAX];
	struct config *cfg;
	struct cfg_error err;
	char msg[512];
	const char *rc = NULL;

	if ((cfg = calloc(1, sizeof(*cfg))) == NULL) {
		fail("out of memory");
		return NULL;
	}
	if (cfg_load(file, cfg, &err) == -1) {
		cfg_error_fmt(&err, file, msg, sizeof(msg));
		fail("%s", msg);
	} else if (cfg->role != CFG_HUB) {
		fail("%s: not a hub's configuration (it has connect:)", file);
	} else {
		rc = cfg_path_of(file, cfg->users, path, sizeof(path));
	}
	cfg_clear(cfg);
	free(cfg);
	return rc;
}

static int
check_name(const char *name)
{
	if (!username_valid(name, strlen(name)))
		return fail("'%s' is not a valid user name (1 to %d characters "
			    "of A-Z a-z 0-9 . _ -, starting with a letter or "
			    "digit; not %s)",
		    name, USERNAME_MAX, NEXTHOP_SERVER);
	return 0;
}

/* The text, with a newline added if the last line lacks one. */
static void
body(const struct ufile *f, struct iovec *iov, int *niov)
{
	iov[(*niov)++] = (struct iovec){ f->text, f->len };
	if (f->len > 0 && f->text[f->len - 1] != '\n')
		iov[(*niov)++] = (struct iovec){ (void *)(uintptr_t) "\n", 1 };
}

static int
user_add(const struct uopts *o, int argc, char *argv[])
{
	struct ufile f;
	struct uline l = { 0 };
	struct user_ent u;
	struct addr fixed;
	struct prefix ip;
	struct iovec iov[3];
	char pw[PW_MAX + 1], hash[USERS_HASH_MAX + 1], err[USERS_ERR_MAX];
	char line[USERNAME_MAX + USERS_HASH_MAX + ADDR_STRLEN + 4];
	char as[ADDR_STRLEN];
	int niov = 0, rc = 1, sub;

	if (argc < 1 || argc > 2)
		return fail("usage: vlanctl user add [-c config] [-f file] "
			    "name [address]");
	if (check_name(argv[0]) != 0)
		return 1;
	if (argc == 2) {
		if (addr_parse(argv[1], &fixed) == -1 || fixed.af != AF_INET)
			return fail("'%s' is not an IPv4 address", argv[1]);
		if ((sub = config_subnet(o, &ip)) == -1)
			return 1;
		if (sub == 0 &&
		    users_check_fixed(&fixed, &ip, err, sizeof(err)) == -1)
			return fail("%s", err);
		if (sub == 1)
			fprintf(stderr,
			    "vlanctl: %s not checked against the "
			    "VPN subnet (no configuration; see -c)\n",
			    argv[1]);
	}
	if (ufile_open(&f, o->file, true) != 0)
		goto out;
	while (next_line(&f, &l)) {
		if (strcmp(line_user(&l, &u), argv[0]) == 0) {
			fail("user %s already exists (%s:%d)", argv[0], f.name,
			    l.no);
			goto out;
		}
		if (argc == 2 && u.has_fixed &&
		    addr_cmp(&u.fixed, &fixed) == 0) {
			fail("%s is already the fixed address of %s (%s:%d)",
			    argv[1], u.name, f.name, l.no);
			goto out;
		}
	}
	if (get_password(argv[0], true, pw, sizeof(pw)) != 0)
		goto out;
	if (pwhash_make(pw, hash, sizeof(hash)) == -1) {
		fail("cannot hash the password: %s", strerror(errno));
		goto out;
	}
	if (argc == 2)
		snprintf(line, sizeof(line), "%s:%s:%s\n", argv[0], hash,
		    addr_fmt(&fixed, as, sizeof(as)));
	else
		snprintf(line, sizeof(line), "%s:%s\n", argv[0], hash);
	body(&f, iov, &niov);
	iov[niov++] = (struct iovec){ line, strlen(line) };
	rc = ufile_replace(&f, iov, niov);
out:
	explicit_bzero(pw, sizeof(pw));
	explicit_bzero(&u, sizeof(u));
	ufile_close(&f);
	return rc;
}

static int
user_del(const struct uopts *o, int argc, char *argv[])
{
	struct ufile f;
	struct uline l = { 0 };
	struct user_ent u;
	struct iovec *iov = NULL;
	const char *from;
	int niov = 0, found = 0, rc = 1;

	if (argc != 1)
		return fail("usage: vlanctl user del [-f file] name");
	if (check_name(argv[0]) != 0)
		return 1;
	if (ufile_open(&f, o->file, false) != 0)
		goto out;
	/* At most one piece per line kept, plus one. */
	if ((iov = calloc(f.len / 2 + 2, sizeof(*iov))) == NULL) {
		fail("out of memory");
		goto out;
	}
	from = f.text;
	while (next_line(&f, &l)) {
		if (strcmp(line_user(&l, &u), argv[0]) != 0)
			continue;
		found++;
		iov[niov++] = (struct iovec){ (void *)(uintptr_t)from,
			(size_t)(l.s - from) };
		from = l.s + l.len + (l.s + l.len < f.text + f.len);
	}
	if (found == 0) {
		fail("no user %s in %s", argv[0], f.name);
		goto out;
	}
	iov[niov++] = (struct iovec){ (void *)(uintptr_t)from,
		(size_t)(f.text + f.len - from) };
	rc = ufile_replace(&f, iov, niov);
out:
	explicit_bzero(&u, sizeof(u));
	free(iov);
	ufile_close(&f);
	return rc;
}

/* The one line of user name in f (0), or a message and -1. */
static int
find_one(const struct ufile *f, const char *name, struct uline *at)
{
	struct uline l = { 0 };
	struct user_ent u;

	memset(at, 0, sizeof(*at));
	while (next_line(f, &l)) {
		if (strcmp(line_user(&l, &u), name) != 0)
			continue;
		if (at->s != NULL) {
			explicit_bzero(&u, sizeof(u));
			fail("user %s is on lines %d and %d of %s; remove one "
			     "first",
			    name, at->no, l.no, f->name);
			return -1;
		}
		*at = l;
	}
	explicit_bzero(&u, sizeof(u));
	if (at->s == NULL) {
		fail("no user %s in %s", name, f->name);
		return -1;
	}
	return 0;
}

/*
 * The commands on one user's line: check the operand, open the file and
 * find the line. 0, or -1 after a message (f is to be closed either way).
 */
static int
open_user_line(const struct uopts *o, int argc, char *argv[], const char *cmd,
    struct ufile *f, struct uline *at)
{
	memset(f, 0, sizeof(*f));
	f->dirfd = -1; /* nothing to close yet */
	if (argc != 1) {
		fail("usage: vlanctl user %s [-f file] name", cmd);
		return -1;
	}
	if (check_name(argv[0]) != 0 || ufile_open(f, o->file, false) != 0 ||
	    find_one(f, argv[0], at) != 0)
		return -1;
	return 0;
}

static int
user_passwd(const struct uopts *o, int argc, char *argv[])
{
	struct ufile f;
	struct uline at = { 0 };
	struct user_ent u;
	struct iovec iov[4];
	const char *c1, *c2;
	char pw[PW_MAX + 1], hash[USERS_HASH_MAX + 1];
	int rc = 1;

	memset(&u, 0, sizeof(u));
	if (open_user_line(o, argc, argv, "passwd", &f, &at) != 0)
		goto out;
	if (get_password(argv[0], true, pw, sizeof(pw)) != 0)
		goto out;
	if (pwhash_make(pw, hash, sizeof(hash)) == -1) {
		fail("cannot hash the password: %s", strerror(errno));
		goto out;
	}
	/* Only the hash changes; the name and a fixed address stay. */
	c1 = memchr(at.s, ':', at.len);
	c2 = memchr(c1 + 1, ':', (size_t)(at.s + at.len - c1 - 1));
	if (c2 == NULL)
		c2 = at.s + at.len;
	iov[0] = (struct iovec){ f.text, (size_t)(c1 + 1 - f.text) };
	iov[1] = (struct iovec){ hash, strlen(hash) };
	iov[2] = (struct iovec){ (void *)(uintptr_t)c2,
		(size_t)(f.text + f.len - c2) };
	rc = ufile_replace(&f, iov, 3);
out:
	explicit_bzero(pw, sizeof(pw));
	explicit_bzero(&u, sizeof(u));
	ufile_close(&f);
	return rc;
}

/*
 * Lock or unlock: a "!" before the hash, as passwd -l writes it in
 * /etc/shadow. The hash stays, so unlocking restores the password.
 */
static int
user_lock_set(const struct uopts *o, int argc, char *argv[], bool lock)
{
	struct ufile f;
	struct uline at = { 0 };
	struct iovec iov[3];
	const char *c1;
	int rc = 1;

	if (open_user_line(o, argc, argv, lock ? "lock" : "unlock", &f, &at) !=
	    0)
		goto out;
	c1 = memchr(at.s, ':', at.len);
	if (c1 == NULL || c1 + 1 >= at.s + at.len) {
		fail("%s:%d: no hash for %s", f.name, at.no, argv[0]);
		goto out;
	}
	if ((c1[1] == '!') == lock) {
		printf("%s is already %s\n", argv[0],
		    lock ? "locked" : "unlocked");
		rc = 0;
		goto out;
	}
	iov[0] = (struct iovec){ f.text, (size_t)(c1 + 1 - f.text) };
	if (lock) {
		iov[1] = (struct iovec){ (void *)(uintptr_t) "!", 1 };
		iov[2] = (struct iovec){ (void *)(uintptr_t)(c1 + 1),
			(size_t)(f.text + f.len - c1 - 1) };
		rc = ufile_replace(&f, iov, 3);
	} else {
		iov[1] = (struct iovec){ (void *)(uintptr_t)(c1 + 2),
			(size_t)(f.text + f.len - c1 - 2) };
		rc = ufile_replace(&f, iov, 2);
	}
out:
	ufile_close(&f);
	return rc;
}

static int
user_lock(const struct uopts *o, int argc, char *argv[])
{
	return user_lock_set(o, argc, argv, true);
}

static int
user_unlock(const struct uopts *o, int argc, char *argv[])
{
	return user_lock_set(o, argc, argv, false);
}

static int
user_list(const struct uopts *o, int argc, char *argv[])
{
	struct ufile f;
	struct uline l = { 0 };
	struct user_ent u;
	struct users *all;
	char err[USERS_ERR_MAX + PATH_MAX], as[ADDR_STRLEN];
	int rc = 0;

	(void)argv;
	if (argc != 0)
		return fail("usage: vlanctl user list [-f file]");
	if (ufile_open(&f, o->file, false) != 0) {
		ufile_close(&f);
		return 1;
	}
	/* Names and fixed addresses only: hashes are not for display. */
	while (next_line(&f, &l)) {
		if (users_parse_line(l.s, l.len, &u, err, sizeof(err)) !=
		    USERS_LINE_USER)
			continue;
		printf("%s\t%s%s\n", u.name,
		    u.has_fixed ? addr_fmt(&u.fixed, as, sizeof(as)) : "-",
		    u.locked ? "\tlocked" : "");
	}
	explicit_bzero(&u, sizeof(u));
	/* Then the verdict vland-auth would give on the whole file. */
	if ((all = users_parse(f.text, f.len, f.name, NULL, err,
		 sizeof(err))) == NULL)
		rc = fail("%s", err);
	users_free(all);
	ufile_close(&f);
	if (fflush(stdout) != 0)
		rc = 1;
	return rc;
}

/* Strict base64 with padding, as the original tool wrote it. */
static int
b64_decode(const char *s, size_t len, char *out, size_t size)
{
	unsigned char buf[(PW_MAX + 3) / 3 * 3 + 3];
	size_t i, pad = 0, n;
	int dl;

	if (len == 0 || len % 4 != 0 || len / 4 * 3 > sizeof(buf))
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] == '=' && i >= len - 2) {
			pad++;
			continue;
		}
		if (pad > 0 ||
		    !((s[i] >= 'A' && s[i] <= 'Z') ||
			(s[i] >= 'a' && s[i] <= 'z') ||
			(s[i] >= '0' && s[i] <= '9') || s[i] == '+' ||
			s[i] == '/'))
			return -1;
	}
	if ((dl = EVP_DecodeBlock(buf, (const unsigned char *)s, (int)len)) ==
	    -1)
		return -1;
	n = (size_t)dl - pad;
	if (n >= size) {
		OPENSSL_cleanse(buf, sizeof(buf));
		return -1;
	}
	memcpy(out, buf, n);
	out[n] = '\0';
	OPENSSL_cleanse(buf, sizeof(buf));
	return (int)n;
}

struct import_ent {
	char name[USERNAME_MAX + 1];
	int line;
};

static int
cmp_name_only(const void *a, const void *b)
{
	return strcmp(((const struct import_ent *)a)->name,
	    ((const struct import_ent *)b)->name);
}

static int
cmp_import(const void *a, const void *b)
{
	const struct import_ent *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : (x->line > y->line) - (x->line < y->line);
}

/*
 * One entry of the original system's file: "name,base64(password)".
 * Returns 1 with name and pw filled, 0 for a blank or comment line, -1
 * after printing the problem.
 */
static bool
is_header(const char *s, size_t len)
{
	static const char *const names[] = { "name", "user", "username" };
	static const char *const pws[] = { "password", "passwd", "pass",
		"base64" };
	const char *comma = memchr(s, ',', len);
	size_t i, j, nl, pl;

	if (comma == NULL)
		return false;
	nl = (size_t)(comma - s);
	pl = len - nl - 1;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		for (j = 0; j < sizeof(pws) / sizeof(pws[0]); j++)
			if (nl == strlen(names[i]) && pl == strlen(pws[j]) &&
			    strncasecmp(s, names[i], nl) == 0 &&
			    strncasecmp(comma + 1, pws[j], pl) == 0)
				return true;
	return false;
}

static int
import_line(const char *file, const struct uline *l, char *name, char *pw,
    size_t pwsize)
{
	const char *comma;
	size_t len = l->len;
	int n;

	while (len > 0 &&
	    (l->s[len - 1] == '\r' || l->s[len - 1] == ' ' ||
		l->s[len - 1] == '\t'))
		len--;
	if (len == 0 || l->s[0] == '#')
		return 0;
	/* A spreadsheet's header line, not a user called "name". */
	if (l->no == 1 && is_header(l->s, len))
		return 0;
	if ((comma = memchr(l->s, ',', len)) == NULL ||
	    !username_valid(l->s, (size_t)(comma - l->s))) {
		fail("%s:%d: expected name,base64(password) with a valid user "
		     "name",
		    file, l->no);
		return -1;
	}
	memcpy(name, l->s, (size_t)(comma - l->s));
	name[comma - l->s] = '\0';
	n = b64_decode(comma + 1, (size_t)(l->s + len - comma - 1), pw, pwsize);
	if (n <= 0 || memchr(pw, '\0', (size_t)n) != NULL ||
	    memchr(pw, '\n', (size_t)n) != NULL) {
		explicit_bzero(pw, pwsize);
		fail("%s:%d: the password is not base64 of 1 to %d bytes "
		     "without NUL or newline",
		    file, l->no, PW_MAX);
		return -1;
	}
	return 1;
}

/*
 * Every line is checked, and every name against the users file, before
 * anything is hashed or written: the import happens whole or not at
 * all. The passwords are decoded twice rather than all kept in memory.
 */
static int
user_import(const struct uopts *o, int argc, char *argv[])
{
	struct ufile f, csv;
	struct uline l = { 0 };
	struct user_ent u;
	struct import_ent *v = NULL, *nv, key;
	struct iovec iov[3];
	char pw[PW_MAX + 1], hash[USERS_HASH_MAX + 1], name[USERNAME_MAX + 1];
	char *out = NULL;
	size_t n = 0, cap = 0, i, outlen = 0, outcap;
	ssize_t len;
	int niov = 0, rc = 1, r;

	memset(&f, 0, sizeof(f));
	f.dirfd = -1;
	memset(&csv, 0, sizeof(csv));
	if (argc != 1)
		return fail("usage: vlanctl user import [-f file] csvfile");
	/* Read without ufile_open: its lock is for the users file only. */
	if ((len = users_read_file(argv[0], USERS_FILE_MAX, &csv.text)) == -1)
		return fail("%s: %s", argv[0],
		    errno == EFBIG ? "file too large" : strerror(errno));
	csv.len = (size_t)len;
	while (next_line(&csv, &l)) {
		if ((r = import_line(argv[0], &l, name, pw, sizeof(pw))) == -1)
			goto out;
		explicit_bzero(pw, sizeof(pw));
		if (r == 0)
			continue;
		if (n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			if ((nv = reallocarray(v, cap, sizeof(*v))) == NULL) {
				fail("out of memory");
				goto out;
			}
			v = nv;
		}
		memcpy(v[n].name, name, sizeof(name));
		v[n++].line = l.no;
	}
	if (n == 0) {
		fail("%s: no users", argv[0]);
		goto out;
	}
	qsort(v, n, sizeof(*v), cmp_import);
	for (i = 1; i < n; i++)
		if (strcmp(v[i].name, v[i - 1].name) == 0) {
			fail("%s:%d: user %s is already on line %d", argv[0],
			    v[i].line, v[i].name, v[i - 1].line);
			goto out;
		}

	if (ufile_open(&f, o->file, true) != 0)
		goto out;
	l = (struct uline){ 0 };
	while (next_line(&f, &l)) {
		memcpy(key.name, line_user(&l, &u), sizeof(key.name));
		key.line = 0;
		if (key.name[0] != '\0' &&
		    bsearch(&key, v, n, sizeof(*v), cmp_name_only) != NULL) {
			fail("user %s already exists (%s:%d)", key.name, f.name,
			    l.no);
			goto out;
		}
	}

	outcap = n * (USERNAME_MAX + USERS_HASH_MAX + 3);
	if ((out = malloc(outcap)) == NULL) {
		fail("out of memory");
		goto out;
	}
	l = (struct uline){ 0 };
	while (next_line(&csv, &l)) {
		if (import_line(argv[0], &l, name, pw, sizeof(pw)) != 1)
			continue;
		r = pwhash_make(pw, hash, sizeof(hash));
		explicit_bzero(pw, sizeof(pw));
		if (r == -1) {
			fail("cannot hash the password: %s", strerror(errno));
			goto out;
		}
		outlen += (size_t)snprintf(out + outlen, outcap - outlen,
		    "%s:%s\n", name, hash);
	}
	body(&f, iov, &niov);
	iov[niov++] = (struct iovec){ out, outlen };
	if ((rc = ufile_replace(&f, iov, niov)) == 0)
		fprintf(stderr, "vlanctl: %zu users imported into %s\n", n,
		    f.name);
out:
	explicit_bzero(pw, sizeof(pw));
	explicit_bzero(&u, sizeof(u));
	if (out != NULL)
		users_free_text(out, outlen);
	free(v);
	users_free_text(csv.text, csv.len);
	ufile_close(&f);
	return rc;
}

struct user_cmd {
	const char *name;
	int (*fn)(const struct uopts *, int, char *[]);
	const char *opts; /* getopt string */
	const char *args;
	const char *help;
};

static const struct user_cmd user_cmds[] = {
	{ "add", user_add, "c:f:", "[-c config] [-f file] name [address]",
	    "add a user, optionally with a fixed address" },
	{ "del", user_del, "f:", "[-f file] name", "remove a user" },
	{ "import", user_import, "f:", "[-f file] csvfile",
	    "add the users of a name,base64(password) file" },
	{ "list", user_list, "f:", "[-f file]",
	    "list users and fixed addresses" },
	{ "passwd", user_passwd, "f:", "[-f file] name",
	    "set a user's password" },
	{ "lock", user_lock, "f:", "[-f file] name",
	    "refuse a user's logins, keeping the password" },
	{ "unlock", user_unlock, "f:", "[-f file] name",
	    "allow a locked user's logins again" },
};
#define NUSER_CMDS (sizeof(user_cmds) / sizeof(user_cmds[0]))

static int
user_usage(void)
{
	size_t i;

	fprintf(stderr, "usage: vlanctl user command [arg ...]\n");
	for (i = 0; i < NUSER_CMDS; i++)
		fprintf(stderr, "  user %-6s %s\n      %s\n", user_cmds[i].name,
		    user_cmds[i].args, user_cmds[i].help);
	return 1;
}

int
cmd_user(int argc, char *argv[])
{
	const struct user_cmd *cmd;
	const char *names[NUSER_CMDS];
	struct uopts o = { NULL, false, NULL };
	size_t i;
	int ch, k;

	if (argc < 1)
		return user_usage();
	for (i = 0; i < NUSER_CMDS; i++)
		names[i] = user_cmds[i].name;
	if ((k = vlanctl_match(argv[0], names, (int)NUSER_CMDS)) == -1)
		return user_usage();
	cmd = &user_cmds[k];
	/* Options may come before or after the operands. */
	optind = 0;
	opterr = 0;
	while ((ch = getopt(argc, argv, cmd->opts)) != -1) {
		switch (ch) {
		case 'c':
			o.config = optarg;
			break;
		case 'f':
			o.file = optarg;
			break;
		default:
			if (optopt != 0 && strchr(cmd->opts, optopt) != NULL)
				fail("user %s: -%c needs an argument",
				    cmd->name, optopt);
			else
				fail("user %s: unknown option -%c", cmd->name,
				    optopt);
			return fail("usage: vlanctl user %s %s", cmd->name,
			    cmd->args);
		}
	}
	if (o.file == NULL && o.config != NULL)
		o.file = config_users(o.config);
	if (o.file == NULL) {
		if (o.config != NULL)
			return 1;
		o.file = USERS_DEFAULT_FILE;
		o.default_file = true;
	}
	return cmd->fn(&o, argc - optind, argv + optind);
}
