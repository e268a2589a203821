/*
 * vland -n, beyond the file itself: what start needs from the system,
 * checked the way sshd -t does, so that "configuration OK" means the
 * daemon starts. Each file readable by the user of the process that
 * reads it, secret files safe, the users file and the hub's key
 * present, the system users and groups there, the helpers executable.
 * One line per problem, naming the file and the fix.
 */
#ifndef VLAND_STARTCHECK_H
#define VLAND_STARTCHECK_H

#include "config.h"

/* Print one line per problem on stderr; returns how many. */
int startcheck(const struct config *, const char *cfgfile);

#endif
