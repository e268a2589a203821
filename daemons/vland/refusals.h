/*
 * vland-ifmgr's answer to the last route set: how many routes it
 * installed, and the ones it refused to install, each logged once (when
 * it first appears), counted, and shown by vlanctl show routes.
 */
#ifndef VLAND_REFUSALS_H
#define VLAND_REFUSALS_H

#include <stdint.h>

#include "addr.h"
#include "ipcmsg.h"

void refusals_update(const struct if_routes_result *,
    const struct if_route_refusal *);
/* Why p was refused in the last answer, or NULL. */
const char *refusals_why(const struct prefix *p);
/* Refused in the last answer; refusals logged since start. */
uint32_t refusals_now(void);
uint64_t refusals_total(void);
/* Routes installed by the last answer, and the version it answered. */
uint32_t refusals_installed(uint32_t *version);

#endif
