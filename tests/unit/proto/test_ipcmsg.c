/*
 * The IPC catalogue (proto/ipcmsg.h): the table's descriptors, and the
 * getters that every receiver runs before it trusts a message. Each
 * getter must pass a good message and refuse a wrong size, a string
 * without its NUL, a value out of range, a descriptor where none
 * belongs, another payload, and a message coming the wrong way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "ipc.h"
#include "ipcmsg.h"
#include "peermsg.h"

/* Room for any payload, aligned as a channel's read buffer is. */
static union {
	uint64_t align;
	uint8_t b[4096];
} buf;

/* A message as ipc_read would return it, its payload in buf. */
static struct ipc_msg
msg(uint16_t type, size_t len)
{
	struct ipc_msg m;

	memset(&m, 0, sizeof(m));
	m.hdr.type = type;
	m.hdr.len = (uint32_t)(sizeof(m.hdr) + len);
	m.data = buf.b;
	m.datalen = len;
	m.fd = -1;
	return m;
}

static struct ipc_msg
msg_of(uint16_t type, const void *payload, size_t len)
{
	memset(buf.b, 0, sizeof(buf.b));
	memcpy(buf.b, payload, len);
	return msg(type, len);
}

/* One line of the table, as its descriptor tells it. */
static void
check_line(const char *name, uint16_t type)
{
	const struct ipcmsg_desc *d;
	bool sized;

	assert_non_null(d = ipcmsg_desc(type));
	assert_int_equal(d->type, type);
	assert_string_equal(d->name, name);
	assert_string_equal(ipcmsg_type_name(type), name);
	assert_true(d->dir != 0);
	sized = d->shape == IPCMSG_SHAPE_FIXED || d->shape == IPCMSG_SHAPE_VAR;
	assert_true(sized ? d->payload != NULL && d->size > 0
			  : d->payload == NULL && d->size == 0);
	assert_true(d->shape == IPCMSG_SHAPE_VAR
		? d->entry != NULL && d->entry_size > 0
		: d->entry == NULL && d->entry_size == 0);
}

static void
test_table(void **state)
{
	const struct ipcmsg_desc *d;

	(void)state;
#define CHECK_LINE(name, number, ...) check_line(#name, number);
	IPCMSG_LIST(CHECK_LINE)
#undef CHECK_LINE

	/* The retired IF_INIT and an unknown number. */
	assert_null(ipcmsg_desc(1));
	assert_string_equal(ipcmsg_type_name(1), "unknown");
	assert_null(ipcmsg_desc(0xffff));

	d = ipcmsg_desc(IMSG_IF_DEVICE);
	assert_true(d->fd);
	assert_int_equal(d->dir, IPCMSG_IFMGR_TO_VLAND);
	assert_int_equal(d->size, sizeof(struct if_device));
	assert_false(ipcmsg_desc(IMSG_IF_RESULT)->fd);
	d = ipcmsg_desc(IMSG_IF_ROUTES);
	assert_int_equal(d->shape, IPCMSG_SHAPE_VAR);
	assert_int_equal(d->size, sizeof(struct if_routes));
	assert_int_equal(d->entry_size, sizeof(struct if_route));
	assert_string_equal(d->entry, "if_route");
	assert_int_equal(ipcmsg_desc(IMSG_LOG_VERBOSE)->dir,
	    IPCMSG_VLAND_TO_HELPERS);
	assert_int_equal(ipcmsg_desc(IMSG_AUTH_CONFIG_TEXT)->shape,
	    IPCMSG_SHAPE_TEXT);
}

static void
test_none(void **state)
{
	struct ipc_msg m;

	(void)state;
	m = msg(IMSG_IF_HUB_UP, 0);
	assert_int_equal(ipcmsg_get_none(&m, IPCMSG_VLAND_TO_IFMGR), IPCMSG_OK);
	m = msg(IMSG_IF_HUB_UP, 1);
	assert_int_equal(ipcmsg_get_none(&m, IPCMSG_VLAND_TO_IFMGR),
	    IPCMSG_E_SIZE);
	/* An IF_ message on vland-auth's channel. */
	m = msg(IMSG_IF_RELOAD, 0);
	assert_int_equal(ipcmsg_get_none(&m, IPCMSG_VLAND_TO_AUTH),
	    IPCMSG_E_TYPE);
	m = msg(IMSG_AUTH_RELOAD, 0);
	assert_int_equal(ipcmsg_get_none(&m, IPCMSG_VLAND_TO_AUTH), IPCMSG_OK);
	/* A payload type is not one without. */
	m = msg(IMSG_IF_RESULT, 0);
	assert_int_equal(ipcmsg_get_none(&m, IPCMSG_IFMGR_TO_VLAND),
	    IPCMSG_E_TYPE);
	/* The retired IF_INIT. */
	m = msg(1, 0);
	assert_int_equal(ipcmsg_get_none(&m, IPCMSG_VLAND_TO_IFMGR),
	    IPCMSG_E_TYPE);
	m = msg(IMSG_IF_DEV_DELETE, 0);
	m.fd = 5;
	assert_int_equal(ipcmsg_get_none(&m, IPCMSG_VLAND_TO_IFMGR),
	    IPCMSG_E_FD);
}

