/*
 * <sys/resource.h> for the win64 build: the descriptor limit vland
 * raises at start. Windows has none of that kind (a process's handles
 * are bounded by memory, about 2^24): both limits say so, and raising
 * is a no-op.
 */
#ifndef VLAND_WIN_SYS_RESOURCE_H
#define VLAND_WIN_SYS_RESOURCE_H

#define RLIMIT_NOFILE 7

typedef unsigned long long rlim_t;

struct rlimit {
	rlim_t rlim_cur;
	rlim_t rlim_max;
};

static inline int
getrlimit(int resource, struct rlimit *rl)
{
	(void)resource;
	rl->rlim_cur = rl->rlim_max = 1ULL << 24;
	return 0;
}

static inline int
setrlimit(int resource, const struct rlimit *rl)
{
	(void)resource;
	(void)rl;
	return 0;
}

#endif
