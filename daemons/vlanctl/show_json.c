/*
 * vlanctl -j: JSON built with jansson, printed compact (one line per
 * answer). Lists are collected and printed when the answer ends, so the
 * output is always one well-formed value.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "config.h"
#include "show.h"

static json_t *list; /* endpoints or routes, until the answer ends */

static void
put(json_t *o, const char *key, json_t *v)
{
	if (v == NULL || json_object_set_new(o, key, v) == -1) {
		fprintf(stderr, "vlanctl: out of memory\n");
		exit(1);
	}
}

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static void
print(json_t *v)
{
	if (json_dumpf(v, stdout, JSON_COMPACT | JSON_ENCODE_ANY) == -1) {
		fprintf(stderr, "vlanctl: cannot write JSON\n");
		exit(1);
	}
	putchar('\n');
	json_decref(v);
}

static void
json_list_begin(void)
{
	if ((list = json_array()) == NULL) {
		fprintf(stderr, "vlanctl: out of memory\n");
		exit(1);
	}
}

static void
json_list_end(void)
{
	print(list);
	list = NULL;
}

static void
counters(json_t *o, const struct ctl_counters *c)
{
	put(o, "rx_packets", json_integer((json_int_t)c->rx_packets));
	put(o, "rx_bytes", json_integer((json_int_t)c->rx_bytes));
	put(o, "tx_packets", json_integer((json_int_t)c->tx_packets));
	put(o, "tx_bytes", json_integer((json_int_t)c->tx_bytes));
	put(o, "drops", json_integer((json_int_t)c->drops));
}

/* An IPv6 prefix, or null when there is none. */
static json_t *
addr6(const struct prefix *p)
{
	char s[PREFIX_STRLEN];

	return str_or_null(
	    p->a.af == AF_INET6 ? prefix_fmt(p, s, sizeof(s)) : NULL);
}

static void
json_endpoint(const void *rec, bool first)
{
	const struct ctl_endpoint *e = rec;
	char r[64], a[PREFIX_STRLEN], t[32];
	json_t *o = json_object();

	(void)first;
	put(o, "user", json_string(e->user));
	put(o, "remote",
	    json_string(fmt_remote(&e->remote, e->remote_port, r, sizeof(r))));
	put(o, "interface", json_string(e->ifname));
	put(o, "address",
	    json_string(fmt_prefix(&e->addr, e->prefixlen, a, sizeof(a))));
	put(o, "address6", addr6(&e->addr6));
	put(o, "login",
	    json_string(fmt_time(e->login_time, t, sizeof(t), true)));
	put(o, "login_unix", json_integer(e->login_time));
	put(o, "last_packet_ms", json_integer((json_int_t)e->last_rx_ms));
	put(o, "state", json_string(e->state ? "up" : "logging in"));
	put(o, "peers", json_integer(e->peers));
	counters(o, &e->c);
	if (json_array_append_new(list, o) == -1)
		exit(1);
}

static void
json_status_record(const void *rec, bool first)
{
	const struct ctl_status *s = rec;

	(void)first;
	char a[PREFIX_STRLEN];
	json_t *o = json_object(), *l, *d;
	uint32_t i;

	put(o, "role", json_string(s->role == CFG_HUB ? "hub" : "endpoint"));
	put(o, "mode", json_string(cfg_mode_name((enum cfg_mode)s->mode)));
	put(o, "uptime_s", json_integer((json_int_t)s->uptime_s));
	if (s->role == CFG_HUB) {
		put(o, "public_key", json_string(s->pubkey));
		put(o, "port", json_integer(s->port));
		put(o, "listen", l = json_array());
		for (i = 0; i < s->nlisten && i < 8; i++)
			json_array_append_new(l,
			    json_string(addr_fmt(&s->listen[i], a, sizeof(a))));
		put(o, "endpoints_up", json_integer(s->sessions));
		put(o, "endpoints_pending", json_integer(s->pending));
		put(o, "handshakes", json_integer((json_int_t)s->handshakes));
		put(o, "cookie_replies",
		    json_integer((json_int_t)s->cookie_replies));
		put(o, "half_open_evicted",
		    json_integer((json_int_t)s->half_open_evicted));
		put(o, "under_load", json_boolean(s->under_load));
		put(o, "direct_pairs", json_integer(s->peers));
	} else {
		put(o, "hub", json_string(s->server));
		put(o, "hub_key", json_string(s->pubkey));
		put(o, "state", json_string(s->up ? "up" : "connecting"));
		put(o, "connection", json_string(s->conn_state));
		put(o, "connection_event", json_string(s->conn_event));
		put(o, "address",
		    json_string(
			fmt_prefix(&s->addr, s->prefixlen, a, sizeof(a))));
		put(o, "address6", addr6(&s->addr6));
		put(o, "interface", json_string(s->ifname));
		put(o, "session_age_s",
		    json_integer((json_int_t)s->session_age_s));
		put(o, "peers", json_integer(s->peers));
		put(o, "peers_direct", json_integer(s->peers_direct));
	}
	put(o, "illegal_transitions",
	    json_integer((json_int_t)s->illegal_transitions));
	put(o, "routes_installed", json_integer(s->routes));
	put(o, "routes_refused", json_integer(s->routes_refused));
	put(o, "route_refusals", json_integer((json_int_t)s->route_refusals));
	put(o, "route_set", json_integer(s->routes_version));
	counters(o, &s->c);
	put(o, "drops_by_reason", d = json_object());
	for (i = 0; i < DROP_NREASONS; i++)
		put(d, ctl_drop_names[i],
		    json_integer((json_int_t)s->drops_by_reason[i]));
	print(o);
}

