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
#include <errno.h>
#include <winsock2.h>
#include <ws2tcpip.h>

/* Winsock calls it ADDRESS_FAMILY; struct addr keeps POSIX's name. */
typedef ADDRESS_FAMILY sa_family_t;

/* Linux's value, so that records carrying an interface name
 * (proto/ctlmsg.h, proto/ipcmsg.h) have the same layout on both. */
#define IFNAMSIZ 16

/*
 * socket()'s Linux flags: Winsock's socket takes neither, so a wrapper
 * takes them off and does what they say (FIONBIO, a handle not
 * inherited), starting Winsock first (WSAStartup counts its users; the
 * process ends it), and sets errno as POSIX's socket would. The
 * descriptor is the SOCKET as an int: Winsock's handles are small
 * numbers in practice, as libevent takes them.
 */
#define SOCK_NONBLOCK 0x0800
#define SOCK_CLOEXEC  0x80000
/* Windows has no forced sizes: the asked ones are the most it gives. */
#define SO_RCVBUFFORCE SO_RCVBUF
#define SO_SNDBUFFORCE SO_SNDBUF

/* Winsock started (once is enough; a later call only counts); 0 or -1
 * with errno. */
static inline int
vland_wsa_start(void)
{
	WSADATA wsa;

	if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
		errno = EIO;
		return -1;
	}
	return 0;
}

static inline int
vland_socket(int af, int type, int proto)
{
	SOCKET s;
	u_long one = 1;

	if (vland_wsa_start() == -1)
		return -1;
	s = socket(af, type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC), proto);
	if (s == INVALID_SOCKET) {
		errno =
		    WSAGetLastError() == WSAEAFNOSUPPORT ? EAFNOSUPPORT : EIO;
		return -1;
	}
	if (((type & SOCK_NONBLOCK) && ioctlsocket(s, FIONBIO, &one) != 0) ||
	    ((type & SOCK_CLOEXEC) &&
		!SetHandleInformation((HANDLE)s, HANDLE_FLAG_INHERIT, 0))) {
		closesocket(s);
		errno = EIO;
		return -1;
	}
	return (int)s;
}
#define socket(af, type, proto) vland_socket(af, type, proto)

#endif
