/*
 * Typed senders for the IPC catalogue (proto/ipcmsg.h): one a message,
 * each building its payload from plain arguments, zeroed first so that
 * no stack bytes cross to another process, and handing the record to
 * common's ipc_compose. They sit apart from ipcmsg.c because the rest of
 * proto is pure code, and these queue and send; proto links common
 * (proto/meson.build), so they may call into it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ipc.h"
#include "ipcmsg.h"
#include "peermsg.h"

_Static_assert(PMSG_ROUTES_MAX <= IPCMSG_ROUTES_MAX,
    "a route set from the hub must fit in IF_ROUTES");
_Static_assert(PMSG_PASSWORD_MAX <= IPCMSG_PASSWORD_MAX,
    "a password from the peer must fit in AUTH_CHECK");

/* Does a payload of len bytes have the shape the table gives type? */
static bool
ipcmsg_shape_ok(const struct ipcmsg_desc *d, size_t len)
{
	switch (d->shape) {
	case IPCMSG_SHAPE_NONE:
	case IPCMSG_SHAPE_FIXED:
		return len == d->size;
	case IPCMSG_SHAPE_VAR:
		return len >= d->size && (len - d->size) % d->entry_size == 0;
	case IPCMSG_SHAPE_TEXT:
		return true;
	}
	return false;
}

/*
 * A sender out of step with the table (a descriptor where none belongs,
 * a payload of another size) is a bug on this side: refused here with
 * EINVAL rather than left to the receiver to find.
 */
static int
ipcmsg_send(struct ipc_chan *c, uint16_t type, uint32_t peerid, uint32_t reqid,
    int fd, const void *data, size_t len)
{
	const struct ipcmsg_desc *d = ipcmsg_desc(type);

	if (d == NULL || d->fd != (fd != -1) || !ipcmsg_shape_ok(d, len)) {
		errno = EINVAL;
		return -1;
	}
	return ipc_compose(c, type, peerid, reqid, fd, data, len);
}

int
ipcmsg_send_if_hub_up(struct ipc_chan *c, uint32_t peerid, uint32_t reqid)
{
	return ipcmsg_send(c, IMSG_IF_HUB_UP, peerid, reqid, -1, NULL, 0);
}

int
ipcmsg_send_if_tap_create(struct ipc_chan *c, uint32_t peerid, uint32_t reqid,
    const char *user, const struct addr *addr)
{
	struct if_tap_req r;

	memset(&r, 0, sizeof(r));
	snprintf(r.user, sizeof(r.user), "%s", user);
	if (addr != NULL && addr->af == AF_INET)
		r.addr = *addr;
	return ipcmsg_send(c, IMSG_IF_TAP_CREATE, peerid, reqid, -1, &r,
	    sizeof(r));
}

int
ipcmsg_send_if_dns(struct ipc_chan *c, uint32_t peerid, uint32_t reqid,
    const struct dns_set *set)
{
	struct if_dns r;

	memset(&r, 0, sizeof(r));
	r.set = *set;
	return ipcmsg_send(c, IMSG_IF_DNS, peerid, reqid, -1, &r, sizeof(r));
}

int
ipcmsg_send_if_dev_create(struct ipc_chan *c, uint32_t peerid, uint32_t reqid,
    const struct prefix *ip, const struct prefix *ip6,
    const struct addr *underlay, uint16_t mtu, const uint8_t mac[6])
{
	struct if_dev_req r;

	memset(&r, 0, sizeof(r));
	r.ip = *ip;
	r.ip6 = *ip6;
	r.underlay = *underlay;
	r.mtu = mtu;
	memcpy(r.mac, mac, sizeof(r.mac));
	return ipcmsg_send(c, IMSG_IF_DEV_CREATE, peerid, reqid, -1, &r,
	    sizeof(r));
}

int
ipcmsg_send_if_dev_delete(struct ipc_chan *c, uint32_t peerid, uint32_t reqid)
{
	return ipcmsg_send(c, IMSG_IF_DEV_DELETE, peerid, reqid, -1, NULL, 0);
}

/* Built on the stack: at most 256 routes, about 11 KiB, and no
 * allocation that could fail. */
int
ipcmsg_send_if_routes(struct ipc_chan *c, uint32_t peerid, uint32_t reqid,
    const struct pmsg_routes *set, const struct addr *underlay)
{
	uint8_t buf[sizeof(struct if_routes) +
	    IPCMSG_ROUTES_MAX * sizeof(struct if_route)];
	struct if_routes h;
	struct if_route r;
	uint32_t i;

	if (set->count > IPCMSG_ROUTES_MAX) {
		errno = EINVAL;
		return -1;
	}
	memset(&h, 0, sizeof(h));
	h.version = set->version;
	h.count = set->count;
	if (underlay != NULL)
		h.underlay = *underlay;
	memcpy(buf, &h, sizeof(h));
	for (i = 0; i < set->count; i++) {
		memset(&r, 0, sizeof(r));
		r.cidr = set->r[i].dst;
		r.nexthop = set->r[i].nexthop;
		memcpy(buf + sizeof(h) + i * sizeof(r), &r, sizeof(r));
	}
	return ipcmsg_send(c, IMSG_IF_ROUTES, peerid, reqid, -1, buf,
	    ipcmsg_routes_size(h.count));
}

int
ipcmsg_send_if_reload(struct ipc_chan *c, uint32_t peerid, uint32_t reqid)
{
	return ipcmsg_send(c, IMSG_IF_RELOAD, peerid, reqid, -1, NULL, 0);
}

