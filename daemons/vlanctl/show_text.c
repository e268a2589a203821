/*
 * vlanctl's text output: aligned columns for endpoints and routes, one
 * "name: value" line per field for status. Every string it prints was
 * checked for its terminating NUL when the record arrived (show.c).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "show.h"

const char *
fmt_time(int64_t t, char *buf, size_t len, bool iso)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (t == 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	/* A time past what struct tm holds (vland is not trusted): its
	 * number, not strftime of a struct gmtime_r left unset. */
	if (gmtime_r(&tt, &tm) == NULL) {
		snprintf(buf, len, "%lld", (long long)t);
		return buf;
	}
	strftime(buf, len, iso ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M:%S",
	    &tm);
	return buf;
}

const char *
fmt_remote(const struct addr *a, uint16_t port, char *buf, size_t len)
{
	char s[ADDR_STRLEN];

	snprintf(buf, len, a->af == AF_INET6 ? "[%s]:%u" : "%s:%u",
	    addr_fmt(a, s, sizeof(s)), port);
	return buf;
}

const char *
fmt_prefix(const struct addr *a, uint8_t len, char *buf, size_t blen)
{
	struct prefix p;

	if (a->af == 0) {
		snprintf(buf, blen, "-");
		return buf;
	}
	p.a = *a;
	p.len = len;
	return prefix_fmt(&p, buf, blen);
}

static void
text_endpoints_begin(void)
{
	printf("%-16s %-22s %-12s %-18s %-19s %7s %9s %11s %9s %11s %6s\n",
	    "USER", "REMOTE", "INTERFACE", "ADDRESS", "LOGIN (UTC)", "LAST",
	    "RX-PKTS", "RX-BYTES", "TX-PKTS", "TX-BYTES", "DROPS");
}

static void
text_endpoint(const void *rec, bool first)
{
	const struct ctl_endpoint *e = rec;
	char r[64], a[PREFIX_STRLEN], t[32], last[16];

	(void)first;
	snprintf(last, sizeof(last), "%.1fs", (double)e->last_rx_ms / 1000);
	printf("%-16s %-22s %-12s %-18s %-19s %7s %9llu %11llu %9llu %11llu "
	       "%6llu\n",
	    e->user, fmt_remote(&e->remote, e->remote_port, r, sizeof(r)),
	    e->ifname[0] ? e->ifname : "-",
	    fmt_prefix(&e->addr, e->prefixlen, a, sizeof(a)),
	    fmt_time(e->login_time, t, sizeof(t), false), last,
	    (unsigned long long)e->c.rx_packets,
	    (unsigned long long)e->c.rx_bytes,
	    (unsigned long long)e->c.tx_packets,
	    (unsigned long long)e->c.tx_bytes, (unsigned long long)e->c.drops);
}

static void
text_endpoints_end(void)
{
}

static void
text_status_record(const void *rec, bool first)
{
	const struct ctl_status *s = rec;

	(void)first;
	char a[PREFIX_STRLEN];
	uint32_t i;

	printf("role:        %s\n", s->role == CFG_HUB ? "hub" : "endpoint");
	printf("mode:        %s\n", cfg_mode_name((enum cfg_mode)s->mode));
	printf("uptime:      %llus\n", (unsigned long long)s->uptime_s);
	if (s->role == CFG_HUB) {
		printf("public key:  %s\n", s->pubkey);
		printf("listening:  ");
		for (i = 0; i < s->nlisten && i < 8; i++)
			printf(" %s", addr_fmt(&s->listen[i], a, sizeof(a)));
		printf(" port %u\n", s->port);
		printf("endpoints:   %u up, %u logging in\n", s->sessions,
		    s->pending);
		printf("handshakes:  %llu completed, %llu answered with a "
		       "cookie%s, %llu half-open given up for newer\n",
		    (unsigned long long)s->handshakes,
		    (unsigned long long)s->cookie_replies,
		    s->under_load ? " (under load now)" : "",
		    (unsigned long long)s->half_open_evicted);
		printf("direct:      %u pairs of endpoints introduced\n",
		    s->peers);
	} else {
		printf("hub:         %s\n", s->server);
		printf("hub key:     %s\n", s->pubkey);
		printf("state:       %s\n", s->up ? "logged in" : "connecting");
		printf("connection:  %s (after: %s)\n", s->conn_state,
		    s->conn_event);
		printf("address:     %s\n",
		    fmt_prefix(&s->addr, s->prefixlen, a, sizeof(a)));
		if (s->addr6.a.af == AF_INET6)
			printf("address6:    %s\n",
			    prefix_fmt(&s->addr6, a, sizeof(a)));
		printf("interface:   %s\n", s->ifname[0] ? s->ifname : "-");
		printf("session age: %llus\n",
		    (unsigned long long)s->session_age_s);
		printf("peers:       %u, %u over a direct path\n", s->peers,
		    s->peers_direct);
	}
	printf("routes:      %u installed, %u refused (route set %u); %llu "
	       "refusals since start\n",
	    s->routes, s->routes_refused, s->routes_version,
	    (unsigned long long)s->route_refusals);
	printf("traffic:     rx %llu packets %llu bytes, tx %llu packets "
	       "%llu bytes (endpoint's view)\n",
	    (unsigned long long)s->c.rx_packets,
	    (unsigned long long)s->c.rx_bytes,
	    (unsigned long long)s->c.tx_packets,
	    (unsigned long long)s->c.tx_bytes);
	if (s->illegal_transitions != 0)
		printf("illegal state transitions: %llu (a bug: please "
		       "report it with the log)\n",
		    (unsigned long long)s->illegal_transitions);
	printf("drops:      ");
	for (i = 0; i < DROP_NREASONS; i++)
		printf(" %s %llu", ctl_drop_names[i],
		    (unsigned long long)s->drops_by_reason[i]);
	printf("\n");
}

