/*
 * The POSIX network names vland uses, from Winsock, for the win64
 * build: included by this directory's <arpa/inet.h>, <netinet/in.h>,
 * <net/if.h> and <sys/socket.h>, which mingw-w64 does not have, so that
 * only the files that ask for network headers get Windows' ones.
 */
#ifndef VLAND_WIN_WINNET_H
#define VLAND_WIN_WINNET_H

/* Only the core of <windows.h>: its full form defines macros such as
 * "interface" (a struct member's name in config.h). */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <winsock2.h>
#include <ws2tcpip.h>

/* Winsock calls it ADDRESS_FAMILY; struct addr keeps POSIX's name. */
typedef ADDRESS_FAMILY sa_family_t;

/* Linux's value, so that records carrying an interface name
 * (proto/ctlmsg.h, proto/ipcmsg.h) have the same layout on both. */
#define IFNAMSIZ 16

#endif
