/*
 * The DNS helper of vland-ifmgr: a child forked as root, before the
 * drop, which applies the hub's DNS settings to the endpoint's device through
 * systemd-resolved (D-Bus) or resolvconf(8), and removes them when
 * told, or by itself when vland-ifmgr's end of its socket closes (a
 * crash, SIGKILL): the DNS part of the reaper. It is a process of its
 * own because resolvconf is a shell script, which no seccomp filter of
 * vland-ifmgr's could let run, and sd-bus wants sockets the filter
 * refuses. It stays uid 0, for resolvconf's files (root's, on a stock
 * host) and systemd-resolved's check, but holds no capability, locked
 * so (privsep.h). It takes fixed-size notes only from vland-ifmgr,
 * which checked them, and checks them again, and only for the one
 * device the file names (vland-ifmgr(8)).
 */
#ifndef IFMGR_DNSAPPLY_H
#define IFMGR_DNSAPPLY_H

#include "dnsset.h"

/* Fork the helper, as root, for the device ifname alone; its socket,
 * for the notes. */
int dnsapply_start(const char *ifname);
/* Apply set to ifname (an empty set: remove). */
void dnsapply_set(int fd, const char *ifname, int ifindex,
    const struct dns_set *set);

#endif
