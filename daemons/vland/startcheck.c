/*
 * Start checks for vland -n (startcheck.h). Permissions are judged from
 * stat(2), for the users the daemons run as, not for whoever runs the
 * check: root reads anything, vland-auth does not.
 */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "privsep.h"
#include "secretfile.h"
#include "startcheck.h"
#include "vland_config.h"

struct who {
	const char *name; /* for messages */
	uid_t uid;
	gid_t gids[2];
	size_t ngids;
};

static int problems;

/* One line: "FILE: error: what; fix". */
static __attribute__((format(printf, 3, 4))) void
problem(const char *cfgfile, const char *fix, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: error: ", cfgfile);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s%s\n", fix[0] != '\0' ? "; " : "", fix);
	problems++;
}

static bool
in_groups(const struct who *w, gid_t g)
{
	size_t i;

	for (i = 0; i < w->ngids; i++)
		if (w->gids[i] == g)
			return true;
	return false;
}

/* May w do bit (4 read, 1 search) on a file with this stat? */
static bool
may(const struct who *w, const struct stat *st, unsigned bit)
{
	if (w->uid == 0)
		return true;
	if (st->st_uid == w->uid)
		return (st->st_mode & (bit << 6)) != 0;
	if (in_groups(w, st->st_gid))
		return (st->st_mode & (bit << 3)) != 0;
	return (st->st_mode & bit) != 0;
}

/*
 * Can w read path: its directory searchable, the file readable? (The
 * readers are chrooted in that directory, so nothing above it counts.)
 * 1 yes, 0 no (*where says which), -1 it does not exist.
 */
static int
readable_by(const struct who *w, const char *path, char *where, size_t len)
{
	char dir[PATH_MAX];
	struct stat st;
	char *slash;

	if (stat(path, &st) == -1) {
		if (errno == ENOENT)
			return -1;
		snprintf(where, len, "%s (%s)", path, strerror(errno));
		return 0;
	}
	if (!may(w, &st, 4)) {
		snprintf(where, len, "%s", path);
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		if (stat(dir[0] != '\0' ? dir : "/", &st) == -1 ||
		    !may(w, &st, 1)) {
			snprintf(where, len, "%s", dir);
			return 0;
		}
	}
	return 1;
}

static bool
user_of(const char *cfgfile, const char *user, const char *group, struct who *w)
{
	struct passwd *pw;
	struct group *gr;

	memset(w, 0, sizeof(*w));
	w->name = user;
	if ((pw = getpwnam(user)) == NULL) {
		problem(cfgfile,
		    "create the system users (systemd-sysusers, or "
		    "vland.sysusers by hand)",
		    "no user %s", user);
		return false;
	}
	w->uid = pw->pw_uid;
	w->gids[w->ngids++] = pw->pw_gid;
	if (group != NULL) {
		if ((gr = getgrnam(group)) == NULL) {
			problem(cfgfile,
			    "create the system users (systemd-sysusers)",
			    "no group %s", group);
			return false;
		}
		w->gids[w->ngids++] = gr->gr_gid;
	}
	return true;
}

/* path must be readable by w; missing is an error unless optional. */
static void
check_readable(const char *cfgfile, const struct who *w, const char *path,
    const char *what, bool optional)
{
	char where[PATH_MAX], fix[PATH_MAX + 64];
	int r = readable_by(w, path, where, sizeof(where));

	if (r == -1 && !optional)
		problem(cfgfile, "", "%s %s does not exist", what, path);
	if (r == 0) {
		snprintf(fix, sizeof(fix),
		    "it stops at %s: fix the owner, "
		    "group or mode there",
		    where);
		problem(cfgfile, fix, "%s %s is not readable by %s", what, path,
		    w->name);
	}
}

static void
check_secret(const char *cfgfile, const char *path, const char *what,
    const char *missing_fix)
{
	char why[PATH_MAX + 128];
	int fd;

	if ((fd = secret_open(path, why, sizeof(why))) == -1) {
		if (errno == ENOENT)
			problem(cfgfile, missing_fix, "%s %s does not exist",
			    what, path);
		else
			problem(cfgfile, "", "%s %s: %s", what, path, why);
		return;
	}
	close(fd);
}

static void
check_group(const char *cfgfile, const char *key, const char *group)
{
	if (group[0] != '\0' && getgrnam(group) == NULL)
		problem(cfgfile, "create it, or name another",
		    "%s: no group %s", key, group);
}

static void
check_helper(const char *cfgfile, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", priv_libexec_dir(), name);
	if (access(path, X_OK) == -1)
		problem(cfgfile, "install vland whole, or set VLAND_LIBEXEC",
		    "helper %s: %s", path, strerror(errno));
}

int
startcheck(const struct config *cfg, const char *cfgfile)
{
	char path[PATH_MAX], real[PATH_MAX], fix[PATH_MAX + 32];
	struct who w;

	problems = 0;
	(void)user_of(cfgfile, VLAND_USER, NULL, &w);
	check_group(cfgfile, "control-group", cfg->control_group);
	check_group(cfgfile, "control-admin-group", cfg->control_admin_group);
	check_helper(cfgfile, "vland-ifmgr");
	(void)user_of(cfgfile, VLAND_IFMGR_USER, NULL, &w);
	if (cfg->role == CFG_ENDPOINT) {
		if (cfg->connect.password_file[0] != '\0') {
			cfg_path_of(cfgfile, cfg->connect.password_file, path,
			    sizeof(path));
			check_secret(cfgfile, path, "password-file", "");
		}
		return problems;
	}
	check_helper(cfgfile, "vland-auth");
	cfg_path_of(cfgfile, cfg->private_key, path, sizeof(path));
	snprintf(fix, sizeof(fix), "make one with vlanctl genkey %s", path);
	check_secret(cfgfile, path, "private-key", fix);
	/* vland-auth reads both, as its own user in vland's group. */
	if (user_of(cfgfile, VLAND_AUTH_USER, VLAND_GROUP, &w)) {
		if (realpath(cfgfile, real) == NULL)
			snprintf(real, sizeof(real), "%s", cfgfile);
		check_readable(cfgfile, &w, real, "configuration", false);
		cfg_path_of(real, cfg->users, path, sizeof(path));
		check_readable(cfgfile, &w, path, "users file", true);
		if (access(path, F_OK) == -1 && errno == ENOENT)
			fprintf(stderr,
			    "%s: warning: users file %s does not "
			    "exist yet: the hub starts, but nobody "
			    "can log in until vlanctl user add\n",
			    cfgfile, path);
	}
	return problems;
}
