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

/* The parts of a line of IPCMSG_LIST, by its shape. */
#define IPCMSG_SIZE_NONE(p)	   0
#define IPCMSG_SIZE_FIXED(p)	   sizeof(struct p)
#define IPCMSG_SIZE_VAR(p)	   sizeof(struct p)
#define IPCMSG_SIZE_TEXT(p)	   0
#define IPCMSG_NAME_NONE(p)	   NULL
#define IPCMSG_NAME_FIXED(p)	   #p
#define IPCMSG_NAME_VAR(p)	   #p
#define IPCMSG_NAME_TEXT(p)	   NULL
#define IPCMSG_ENTRY_NAME_NONE(e)  NULL
#define IPCMSG_ENTRY_NAME_FIXED(e) NULL
#define IPCMSG_ENTRY_NAME_VAR(e)   #e
#define IPCMSG_ENTRY_NAME_TEXT(e)  NULL
#define IPCMSG_ENTRY_SIZE_NONE(e)  0
#define IPCMSG_ENTRY_SIZE_FIXED(e) 0
#define IPCMSG_ENTRY_SIZE_VAR(e)   sizeof(struct e)
#define IPCMSG_ENTRY_SIZE_TEXT(e)  0

#define IPCMSG_INDEX(name, ...) IPCMSG_I_##name,
enum { IPCMSG_LIST(IPCMSG_INDEX) IPCMSG_N };

#define IPCMSG_DESC(name_, number, dir_, fd_, shape_, payload_, entry_) \
	[IPCMSG_I_##name_] = {                                          \
		.name = #name_,                                         \
		.type = number,                                         \
		.dir = IPCMSG_##dir_,                                   \
		.shape = IPCMSG_SHAPE_##shape_,                         \
		.fd = fd_,                                              \
		.payload = IPCMSG_NAME_##shape_(payload_),              \
		.size = IPCMSG_SIZE_##shape_(payload_),                 \
		.entry = IPCMSG_ENTRY_NAME_##shape_(entry_),            \
		.entry_size = IPCMSG_ENTRY_SIZE_##shape_(entry_),       \
	},
static const struct ipcmsg_desc ipcmsg_tab[IPCMSG_N] = { IPCMSG_LIST(
    IPCMSG_DESC) };

/* A switch, so that two lines with one number do not compile. */
#define IPCMSG_CASE(name, ...) \
	case IMSG_##name:      \
		return &ipcmsg_tab[IPCMSG_I_##name];

const struct ipcmsg_desc *
ipcmsg_desc(uint16_t type)
{
	switch (type) {
		IPCMSG_LIST(IPCMSG_CASE)
	default:
		return NULL;
	}
}

const char *
ipcmsg_type_name(uint16_t type)
{
	const struct ipcmsg_desc *d = ipcmsg_desc(type);

	return d != NULL ? d->name : "unknown";
}
