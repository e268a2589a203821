/*
 * Device ownership by alias (see owner.h). The maker's start time comes
 * from /proc/PID/stat, which any user may read; the field is found
 * after the last ')' because the command name may hold spaces and
 * parentheses.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "owner.h"

static struct owner self;

int
owner_stat_start(const char *stat, uint64_t *start)
{
	const char *p = strrchr(stat, ')');
	char *end;
	int field;

	if (p == NULL)
		return -1;
	/* After ')' comes field 3 (state); the start time is field 22. */
	p++;
	for (field = 2; field < 21; field++) {
		if ((p = strchr(p + 1, ' ')) == NULL)
			return -1;
	}
	errno = 0;
	*start = strtoull(p + 1, &end, 10);
	if (errno != 0 || end == p + 1 ||
	    (*end != ' ' && *end != '\0' && *end != '\n'))
		return -1;
	return 0;
}

static int
read_start(pid_t pid, uint64_t *start)
{
	char path[64], buf[1024];
	ssize_t n;
	int fd, e;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	e = errno;
	close(fd);
	if (n <= 0) {
		/* A process that exits as we read: gone. */
		errno = n == 0 ? ESRCH : e;
		return -1;
	}
	buf[n] = '\0';
	if (owner_stat_start(buf, start) == -1) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int
owner_init(pid_t vland_pid)
{
	self.pid = vland_pid;
	return read_start(vland_pid, &self.start);
}

const struct owner *
owner_self(void)
{
	return &self;
}

void
owner_alias(char *buf, size_t len, const char *kind)
{
	snprintf(buf, len, "%s %d.%" PRIu64, kind, (int)self.pid, self.start);
}

bool
owner_parse(const char *alias, const char *kind, struct owner *o, bool *legacy)
{
	size_t klen = strlen(kind);
	unsigned long long start;
	char tail;
	int pid;

	*legacy = false;
	if (strncmp(alias, kind, klen) != 0)
		return false;
	/* Earlier versions wrote the kind alone. */
	if (alias[klen] == '\0') {
		*legacy = true;
		return true;
	}
	if (alias[klen] != ' ' ||
	    sscanf(alias + klen + 1, "%d.%llu%c", &pid, &start, &tail) != 2 ||
	    pid <= 0)
		return false;
	o->pid = (pid_t)pid;
	o->start = start;
	return true;
}

enum owner_state
owner_of(const char *alias, const char *kind, pid_t *pid)
{
	struct owner o;
	uint64_t start;
	bool legacy;

	*pid = 0;
	if (!owner_parse(alias, kind, &o, &legacy))
		return OWNER_NONE;
	if (legacy)
		return OWNER_DEAD;
	*pid = o.pid;
	if (o.pid == self.pid && o.start == self.start)
		return OWNER_SELF;
	/* Only "no such process" means dead: a /proc we may not read
	 * (hidepid), or no descriptor left, must not get a live vland's
	 * device deleted. */
	if (read_start(o.pid, &start) == -1)
		return errno == ENOENT || errno == ESRCH ? OWNER_DEAD
							 : OWNER_LIVE;
	return start == o.start ? OWNER_LIVE : OWNER_DEAD;
}
