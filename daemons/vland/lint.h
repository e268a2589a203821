/*
 * vland -n: what a valid configuration may still get wrong, said as
 * warnings (the configuration still checks): route nexthops that name
 * no user, or look like SERVER or an address; routes that need IPv4
 * forwarding on a host where it is off.
 */
#ifndef VLAND_LINT_H
#define VLAND_LINT_H

#include "config.h"

/* Print one line per warning on stderr; returns how many. */
int lint_config(const struct config *, const char *cfgfile);
/*
 * A nexthop that looks like SERVER in other letters, or like an
 * address: what to say about it (after "nexthop X "), or NULL. Also
 * said at reload, where the users file is vland-auth's to read.
 */
const char *lint_nexthop_shape(const char *nexthop);

#endif
