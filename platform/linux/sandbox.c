/*
 * The allowlists (sandbox.h). Each lists what the process does after
 * start-up, through libevent, libc and, in the test builds, the
 * sanitizers' runtime; everything that needs a privilege or touches the
 * file system or the network in a new way happened before.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <seccomp.h>

#include "log.h"
#include "sandbox.h"

static char describe[96] = "none";

/* Every process: memory, time, signals, events, its descriptors. */
static const int base_calls[] = {
	SCMP_SYS(read),
	SCMP_SYS(write),
	SCMP_SYS(readv),
	SCMP_SYS(writev),
	SCMP_SYS(pread64),
	SCMP_SYS(close),
	SCMP_SYS(lseek),
	SCMP_SYS(fstat),
	SCMP_SYS(newfstatat),
	SCMP_SYS(fcntl),
	SCMP_SYS(dup),
	SCMP_SYS(dup2),
	SCMP_SYS(exit),
	SCMP_SYS(exit_group),
	SCMP_SYS(restart_syscall),
	SCMP_SYS(rt_sigreturn),
	SCMP_SYS(rt_sigaction),
	SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(sigaltstack),
	SCMP_SYS(tgkill),
	SCMP_SYS(brk),
	SCMP_SYS(mmap),
	SCMP_SYS(munmap),
	SCMP_SYS(mremap),
	SCMP_SYS(mprotect),
	SCMP_SYS(madvise),
	SCMP_SYS(mlock),
	SCMP_SYS(munlock),
	SCMP_SYS(futex),
	SCMP_SYS(sched_yield),
	SCMP_SYS(sched_getaffinity),
	/* glibc's qsort asks the size of memory (sysconf(_SC_PHYS_PAGES))
	 * before it sorts a large array, as vland-auth does with a users
	 * file of a thousand lines at a reload. */
	SCMP_SYS(sysinfo),
	SCMP_SYS(clock_gettime),
	SCMP_SYS(clock_getres),
	SCMP_SYS(gettimeofday),
	SCMP_SYS(time),
	SCMP_SYS(nanosleep),
	SCMP_SYS(clock_nanosleep),
	SCMP_SYS(getpid),
	SCMP_SYS(gettid),
	SCMP_SYS(getppid),
	SCMP_SYS(getuid),
	SCMP_SYS(geteuid),
	SCMP_SYS(getgid),
	SCMP_SYS(getegid),
	SCMP_SYS(getrandom),
	SCMP_SYS(getrlimit),
	SCMP_SYS(prlimit64),
	SCMP_SYS(uname),
	SCMP_SYS(prctl),
	SCMP_SYS(epoll_create1),
	SCMP_SYS(epoll_ctl),
	SCMP_SYS(epoll_wait),
	SCMP_SYS(epoll_pwait),
	SCMP_SYS(poll),
	SCMP_SYS(ppoll),
	SCMP_SYS(select),
	SCMP_SYS(pselect6),
	SCMP_SYS(pipe2),
	SCMP_SYS(sendmsg),
	SCMP_SYS(recvmsg),
	SCMP_SYS(sendto),
	SCMP_SYS(recvfrom),
	SCMP_SYS(getsockopt),
	SCMP_SYS(shutdown),
	SCMP_SYS(readlink),
};

/* The data path's calls, per packet batch. */
static const int hot_calls[] = {
	SCMP_SYS(recvmmsg),
	SCMP_SYS(sendmmsg),
	SCMP_SYS(read),
	SCMP_SYS(write),
	SCMP_SYS(readv),
	SCMP_SYS(writev),
	SCMP_SYS(epoll_wait),
	SCMP_SYS(recvmsg),
	SCMP_SYS(sendmsg),
};

/* vland: its sockets were opened as root; now it only uses them. */
static const int network_calls[] = {
	SCMP_SYS(recvmmsg),
	SCMP_SYS(sendmmsg),
	SCMP_SYS(accept),
	SCMP_SYS(accept4),
	SCMP_SYS(setsockopt),
	SCMP_SYS(getsockname),
	SCMP_SYS(getpeername),
	SCMP_SYS(connect),
	SCMP_SYS(wait4),
};

/* vland-ifmgr: netlink, /dev/net/tun, the configuration on reload. */
static const int ifmgr_calls[] = {
	SCMP_SYS(bind),
	SCMP_SYS(setsockopt),
	SCMP_SYS(getsockname),
	SCMP_SYS(openat),
	SCMP_SYS(ioctl),
	SCMP_SYS(readlinkat),
	SCMP_SYS(wait4),
	SCMP_SYS(kill),
};

/* vland-auth: the users and configuration files, in its chroot. */
static const int auth_calls[] = {
	SCMP_SYS(openat),
	SCMP_SYS(readlinkat),
	SCMP_SYS(getdents64),
};

static void
allow(scmp_filter_ctx ctx, const int *calls, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, calls[i], 0) != 0)
			fatalx("seccomp: cannot allow syscall %d", calls[i]);
}

#define ALLOW(ctx, list) allow((ctx), (list), sizeof(list) / sizeof(list[0]))

void
sandbox_enter(enum sandbox_role role)
{
	static const char *names[] = { "vland", "vland-ifmgr", "vland-auth" };
	scmp_filter_ctx ctx;
	const char *logmode = getenv("VLAND_SECCOMP_LOG");
	bool log_only = logmode != NULL && logmode[0] != '\0';
	size_t i;
	int rc;

	if ((ctx = seccomp_init(
		 log_only ? SCMP_ACT_LOG : SCMP_ACT_KILL_PROCESS)) == NULL)
		fatalx("seccomp_init");
	/* Every system call runs the filter: a binary tree, not a list,
	 * and the data path's calls first. */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) != 0)
		log_debug("seccomp: no binary-tree filter in this libseccomp");
	for (i = 0; i < sizeof(hot_calls) / sizeof(hot_calls[0]); i++)
		seccomp_syscall_priority(ctx, hot_calls[i], 255);
	ALLOW(ctx, base_calls);
	switch (role) {
	case SANDBOX_NETWORK:
		ALLOW(ctx, network_calls);
		/* libevent asks how much a socket holds. */
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
			SCMP_A1(SCMP_CMP_EQ, FIONREAD, 0)) != 0)
			fatalx("seccomp: ioctl");
		break;
	case SANDBOX_IFMGR:
		ALLOW(ctx, ifmgr_calls);
		/* rtnetlink only: the one socket a compromised helper could
		 * otherwise turn into a way out. */
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
			SCMP_A0(SCMP_CMP_EQ, AF_NETLINK, 0)) != 0)
			fatalx("seccomp: socket");
		break;
	case SANDBOX_AUTH:
		ALLOW(ctx, auth_calls);
		break;
	}
	/* No new sockets (but netlink for vland-ifmgr): a failed call,
	 * not a kill, for libc's syslog reconnection. */
	if (role != SANDBOX_IFMGR &&
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket),
		0) != 0)
		fatalx("seccomp: socket");
	if (role == SANDBOX_IFMGR &&
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket), 1,
		SCMP_A0(SCMP_CMP_NE, AF_NETLINK, 0)) != 0)
		fatalx("seccomp: socket");
	if ((rc = seccomp_load(ctx)) != 0) {
		errno = -rc;
		fatal("seccomp_load");
	}
	seccomp_release(ctx);
	snprintf(describe, sizeof(describe), "seccomp allowlist for %s, %s",
	    names[role],
	    log_only ? "violations only logged (VLAND_SECCOMP_LOG)"
		     : "a violation kills");
	log_info("sandbox: %s", describe);
}

const char *
sandbox_describe(void)
{
	return describe;
}
