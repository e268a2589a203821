/*
 * The users file (vland-auth(8)): one "username:hash[:fixed-address]"
 * line per user, '#' comments and blank lines. One parser, used by
 * vland-auth to load the file and by vlanctl to edit it, so both agree
 * on what a valid line is.
 */
#ifndef VLAND_USERS_H
#define VLAND_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "addr.h"
#include "names.h"

#define USERS_LINE_MAX 1024		 /* bytes, newline excluded */
#define USERS_HASH_MAX 255		 /* longer than any real crypt hash */
#define USERS_FILE_MAX (4 * 1024 * 1024) /* bytes */
#define USERS_ERR_MAX  256

struct user_ent {
	char name[USERNAME_MAX + 1];
	char hash[USERS_HASH_MAX + 1]; /* with the '!' of a locked user */
	bool locked; /* "!" before the hash, as passwd -l writes it */
	bool has_fixed;
	struct addr fixed;
	int line; /* where it was read, from 1 */
};

/* A loaded file, sorted by name. */
struct users {
	struct user_ent *v;
	size_t n;
};

enum users_line {
	USERS_LINE_EMPTY, /* blank or comment */
	USERS_LINE_USER,
	USERS_LINE_BAD,
};

/*
 * Parse one line of len bytes (newline excluded). On USERS_LINE_BAD,
 * err says why, and u->name holds the name if that much was valid
 * (else it is empty), so an editor can still tell whose line it is.
 */
enum users_line users_parse_line(const char *line, size_t len,
    struct user_ent *u, char *err, size_t errlen);

/*
 * Whether a is acceptable as a fixed address in the VPN whose hub
 * address and prefix is ip: IPv4, a host of that subnet, not the hub.
 * Returns 0, or -1 with err filled.
 */
int users_check_fixed(const struct addr *a, const struct prefix *ip, char *err,
    size_t errlen);

/*
 * Parse a whole file held in buf. Every line must be valid, names and
 * fixed addresses unique, and, if ip is not NULL, fixed addresses must
 * pass users_check_fixed. name is the file name used in messages.
 * Returns a table, or NULL with err as "name:line: problem".
 */
struct users *users_parse(const char *buf, size_t len, const char *name,
    const struct prefix *ip, char *err, size_t errlen);

/*
 * Read the regular file path, at most max bytes, into a new
 * NUL-terminated buffer *buf. Returns the length, or -1 with errno set
 * (EFBIG: larger than max). Free with users_free_text.
 */
ssize_t users_read_file(const char *path, size_t max, char **buf);
void users_free_text(char *buf, size_t len);

/* Read and parse path; messages name it as name (NULL: path). */
struct users *users_load(const char *path, const char *name,
    const struct prefix *ip, char *err, size_t errlen);
/* The same; with missing_ok, a file that does not exist is empty. */
struct users *users_load_maybe(const char *path, const char *name,
    const struct prefix *ip, bool missing_ok, char *err, size_t errlen);

const struct user_ent *users_find(const struct users *, const char *name);

/* Free the table, wiping the hashes. */
void users_free(struct users *);

#endif
