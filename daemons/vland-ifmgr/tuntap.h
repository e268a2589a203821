/* Tap and tun devices through /dev/net/tun. */
#ifndef IFMGR_TUNTAP_H
#define IFMGR_TUNTAP_H

#include <stdbool.h>

/*
 * Create a tap (tap true) or tun device named name. Returns the
 * non-blocking, close-on-exec descriptor or -errno. The device lives
 * while a descriptor to it is open (or until deleted).
 */
int tuntap_create(const char *name, bool tap);

#endif
