/*
 * Print the IPC catalogue (proto/ipcmsg.h) as JSON: each message's
 * number, direction, descriptor and payload, and the size and field
 * offsets of every struct that crosses a channel, as the compiler lays
 * them out. test_ipcmsg_python.py holds tests/netns/vlipc.py, the
 * tests' hand-written copy, against it.
 */
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>

#include "ipc.h"
#include "ipcmsg.h"

static const char *
shape_name(enum ipcmsg_shape s)
{
	switch (s) {
	case IPCMSG_SHAPE_NONE:
		return "NONE";
	case IPCMSG_SHAPE_FIXED:
		return "FIXED";
	case IPCMSG_SHAPE_VAR:
		return "VAR";
	case IPCMSG_SHAPE_TEXT:
		return "TEXT";
	}
	return "?";
}

/* A JSON string or null. */
static void
str_or_null(const char *s)
{
	if (s == NULL)
		printf("null");
	else
		printf("\"%s\"", s);
}

static void
message(const struct ipcmsg_desc *d, int last)
{
	static const struct {
		unsigned bit;
		const char *name;
	} ways[] = {
		{ IPCMSG_VLAND_TO_IFMGR, "VLAND_TO_IFMGR" },
		{ IPCMSG_IFMGR_TO_VLAND, "IFMGR_TO_VLAND" },
		{ IPCMSG_VLAND_TO_AUTH, "VLAND_TO_AUTH" },
		{ IPCMSG_AUTH_TO_VLAND, "AUTH_TO_VLAND" },
	};
	size_t i;
	int n = 0;

	printf("    {\"name\": \"%s\", \"type\": %u, \"direction\": [", d->name,
	    d->type);
	for (i = 0; i < sizeof(ways) / sizeof(ways[0]); i++)
		if (d->dir & ways[i].bit)
			printf("%s\"%s\"", n++ ? ", " : "", ways[i].name);
	printf("], \"fd\": %s, \"shape\": \"%s\", \"payload\": ",
	    d->fd ? "true" : "false", shape_name(d->shape));
	str_or_null(d->payload);
	printf(", \"size\": %zu, \"entry\": ", d->size);
	str_or_null(d->entry);
	printf(", \"entry_size\": %zu}%s\n", d->entry_size, last ? "" : ",");
}

/* "tag": {"size": n, "fields": {"name": [offset, size], ...}} */
#define STRUCT_BEGIN(tag)                                         \
	printf("    \"%s\": {\"size\": %zu, \"fields\": {", #tag, \
	    sizeof(struct tag))
#define FIELD(tag, f, sep)                                          \
	printf("\"%s\": [%zu, %zu]%s", #f, offsetof(struct tag, f), \
	    sizeof(((struct tag *)0)->f), sep)
#define STRUCT_END(last) printf("}}%s\n", (last) ? "" : ",")

static void
structs(void)
{
	STRUCT_BEGIN(ipc_hdr);
	FIELD(ipc_hdr, type, ", ");
	FIELD(ipc_hdr, flags, ", ");
	FIELD(ipc_hdr, len, ", ");
	FIELD(ipc_hdr, peerid, ", ");
	FIELD(ipc_hdr, reqid, "");
	STRUCT_END(0);
	STRUCT_BEGIN(addr);
	FIELD(addr, af, ", ");
	FIELD(addr, b, "");
	STRUCT_END(0);
	STRUCT_BEGIN(prefix);
	FIELD(prefix, a, ", ");
	FIELD(prefix, len, "");
	STRUCT_END(0);
	STRUCT_BEGIN(ipc_result);
	FIELD(ipc_result, error, ", ");
	FIELD(ipc_result, msg, "");
	STRUCT_END(0);
	STRUCT_BEGIN(ipc_int);
	FIELD(ipc_int, value, "");
	STRUCT_END(0);
	STRUCT_BEGIN(dns_set);
	FIELD(dns_set, servers, ", ");
	FIELD(dns_set, nservers, ", ");
	FIELD(dns_set, search, ", ");
	FIELD(dns_set, nsearch, "");
	STRUCT_END(0);
	STRUCT_BEGIN(if_dns);
	FIELD(if_dns, set, "");
	STRUCT_END(0);
	STRUCT_BEGIN(if_tap_req);
	FIELD(if_tap_req, user, "");
	STRUCT_END(0);
	STRUCT_BEGIN(if_dev_req);
	FIELD(if_dev_req, ip, ", ");
	FIELD(if_dev_req, underlay, ", ");
	FIELD(if_dev_req, ip6, ", ");
	FIELD(if_dev_req, mtu, ", ");
	FIELD(if_dev_req, mac, "");
	STRUCT_END(0);
	STRUCT_BEGIN(if_device);
	FIELD(if_device, ifname, ", ");
	FIELD(if_device, ifindex, "");
	STRUCT_END(0);
	STRUCT_BEGIN(if_route);
	FIELD(if_route, cidr, ", ");
	FIELD(if_route, nexthop, "");
	STRUCT_END(0);
	STRUCT_BEGIN(if_routes);
	FIELD(if_routes, version, ", ");
	FIELD(if_routes, count, ", ");
	FIELD(if_routes, underlay, "");
	STRUCT_END(0);
	STRUCT_BEGIN(if_route_refusal);
	FIELD(if_route_refusal, cidr, ", ");
	FIELD(if_route_refusal, reason, ", ");
	FIELD(if_route_refusal, why, "");
	STRUCT_END(0);
	STRUCT_BEGIN(if_routes_result);
	FIELD(if_routes_result, version, ", ");
	FIELD(if_routes_result, installed, ", ");
	FIELD(if_routes_result, count, "");
	STRUCT_END(0);
	STRUCT_BEGIN(auth_user);
	FIELD(auth_user, user, "");
	STRUCT_END(0);
	STRUCT_BEGIN(auth_check);
	FIELD(auth_check, user, ", ");
	FIELD(auth_check, password, ", ");
	FIELD(auth_check, source, "");
	STRUCT_END(0);
	STRUCT_BEGIN(auth_result);
	FIELD(auth_result, status, ", ");
	FIELD(auth_result, address, ", ");
	FIELD(auth_result, prefixlen, ", ");
	FIELD(auth_result, fixed, ", ");
	FIELD(auth_result, wait, "");
	STRUCT_END(1);
}

int
main(void)
{
	size_t n = 0, i = 0;

#define COUNT(...) n++;
	IPCMSG_LIST(COUNT)
#undef COUNT
	printf("{\n  \"constants\": {\"IPC_FLAG_FD\": %d, "
	       "\"IPC_MAX_PAYLOAD\": %d, \"IPCMSG_ERRMSG_MAX\": %d, "
	       "\"IPCMSG_PASSWORD_MAX\": %d, \"IPCMSG_ROUTES_MAX\": %d, "
	       "\"USERNAME_MAX\": %d, \"IFNAMSIZ\": %d, \"AF_INET\": %d, "
	       "\"AF_INET6\": %d},\n",
	    IPC_FLAG_FD, IPC_MAX_PAYLOAD, IPCMSG_ERRMSG_MAX,
	    IPCMSG_PASSWORD_MAX, IPCMSG_ROUTES_MAX, USERNAME_MAX, IFNAMSIZ,
	    AF_INET, AF_INET6);
	printf("  \"messages\": [\n");
#define MESSAGE(name, ...) \
	i++;               \
	message(ipcmsg_desc(IMSG_##name), i == n);
	IPCMSG_LIST(MESSAGE)
#undef MESSAGE
	printf("  ],\n  \"structs\": {\n");
	structs();
	printf("  }\n}\n");
	return 0;
}
