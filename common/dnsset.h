/*
 * The DNS settings a hub pushes (dns: in vland.yaml(5)): name servers
 * and search domains. One definition of what is valid, used by the
 * configuration checker, the wire codec and vland-ifmgr, which checks
 * again what vland asks before any of it reaches the host's resolver.
 */
#ifndef VLAND_DNSSET_H
#define VLAND_DNSSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/* glibc's resolver reads no more than 3 servers (MAXNS). */
#define DNS_SERVERS_MAX 3
/* The classic resolv.conf limits: 6 domains, 256 characters in all. */
#define DNS_SEARCH_MAX	 6
#define DNS_SEARCH_CHARS 256
#define DNS_NAME_MAX	 253

struct dns_set {
	struct addr servers[DNS_SERVERS_MAX];
	size_t nservers;
	char search[DNS_SEARCH_MAX][DNS_NAME_MAX + 1];
	size_t nsearch;
};

/*
 * A host name as a search domain: dot-separated labels of 1 to 63 of
 * [A-Za-z0-9-], not starting or ending with '-', 253 characters at
 * most, no trailing dot. Nothing else can reach resolv.conf or a
 * resolvconf(8) pipe, so no character there can mean anything.
 */
bool dns_name_valid(const char *, size_t len);
/* A unicast address: not 0.0.0.0/8, multicast, 255.255.255.255, :: or
 * IPv6 link-local. */
bool dns_server_valid(const struct addr *);
/* Every server and name valid, counts and total length within limits. */
bool dns_set_valid(const struct dns_set *);
bool dns_set_equal(const struct dns_set *, const struct dns_set *);
/* The search domains' characters, each followed by a space or newline. */
size_t dns_search_chars(const struct dns_set *);

#endif
