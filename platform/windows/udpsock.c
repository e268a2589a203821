/*
 * The test-only UDP device's socket on Windows (platform.h): a UDP
 * socket connected to a loopback port, non-blocking and not inherited,
 * and duplicates of it (WSADuplicateSocket to this same process). By
 * default Windows reports a datagram the peer refused as WSAECONNRESET
 * on a later receive; SIO_UDP_CONNRESET turns that off, so that a
 * responder not yet listening loses frames, not the device. Winsock is
 * started here (WSAStartup counts its users; the process ends it).
 */
#include <errno.h>
#include <string.h>

#include "platform.h"
#include "winapi.h"

#ifndef SIO_UDP_CONNRESET
#define SIO_UDP_CONNRESET _WSAIOW(IOC_VENDOR, 12)
#endif

/* Winsock's error as an errno. */
static int
wsa_errno(void)
{
	switch (WSAGetLastError()) {
	case WSAEAFNOSUPPORT:
		return EAFNOSUPPORT;
	case WSAEADDRNOTAVAIL:
		return EADDRNOTAVAIL;
	case WSAEMFILE:
		return EMFILE;
	case WSAENOBUFS:
		return ENOBUFS;
	case WSAENOTSOCK:
		return EBADF;
	default:
		return EIO;
	}
}

/* Non-blocking, not inherited, refusals not reported; 0 or -errno. */
static int
set_up(SOCKET s)
{
	u_long one = 1;
	BOOL no = FALSE;
	DWORD got;

	if (ioctlsocket(s, FIONBIO, &one) != 0 ||
	    !SetHandleInformation((HANDLE)s, HANDLE_FLAG_INHERIT, 0))
		return -EIO;
	/* Not every Winsock has it (an old wine): then a refusal is
	 * WSAECONNRESET, which vland's plain path also takes as lost. */
	(void)WSAIoctl(s, SIO_UDP_CONNRESET, &no, sizeof(no), NULL, 0, &got,
	    NULL, NULL);
	return 0;
}

int
plat_udp_connect(const struct addr *a, uint16_t port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	WSADATA wsa;
	SOCKET s;
	int sl, rc;

	memset(&ss, 0, sizeof(ss));
	if (a->af == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_addr = a->v4;
		sin->sin_port = htons(port);
		sl = sizeof(*sin);
	} else if (a->af == AF_INET6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = a->v6;
		sin6->sin6_port = htons(port);
		sl = sizeof(*sin6);
	} else {
		return -EAFNOSUPPORT;
	}
	if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
		return -EIO;
	if ((s = socket(a->af, SOCK_DGRAM, 0)) == INVALID_SOCKET)
		return -wsa_errno();
	if (connect(s, (struct sockaddr *)&ss, sl) != 0) {
		rc = -wsa_errno();
		closesocket(s);
		return rc;
	}
	if ((rc = set_up(s)) != 0) {
		closesocket(s);
		return rc;
	}
	/* Winsock's handles are small numbers in practice, as libevent
	 * and relay.c take them (an int descriptor). */
	return (int)s;
}

int
plat_udp_dup(int fd)
{
	WSAPROTOCOL_INFOA info;
	SOCKET s;
	int rc;

	if (WSADuplicateSocketA((SOCKET)fd, GetCurrentProcessId(), &info) != 0)
		return -wsa_errno();
	if ((s = WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO,
		 FROM_PROTOCOL_INFO, &info, 0, 0)) == INVALID_SOCKET)
		return -wsa_errno();
	if ((rc = set_up(s)) != 0) {
		closesocket(s);
		return rc;
	}
	return (int)s;
}
