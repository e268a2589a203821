/*
 * Starting helpers and dropping privileges (see privsep.h). The order in
 * priv_drop matters: the user is looked up before chroot (no /etc/passwd
 * inside), chroot needs CAP_SYS_CHROOT so it comes before the capability
 * drop, and no_new_privs comes last so nothing can regain what was
 * dropped.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cap-ng.h>

#include "log.h"
#include "privsep.h"
#include "vland_config.h"

void
priv_drop(const struct priv_drop *d)
{
	struct passwd *pw = NULL;
	struct group *gr;
	uid_t uid = 0;
	gid_t gid = 0, supp = 0, got[2];
	int ngroups = 0;

	if (d->user != NULL) {
		if ((pw = getpwnam(d->user)) == NULL)
			fatalx("unknown user %s", d->user);
		uid = pw->pw_uid;
		gid = pw->pw_gid;
		if (uid == 0)
			fatalx("user %s is root; refusing to run as it",
			    d->user);
	}
	if (d->group != NULL) {
		if ((gr = getgrnam(d->group)) == NULL)
			fatalx("unknown group %s", d->group);
		supp = gr->gr_gid;
		ngroups = 1;
	}
	if (d->chroot != NULL) {
		if (chroot(d->chroot) == -1)
			fatal("chroot %s", d->chroot);
		if (chdir("/") == -1)
			fatal("chdir /");
	}

	capng_clear(CAPNG_SELECT_BOTH);
	if (d->keep_net_admin &&
	    capng_update(CAPNG_ADD,
		CAPNG_EFFECTIVE | CAPNG_PERMITTED | CAPNG_BOUNDING_SET,
		CAP_NET_ADMIN) == -1)
		fatalx("capng_update CAP_NET_ADMIN");
	if (d->user != NULL) {
		/* The supplementary groups are exactly the one asked for (or
		 * none); capng_change_id then keeps them, changes the ids
		 * with the kept capability, and clears the bounding set. */
		if (setgroups((size_t)ngroups, &supp) == -1)
			fatal("setgroups");
		if (capng_change_id((int)uid, (int)gid, CAPNG_CLEAR_BOUNDING) !=
		    0)
			fatalx("cannot change to user %s", d->user);
	} else {
		if (setgroups(0, NULL) == -1)
			fatal("setgroups");
		if (capng_apply(CAPNG_SELECT_BOTH) != 0)
			fatalx("cannot drop capabilities");
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("PR_SET_NO_NEW_PRIVS");
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		fatal("PR_SET_DUMPABLE");

	/* Trust but verify: the kernel's view must match the request. */
	if (d->user != NULL &&
	    (getuid() != uid || geteuid() != uid || getgid() != gid ||
		getegid() != gid))
		fatalx("ids did not change");
	if (getgroups(2, got) != ngroups || (ngroups == 1 && got[0] != supp))
		fatalx("supplementary groups did not change");
	capng_get_caps_process();
	if (capng_have_capability(CAPNG_EFFECTIVE, CAP_SYS_ADMIN) ||
	    capng_have_capability(CAPNG_BOUNDING_SET, CAP_SYS_ADMIN) ||
	    (!d->keep_net_admin &&
		capng_have_capabilities(CAPNG_SELECT_CAPS) != CAPNG_NONE))
		fatalx("capabilities were not dropped");
}

/* The kernel's own answer: every set empty, the bounding set too. */
static bool
caps_all_empty(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	int c, b, a;

	if (syscall(SYS_capget, &h, d) == -1)
		return false;
	if ((d[0].effective | d[0].permitted | d[0].inheritable |
		d[1].effective | d[1].permitted | d[1].inheritable) != 0)
		return false;
	/* Up to the last capability this kernel knows (then EINVAL). */
	for (c = 0; c < 64; c++) {
		b = prctl(PR_CAPBSET_READ, c, 0, 0, 0);
		a = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, c, 0, 0);
		if (b == -1 && a == -1)
			break;
		if (b != 0 || a != 0)
			return false;
	}
	return c > 0;
}

/* Every bit that makes uid 0 special, and the lock of each. */
#define ROOT_NOCAPS_SECBITS                                              \
	(SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP | \
	    SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |    \
	    SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED)

/*
 * The securebits first, while CAP_SETPCAP lets us set them; then the
 * ambient set, then capng_apply, which drops the bounding set before
 * the capabilities (it needs CAP_SETPCAP too).
 */
