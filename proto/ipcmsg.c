/*
 * The IPC catalogue's helpers: string checks and the exact sizes of
 * the variable-length messages (proto/ipcmsg.h).
 */
#include <string.h>

#include "ipcmsg.h"

bool
ipcmsg_str_ok(const char *s, size_t n)
{
	return memchr(s, '\0', n) != NULL;
}

size_t
ipcmsg_routes_size(uint32_t count)
{
	return sizeof(struct if_routes) +
	    (size_t)count * sizeof(struct if_route);
}

const struct if_routes *
ipcmsg_routes_get(const void *data, size_t len, const struct if_route **routes)
{
	struct if_routes head;

	if (len < sizeof(head))
		return NULL;
	memcpy(&head, data, sizeof(head));
	if (head.count > IPCMSG_ROUTES_MAX ||
	    len != ipcmsg_routes_size(head.count))
		return NULL;
	*routes = (const struct if_route *)((const uint8_t *)data +
	    sizeof(struct if_routes));
	return data;
}

size_t
ipcmsg_routes_result_size(uint32_t count)
{
	return sizeof(struct if_routes_result) +
	    (size_t)count * sizeof(struct if_route_refusal);
}

const struct if_routes_result *
ipcmsg_routes_result_get(const void *data, size_t len,
    const struct if_route_refusal **refusals)
{
	struct if_routes_result head;
	const struct if_route_refusal *r;
	uint32_t i;

	if (len < sizeof(head))
		return NULL;
	memcpy(&head, data, sizeof(head));
	if (head.count > IPCMSG_ROUTES_MAX ||
	    head.installed > IPCMSG_ROUTES_MAX ||
	    len != ipcmsg_routes_result_size(head.count))
		return NULL;
	r = (const struct if_route_refusal *)((const uint8_t *)data +
	    sizeof(head));
	for (i = 0; i < head.count; i++)
		if (!IPCMSG_STR_OK(r[i].why))
			return NULL;
	*refusals = r;
	return data;
}

const char *
ipcmsg_type_name(uint16_t type)
{
	switch (type) {
	case IMSG_IF_HUB_UP:
		return "IF_HUB_UP";
	case IMSG_IF_TAP_CREATE:
		return "IF_TAP_CREATE";
	case IMSG_IF_DEV_CREATE:
		return "IF_DEV_CREATE";
	case IMSG_IF_DEV_DELETE:
		return "IF_DEV_DELETE";
	case IMSG_IF_ROUTES:
		return "IF_ROUTES";
	case IMSG_IF_RELOAD:
		return "IF_RELOAD";
	case IMSG_IF_ROUTES_RESULT:
		return "IF_ROUTES_RESULT";
	case IMSG_IF_RESULT:
		return "IF_RESULT";
	case IMSG_IF_DEVICE:
		return "IF_DEVICE";
	case IMSG_AUTH_CHECK:
		return "AUTH_CHECK";
	case IMSG_AUTH_RELEASE:
		return "AUTH_RELEASE";
	case IMSG_AUTH_RELOAD:
		return "AUTH_RELOAD";
	case IMSG_AUTH_CONFIG_GET:
		return "AUTH_CONFIG_GET";
	case IMSG_AUTH_RESULT:
		return "AUTH_RESULT";
	case IMSG_AUTH_USER_GONE:
		return "AUTH_USER_GONE";
	case IMSG_AUTH_RELOADED:
		return "AUTH_RELOADED";
	case IMSG_AUTH_CONFIG_TEXT:
		return "AUTH_CONFIG_TEXT";
	case IMSG_LOG_VERBOSE:
		return "LOG_VERBOSE";
	default:
		return "unknown";
	}
}