static void
test_result(void **state)
{
	struct ipc_result r, out;
	struct ipc_msg m;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.error = 22;
	strcpy(r.msg, "no");
	m = msg_of(IMSG_IF_RESULT, &r, sizeof(r));
	assert_int_equal(ipcmsg_get_result(&m, IPCMSG_IFMGR_TO_VLAND, &out),
	    IPCMSG_OK);
	assert_int_equal(out.error, 22);
	assert_string_equal(out.msg, "no");
	m = msg_of(IMSG_AUTH_RELOADED, &r, sizeof(r));
	assert_int_equal(ipcmsg_get_result(&m, IPCMSG_AUTH_TO_VLAND, &out),
	    IPCMSG_OK);

	/* Wrong sizes. */
	m = msg_of(IMSG_IF_RESULT, &r, sizeof(r) - 1);
	assert_int_equal(ipcmsg_get_result(&m, IPCMSG_IFMGR_TO_VLAND, &out),
	    IPCMSG_E_SIZE);
	m = msg(IMSG_IF_RESULT, sizeof(r) + 1);
	assert_int_equal(ipcmsg_get_result(&m, IPCMSG_IFMGR_TO_VLAND, &out),
	    IPCMSG_E_SIZE);
	/* The message without its NUL. */
	memset(r.msg, 'x', sizeof(r.msg));
	m = msg_of(IMSG_IF_RESULT, &r, sizeof(r));
	assert_int_equal(ipcmsg_get_result(&m, IPCMSG_IFMGR_TO_VLAND, &out),
	    IPCMSG_E_STR);
	r.msg[sizeof(r.msg) - 1] = '\0';
	m = msg_of(IMSG_IF_RESULT, &r, sizeof(r));
	assert_int_equal(ipcmsg_get_result(&m, IPCMSG_IFMGR_TO_VLAND, &out),
	    IPCMSG_OK);
	/* The wrong way: vland-auth's reply on vland-ifmgr's channel, and
	 * the reverse; vland sends no result. */
	m = msg_of(IMSG_AUTH_RELOADED, &r, sizeof(r));
	assert_int_equal(ipcmsg_get_result(&m, IPCMSG_IFMGR_TO_VLAND, &out),
	    IPCMSG_E_TYPE);
	m = msg_of(IMSG_IF_RESULT, &r, sizeof(r));
	assert_int_equal(ipcmsg_get_result(&m, IPCMSG_AUTH_TO_VLAND, &out),
	    IPCMSG_E_TYPE);
	assert_int_equal(ipcmsg_get_result(&m, IPCMSG_VLAND_TO_IFMGR, &out),
	    IPCMSG_E_TYPE);
	/* A descriptor with it is refused; one lost on the way is not
	 * (vland has always let that pass). */
	m.fd = 5;
	assert_int_equal(ipcmsg_get_result(&m, IPCMSG_IFMGR_TO_VLAND, &out),
	    IPCMSG_E_FD);
	m.fd = -1;
	m.fd_lost = true;
	assert_int_equal(ipcmsg_get_result(&m, IPCMSG_IFMGR_TO_VLAND, &out),
	    IPCMSG_OK);
}

static void
test_int(void **state)
{
	struct ipc_int v = { 1 }, out;
	struct ipc_msg m;

	(void)state;
	m = msg_of(IMSG_LOG_VERBOSE, &v, sizeof(v));
	/* Sent to both helpers, by vland only. */
	assert_int_equal(ipcmsg_get_int(&m, IPCMSG_VLAND_TO_IFMGR, &out),
	    IPCMSG_OK);
	assert_int_equal(out.value, 1);
	assert_int_equal(ipcmsg_get_int(&m, IPCMSG_VLAND_TO_AUTH, &out),
	    IPCMSG_OK);
	assert_int_equal(ipcmsg_get_int(&m, IPCMSG_IFMGR_TO_VLAND, &out),
	    IPCMSG_E_TYPE);
	assert_int_equal(ipcmsg_get_int(&m, IPCMSG_AUTH_TO_VLAND, &out),
	    IPCMSG_E_TYPE);
	m = msg_of(IMSG_LOG_VERBOSE, &v, 2);
	assert_int_equal(ipcmsg_get_int(&m, IPCMSG_VLAND_TO_IFMGR, &out),
	    IPCMSG_E_SIZE);
}

/* IF_DNS: strings and counts checked; the values are vland-ifmgr's. */
static void
test_dns(void **state)
{
	static struct if_dns d, out;
	struct ipc_msg m;

	(void)state;
	memset(&d, 0, sizeof(d));
	assert_int_equal(addr_parse("192.0.2.53", &d.set.servers[0]), 0);
	d.set.nservers = 1;
	strcpy(d.set.search[0], "corp.example");
	d.set.nsearch = 1;
	m = msg_of(IMSG_IF_DNS, &d, sizeof(d));
	assert_int_equal(ipcmsg_get_dns(&m, IPCMSG_VLAND_TO_IFMGR, &out),
	    IPCMSG_OK);
	assert_true(dns_set_equal(&out.set, &d.set));
	assert_int_equal(ipcmsg_get_dns(&m, IPCMSG_IFMGR_TO_VLAND, &out),
	    IPCMSG_E_TYPE);
	d.set.nsearch = DNS_SEARCH_MAX + 1;
	m = msg_of(IMSG_IF_DNS, &d, sizeof(d));
	assert_int_equal(ipcmsg_get_dns(&m, IPCMSG_VLAND_TO_IFMGR, &out),
	    IPCMSG_E_RANGE);
	d.set.nsearch = 1;
	memset(d.set.search[5], 'a', sizeof(d.set.search[5]));
	m = msg_of(IMSG_IF_DNS, &d, sizeof(d));
	assert_int_equal(ipcmsg_get_dns(&m, IPCMSG_VLAND_TO_IFMGR, &out),
	    IPCMSG_E_STR);
	m = msg_of(IMSG_IF_DNS, "short", 5);
	assert_int_equal(ipcmsg_get_dns(&m, IPCMSG_VLAND_TO_IFMGR, &out),
	    IPCMSG_E_SIZE);
}

