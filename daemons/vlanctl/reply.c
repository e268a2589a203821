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
endpoint_ok(const void *rec)
{
	const struct ctl_endpoint *e = rec;

	return STR_OK(e->user) && STR_OK(e->ifname);
}

static bool
status_ok(const void *rec)
{
	const struct ctl_status *s = rec;

	return STR_OK(s->pubkey) && STR_OK(s->server) && STR_OK(s->ifname) &&
	    STR_OK(s->conn_state) && STR_OK(s->conn_event);
}

static bool
route_ok(const void *rec)
{
	const struct ctl_route *r = rec;

	return STR_OK(r->nexthop) && STR_OK(r->where) && STR_OK(r->refused);
}

static bool
session_ok(const void *rec)
{
	const struct ctl_session *s = rec;

	return STR_OK(s->user) && STR_OK(s->state) && STR_OK(s->event);
}

static bool
peer_ok(const void *rec)
{
	const struct ctl_peer *p = rec;

	return STR_OK(p->user) && p->path <= CTL_PATH_DIRECT;
}

const struct show_kind show_kinds[] = {
	{ "endpoints", CTL_SHOW_ENDPOINTS, CTL_R_ENDPOINT,
	    sizeof(struct ctl_endpoint), endpoint_ok, &text_endpoints,
	    &json_endpoints },
	{ "status", CTL_SHOW_STATUS, CTL_R_STATUS, sizeof(struct ctl_status),
	    status_ok, &text_status, &json_status },
	{ "routes", CTL_SHOW_ROUTES, CTL_R_ROUTE, sizeof(struct ctl_route),
	    route_ok, &text_routes, &json_routes },
	{ "sessions", CTL_SHOW_SESSIONS, CTL_R_SESSION,
	    sizeof(struct ctl_session), session_ok, &text_sessions,
	    &json_sessions },
	{ "peers", CTL_SHOW_PEERS, CTL_R_PEER, sizeof(struct ctl_peer), peer_ok,
	    &text_peers, &json_peers },
};
const size_t show_nkinds = sizeof(show_kinds) / sizeof(show_kinds[0]);

const struct show_kind *
show_kind_of(uint16_t request)
{
	size_t i;

	for (i = 0; i < show_nkinds; i++)
		if (show_kinds[i].request == request)
			return &show_kinds[i];
	return NULL;
}

void
reply_begin(struct reply *r, uint16_t request, bool json)
{
	memset(r, 0, sizeof(*r));
	r->request = request;
	r->first = true;
	if ((r->kind = show_kind_of(request)) == NULL)
		return;
	r->f = json ? r->kind->json : r->kind->text;
	if (r->f->begin != NULL)
		r->f->begin();
}

void
reply_abandon(struct reply *r)
{
	if (r->f != NULL && r->f->end != NULL && !r->ended)
		r->f->end();
	r->ended = true;
}

/* A record of the kind asked for, copied (records may be large and
 * data is not aligned for them), checked, printed. */
static enum reply_step
reply_one(struct reply *r, const struct ipc_msg *m)
{
	void *rec;
	bool ok;

	if ((rec = malloc(r->kind->size)) == NULL)
		return REPLY_NOMEM;
	memcpy(rec, m->data, r->kind->size);
	if ((ok = r->kind->ok(rec)))
		r->f->record(rec, r->first);
	free(rec);
	r->first = false;
	return ok ? REPLY_MORE : REPLY_MALFORMED;
}

enum reply_step
reply_record(struct reply *r, const struct ipc_msg *m)
{
	/* A record only in the answer it belongs to: the JSON output has
	 * no list to put an endpoint or a route in otherwise. */
	if (r->kind != NULL && m->hdr.type == r->kind->record &&
	    m->datalen == r->kind->size)
		return reply_one(r, m);
	if (m->hdr.type == CTL_R_END &&
	    ipc_get_exact(m, &r->end, sizeof(r->end)) == 0 &&
	    STR_OK(r->end.msg)) {
		reply_abandon(r);
		return REPLY_DONE;
	}
	return REPLY_MALFORMED;
}
