/*
 * lint.h's lint_nexthop_shape: what vland -n warns about a route's
 * nexthop, and what a reload refuses (reload.c). Apart from lint.c,
 * which reads the users file and /proc, so that it builds wherever
 * reload.c does (Windows too).
 */
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "lint.h"
#include "names.h"

const char *
lint_nexthop_shape(const char *nh)
{
	struct addr a;

	if (strcasecmp(nh, NEXTHOP_SERVER) == 0)
		return "is a user name; did you mean SERVER?";
	if (addr_parse(nh, &a) == 0)
		return "is an address; a nexthop is SERVER or a user's name";
	return NULL;
}
