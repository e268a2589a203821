/*
 * The hub's address, for an endpoint: the servers of connect: server,
 * tried in order, each name resolved again at every connect, without
 * blocking and from inside the chroot and the sandbox. libevent's evdns
 * reads /etc/resolv.conf and /etc/hosts and opens its sockets in
 * hubaddr_init, before both; a later change to those files needs a
 * restart. A resolv.conf without name servers, or none, means 127.0.0.1,
 * as for the C library. Addresses written as such are used as they are.
 */
#ifndef VLAND_HUBADDR_H
#define VLAND_HUBADDR_H

#include <stdbool.h>

#include "config.h"

struct event_base;

/* Before the chroot: the resolver, and a UDP socket per family. */
void hubaddr_init(struct event_base *);
void hubaddr_close(void);

/*
 * Resolve the current server into vl.server. done(true, NULL) when set;
 * done(false, why) when the name does not resolve (why: the resolver's
 * words) or has no address of a family we can send to. done may run
 * before hubaddr_resolve returns. One resolution at a time: a second
 * call while one runs cancels the first, whose done is not called.
 * Of a name's addresses, IPv4 ones are taken first.
 */
void hubaddr_resolve(void (*done)(bool ok, const char *why));
/* Forget the lookup that runs, if any: its done is not called. */
void hubaddr_cancel(void);
/* Move to the next server of the list (after the last, the first). */
void hubaddr_next(void);
/* "host:port" of the current server, for messages. */
const char *hubaddr_name(void);

#endif