static void
test_users(void **state)
{
	struct if_tap_req t, tout;
	struct auth_user u, uout;
	struct ipc_msg m;

	(void)state;
	memset(&t, 0, sizeof(t));
	strcpy(t.user, "alice");
	m = msg_of(IMSG_IF_TAP_CREATE, &t, sizeof(t));
	assert_int_equal(ipcmsg_get_tap_req(&m, IPCMSG_VLAND_TO_IFMGR, &tout),
	    IPCMSG_OK);
	assert_string_equal(tout.user, "alice");
	/* The size of another payload, under this type: refused by type. */
	memset(&u, 0, sizeof(u));
	m = msg_of(IMSG_IF_TAP_CREATE, &u, sizeof(u));
	assert_int_equal(ipcmsg_get_auth_user(&m, IPCMSG_VLAND_TO_IFMGR, &uout),
	    IPCMSG_E_TYPE);
	m = msg_of(IMSG_IF_TAP_CREATE, &t, sizeof(t));
	memset(t.user, 'a', sizeof(t.user));
	m = msg_of(IMSG_IF_TAP_CREATE, &t, sizeof(t));
	assert_int_equal(ipcmsg_get_tap_req(&m, IPCMSG_VLAND_TO_IFMGR, &tout),
	    IPCMSG_E_STR);
	m = msg_of(IMSG_IF_TAP_CREATE, "short", 5);
	assert_int_equal(ipcmsg_get_tap_req(&m, IPCMSG_VLAND_TO_IFMGR, &tout),
	    IPCMSG_E_SIZE);

	memset(&u, 0, sizeof(u));
	strcpy(u.user, "bob");
	m = msg_of(IMSG_AUTH_RELEASE, &u, sizeof(u));
	assert_int_equal(ipcmsg_get_auth_user(&m, IPCMSG_VLAND_TO_AUTH, &uout),
	    IPCMSG_OK);
	assert_string_equal(uout.user, "bob");
	/* AUTH_RELEASE is vland's, AUTH_USER_GONE vland-auth's. */
	assert_int_equal(ipcmsg_get_auth_user(&m, IPCMSG_AUTH_TO_VLAND, &uout),
	    IPCMSG_E_TYPE);
	m = msg_of(IMSG_AUTH_USER_GONE, &u, sizeof(u));
	assert_int_equal(ipcmsg_get_auth_user(&m, IPCMSG_AUTH_TO_VLAND, &uout),
	    IPCMSG_OK);
	assert_int_equal(ipcmsg_get_auth_user(&m, IPCMSG_VLAND_TO_AUTH, &uout),
	    IPCMSG_E_TYPE);
	memset(u.user, 'b', sizeof(u.user));
	m = msg_of(IMSG_AUTH_USER_GONE, &u, sizeof(u));
	assert_int_equal(ipcmsg_get_auth_user(&m, IPCMSG_AUTH_TO_VLAND, &uout),
	    IPCMSG_E_STR);
}

static void
test_dev(void **state)
{
	struct if_dev_req r, rout;
	struct if_device d, dout;
	struct ipc_msg m;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.mtu = 1420;
	m = msg_of(IMSG_IF_DEV_CREATE, &r, sizeof(r));
	assert_int_equal(ipcmsg_get_dev_req(&m, IPCMSG_VLAND_TO_IFMGR, &rout),
	    IPCMSG_OK);
	assert_int_equal(rout.mtu, 1420);
	m = msg_of(IMSG_IF_DEV_CREATE, &r, sizeof(r) - 6);
	assert_int_equal(ipcmsg_get_dev_req(&m, IPCMSG_VLAND_TO_IFMGR, &rout),
	    IPCMSG_E_SIZE);

	memset(&d, 0, sizeof(d));
	strcpy(d.ifname, "vl-alice");
	d.ifindex = 7;
	m = msg_of(IMSG_IF_DEVICE, &d, sizeof(d));
	/* It must bring its descriptor, or say that it was lost. */
	assert_int_equal(ipcmsg_get_device(&m, IPCMSG_IFMGR_TO_VLAND, &dout),
	    IPCMSG_E_FD);
	m.fd_lost = true;
	assert_int_equal(ipcmsg_get_device(&m, IPCMSG_IFMGR_TO_VLAND, &dout),
	    IPCMSG_OK);
	m.fd_lost = false;
	m.fd = 5;
	assert_int_equal(ipcmsg_get_device(&m, IPCMSG_IFMGR_TO_VLAND, &dout),
	    IPCMSG_OK);
	assert_string_equal(dout.ifname, "vl-alice");
	assert_int_equal(dout.ifindex, 7);
	assert_int_equal(ipcmsg_get_device(&m, IPCMSG_VLAND_TO_IFMGR, &dout),
	    IPCMSG_E_TYPE);
	memset(d.ifname, 'v', sizeof(d.ifname));
	m = msg_of(IMSG_IF_DEVICE, &d, sizeof(d));
	m.fd = 5;
	assert_int_equal(ipcmsg_get_device(&m, IPCMSG_IFMGR_TO_VLAND, &dout),
	    IPCMSG_E_STR);
}

