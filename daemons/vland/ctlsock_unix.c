/*
 * ctlsock.h on Linux: an AF_UNIX SOCK_SEQPACKET socket, made as root
 * before the privilege drop, in a directory only root may change, mode
 * 0660 from the start (umask), owned by root and control-group. By its
 * peer credentials, supplementary groups included, a client of
 * control-group may ask what is (show); only root and
 * control-admin-group may change things (kick, reload, log).
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "config.h"
#include "ctlsock.h"
#include "log.h"

static gid_t ctl_gid, ctl_admin_gid;
static bool ctl_has_admin_gid;

int
ctlsock_open(const struct config *cfg)
{
	struct sockaddr_un sun;
	struct group *gr;
	struct stat st;
	const char *path = cfg->control;
	char dir[sizeof(sun.sun_path)], *slash;
	mode_t mask;
	int fd, lfd, rc;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	/* The config checker keeps the path short enough. */
	if (strlen(path) >= sizeof(sun.sun_path))
		fatalx("control socket path too long");
	memcpy(sun.sun_path, path, strlen(path) + 1);
	memcpy(dir, path, strlen(path) + 1);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) == -1 && errno != EEXIST)
			fatal("mkdir %s", dir);
	} else {
		snprintf(dir, sizeof(dir), "/");
	}
	/* Nobody but root may swap the socket for another file between
	 * bind and chown. */
	if (lstat(dir, &st) == -1)
		fatal("control: %s", dir);
	if (!S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & 022) != 0)
		fatalx("control: %s must be a directory owned by root and "
		       "writable by root alone (fix: chown root %s; chmod "
		       "go-w %s)",
		    dir, dir, dir);
	/* Another daemon answering here is running: do not steal its
	 * socket. A dead socket file is ours to replace. */
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) == -1)
		fatal("socket");
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		fatalx("control socket %s: another vland is running", path);
	close(fd);
	if (unlink(path) == -1 && errno != ENOENT)
		fatal("unlink %s", path);

	lfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (lfd == -1)
		fatal("socket");
	if ((gr = getgrnam(cfg->control_group)) == NULL)
		fatalx("control-group: no group %s", cfg->control_group);
	ctl_gid = gr->gr_gid;
	if (cfg->control_admin_group[0] != '\0') {
		if ((gr = getgrnam(cfg->control_admin_group)) == NULL)
			fatalx("control-admin-group: no group %s",
			    cfg->control_admin_group);
		ctl_admin_gid = gr->gr_gid;
		ctl_has_admin_gid = true;
	}
	/* Mode 0660 from the moment the file exists. */
	mask = umask(0117);
	rc = bind(lfd, (struct sockaddr *)&sun, sizeof(sun));
	umask(mask);
	if (rc == -1)
		fatal("bind %s", path);
	if (lchown(path, 0, ctl_gid) == -1)
		fatal("%s", path);
	if (listen(lfd, 8) == -1)
		fatal("listen");
	return lfd;
}

/* Is gid the peer's group, primary or supplementary (SO_PEERGROUPS)? */
static bool
peer_in_group(int fd, const struct ucred *cred, gid_t gid)
{
	gid_t *groups;
	socklen_t len = 64 * sizeof(gid_t);
	bool in = false;
	size_t i;

	if (cred->gid == gid)
		return true;
	/* The kernel says how much room all the groups need (ERANGE). */
	for (;;) {
		if ((groups = calloc(1, len)) == NULL)
			return false;
		if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) ==
		    0)
			break;
		free(groups);
		if (errno != ERANGE || len > 65536 * sizeof(gid_t))
			return false;
	}
	for (i = 0; i < len / sizeof(gid_t); i++)
		if (groups[i] == gid)
			in = true;
	free(groups);
	return in;
}

int
ctlsock_accept(int fd, struct ctl_who *who)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int cfd, err;

	if ((cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC)) == -1)
		return -1;
	if (getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1) {
		err = errno;
		close(cfd);
		errno = err;
		return -1;
	}
	who->uid = cred.uid;
	who->admin = cred.uid == 0 ||
	    (ctl_has_admin_gid && peer_in_group(cfd, &cred, ctl_admin_gid));
	if (!who->admin && !peer_in_group(cfd, &cred, ctl_gid)) {
		log_warnx("control: refused uid %u", (unsigned)cred.uid);
		close(cfd);
		errno = EACCES;
		return -1;
	}
	return cfd;
}

void
ctlsock_drop(int fd)
{
	close(fd);
}

void
ctlsock_close(int fd)
{
	close(fd);
	/* The socket file stays: we cannot unlink it from the chroot. The
	 * next start replaces it. */
}
