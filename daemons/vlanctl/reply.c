/*
 * One record of vland's answer (reply.h): checked, then handed to the
 * output of the chosen format. No I/O here but the output's own.
 */
#include <stdlib.h>
#include <string.h>

#include "reply.h"

/*
 * Every string a record carries must end inside its field, and be
 * printable ASCII, as all vland sends are (user and interface names,
 * keys, host names, its messages): vland is not trusted to format for
 * us, nor to send well-formed strings. Other bytes would reach the
 * terminal as they are, and jansson refuses text that is not UTF-8
 * (vlanctl -j then stopped with "out of memory" and printed nothing).
 */
static bool
str_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return false;
	return i < n;
}

#define STR_OK(s) str_ok((s), sizeof(s))

static bool
endpoint_ok(const struct ctl_endpoint *e)
{
	return STR_OK(e->user) && STR_OK(e->ifname);
}

static bool
status_ok(const struct ctl_status *s)
{
	return STR_OK(s->pubkey) && STR_OK(s->server) && STR_OK(s->ifname) &&
	    STR_OK(s->conn_state) && STR_OK(s->conn_event);
}

static bool
route_ok(const struct ctl_route *r)
{
	return STR_OK(r->nexthop) && STR_OK(r->where) && STR_OK(r->refused);
}

void
reply_begin(struct reply *r, const struct output *o, uint16_t request)
{
	memset(r, 0, sizeof(*r));
	r->o = o;
	r->request = request;
	r->first = true;
	if (request == CTL_SHOW_ENDPOINTS) {
		o->endpoints_begin();
		r->listing = true;
	} else if (request == CTL_SHOW_ROUTES) {
		o->routes_begin();
	}
}

enum reply_step
reply_record(struct reply *r, const struct ipc_msg *m)
{
	const struct output *o = r->o;
	struct ctl_endpoint e;
	struct ctl_route rt;
	struct ctl_status *st;

	/* A record only in the answer it belongs to: the JSON output has
	 * no list to put an endpoint or a route in otherwise. */
	if (m->hdr.type == CTL_R_ENDPOINT && r->request == CTL_SHOW_ENDPOINTS &&
	    ipc_get_exact(m, &e, sizeof(e)) == 0 && endpoint_ok(&e)) {
		o->endpoint(&e, r->first);
		r->first = false;
	} else if (m->hdr.type == CTL_R_STATUS &&
	    r->request == CTL_SHOW_STATUS && m->datalen == sizeof(*st)) {
		if ((st = malloc(sizeof(*st))) == NULL)
			return REPLY_NOMEM;
		memcpy(st, m->data, sizeof(*st));
		if (!status_ok(st)) {
			free(st);
			return REPLY_MALFORMED;
		}
		o->status(st);
		free(st);
	} else if (m->hdr.type == CTL_R_ROUTE &&
	    r->request == CTL_SHOW_ROUTES &&
	    ipc_get_exact(m, &rt, sizeof(rt)) == 0 && route_ok(&rt)) {
		o->route(&rt, r->first);
		r->first = false;
	} else if (m->hdr.type == CTL_R_END &&
	    ipc_get_exact(m, &r->end, sizeof(r->end)) == 0 &&
	    STR_OK(r->end.msg)) {
		if (r->listing)
			o->endpoints_end();
		else if (r->request == CTL_SHOW_ROUTES)
			o->routes_end();
		return REPLY_DONE;
	} else {
		return REPLY_MALFORMED;
	}
	return REPLY_MORE;
}