static void
test_auth_check(void **state)
{
	struct auth_check c, out;
	struct ipc_msg m;

	(void)state;
	memset(&c, 0, sizeof(c));
	strcpy(c.user, "alice");
	strcpy(c.password, "secret");
	c.source.af = AF_INET;
	m = msg_of(IMSG_AUTH_CHECK, &c, sizeof(c));
	assert_int_equal(ipcmsg_get_auth_check(&m, IPCMSG_VLAND_TO_AUTH, &out),
	    IPCMSG_OK);
	assert_string_equal(out.password, "secret");
	c.source.af = AF_INET6;
	m = msg_of(IMSG_AUTH_CHECK, &c, sizeof(c));
	assert_int_equal(ipcmsg_get_auth_check(&m, IPCMSG_VLAND_TO_AUTH, &out),
	    IPCMSG_OK);
	assert_int_equal(ipcmsg_get_auth_check(&m, IPCMSG_AUTH_TO_VLAND, &out),
	    IPCMSG_E_TYPE);
	m = msg_of(IMSG_AUTH_CHECK, &c, sizeof(c) - 1);
	assert_int_equal(ipcmsg_get_auth_check(&m, IPCMSG_VLAND_TO_AUTH, &out),
	    IPCMSG_E_SIZE);

	/* An address family out of range, told to the caller. */
	c.source.af = 0;
	m = msg_of(IMSG_AUTH_CHECK, &c, sizeof(c));
	assert_int_equal(ipcmsg_get_auth_check(&m, IPCMSG_VLAND_TO_AUTH, &out),
	    IPCMSG_E_RANGE);
	c.source.af = AF_UNIX;
	m = msg_of(IMSG_AUTH_CHECK, &c, sizeof(c));
	assert_int_equal(ipcmsg_get_auth_check(&m, IPCMSG_VLAND_TO_AUTH, &out),
	    IPCMSG_E_RANGE);
	assert_int_equal(out.source.af, AF_UNIX);

	/* The password, then the user, without a NUL: a bad string counts
	 * before a bad family, as vland-auth has always said. */
	memset(c.password, 'p', sizeof(c.password));
	m = msg_of(IMSG_AUTH_CHECK, &c, sizeof(c));
	assert_int_equal(ipcmsg_get_auth_check(&m, IPCMSG_VLAND_TO_AUTH, &out),
	    IPCMSG_E_STR);
	c.password[0] = '\0';
	c.source.af = AF_INET;
	memset(c.user, 'u', sizeof(c.user));
	m = msg_of(IMSG_AUTH_CHECK, &c, sizeof(c));
	assert_int_equal(ipcmsg_get_auth_check(&m, IPCMSG_VLAND_TO_AUTH, &out),
	    IPCMSG_E_STR);
}

static void
test_auth_result(void **state)
{
	struct auth_result r, out;
	struct ipc_msg m;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.status = AUTH_S_OK;
	r.address.af = AF_INET;
	r.prefixlen = 24;
	m = msg_of(IMSG_AUTH_RESULT, &r, sizeof(r));
	assert_int_equal(ipcmsg_get_auth_result(&m, IPCMSG_AUTH_TO_VLAND, &out),
	    IPCMSG_OK);
	assert_int_equal(out.prefixlen, 24);
	assert_int_equal(ipcmsg_get_auth_result(&m, IPCMSG_VLAND_TO_AUTH, &out),
	    IPCMSG_E_TYPE);
	assert_int_equal(ipcmsg_get_auth_result(&m, IPCMSG_IFMGR_TO_VLAND,
			     &out),
	    IPCMSG_E_TYPE);
	m = msg(IMSG_AUTH_RESULT, sizeof(r) + 1);
	assert_int_equal(ipcmsg_get_auth_result(&m, IPCMSG_AUTH_TO_VLAND, &out),
	    IPCMSG_E_SIZE);

	/* A success out of range: family, prefix lengths. */
	r.address.af = AF_INET6;
	m = msg_of(IMSG_AUTH_RESULT, &r, sizeof(r));
	assert_int_equal(ipcmsg_get_auth_result(&m, IPCMSG_AUTH_TO_VLAND, &out),
	    IPCMSG_E_RANGE);
	r.address.af = AF_INET;
	r.prefixlen = 7;
	m = msg_of(IMSG_AUTH_RESULT, &r, sizeof(r));
	assert_int_equal(ipcmsg_get_auth_result(&m, IPCMSG_AUTH_TO_VLAND, &out),
	    IPCMSG_E_RANGE);
	r.prefixlen = 31;
	m = msg_of(IMSG_AUTH_RESULT, &r, sizeof(r));
	assert_int_equal(ipcmsg_get_auth_result(&m, IPCMSG_AUTH_TO_VLAND, &out),
	    IPCMSG_E_RANGE);
	r.prefixlen = 30;
	m = msg_of(IMSG_AUTH_RESULT, &r, sizeof(r));
	assert_int_equal(ipcmsg_get_auth_result(&m, IPCMSG_AUTH_TO_VLAND, &out),
	    IPCMSG_OK);

	/* A refusal carries no address; an unknown status is a refusal. */
	memset(&r, 0, sizeof(r));
	r.status = AUTH_S_BUSY;
	r.wait = 3;
	m = msg_of(IMSG_AUTH_RESULT, &r, sizeof(r));
	assert_int_equal(ipcmsg_get_auth_result(&m, IPCMSG_AUTH_TO_VLAND, &out),
	    IPCMSG_OK);
	assert_int_equal(out.wait, 3);
	r.status = 99;
	m = msg_of(IMSG_AUTH_RESULT, &r, sizeof(r));
	assert_int_equal(ipcmsg_get_auth_result(&m, IPCMSG_AUTH_TO_VLAND, &out),
	    IPCMSG_OK);
}

