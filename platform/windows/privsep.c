/*
 * privsep.h and sandbox.h on Windows, as far as vland.exe goes: it runs
 * as the user who starts it, with what that user has, in one process
 * (vland-ifmgr's code in-process, no vland-auth on an endpoint), and
 * says so in the log. A Windows service account with only the rights
 * an endpoint needs, and a restricted token or an AppContainer for the
 * network code, are what a real drop would be (doc/PORTING.md); none
 * is there yet.
 */
#include <stdbool.h>

#include "log.h"
#include "privsep.h"
#include "sandbox.h"

void
priv_drop(const struct priv_drop *d)
{
	(void)d;
}

void
priv_check_chroot_dir(const char *path, bool create, bool must_be_empty)
{
	(void)path;
	(void)create;
	(void)must_be_empty;
}

void
priv_log_protections(void)
{
	log_info("protections: none on Windows yet (no privilege drop, no "
		 "chroot, one process); sandbox %s",
	    sandbox_describe());
}

void
sandbox_enter(enum sandbox_role role)
{
	(void)role;
}

const char *
sandbox_describe(void)
{
	return "none";
}
