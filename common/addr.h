/*
 * IPv4/IPv6 addresses, prefixes and ranges: parse, format, compare,
 * contain. Pure functions, no policy.
 */
#ifndef VLAND_ADDR_H
#define VLAND_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct addr {
	sa_family_t af; /* AF_INET or AF_INET6; 0 when unset */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t b[16];
	};
};

struct prefix {
	struct addr a;
	uint8_t len;
};

#define ADDR_STRLEN   INET6_ADDRSTRLEN
#define PREFIX_STRLEN (INET6_ADDRSTRLEN + 4)

int addr_parse(const char *, struct addr *);
const char *addr_fmt(const struct addr *, char *buf, size_t len);
int addr_cmp(const struct addr *, const struct addr *);
bool addr_is_unspecified(const struct addr *);
size_t addr_bytes(const struct addr *);

/* "a.b.c.d/len" or "x::y/len"; host bits may be set (an interface address). */
int prefix_parse(const char *, struct prefix *);
const char *prefix_fmt(const struct prefix *, char *buf, size_t len);
/* The prefix with its host bits cleared. */
void prefix_network(const struct prefix *, struct prefix *out);
bool prefix_is_network(const struct prefix *);
bool prefix_contains(const struct prefix *, const struct addr *);
bool prefix_overlaps(const struct prefix *, const struct prefix *);
/* Broadcast (all host bits set) of an IPv4 prefix. */
void prefix_broadcast(const struct prefix *, struct addr *out);

/* IPv4 helpers for the address pool. */
uint32_t addr_v4_host(const struct addr *);
void addr_v4_set(struct addr *, uint32_t hostorder);

/*
 * IPv6 inside the tunnel: an endpoint's IPv6 address is the network of
 * the hub's ip6 prefix (at most /96) with its IPv4 address in the last
 * 32 bits, so it is as stable as the IPv4 one and never collides.
 * addr_v6_embed fills out (AF_INET6). addr_v6_extract is the inverse:
 * true and *v4 set only if a is exactly such an address of p.
 */
#define ADDR_V6_PREFIX_MAX 96
/* An IPv6 address for a host: not ::, multicast or link-local. */
bool addr_v6_unicast(const struct addr *);
void addr_v6_embed(const struct prefix *p6, const struct addr *v4,
    struct addr *out);
bool addr_v6_extract(const struct prefix *p6, const struct addr *a,
    struct addr *v4);

/* "host:port" or "[v6]:port"; host is copied as text (may be a name). */
int hostport_parse(const char *, char *host, size_t hostlen, uint16_t *port);

#endif