/* IF_ROUTES with n routes in buf, its count saying count. */
static struct ipc_msg
routes_msg(uint32_t count, uint32_t n)
{
	struct if_routes h;
	struct if_route r;
	uint32_t i;

	memset(buf.b, 0, sizeof(buf.b));
	memset(&h, 0, sizeof(h));
	h.version = 9;
	h.count = count;
	memcpy(buf.b, &h, sizeof(h));
	for (i = 0; i < n; i++) {
		memset(&r, 0, sizeof(r));
		r.cidr.a.af = AF_INET;
		r.cidr.len = (uint8_t)(8 + i);
		memcpy(buf.b + sizeof(h) + i * sizeof(r), &r, sizeof(r));
	}
	return msg(IMSG_IF_ROUTES, ipcmsg_routes_size(n));
}

static void
test_routes(void **state)
{
	const struct if_routes *h;
	const struct if_route *r;
	struct ipc_msg m;

	(void)state;
	m = routes_msg(2, 2);
	assert_int_equal(ipcmsg_get_routes(&m, IPCMSG_VLAND_TO_IFMGR, &h, &r),
	    IPCMSG_OK);
	assert_int_equal(h->version, 9);
	assert_int_equal(h->count, 2);
	assert_int_equal(r[1].cidr.len, 9);
	assert_ptr_equal(r, buf.b + sizeof(struct if_routes));
	m = routes_msg(0, 0);
	assert_int_equal(ipcmsg_get_routes(&m, IPCMSG_VLAND_TO_IFMGR, &h, &r),
	    IPCMSG_OK);
	assert_int_equal(ipcmsg_get_routes(&m, IPCMSG_IFMGR_TO_VLAND, &h, &r),
	    IPCMSG_E_TYPE);

	/* A count that is not the size, both ways; a byte more; a head
	 * cut short; too many routes. */
	m = routes_msg(3, 2);
	assert_int_equal(ipcmsg_get_routes(&m, IPCMSG_VLAND_TO_IFMGR, &h, &r),
	    IPCMSG_E_SIZE);
	m = routes_msg(1, 2);
	assert_int_equal(ipcmsg_get_routes(&m, IPCMSG_VLAND_TO_IFMGR, &h, &r),
	    IPCMSG_E_SIZE);
	m = routes_msg(2, 2);
	m.datalen++;
	assert_int_equal(ipcmsg_get_routes(&m, IPCMSG_VLAND_TO_IFMGR, &h, &r),
	    IPCMSG_E_SIZE);
	m.datalen = sizeof(struct if_routes) - 1;
	assert_int_equal(ipcmsg_get_routes(&m, IPCMSG_VLAND_TO_IFMGR, &h, &r),
	    IPCMSG_E_SIZE);
	m = routes_msg(IPCMSG_ROUTES_MAX + 1, 0);
	m.datalen = ipcmsg_routes_size(IPCMSG_ROUTES_MAX + 1);
	assert_int_equal(ipcmsg_get_routes(&m, IPCMSG_VLAND_TO_IFMGR, &h, &r),
	    IPCMSG_E_RANGE);
}

/* IF_ROUTES_RESULT with n refusals in buf. */
static struct ipc_msg
refusals_msg(uint32_t installed, uint32_t n, bool terminated)
{
	struct if_routes_result h;
	struct if_route_refusal r;
	uint32_t i;

	memset(buf.b, 0, sizeof(buf.b));
	memset(&h, 0, sizeof(h));
	h.version = 4;
	h.installed = installed;
	h.count = n;
	memcpy(buf.b, &h, sizeof(h));
	for (i = 0; i < n; i++) {
		memset(&r, 0, sizeof(r));
		r.reason = RR_VPN;
		if (terminated)
			strcpy(r.why, "inside the VPN subnet");
		else
			memset(r.why, 'w', sizeof(r.why));
		memcpy(buf.b + sizeof(h) + i * sizeof(r), &r, sizeof(r));
	}
	return msg(IMSG_IF_ROUTES_RESULT, ipcmsg_routes_result_size(n));
}

static void
test_routes_result(void **state)
{
	const struct if_routes_result *h;
	const struct if_route_refusal *r;
	struct ipc_msg m;

	(void)state;
	m = refusals_msg(3, 2, true);
	assert_int_equal(ipcmsg_get_routes_result(&m, IPCMSG_IFMGR_TO_VLAND, &h,
			     &r),
	    IPCMSG_OK);
	assert_int_equal(h->installed, 3);
	assert_string_equal(r[1].why, "inside the VPN subnet");
	assert_int_equal(ipcmsg_get_routes_result(&m, IPCMSG_VLAND_TO_IFMGR, &h,
			     &r),
	    IPCMSG_E_TYPE);
	m.fd = 5;
	assert_int_equal(ipcmsg_get_routes_result(&m, IPCMSG_IFMGR_TO_VLAND, &h,
			     &r),
	    IPCMSG_E_FD);
	m = refusals_msg(3, 2, false);
	assert_int_equal(ipcmsg_get_routes_result(&m, IPCMSG_IFMGR_TO_VLAND, &h,
			     &r),
	    IPCMSG_E_STR);
	m = refusals_msg(IPCMSG_ROUTES_MAX + 1, 0, true);
	assert_int_equal(ipcmsg_get_routes_result(&m, IPCMSG_IFMGR_TO_VLAND, &h,
			     &r),
	    IPCMSG_E_RANGE);
	m = refusals_msg(0, 1, true);
	m.datalen--;
	assert_int_equal(ipcmsg_get_routes_result(&m, IPCMSG_IFMGR_TO_VLAND, &h,
			     &r),
	    IPCMSG_E_SIZE);
}