static void
json_route(const void *rec, bool first)
{
	const struct ctl_route *r = rec;
	char p[PREFIX_STRLEN], a[ADDR_STRLEN];
	json_t *o = json_object();

	(void)first;
	put(o, "cidr", json_string(prefix_fmt(&r->cidr, p, sizeof(p))));
	put(o, "nexthop", json_string(r->nexthop));
	put(o, "via",
	    str_or_null(
		r->via.af != 0 ? addr_fmt(&r->via, a, sizeof(a)) : NULL));
	put(o, "installed", json_boolean(r->installed));
	put(o, "device", json_string(r->installed ? r->where : ""));
	put(o, "version", json_integer(r->version));
	put(o, "refused", str_or_null(r->refused[0] ? r->refused : NULL));
	if (json_array_append_new(list, o) == -1)
		exit(1);
}

static void
json_session(const void *rec, bool first)
{
	const struct ctl_session *s = rec;
	char r[64];
	json_t *o = json_object();

	(void)first;
	put(o, "id", json_integer(s->id));
	put(o, "user", str_or_null(s->user[0] ? s->user : NULL));
	put(o, "state", json_string(s->state));
	put(o, "event", json_string(s->event));
	put(o, "remote",
	    json_string(fmt_remote(&s->remote, s->remote_port, r, sizeof(r))));
	put(o, "age_ms", json_integer((json_int_t)s->age_ms));
	put(o, "last_rx_ms", json_integer((json_int_t)s->last_rx_ms));
	if (json_array_append_new(list, o) == -1)
		exit(1);
}

static void
json_peer(const void *rec, bool first)
{
	const struct ctl_peer *p = rec;
	char r[64], a[ADDR_STRLEN];
	json_t *o = json_object();

	(void)first;
	put(o, "user", json_string(p->user));
	put(o, "address", json_string(addr_fmt(&p->addr, a, sizeof(a))));
	put(o, "path",
	    json_string(p->path == CTL_PATH_DIRECT ? "direct" : "relayed"));
	put(o, "initiator", json_boolean(p->initiator));
	put(o, "remote",
	    p->remote.af != 0 ? json_string(addr_fmt(&p->remote, a, sizeof(a)))
			      : json_null());
	put(o, "remote_port", json_integer(p->remote_port));
	put(o, "endpoint",
	    p->remote.af != 0 ? json_string(fmt_remote(&p->remote,
				    p->remote_port, r, sizeof(r)))
			      : json_null());
	put(o, "last_handshake_ms",
	    p->last_handshake_ms == UINT64_MAX
		? json_null()
		: json_integer((json_int_t)p->last_handshake_ms));
	put(o, "rtt_us", p->rtt_us ? json_integer(p->rtt_us) : json_null());
	put(o, "handshakes", json_integer((json_int_t)p->handshakes));
	put(o, "fallbacks", json_integer((json_int_t)p->fallbacks));
	counters(o, &p->c);
	if (json_array_append_new(list, o) == -1)
		exit(1);
}

const struct show_format json_peers = { json_list_begin, json_peer,
	json_list_end };
const struct show_format json_sessions = { json_list_begin, json_session,
	json_list_end };
const struct show_format json_endpoints = { json_list_begin, json_endpoint,
	json_list_end };
const struct show_format json_status = { NULL, json_status_record, NULL };
const struct show_format json_routes = { json_list_begin, json_route,
	json_list_end };
