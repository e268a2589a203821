/*
 * The hub's masquerade (nat: in vland.yaml(5)): an nftables table of
 * vland's own, through libnftables, so that no rule of the host's is
 * ever read or changed; created at start, deleted at exit and by the
 * reaper after a crash.
 */
#ifndef IFMGR_NAT_H
#define IFMGR_NAT_H

#include <stddef.h>

#include "policy.h"

/* The table's name for a hub whose device is dev: vland_DEV, one per
 * hub on the host. */
void nat_table_name(const char *dev, char *buf, size_t len);

/* Replace any table of that name (one a killed hub left) with the
 * masquerade of pol's subnets out of pol->nat. Returns 0, or -1 with
 * nftables' first error line in err. */
int nat_setup(const struct ifmgr_policy *pol, const char *dev, char *err,
    size_t errlen);

/* Delete the table, if there. */
void nat_remove(const char *dev);

#endif
