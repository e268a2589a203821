/*
 * platform.h's plat_local_addrs on Linux: getifaddrs.
 */
#include <errno.h>
#include <ifaddrs.h>
#include <string.h>

#include <net/if.h>
#include <netinet/in.h>

#include "platform.h"

int
plat_local_addrs(struct addr *out, size_t max)
{
	struct ifaddrs *ifa, *i;
	struct addr a;
	size_t n = 0;

	if (getifaddrs(&ifa) == -1)
		return -errno;
	for (i = ifa; i != NULL && n < max; i = i->ifa_next) {
		if (i->ifa_addr == NULL || !(i->ifa_flags & IFF_UP) ||
		    (i->ifa_flags & IFF_LOOPBACK))
			continue;
		memset(&a, 0, sizeof(a));
		if (i->ifa_addr->sa_family == AF_INET) {
			a.af = AF_INET;
			memcpy(a.b,
			    &((struct sockaddr_in *)(void *)i->ifa_addr)
				 ->sin_addr,
			    4);
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			a.af = AF_INET6;
			memcpy(a.b,
			    &((struct sockaddr_in6 *)(void *)i->ifa_addr)
				 ->sin6_addr,
			    16);
			if (!addr_v6_unicast(&a) ||
			    (a.b[0] == 0xfe && (a.b[1] & 0xc0) == 0x80))
				continue;
		} else
			continue;
		out[n++] = a;
	}
	freeifaddrs(ifa);
	return (int)n;
}
