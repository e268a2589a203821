/*
 * The rules of dnsset.h, as an allowlist: a name that passes them is
 * only letters, digits, hyphens and dots, safe in a file, a pipe and a
 * log line alike.
 */
#include <string.h>

#include "dnsset.h"

#define LABEL_MAX 63

static bool
label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

bool
dns_name_valid(const char *s, size_t len)
{
	size_t i, start = 0;

	if (len == 0 || len > DNS_NAME_MAX)
		return false;
	for (i = 0; i <= len; i++) {
		if (i == len || s[i] == '.') {
			if (i == start || i - start > LABEL_MAX ||
			    s[start] == '-' || s[i - 1] == '-')
				return false;
			start = i + 1;
		} else if (!label_char(s[i])) {
			return false;
		}
	}
	return true;
}

bool
dns_server_valid(const struct addr *a)
{
	if (a->af == AF_INET)
		return a->b[0] != 0 && a->b[0] < 224;
	/* Not link-local: resolv.conf would need the interface's scope. */
	if (a->af == AF_INET6)
		return addr_v6_unicast(a);
	return false;
}

size_t
dns_search_chars(const struct dns_set *d)
{
	size_t i, n = 0;

	for (i = 0; i < d->nsearch && i < DNS_SEARCH_MAX; i++)
		n += strnlen(d->search[i], DNS_NAME_MAX + 1) + 1;
	return n;
}

bool
dns_set_valid(const struct dns_set *d)
{
	size_t i;

	if (d->nservers > DNS_SERVERS_MAX || d->nsearch > DNS_SEARCH_MAX)
		return false;
	for (i = 0; i < d->nservers; i++)
		if (!dns_server_valid(&d->servers[i]))
			return false;
	for (i = 0; i < d->nsearch; i++)
		if (!dns_name_valid(d->search[i],
			strnlen(d->search[i], DNS_NAME_MAX + 1)))
			return false;
	return dns_search_chars(d) <= DNS_SEARCH_CHARS;
}

bool
dns_set_equal(const struct dns_set *a, const struct dns_set *b)
{
	size_t i;

	if (a->nservers != b->nservers || a->nsearch != b->nsearch)
		return false;
	for (i = 0; i < a->nservers; i++)
		if (addr_cmp(&a->servers[i], &b->servers[i]) != 0)
			return false;
	for (i = 0; i < a->nsearch; i++)
		if (strcmp(a->search[i], b->search[i]) != 0)
			return false;
	return true;
}
