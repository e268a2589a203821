/*
 * Address arithmetic shared by the config checker, the pool and the
 * forwarding table.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

int
addr_parse(const char *s, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->v4) == 1) {
		a->af = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a->v6) == 1) {
		a->af = AF_INET6;
		return 0;
	}
	errno = EINVAL;
	return -1;
}

const char *
addr_fmt(const struct addr *a, char *buf, size_t len)
{
	if (a->af == 0 || inet_ntop(a->af, a->b, buf, len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

size_t
addr_bytes(const struct addr *a)
{
	return a->af == AF_INET ? 4 : a->af == AF_INET6 ? 16 : 0;
}

int
addr_cmp(const struct addr *x, const struct addr *y)
{
	if (x->af != y->af)
		return x->af < y->af ? -1 : 1;
	return memcmp(x->b, y->b, addr_bytes(x));
}

bool
addr_is_unspecified(const struct addr *a)
{
	size_t i;

	for (i = 0; i < addr_bytes(a); i++)
		if (a->b[i] != 0)
			return false;
	return true;
}

int
prefix_parse(const char *s, struct prefix *p)
{
	char buf[PREFIX_STRLEN], *slash, *end;
	unsigned long len;

	memset(p, 0, sizeof(*p));
	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	if ((slash = strchr(buf, '/')) == NULL)
		goto bad;
	*slash++ = '\0';
	if (addr_parse(buf, &p->a) == -1)
		goto bad;
	if (*slash < '0' || *slash > '9')
		goto bad;
	errno = 0;
	len = strtoul(slash, &end, 10);
	if (errno != 0 || *end != '\0' || len > addr_bytes(&p->a) * 8 ||
	    (slash[0] == '0' && slash[1] != '\0'))
		goto bad;
	p->len = len;
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

const char *
prefix_fmt(const struct prefix *p, char *buf, size_t len)
{
	char a[ADDR_STRLEN];

	snprintf(buf, len, "%s/%u", addr_fmt(&p->a, a, sizeof(a)), p->len);
	return buf;
}

static uint8_t
prefix_mask_byte(unsigned plen, size_t i)
{
	if (plen >= (i + 1) * 8)
		return 0xff;
	if (plen <= i * 8)
		return 0;
	return (uint8_t)(0xff << (8 - (plen - i * 8)));
}

void
prefix_network(const struct prefix *p, struct prefix *out)
{
	size_t i;

	*out = *p;
	for (i = 0; i < addr_bytes(&p->a); i++)
		out->a.b[i] &= prefix_mask_byte(p->len, i);
}

bool
prefix_is_network(const struct prefix *p)
{
	struct prefix n;

	if ((p->a.af != AF_INET && p->a.af != AF_INET6) ||
	    p->len > addr_bytes(&p->a) * 8)
		return false;
	prefix_network(p, &n);
	return addr_cmp(&n.a, &p->a) == 0;
}

bool
prefix_contains(const struct prefix *p, const struct addr *a)
{
	size_t i;
	uint8_t m;

	if (p->a.af != a->af)
		return false;
	for (i = 0; i < addr_bytes(a); i++) {
		m = prefix_mask_byte(p->len, i);
		if ((p->a.b[i] & m) != (a->b[i] & m))
			return false;
	}
	return true;
}

bool
addr_v6_unicast(const struct addr *a)
{
	return a->af == AF_INET6 && !addr_is_unspecified(a) &&
	    a->b[0] != 0xff && !(a->b[0] == 0xfe && (a->b[1] & 0xc0) == 0x80);
}

void
addr_v6_embed(const struct prefix *p6, const struct addr *v4, struct addr *out)
{
	struct prefix net;

	prefix_network(p6, &net);
	*out = net.a;
	memcpy(out->b + 12, &v4->v4, 4);
}

bool
addr_v6_extract(const struct prefix *p6, const struct addr *a, struct addr *v4)
{
	struct addr v4a, back;

	if (p6->a.af != AF_INET6 || a->af != AF_INET6 ||
	    p6->len > ADDR_V6_PREFIX_MAX)
		return false;
	memset(&v4a, 0, sizeof(v4a));
	v4a.af = AF_INET;
	memcpy(&v4a.v4, a->b + 12, 4);
	addr_v6_embed(p6, &v4a, &back);
	if (addr_cmp(&back, a) != 0)
		return false;
	*v4 = v4a;
	return true;
}

bool
prefix_overlaps(const struct prefix *x, const struct prefix *y)
{
	return x->len <= y->len ? prefix_contains(x, &y->a)
				: prefix_contains(y, &x->a);
}

void
prefix_broadcast(const struct prefix *p, struct addr *out)
{
	size_t i;

	*out = p->a;
	for (i = 0; i < addr_bytes(out); i++)
		out->b[i] |= (uint8_t)~prefix_mask_byte(p->len, i);
}

uint32_t
addr_v4_host(const struct addr *a)
{
	return ntohl(a->v4.s_addr);
}

void
addr_v4_set(struct addr *a, uint32_t h)
{
	memset(a, 0, sizeof(*a));
	a->af = AF_INET;
	a->v4.s_addr = htonl(h);
}

int
hostport_parse(const char *s, char *host, size_t hostlen, uint16_t *port)
{
	const char *colon, *hs, *he, *end;
	char *pend;
	unsigned long p;

	if (s[0] == '[') {
		hs = s + 1;
		if ((he = strchr(hs, ']')) == NULL || he[1] != ':')
			goto bad;
		colon = he + 1;
	} else {
		hs = s;
		if ((colon = strrchr(s, ':')) == NULL ||
		    strchr(s, ':') != colon)
			goto bad;
		he = colon;
	}
	end = colon + 1;
	if (he == hs || (size_t)(he - hs) >= hostlen || *end < '1' ||
	    *end > '9')
		goto bad;
	errno = 0;
	p = strtoul(end, &pend, 10);
	if (errno != 0 || *pend != '\0' || p == 0 || p > 65535)
		goto bad;
	memcpy(host, hs, he - hs);
	host[he - hs] = '\0';
	*port = p;
	return 0;
bad:
	errno = EINVAL;
	return -1;
}
