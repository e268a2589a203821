/*
 * Privilege separation: starting the helper processes and dropping
 * privileges in each process. Failing to drop is fatal, never a warning.
 */
#ifndef VLAND_PRIVSEP_H
#define VLAND_PRIVSEP_H

#include <stdbool.h>
#include <sys/types.h>

/* The IPC socket of a helper is on this descriptor after exec. */
#define PRIV_IPC_FD 3

struct priv_drop {
	const char *user;    /* switch to this user and its group; NULL: stay */
	const char *group;   /* and this supplementary group; NULL: none */
	const char *chroot;  /* chroot here (then chdir "/"); NULL: none */
	bool keep_net_admin; /* keep CAP_NET_ADMIN (vland-ifmgr only) */
};

/*
 * Drop to what d describes, in a fixed order: look the user and group
 * up, chroot, set groups and ids (CAP_NET_ADMIN, if kept, survives the
 * change of user), clear every capability but the kept one (and the
 * bounding set), PR_SET_NO_NEW_PRIVS, PR_SET_DUMPABLE 0. fatal() on any
 * failure.
 */
void priv_drop(const struct priv_drop *d);

/*
 * For a child that must own what root owns and do nothing else (the DNS
 * helper of vland-ifmgr, which runs resolvconf on root's files): called
 * as uid 0 with every capability, it stays uid 0 and gid 0 with no
 * supplementary group, locks the securebits that make uid 0 special
 * (SECBIT_NOROOT, SECBIT_NO_SETUID_FIXUP, SECBIT_KEEP_CAPS and
 * SECBIT_NO_CAP_AMBIENT_RAISE, each with its lock), so that no execve
 * gives a capability back, and clears the ambient, inheritable,
 * permitted and effective sets and the bounding set; then
 * PR_SET_NO_NEW_PRIVS, PR_SET_DUMPABLE 0. fatal() on any failure, and
 * if the kernel's view does not match afterwards.
 */
void priv_drop_caps_keep_root(void);

/*
 * Check that path is a directory owned by root and writable by nobody
 * else, as a chroot must be; create it (0755) if missing and create is
 * set. fatal() otherwise.
 */
void priv_check_chroot_dir(const char *path, bool create, bool must_be_empty);

/* Log, in one line, the protections this process now runs under. */
void priv_log_protections(void);

/*
 * fork and exec path with argv, with sock on PRIV_IPC_FD, stdin on
 * /dev/null, stdout/stderr kept, every other descriptor closed. Returns
 * the child's pid; fatal() on failure.
 */
pid_t priv_exec_child(const char *path, char *const argv[], int sock);

/* Where helpers live: VLAND_LIBEXEC from the environment, else the
 * compiled-in libexecdir. */
const char *priv_libexec_dir(void);

#endif
