/*
 * Secret files (secretfile.h). The rules are sshd's for private keys,
 * but for the group: a key may be shared with a group on purpose
 * (mode 0640), never with everyone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "secretfile.h"

int
secret_open(const char *path, char *why, size_t len)
{
	struct stat st;
	mode_t m;
	int fd;

	/* O_NONBLOCK: a FIFO put there does not hang us (it is refused
	 * as not a regular file). */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) ==
	    -1) {
		snprintf(why, len, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(why, len, "not a regular file");
		goto bad;
	}
	m = st.st_mode & 07777;
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		snprintf(why, len,
		    "owned by uid %u, not by root or the user running vland; "
		    "fix: chown root %s",
		    (unsigned)st.st_uid, path);
		goto bad;
	}
	if (m & (S_IWGRP | S_IWOTH)) {
		snprintf(why, len,
		    "mode %04o lets others change it; fix: chmod 600 %s",
		    (unsigned)m, path);
		goto bad;
	}
	if (m & (S_IROTH | S_IXOTH)) {
		snprintf(why, len,
		    "mode %04o lets everyone read it; fix: chmod 600 %s",
		    (unsigned)m, path);
		goto bad;
	}
	return fd;
bad:
	close(fd);
	return -1;
}

int
secret_lock(const void *p, size_t len)
{
	return mlock(p, len);
}

void
secret_no_dump(void)
{
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		fatal("PR_SET_DUMPABLE");
}