void
priv_drop_caps_keep_root(void)
{
	gid_t g;

	if (getuid() != 0 || geteuid() != 0)
		fatalx("the root-owning helper must start as root");
	if (setgroups(0, NULL) == -1)
		fatal("setgroups");
	if (setresgid(0, 0, 0) == -1 || setresuid(0, 0, 0) == -1)
		fatal("setresuid 0");
	if (prctl(PR_SET_SECUREBITS, ROOT_NOCAPS_SECBITS, 0, 0, 0) == -1)
		fatal("PR_SET_SECUREBITS");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1)
		fatal("PR_CAP_AMBIENT_CLEAR_ALL");
	capng_clear(CAPNG_SELECT_BOTH);
	if (capng_apply(CAPNG_SELECT_BOTH) != 0)
		fatalx("cannot drop capabilities");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("PR_SET_NO_NEW_PRIVS");
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		fatal("PR_SET_DUMPABLE");

	/* Trust but verify, every set and bit. */
	if (getuid() != 0 || geteuid() != 0 || getgid() != 0 ||
	    getegid() != 0 || getgroups(1, &g) != 0)
		fatalx("ids did not stay 0");
	if (prctl(PR_GET_SECUREBITS, 0, 0, 0, 0) != ROOT_NOCAPS_SECBITS)
		fatalx("securebits were not set");
	if (!caps_all_empty())
		fatalx("capabilities were not dropped");
}

/* mkdir -p, root-owned 0755 at every level we create. */
static void
mkdir_parents(const char *path)
{
	char buf[PATH_MAX], *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		fatalx("%s: path too long", path);
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) == -1 && errno != EEXIST)
			fatal("mkdir %s", buf);
		*p = '/';
	}
	if (mkdir(buf, 0755) == -1 && errno != EEXIST)
		fatal("mkdir %s", buf);
}

void
priv_check_chroot_dir(const char *path, bool create, bool must_be_empty)
{
	struct stat st;
	struct dirent *de;
	DIR *dir;

	if (create)
		mkdir_parents(path);
	if (lstat(path, &st) == -1)
		fatal("%s", path);
	if (!S_ISDIR(st.st_mode))
		fatalx("%s: not a directory", path);
	if (st.st_uid != 0 || (st.st_mode & 022) != 0)
		fatalx("%s: must be owned by root and not writable by others",
		    path);
	if (!must_be_empty)
		return;
	if ((dir = opendir(path)) == NULL)
		fatal("%s", path);
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			fatalx("%s: must be empty (found %s)", path,
			    de->d_name);
	}
	closedir(dir);
}

void
priv_log_protections(void)
{
	char root[PATH_MAX], caps[64] = "none";
	ssize_t n;

	if ((n = readlink("/proc/self/root", root, sizeof(root) - 1)) == -1)
		snprintf(root, sizeof(root), "(chrooted)");
	else
		root[n] = '\0';
	capng_get_caps_process();
	if (capng_have_capability(CAPNG_EFFECTIVE, CAP_NET_ADMIN))
		snprintf(caps, sizeof(caps), "CAP_NET_ADMIN");
	else if (capng_have_capabilities(CAPNG_SELECT_CAPS) != CAPNG_NONE)
		snprintf(caps, sizeof(caps), "some (unexpected)");
	/* /proc is not visible in a chroot: readlink fails there. */
	gid_t groups[4];
	int ng = getgroups(4, groups);
	char gl[32] = "none";

	if (ng > 0)
		snprintf(gl, sizeof(gl), "%u%s", (unsigned)groups[0],
		    ng > 1 ? " and more" : "");
	log_info("protections: uid %u gid %u, groups %s, root %s, "
		 "capabilities %s, no_new_privs %d, dumpable %d",
	    (unsigned)getuid(), (unsigned)getgid(), gl,
	    n == -1 ? "(chroot)" : root, caps,
	    prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0),
	    prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
}

static void
close_from(int lowfd)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, lowfd, ~0U, 0) == 0)
		return;
#endif
	for (int fd = lowfd; fd < 1024; fd++)
		close(fd);
}

pid_t
priv_exec_child(const char *path, char *const argv[], int sock)
{
	pid_t pid;
	int nullfd;

	switch ((pid = fork())) {
	case -1:
		fatal("fork");
	case 0:
		break;
	default:
		return pid;
	}
	/* Child: only async-signal-safe calls from here to exec. */
	if (sock != PRIV_IPC_FD) {
		if (dup2(sock, PRIV_IPC_FD) == -1)
			_exit(127);
	} else if (fcntl(sock, F_SETFD, 0) == -1) {
		_exit(127);
	}
	if ((nullfd = open("/dev/null", O_RDONLY)) == -1 ||
	    dup2(nullfd, STDIN_FILENO) == -1)
		_exit(127);
	close_from(PRIV_IPC_FD + 1);
	execv(path, argv);
	{
		/* Single-threaded until here: strerror is safe enough. */
		const char *e = strerror(errno);

		if (write(STDERR_FILENO, "vland: cannot run ", 18) == -1 ||
		    write(STDERR_FILENO, path, strlen(path)) == -1 ||
		    write(STDERR_FILENO, ": ", 2) == -1 ||
		    write(STDERR_FILENO, e, strlen(e)) == -1 ||
		    write(STDERR_FILENO, "\n", 1) == -1)
			_exit(127);
	}
	_exit(127);
}

const char *
priv_libexec_dir(void)
{
	const char *d = getenv("VLAND_LIBEXEC");

	return d != NULL && d[0] == '/' ? d : VLAND_LIBEXECDIR;
}
