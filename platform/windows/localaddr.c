/*
 * platform.h's plat_local_addrs on Windows: GetAdaptersAddresses, the
 * unicast addresses of the adapters that are up and not loopback, as
 * Linux's getifaddrs walk takes them (IPv6 global unicast only). The
 * list is read into a buffer grown until it fits (the adapters may
 * change between two calls).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"
#include "winapi.h"

/* The address of a, if vland offers it; false otherwise. */
static bool
take(const SOCKET_ADDRESS *sa, struct addr *a)
{
	const struct sockaddr *s = sa->lpSockaddr;

	memset(a, 0, sizeof(*a));
	if (s == NULL)
		return false;
	if (s->sa_family == AF_INET) {
		a->af = AF_INET;
		memcpy(a->b,
		    &((const struct sockaddr_in *)(const void *)s)->sin_addr,
		    4);
		return true;
	}
	if (s->sa_family != AF_INET6)
		return false;
	a->af = AF_INET6;
	memcpy(a->b, &((const struct sockaddr_in6 *)(const void *)s)->sin6_addr,
	    16);
	return addr_v6_unicast(a) &&
	    !(a->b[0] == 0xfe && (a->b[1] & 0xc0) == 0x80);
}

int
plat_local_addrs(struct addr *out, size_t max)
{
	const ULONG flags = GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST |
	    GAA_FLAG_SKIP_DNS_SERVER | GAA_FLAG_SKIP_FRIENDLY_NAME;
	IP_ADAPTER_ADDRESSES *list = NULL, *ad;
	IP_ADAPTER_UNICAST_ADDRESS *u;
	ULONG len = 16384, rc;
	size_t n = 0;
	int tries;

	for (tries = 0; tries < 4; tries++) {
		free(list);
		if ((list = malloc(len)) == NULL)
			return -ENOMEM;
		rc = plat_winapi->get_adapters(AF_UNSPEC, flags, NULL, list,
		    &len);
		if (rc != ERROR_BUFFER_OVERFLOW)
			break;
	}
	if (rc == ERROR_NO_DATA) {
		free(list);
		return 0;
	}
	if (rc != NO_ERROR) {
		free(list);
		return rc == ERROR_NOT_ENOUGH_MEMORY ? -ENOMEM : -EIO;
	}
	for (ad = list; ad != NULL && n < max; ad = ad->Next) {
		if (ad->OperStatus != IfOperStatusUp ||
		    ad->IfType == IF_TYPE_SOFTWARE_LOOPBACK)
			continue;
		for (u = ad->FirstUnicastAddress; u != NULL && n < max;
		     u = u->Next)
			if (take(&u->Address, &out[n]))
				n++;
	}
	free(list);
	return (int)n;
}
