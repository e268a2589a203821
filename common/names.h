/*
 * Names that cross trust boundaries: usernames and interface names. One
 * definition of what is valid, used by the config checker, vland-auth,
 * vland-ifmgr and vlanctl alike.
 */
#ifndef VLAND_NAMES_H
#define VLAND_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#define USERNAME_MAX   32
#define NEXTHOP_SERVER "SERVER"

/*
 * 1 to 32 characters from [A-Za-z0-9._-], starting with a letter or a
 * digit; "SERVER" is reserved for the hub.
 */
bool username_valid(const char *, size_t len);

/* A Linux interface name: 1 to 15 characters, no '/', ':' or space. */
bool ifname_valid(const char *);

#endif
