/*
 * The IPC catalogue (proto/ipcmsg.h): the descriptors made from its
 * table, and the getters that check a received message against it
 * before a receiver trusts any of it.
 */
#include <string.h>
#include <sys/socket.h>

#include "ipc.h"
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

size_t
ipcmsg_routes_result_size(uint32_t count)
{
	return sizeof(struct if_routes_result) +
	    (size_t)count * sizeof(struct if_route_refusal);
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

/*
 * What every getter checks first: the type is in the table, may come
 * this way, and has the shape and payload (named by its struct) that
 * the getter decodes; the descriptor is there if and only if the table
 * says so; a fixed shape has its exact size, a head is whole. A
 * descriptor the kernel dropped for want of a slot (fd_lost) counts as
 * come: the receiver must learn of it.
 */
static enum ipcmsg_err
ipcmsg_check(const struct ipc_msg *m, enum ipcmsg_dir dir,
    enum ipcmsg_shape shape, const char *payload)
{
	const struct ipcmsg_desc *d = ipcmsg_desc(m->hdr.type);

	if (d == NULL || (d->dir & dir) == 0 || d->shape != shape ||
	    (payload != NULL && strcmp(d->payload, payload) != 0))
		return IPCMSG_E_TYPE;
	if (d->fd ? m->fd == -1 && !m->fd_lost : m->fd != -1)
		return IPCMSG_E_FD;
	switch (shape) {
	case IPCMSG_SHAPE_NONE:
	case IPCMSG_SHAPE_FIXED:
		return m->datalen == d->size ? IPCMSG_OK : IPCMSG_E_SIZE;
	case IPCMSG_SHAPE_VAR:
		/* The head whole; its count says the rest. */
		return m->datalen >= d->size ? IPCMSG_OK : IPCMSG_E_SIZE;
	case IPCMSG_SHAPE_TEXT:
		break;
	}
	return IPCMSG_OK;
}

/* Check a fixed payload, of the struct named payload, and copy it. */
static enum ipcmsg_err
ipcmsg_get_fixed(const struct ipc_msg *m, enum ipcmsg_dir dir,
    const char *payload, void *out, size_t size)
{
	enum ipcmsg_err e;

	if ((e = ipcmsg_check(m, dir, IPCMSG_SHAPE_FIXED, payload)) !=
	    IPCMSG_OK)
		return e;
	if (m->datalen != size)
		return IPCMSG_E_SIZE;
	memcpy(out, m->data, size);
	return IPCMSG_OK;
}

enum ipcmsg_err
ipcmsg_get_none(const struct ipc_msg *m, enum ipcmsg_dir dir)
{
	return ipcmsg_check(m, dir, IPCMSG_SHAPE_NONE, NULL);
}

enum ipcmsg_err
ipcmsg_get_int(const struct ipc_msg *m, enum ipcmsg_dir dir,
    struct ipc_int *out)
{
	return ipcmsg_get_fixed(m, dir, "ipc_int", out, sizeof(*out));
}

enum ipcmsg_err
ipcmsg_get_result(const struct ipc_msg *m, enum ipcmsg_dir dir,
    struct ipc_result *out)
{
	enum ipcmsg_err e;

	if ((e = ipcmsg_get_fixed(m, dir, "ipc_result", out, sizeof(*out))) !=
	    IPCMSG_OK)
		return e;
	return IPCMSG_STR_OK(out->msg) ? IPCMSG_OK : IPCMSG_E_STR;
}

enum ipcmsg_err
ipcmsg_get_tap_req(const struct ipc_msg *m, enum ipcmsg_dir dir,
    struct if_tap_req *out)
{
	enum ipcmsg_err e;

	if ((e = ipcmsg_get_fixed(m, dir, "if_tap_req", out, sizeof(*out))) !=
	    IPCMSG_OK)
		return e;
	return IPCMSG_STR_OK(out->user) ? IPCMSG_OK : IPCMSG_E_STR;
}

enum ipcmsg_err
ipcmsg_get_dns(const struct ipc_msg *m, enum ipcmsg_dir dir, struct if_dns *out)
{
	enum ipcmsg_err e;
	size_t i;

	if ((e = ipcmsg_get_fixed(m, dir, "if_dns", out, sizeof(*out))) !=
	    IPCMSG_OK)
		return e;
	if (out->set.nservers > DNS_SERVERS_MAX ||
	    out->set.nsearch > DNS_SEARCH_MAX)
		return IPCMSG_E_RANGE;
	for (i = 0; i < DNS_SEARCH_MAX; i++)
		if (!IPCMSG_STR_OK(out->set.search[i]))
			return IPCMSG_E_STR;
	return IPCMSG_OK;
}

enum ipcmsg_err
ipcmsg_get_dev_req(const struct ipc_msg *m, enum ipcmsg_dir dir,
    struct if_dev_req *out)
{
	return ipcmsg_get_fixed(m, dir, "if_dev_req", out, sizeof(*out));
}

enum ipcmsg_err
ipcmsg_get_device(const struct ipc_msg *m, enum ipcmsg_dir dir,
    struct if_device *out)
{
	enum ipcmsg_err e;

	if ((e = ipcmsg_get_fixed(m, dir, "if_device", out, sizeof(*out))) !=
	    IPCMSG_OK)
		return e;
	return IPCMSG_STR_OK(out->ifname) ? IPCMSG_OK : IPCMSG_E_STR;
}

enum ipcmsg_err
ipcmsg_get_routes(const struct ipc_msg *m, enum ipcmsg_dir dir,
    const struct if_routes **head, const struct if_route **routes)
{
	struct if_routes h;
	enum ipcmsg_err e;

	if ((e = ipcmsg_check(m, dir, IPCMSG_SHAPE_VAR, "if_routes")) !=
	    IPCMSG_OK)
		return e;
	memcpy(&h, m->data, sizeof(h));
	if (h.count > IPCMSG_ROUTES_MAX)
		return IPCMSG_E_RANGE;
	if (m->datalen != ipcmsg_routes_size(h.count))
		return IPCMSG_E_SIZE;
	*head = (const struct if_routes *)m->data;
	*routes = (const struct if_route *)(m->data + sizeof(h));
	return IPCMSG_OK;
}

enum ipcmsg_err
ipcmsg_get_routes_result(const struct ipc_msg *m, enum ipcmsg_dir dir,
    const struct if_routes_result **head,
    const struct if_route_refusal **refusals)
{
	struct if_routes_result h;
	const struct if_route_refusal *r;
	enum ipcmsg_err e;
	uint32_t i;

	if ((e = ipcmsg_check(m, dir, IPCMSG_SHAPE_VAR, "if_routes_result")) !=
	    IPCMSG_OK)
		return e;
	memcpy(&h, m->data, sizeof(h));
	if (h.count > IPCMSG_ROUTES_MAX || h.installed > IPCMSG_ROUTES_MAX)
		return IPCMSG_E_RANGE;
	if (m->datalen != ipcmsg_routes_result_size(h.count))
		return IPCMSG_E_SIZE;
	r = (const struct if_route_refusal *)(m->data + sizeof(h));
	for (i = 0; i < h.count; i++)
		if (!IPCMSG_STR_OK(r[i].why))
			return IPCMSG_E_STR;
	*head = (const struct if_routes_result *)m->data;
	*refusals = r;
	return IPCMSG_OK;
}

/* The strings first, then the family: vland-auth names the first wrong
 * one, and the family in its message. */
enum ipcmsg_err
ipcmsg_get_auth_check(const struct ipc_msg *m, enum ipcmsg_dir dir,
    struct auth_check *out)
{
	enum ipcmsg_err e;

	if ((e = ipcmsg_get_fixed(m, dir, "auth_check", out, sizeof(*out))) !=
	    IPCMSG_OK)
		return e;
	if (!IPCMSG_STR_OK(out->user) || !IPCMSG_STR_OK(out->password))
		return IPCMSG_E_STR;
	if (out->source.af != AF_INET && out->source.af != AF_INET6)
		return IPCMSG_E_RANGE;
	return IPCMSG_OK;
}

enum ipcmsg_err
ipcmsg_get_auth_user(const struct ipc_msg *m, enum ipcmsg_dir dir,
    struct auth_user *out)
{
	enum ipcmsg_err e;

	if ((e = ipcmsg_get_fixed(m, dir, "auth_user", out, sizeof(*out))) !=
	    IPCMSG_OK)
		return e;
	return IPCMSG_STR_OK(out->user) ? IPCMSG_OK : IPCMSG_E_STR;
}

/*
 * Only the address of a success is checked: vland takes it for a
 * session. A status it does not know is a refusal like any other
 * (vland counts it as internal), so it is not out of range here.
 */
enum ipcmsg_err
ipcmsg_get_auth_result(const struct ipc_msg *m, enum ipcmsg_dir dir,
    struct auth_result *out)
{
	enum ipcmsg_err e;

	if ((e = ipcmsg_get_fixed(m, dir, "auth_result", out, sizeof(*out))) !=
	    IPCMSG_OK)
		return e;
	if (out->status == AUTH_S_OK &&
	    (out->address.af != AF_INET || out->prefixlen < 8 ||
		out->prefixlen > 30))
		return IPCMSG_E_RANGE;
	return IPCMSG_OK;
}

enum ipcmsg_err
ipcmsg_get_text(const struct ipc_msg *m, enum ipcmsg_dir dir,
    const uint8_t **text, size_t *len)
{
	enum ipcmsg_err e;

	if ((e = ipcmsg_check(m, dir, IPCMSG_SHAPE_TEXT, NULL)) != IPCMSG_OK)
		return e;
	*text = m->data;
	*len = m->datalen;
	return IPCMSG_OK;
}