static void
test_text(void **state)
{
	const uint8_t *t;
	struct ipc_msg m;
	size_t len;

	(void)state;
	m = msg_of(IMSG_AUTH_CONFIG_TEXT, "ip: x\n", 6);
	assert_int_equal(ipcmsg_get_text(&m, IPCMSG_AUTH_TO_VLAND, &t, &len),
	    IPCMSG_OK);
	assert_int_equal(len, 6);
	assert_memory_equal(t, "ip: x\n", 6);
	m = msg(IMSG_AUTH_CONFIG_TEXT, 0);
	assert_int_equal(ipcmsg_get_text(&m, IPCMSG_AUTH_TO_VLAND, &t, &len),
	    IPCMSG_OK);
	assert_int_equal(len, 0);
	assert_int_equal(ipcmsg_get_text(&m, IPCMSG_VLAND_TO_AUTH, &t, &len),
	    IPCMSG_E_TYPE);
	m = msg(IMSG_AUTH_CONFIG_GET, 0);
	assert_int_equal(ipcmsg_get_text(&m, IPCMSG_VLAND_TO_AUTH, &t, &len),
	    IPCMSG_E_TYPE);
}

/* Two ends of a channel that passes descriptors. */
static struct ipc_chan tx, rx;

static int
chan_setup(void **state)
{
	int sv[2];

	(void)state;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == -1 ||
	    ipc_init(&tx, sv[0], 1) == -1 || ipc_init(&rx, sv[1], 1) == -1)
		return -1;
	return 0;
}

static int
chan_teardown(void **state)
{
	(void)state;
	ipc_clear(&tx);
	ipc_clear(&rx);
	return 0;
}

/* The next record on rx, which must be of type, for peerid and reqid. */
static struct ipc_msg
next(uint16_t type, uint32_t peerid, uint32_t reqid)
{
	struct ipc_msg m;

	assert_int_equal(ipc_read(&rx, &m), 1);
	assert_int_equal(m.hdr.type, type);
	assert_int_equal(m.hdr.peerid, peerid);
	assert_int_equal(m.hdr.reqid, reqid);
	return m;
}

