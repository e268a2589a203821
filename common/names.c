/*
 * The name rules of names.h, as an allowlist of characters rather than
 * a list of bad ones, so that a valid name is safe alike in a path, a
 * log line, a netlink request and the users file.
 */
#include <net/if.h>
#include <string.h>

#include "names.h"

static bool
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

bool
username_valid(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > USERNAME_MAX || !name_char(s[0]) || s[0] == '.' ||
	    s[0] == '_' || s[0] == '-')
		return false;
	for (i = 0; i < len; i++)
		if (!name_char(s[i]))
			return false;
	/* The reserved word must not be a user, or routes would be ambiguous. */
	return !(len == strlen(NEXTHOP_SERVER) &&
	    memcmp(s, NEXTHOP_SERVER, len) == 0);
}

bool
ifname_valid(const char *s)
{
	size_t i, len = strlen(s);

	if (len == 0 || len >= IFNAMSIZ || strcmp(s, ".") == 0 ||
	    strcmp(s, "..") == 0)
		return false;
	for (i = 0; i < len; i++)
		if (!name_char(s[i]))
			return false;
	return true;
}