static void
text_routes_begin(void)
{
	/* Wide enough for an IPv6 route through a user's IPv6 address
	 * (fd00:7b::c0a8:7b75); longer ones push the row right. */
	printf("%-24s %-16s %-24s %-10s %s\n", "CIDR", "NEXTHOP", "VIA",
	    "INSTALLED", "DEVICE");
}

static void
text_route(const void *rec, bool first)
{
	const struct ctl_route *r = rec;
	char p[PREFIX_STRLEN], a[ADDR_STRLEN];
	const char *installed = "no", *where = "-";

	(void)first;
	if (r->installed) {
		installed = "yes";
		where = r->where;
	} else if (r->refused[0] != '\0') {
		installed = "refused";
		where = r->refused;
	}
	printf("%-24s %-16s %-24s %-10s %s\n",
	    prefix_fmt(&r->cidr, p, sizeof(p)),
	    r->nexthop[0] ? r->nexthop : "-",
	    r->via.af != 0 ? addr_fmt(&r->via, a, sizeof(a)) : "unknown",
	    installed, where);
}

static void
text_routes_end(void)
{
}

static void
text_sessions_begin(void)
{
	printf("%-8s %-16s %-10s %-26s %-22s %8s %8s\n", "ID", "USER", "STATE",
	    "AFTER", "REMOTE", "AGE", "LAST");
}

static void
text_session(const void *rec, bool first)
{
	const struct ctl_session *s = rec;
	char r[64];

	(void)first;
	printf("%-8u %-16s %-10s %-26s %-22s %7llus %7llus\n", s->id,
	    s->user[0] ? s->user : "-", s->state, s->event,
	    fmt_remote(&s->remote, s->remote_port, r, sizeof(r)),
	    (unsigned long long)s->age_ms / 1000,
	    (unsigned long long)s->last_rx_ms / 1000);
}

static void
text_sessions_end(void)
{
}

static void
text_peers_begin(void)
{
	printf("%-16s %-16s %-8s %-22s %10s %9s %9s %11s %9s %11s\n", "PEER",
	    "ADDRESS", "PATH", "REMOTE", "HANDSHAKE", "RTT", "RX-PKTS",
	    "RX-BYTES", "TX-PKTS", "TX-BYTES");
}

static void
text_peer(const void *rec, bool first)
{
	const struct ctl_peer *p = rec;
	char r[64], a[ADDR_STRLEN], hs[24], rtt[16];

	(void)first;
	if (p->last_handshake_ms == UINT64_MAX)
		snprintf(hs, sizeof(hs), "never");
	else
		snprintf(hs, sizeof(hs), "%llus ago",
		    (unsigned long long)p->last_handshake_ms / 1000);
	if (p->rtt_us == 0)
		snprintf(rtt, sizeof(rtt), "-");
	else
		snprintf(rtt, sizeof(rtt), "%.2fms", (double)p->rtt_us / 1000);
	printf("%-16s %-16s %-8s %-22s %10s %9s %9llu %11llu %9llu %11llu\n",
	    p->user, addr_fmt(&p->addr, a, sizeof(a)),
	    p->path == CTL_PATH_DIRECT ? "direct" : "relayed",
	    p->remote.af != 0
		? fmt_remote(&p->remote, p->remote_port, r, sizeof(r))
		: "-",
	    hs, rtt, (unsigned long long)p->c.rx_packets,
	    (unsigned long long)p->c.rx_bytes,
	    (unsigned long long)p->c.tx_packets,
	    (unsigned long long)p->c.tx_bytes);
}

const struct show_format text_peers = { text_peers_begin, text_peer, NULL };
const struct show_format text_sessions = { text_sessions_begin, text_session,
	text_sessions_end };
const struct show_format text_endpoints = { text_endpoints_begin, text_endpoint,
	text_endpoints_end };
const struct show_format text_status = { NULL, text_status_record, NULL };
const struct show_format text_routes = { text_routes_begin, text_route,
	text_routes_end };
