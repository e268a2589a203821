/*
 * secretfile.h on Windows. A secret file must be a regular file; who
 * may read it is the file's ACL, which is not checked yet (Linux's
 * owner and mode checks have no meaning here). Secrets are kept out of
 * the page file with VirtualLock where the working set allows; there
 * is no core dump to forbid (Windows Error Reporting's dumps are the
 * system's setting).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secretfile.h"
#include "winapi.h"

int
secret_open(const char *path, char *why, size_t len)
{
	struct stat st;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(why, len, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(why, len, "not a regular file");
		close(fd);
		return -1;
	}
	return fd;
}

int
secret_lock(const void *p, size_t len)
{
	if (!VirtualLock((LPVOID)(uintptr_t)p, len)) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void
secret_no_dump(void)
{
}