/* What each typed sender sends, its getter takes back whole. */
static void
test_send_ifmgr(void **state)
{
	struct pmsg_routes set;
	struct prefix ip, ip6;
	struct addr under;
	const uint8_t mac[6] = { 0x62, 0xe2, 10, 0, 0, 9 };
	struct if_tap_req tap;
	struct if_dev_req dev;
	struct if_device d;
	struct ipc_result r;
	struct ipc_int v;
	const struct if_routes *rh;
	const struct if_route *rt;
	struct ipc_msg m;
	int pfd[2];

	(void)state;
	assert_int_equal(ipcmsg_send_if_hub_up(&tx, 0, IFREQ_SETUP), 0);
	m = next(IMSG_IF_HUB_UP, 0, IFREQ_SETUP);
	assert_int_equal(ipcmsg_get_none(&m, IPCMSG_VLAND_TO_IFMGR), IPCMSG_OK);

	assert_int_equal(addr_parse("10.0.0.7", &ip.a), 0);
	assert_int_equal(ipcmsg_send_if_tap_create(&tx, 7, IFREQ_SETUP, "alice",
			     &ip.a),
	    0);
	m = next(IMSG_IF_TAP_CREATE, 7, IFREQ_SETUP);
	assert_int_equal(ipcmsg_get_tap_req(&m, IPCMSG_VLAND_TO_IFMGR, &tap),
	    IPCMSG_OK);
	assert_string_equal(tap.user, "alice");
	assert_int_equal(tap.addr.af, AF_INET);
	assert_memory_equal(&tap.addr.v4, &ip.a.v4, 4);

	memset(&ip, 0, sizeof(ip));
	memset(&ip6, 0, sizeof(ip6));
	memset(&under, 0, sizeof(under));
	assert_int_equal(addr_parse("10.0.0.9", &ip.a), 0);
	ip.len = 24;
	assert_int_equal(addr_parse("192.0.2.1", &under), 0);
	assert_int_equal(ipcmsg_send_if_dev_create(&tx, 0, IFREQ_SETUP, &ip,
			     &ip6, &under, 1420, mac),
	    0);
	m = next(IMSG_IF_DEV_CREATE, 0, IFREQ_SETUP);
	assert_int_equal(ipcmsg_get_dev_req(&m, IPCMSG_VLAND_TO_IFMGR, &dev),
	    IPCMSG_OK);
	assert_int_equal(addr_cmp(&dev.ip.a, &ip.a), 0);
	assert_int_equal(dev.ip.len, 24);
	assert_int_equal(addr_cmp(&dev.underlay, &under), 0);
	assert_int_equal(dev.ip6.a.af, 0);
	assert_int_equal(dev.mtu, 1420);
	assert_memory_equal(dev.mac, mac, 6);

	assert_int_equal(ipcmsg_send_if_dev_delete(&tx, 7, IFREQ_NONE), 0);
	m = next(IMSG_IF_DEV_DELETE, 7, IFREQ_NONE);
	assert_int_equal(ipcmsg_get_none(&m, IPCMSG_VLAND_TO_IFMGR), IPCMSG_OK);

	memset(&set, 0, sizeof(set));
	set.version = 5;
	set.count = 2;
	set.r[1].dst = ip;
	set.r[1].nexthop = under;
	assert_int_equal(ipcmsg_send_if_routes(&tx, 0, IFREQ_ROUTES, &set,
			     &under),
	    0);
	m = next(IMSG_IF_ROUTES, 0, IFREQ_ROUTES);
	assert_int_equal(ipcmsg_get_routes(&m, IPCMSG_VLAND_TO_IFMGR, &rh, &rt),
	    IPCMSG_OK);
	assert_int_equal(rh->version, 5);
	assert_int_equal(rh->count, 2);
	assert_int_equal(addr_cmp(&rh->underlay, &under), 0);
	assert_int_equal(rt[1].cidr.len, 24);
	assert_int_equal(addr_cmp(&rt[1].nexthop, &under), 0);
	/* A hub's set: no underlay. */
	assert_int_equal(ipcmsg_send_if_routes(&tx, 0, IFREQ_ROUTES, &set,
			     NULL),
	    0);
	m = next(IMSG_IF_ROUTES, 0, IFREQ_ROUTES);
	assert_int_equal(ipcmsg_get_routes(&m, IPCMSG_VLAND_TO_IFMGR, &rh, &rt),
	    IPCMSG_OK);
	assert_int_equal(rh->underlay.af, 0);

	assert_int_equal(ipcmsg_send_if_reload(&tx, 0, IFREQ_RELOAD), 0);
	m = next(IMSG_IF_RELOAD, 0, IFREQ_RELOAD);
	assert_int_equal(ipcmsg_get_none(&m, IPCMSG_VLAND_TO_IFMGR), IPCMSG_OK);

	assert_int_equal(ipcmsg_send_log_verbose(&tx, 0, IFREQ_NONE, 1), 0);
	m = next(IMSG_LOG_VERBOSE, 0, IFREQ_NONE);
	assert_int_equal(ipcmsg_get_int(&m, IPCMSG_VLAND_TO_IFMGR, &v),
	    IPCMSG_OK);
	assert_int_equal(v.value, 1);

	/* Replies. A message is cut to its field; NULL is none. */
	assert_int_equal(ipcmsg_send_if_result(&tx, 7, IFREQ_SETUP, 17,
			     "exists"),
	    0);
	m = next(IMSG_IF_RESULT, 7, IFREQ_SETUP);
	assert_int_equal(ipcmsg_get_result(&m, IPCMSG_IFMGR_TO_VLAND, &r),
	    IPCMSG_OK);
	assert_int_equal(r.error, 17);
	assert_string_equal(r.msg, "exists");
	assert_int_equal(ipcmsg_send_if_result(&tx, 0, IFREQ_RELOAD, 0, NULL),
	    0);
	m = next(IMSG_IF_RESULT, 0, IFREQ_RELOAD);
	assert_int_equal(ipcmsg_get_result(&m, IPCMSG_IFMGR_TO_VLAND, &r),
	    IPCMSG_OK);
	assert_string_equal(r.msg, "");

	assert_int_equal(pipe(pfd), 0);
	assert_int_equal(ipcmsg_send_if_device(&tx, 7, IFREQ_SETUP, pfd[0],
			     "vl-alice", 12),
	    0);
	m = next(IMSG_IF_DEVICE, 7, IFREQ_SETUP);
	assert_true(m.fd != -1);
	assert_int_equal(ipcmsg_get_device(&m, IPCMSG_IFMGR_TO_VLAND, &d),
	    IPCMSG_OK);
	assert_string_equal(d.ifname, "vl-alice");
	assert_int_equal(d.ifindex, 12);
	close(m.fd);
	/* IF_DEVICE goes with its descriptor, nothing else with one. */
	errno = 0;
	assert_int_equal(ipcmsg_send_if_device(&tx, 7, IFREQ_SETUP, -1,
			     "vl-alice", 12),
	    -1);
	assert_int_equal(errno, EINVAL);
	close(pfd[0]);
	close(pfd[1]);
}

static void
test_send_routes_result(void **state)
{
	union {
		struct if_routes_result h;
		uint8_t b[sizeof(struct if_routes_result) +
		    2 * sizeof(struct if_route_refusal)];
	} u;
	struct if_route_refusal *ref = (struct if_route_refusal *)(&u.h + 1);
	const struct if_routes_result *rh;
	const struct if_route_refusal *rr;
	struct ipc_msg m;

	(void)state;
	memset(&u, 0, sizeof(u));
	u.h.version = 3;
	u.h.installed = 1;
	u.h.count = 2;
	ref[1].reason = RR_DEFAULT;
	strcpy(ref[1].why, "the default route");
	assert_int_equal(ipcmsg_send_if_routes_result(&tx, 0, IFREQ_ROUTES,
			     &u.h),
	    0);
	m = next(IMSG_IF_ROUTES_RESULT, 0, IFREQ_ROUTES);
	assert_int_equal(m.datalen, sizeof(u));
	assert_int_equal(ipcmsg_get_routes_result(&m, IPCMSG_IFMGR_TO_VLAND,
			     &rh, &rr),
	    IPCMSG_OK);
	assert_int_equal(rh->installed, 1);
	assert_int_equal(rr[1].reason, RR_DEFAULT);
	assert_string_equal(rr[1].why, "the default route");
	u.h.count = IPCMSG_ROUTES_MAX + 1;
	assert_int_equal(ipcmsg_send_if_routes_result(&tx, 0, IFREQ_ROUTES,
			     &u.h),
	    -1);
}