/* IF_RESULT and AUTH_RELOADED: msg (or NULL) cut to what fits. */
static int
ipcmsg_send_result(struct ipc_chan *c, uint16_t type, uint32_t peerid,
    uint32_t reqid, int32_t error, const char *msg)
{
	struct ipc_result r;

	memset(&r, 0, sizeof(r));
	r.error = error;
	if (msg != NULL)
		snprintf(r.msg, sizeof(r.msg), "%s", msg);
	return ipcmsg_send(c, type, peerid, reqid, -1, &r, sizeof(r));
}

int
ipcmsg_send_if_result(struct ipc_chan *c, uint32_t peerid, uint32_t reqid,
    int32_t error, const char *msg)
{
	return ipcmsg_send_result(c, IMSG_IF_RESULT, peerid, reqid, error, msg);
}

int
ipcmsg_send_if_device(struct ipc_chan *c, uint32_t peerid, uint32_t reqid,
    int fd, const char *ifname, int32_t ifindex)
{
	struct if_device d;

	memset(&d, 0, sizeof(d));
	snprintf(d.ifname, sizeof(d.ifname), "%s", ifname);
	d.ifindex = ifindex;
	return ipcmsg_send(c, IMSG_IF_DEVICE, peerid, reqid, fd, &d, sizeof(d));
}

int
ipcmsg_send_if_routes_result(struct ipc_chan *c, uint32_t peerid,
    uint32_t reqid, const struct if_routes_result *res)
{
	if (res->count > IPCMSG_ROUTES_MAX) {
		errno = EINVAL;
		return -1;
	}
	return ipcmsg_send(c, IMSG_IF_ROUTES_RESULT, peerid, reqid, -1, res,
	    ipcmsg_routes_result_size(res->count));
}

int
ipcmsg_send_auth_check(struct ipc_chan *c, uint32_t peerid, uint32_t reqid,
    const char *user, const char *password, size_t pwlen,
    const struct addr *source)
{
	struct auth_check r;
	int rc;

	if (pwlen > IPCMSG_PASSWORD_MAX) {
		errno = EINVAL;
		return -1;
	}
	memset(&r, 0, sizeof(r));
	snprintf(r.user, sizeof(r.user), "%s", user);
	memcpy(r.password, password, pwlen);
	r.source = *source;
	rc = ipcmsg_send(c, IMSG_AUTH_CHECK, peerid, reqid, -1, &r, sizeof(r));
	/* The record has its own copy (wiped when sent). */
	explicit_bzero(&r, sizeof(r));
	return rc;
}

static int
ipcmsg_send_auth_user(struct ipc_chan *c, uint16_t type, uint32_t peerid,
    uint32_t reqid, const char *user)
{
	struct auth_user u;

	memset(&u, 0, sizeof(u));
	snprintf(u.user, sizeof(u.user), "%s", user);
	return ipcmsg_send(c, type, peerid, reqid, -1, &u, sizeof(u));
}

int
ipcmsg_send_auth_release(struct ipc_chan *c, uint32_t peerid, uint32_t reqid,
    const char *user)
{
	return ipcmsg_send_auth_user(c, IMSG_AUTH_RELEASE, peerid, reqid, user);
}

int
ipcmsg_send_auth_reload(struct ipc_chan *c, uint32_t peerid, uint32_t reqid)
{
	return ipcmsg_send(c, IMSG_AUTH_RELOAD, peerid, reqid, -1, NULL, 0);
}

int
ipcmsg_send_auth_config_get(struct ipc_chan *c, uint32_t peerid, uint32_t reqid)
{
	return ipcmsg_send(c, IMSG_AUTH_CONFIG_GET, peerid, reqid, -1, NULL, 0);
}

int
ipcmsg_send_auth_result(struct ipc_chan *c, uint32_t peerid, uint32_t reqid,
    const struct auth_result *res)
{
	struct auth_result r;

	/* Field by field, so that the padding goes as zeros. */
	memset(&r, 0, sizeof(r));
	r.status = res->status;
	r.address = res->address;
	r.prefixlen = res->prefixlen;
	r.fixed = res->fixed;
	r.wait = res->wait;
	return ipcmsg_send(c, IMSG_AUTH_RESULT, peerid, reqid, -1, &r,
	    sizeof(r));
}

int
ipcmsg_send_auth_user_gone(struct ipc_chan *c, uint32_t peerid, uint32_t reqid,
    const char *user)
{
	return ipcmsg_send_auth_user(c, IMSG_AUTH_USER_GONE, peerid, reqid,
	    user);
}

int
ipcmsg_send_auth_reloaded(struct ipc_chan *c, uint32_t peerid, uint32_t reqid,
    int32_t error, const char *msg)
{
	return ipcmsg_send_result(c, IMSG_AUTH_RELOADED, peerid, reqid, error,
	    msg);
}

int
ipcmsg_send_auth_config_text(struct ipc_chan *c, uint32_t peerid,
    uint32_t reqid, const void *text, size_t len)
{
	return ipcmsg_send(c, IMSG_AUTH_CONFIG_TEXT, peerid, reqid, -1, text,
	    len);
}

int
ipcmsg_send_log_verbose(struct ipc_chan *c, uint32_t peerid, uint32_t reqid,
    int32_t value)
{
	struct ipc_int v;

	memset(&v, 0, sizeof(v));
	v.value = value;
	return ipcmsg_send(c, IMSG_LOG_VERBOSE, peerid, reqid, -1, &v,
	    sizeof(v));
}
