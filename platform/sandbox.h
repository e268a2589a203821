/*
 * seccomp allowlists (libseccomp), one per process, installed after
 * start-up and before the first packet or request. A call outside the
 * list kills the process (the suite then stops, as for any lost
 * helper), except socket(2) where a process may open none: it fails
 * with EACCES, so that a syslog reconnection cannot kill a daemon.
 */
#ifndef VLAND_SANDBOX_H
#define VLAND_SANDBOX_H

enum sandbox_role {
	SANDBOX_NETWORK, /* vland: its UDP, control and web sockets */
	SANDBOX_IFMGR,	 /* vland-ifmgr and its reaper: netlink, the tun */
	SANDBOX_AUTH,	 /* vland-auth: reads its files, no socket */
};

/*
 * Install the filter for role; fatal() on failure. With VLAND_SECCOMP_LOG
 * set in the environment a violation is logged by the kernel instead of
 * killing (a troubleshooting aid; say so in the protections line).
 */
void sandbox_enter(enum sandbox_role);

/* One line for the log: the filter in force, or "none". */
const char *sandbox_describe(void);

#endif