static void
test_send_auth(void **state)
{
	char pw[IPCMSG_PASSWORD_MAX + 1];
	struct auth_result res, rout;
	struct auth_check c;
	struct auth_user u;
	struct ipc_result r;
	struct addr src;
	const uint8_t *text;
	struct ipc_msg m;
	size_t len;

	(void)state;
	memset(&src, 0, sizeof(src));
	assert_int_equal(addr_parse("2001:db8::1", &src), 0);
	assert_int_equal(ipcmsg_send_auth_check(&tx, 9, 9, "alice", "pw", 2,
			     &src),
	    0);
	m = next(IMSG_AUTH_CHECK, 9, 9);
	assert_int_equal(ipcmsg_get_auth_check(&m, IPCMSG_VLAND_TO_AUTH, &c),
	    IPCMSG_OK);
	assert_string_equal(c.user, "alice");
	assert_string_equal(c.password, "pw");
	assert_int_equal(addr_cmp(&c.source, &src), 0);
	/* A password longer than AUTH_CHECK carries is not cut: refused. */
	memset(pw, 'p', sizeof(pw));
	assert_int_equal(ipcmsg_send_auth_check(&tx, 9, 9, "alice", pw,
			     sizeof(pw), &src),
	    -1);
	assert_int_equal(ipcmsg_send_auth_check(&tx, 9, 9, "alice", pw,
			     IPCMSG_PASSWORD_MAX, &src),
	    0);
	m = next(IMSG_AUTH_CHECK, 9, 9);
	assert_int_equal(ipcmsg_get_auth_check(&m, IPCMSG_VLAND_TO_AUTH, &c),
	    IPCMSG_OK);
	assert_int_equal(strlen(c.password), IPCMSG_PASSWORD_MAX);

	assert_int_equal(ipcmsg_send_auth_release(&tx, 0, AUTHREQ_NONE, "bob"),
	    0);
	m = next(IMSG_AUTH_RELEASE, 0, AUTHREQ_NONE);
	assert_int_equal(ipcmsg_get_auth_user(&m, IPCMSG_VLAND_TO_AUTH, &u),
	    IPCMSG_OK);
	assert_string_equal(u.user, "bob");
	assert_int_equal(ipcmsg_send_auth_reload(&tx, 0, AUTHREQ_NONE), 0);
	m = next(IMSG_AUTH_RELOAD, 0, AUTHREQ_NONE);
	assert_int_equal(ipcmsg_get_none(&m, IPCMSG_VLAND_TO_AUTH), IPCMSG_OK);
	assert_int_equal(ipcmsg_send_auth_config_get(&tx, 0, AUTHREQ_NONE), 0);
	m = next(IMSG_AUTH_CONFIG_GET, 0, AUTHREQ_NONE);
	assert_int_equal(ipcmsg_get_none(&m, IPCMSG_VLAND_TO_AUTH), IPCMSG_OK);

	memset(&res, 0, sizeof(res));
	res.status = AUTH_S_OK;
	assert_int_equal(addr_parse("10.0.0.7", &res.address), 0);
	res.prefixlen = 24;
	res.fixed = 1;
	assert_int_equal(ipcmsg_send_auth_result(&tx, 9, 9, &res), 0);
	m = next(IMSG_AUTH_RESULT, 9, 9);
	assert_int_equal(ipcmsg_get_auth_result(&m, IPCMSG_AUTH_TO_VLAND,
			     &rout),
	    IPCMSG_OK);
	assert_memory_equal(&rout, &res, sizeof(res));

	assert_int_equal(ipcmsg_send_auth_user_gone(&tx, 0, 0, "carol"), 0);
	m = next(IMSG_AUTH_USER_GONE, 0, 0);
	assert_int_equal(ipcmsg_get_auth_user(&m, IPCMSG_AUTH_TO_VLAND, &u),
	    IPCMSG_OK);
	assert_string_equal(u.user, "carol");
	assert_int_equal(ipcmsg_send_auth_reloaded(&tx, 0, 0, 0, "3 users"), 0);
	m = next(IMSG_AUTH_RELOADED, 0, 0);
	assert_int_equal(ipcmsg_get_result(&m, IPCMSG_AUTH_TO_VLAND, &r),
	    IPCMSG_OK);
	assert_string_equal(r.msg, "3 users");
	assert_int_equal(ipcmsg_send_auth_config_text(&tx, 0, 0, "mode: tap\n",
			     10),
	    0);
	m = next(IMSG_AUTH_CONFIG_TEXT, 0, 0);
	assert_int_equal(ipcmsg_get_text(&m, IPCMSG_AUTH_TO_VLAND, &text, &len),
	    IPCMSG_OK);
	assert_int_equal(len, 10);
	assert_memory_equal(text, "mode: tap\n", 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_result),
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_users),
		cmocka_unit_test(test_dev),
		cmocka_unit_test(test_dns),
		cmocka_unit_test(test_auth_check),
		cmocka_unit_test(test_auth_result),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_routes_result),
		cmocka_unit_test(test_text),
		cmocka_unit_test_setup_teardown(test_send_ifmgr, chan_setup,
		    chan_teardown),
		cmocka_unit_test_setup_teardown(test_send_routes_result,
		    chan_setup, chan_teardown),
		cmocka_unit_test_setup_teardown(test_send_auth, chan_setup,
		    chan_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
