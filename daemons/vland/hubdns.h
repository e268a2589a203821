/*
 * The hub's DNS settings (dns: in vland.yaml(5)) on their way to the
 * endpoints: a DNS message after each AUTH_OK, and to every endpoint
 * when a reload changes them (PROTOCOL.md, DNS).
 */
#ifndef VLAND_HUBDNS_H
#define VLAND_HUBDNS_H

#include "config.h"

struct session;

/* After an AUTH_OK to s: the current set, if there is one to say. */
void hubdns_send(struct session *s);
/* After a reload: a changed set, with its new version, to everyone. */
void hubdns_reloaded(const struct config *old);

#endif
