/*
 * The web monitor (web: enable): a page of the endpoints, the same as
 * JSON at /endpoints (built with jansson) and Prometheus text at
 * /metrics, served by libevent's HTTP server from vland itself.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <jansson.h>

#include "direct_hub.h"
#include "ctlmsg.h"
#include "fdpause.h"
#include "log.h"
#include "role.h"
#include "session.h"
#include "vland_config.h"
#include "web.h"
#include "webconns.h"

/*
 * Connections at once (webconns.h). Each costs a descriptor, which
 * sessions need more. Idle ones close after WEB_TIMEOUT seconds.
 */
#define WEB_CONN_MAX 64
#define WEB_TIMEOUT  10

static int web_fd = -1;
static struct evhttp *http;
static struct evconnlistener *web_listener;
static struct fdpause web_pause;

void
web_open(void)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	const struct cfg_web *w = &vl.cfg->web;
	char a[ADDR_STRLEN];
	socklen_t len;
	int one = 1;

	if (!vl.role->serves_logins || !w->enable)
		return;
	/* jansson seeds its hash tables from /dev/urandom on first use:
	 * now, before the sandbox forbids opening it. */
	json_object_seed(0);
	memset(&ss, 0, sizeof(ss));
	if (w->listen.af == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(w->port);
		sin->sin_addr = w->listen.v4;
		len = sizeof(*sin);
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(w->port);
		sin6->sin6_addr = w->listen.v6;
		len = sizeof(*sin6);
	}
	web_fd =
	    socket(w->listen.af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (web_fd == -1 ||
	    setsockopt(web_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ==
		-1 ||
	    bind(web_fd, (struct sockaddr *)&ss, len) == -1 ||
	    listen(web_fd, 16) == -1)
		fatal("web: %s port %u", addr_fmt(&w->listen, a, sizeof(a)),
		    w->port);
	log_info("web monitor on %s port %u",
	    addr_fmt(&w->listen, a, sizeof(a)), w->port);
}

/* Byte counts the way the original page showed them. */
static const char *
human(uint64_t n, char *buf, size_t len)
{
	const char *unit[] = { "B", "KB", "MB", "GB", "TB" };
	double v = (double)n;
	int i = 0;

	while (v >= 1024 && i < 4) {
		v /= 1024;
		i++;
	}
	snprintf(buf, len, i == 0 ? "%.0f %s" : "%.1f %s", v, unit[i]);
	return buf;
}

static void
reply(struct evhttp_request *req, const char *type, struct evbuffer *b)
{
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", type);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Cache-Control", "no-store");
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "X-Content-Type-Options", "nosniff");
	evhttp_send_reply(req, HTTP_OK, "OK", b);
}

/* Only GET and HEAD; anything else is a 405 that says so. */
static bool
method_ok(struct evhttp_request *req)
{
	enum evhttp_cmd_type m = evhttp_request_get_command(req);

	if (m == EVHTTP_REQ_GET || m == EVHTTP_REQ_HEAD)
		return true;
	evhttp_add_header(evhttp_request_get_output_headers(req), "Allow",
	    "GET, HEAD");
	evhttp_send_error(req, 405, "Method Not Allowed");
	return false;
}

/* What a session has dropped, all reasons together. */
static uint64_t
drops_of(const struct session *s)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < DROP_NREASONS; i++)
		n += s->c.drops[i];
	return n;
}

/* The endpoint's IPv6 inside the tunnel, or "-" without ip6. */
static const char *
ip6_str(const struct session *s, char *buf, size_t len)
{
	struct addr v6;

	if (vl.cfg->ip6.a.af != AF_INET6)
		return "-";
	addr_v6_embed(&vl.cfg->ip6, &s->addr, &v6);
	return addr_fmt(&v6, buf, len);
}

/* "3 d 4 h", "5 h 2 min", "12 min 3 s", "7 s". */
static const char *
duration(uint64_t secs, char *buf, size_t len)
{
	if (secs >= 86400)
		snprintf(buf, len, "%llu d %llu h",
		    (unsigned long long)(secs / 86400),
		    (unsigned long long)(secs % 86400 / 3600));
	else if (secs >= 3600)
		snprintf(buf, len, "%llu h %llu min",
		    (unsigned long long)(secs / 3600),
		    (unsigned long long)(secs % 3600 / 60));
	else if (secs >= 60)
		snprintf(buf, len, "%llu min %llu s",
		    (unsigned long long)(secs / 60),
		    (unsigned long long)(secs % 60));
	else
		snprintf(buf, len, "%llu s", (unsigned long long)secs);
	return buf;
}

static void
login_str(const struct session *s, char *buf, size_t len)
{
	struct tm tm;
	time_t t = s->login_time;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

static void
web_endpoints(struct evhttp_request *req, void *arg)
{
	struct evbuffer *b = NULL;
	struct session *s;
	char r[64], a[ADDR_STRLEN], a6[ADDR_STRLEN], t[40], h1[32], h2[32];
	char *text = NULL;
	uint64_t now = now_ms();
	json_t *list, *o;

	(void)arg;
	if (!method_ok(req))
		return;
	/* One object per session, in the original system's field names;
	 * jansson escapes whatever needs it. */
	if ((list = json_array()) == NULL)
		goto fail;
	TAILQ_FOREACH (s, &vl.sessions->list, entry) {
		if (s->state != SESS_UP)
			continue;
		login_str(s, t, sizeof(t));
		o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s, "
			      "s:I, s:I, s:I, s:s, s:I, s:I, s:I}",
		    "User", s->user, "Addr", peer_fmt(&s->peer, r, sizeof(r)),
		    "Iface", s->ifname, "IP", addr_fmt(&s->addr, a, sizeof(a)),
		    "TX_PKT", (json_int_t)s->c.tx_packets, "RX_PKT",
		    (json_int_t)s->c.rx_packets, "TX",
		    human(s->c.tx_bytes, h1, sizeof(h1)), "RX",
		    human(s->c.rx_bytes, h2, sizeof(h2)), "Login", t,
		    "TX_BYTES", (json_int_t)s->c.tx_bytes, "RX_BYTES",
		    (json_int_t)s->c.rx_bytes, "LoginUnix",
		    (json_int_t)s->login_time, "IPv6",
		    ip6_str(s, a6, sizeof(a6)), "LastSeenSeconds",
		    (json_int_t)(now > s->last_rx_ms
			    ? (now - s->last_rx_ms) / 1000
			    : 0),
		    "Drops", (json_int_t)drops_of(s), "Peers",
		    (json_int_t)s->npairs);
		if (o == NULL || json_array_append_new(list, o) == -1)
			goto fail;
	}
	if ((text = json_dumps(list, JSON_COMPACT)) == NULL ||
	    (b = evbuffer_new()) == NULL ||
	    evbuffer_add_printf(b, "%s\n", text) == -1)
		goto fail;
	reply(req, "application/json", b);
	evbuffer_free(b);
	free(text);
	json_decref(list);
	return;
fail:
	if (b != NULL)
		evbuffer_free(b);
	free(text);
	json_decref(list);
	evhttp_send_error(req, 500, "Internal Server Error");
}

static void
metric(struct evbuffer *b, const char *name, const char *type, const char *help)
{
	evbuffer_add_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
	    type);
}

/* The per-endpoint counters, from the endpoint's point of view. */
static const struct {
	const char *name, *help;
	size_t offset;
} per_endpoint[4] = {
	{ "vland_endpoint_rx_bytes_total",
	    "Bytes the endpoint received through the hub.",
	    offsetof(struct counters, rx_bytes) },
	{ "vland_endpoint_tx_bytes_total",
	    "Bytes the endpoint sent through the hub.",
	    offsetof(struct counters, tx_bytes) },
	{ "vland_endpoint_rx_packets_total",
	    "Packets the endpoint received through the hub.",
	    offsetof(struct counters, rx_packets) },
	{ "vland_endpoint_tx_packets_total",
	    "Packets the endpoint sent through the hub.",
	    offsetof(struct counters, tx_packets) },
};

static void
web_metrics(struct evhttp_request *req, void *arg)
{
	struct evbuffer *b;
	struct session *s;
	int i;

	(void)arg;
	if (!method_ok(req) || (b = evbuffer_new()) == NULL)
		return;
	metric(b, "vland_build_info", "gauge", "vland version.");
	evbuffer_add_printf(b, "vland_build_info{version=\"%s\"} 1\n",
	    VLAND_VERSION);
	metric(b, "vland_sessions", "gauge", "Endpoints logged in.");
	evbuffer_add_printf(b, "vland_sessions %zu\n",
	    session_count(vl.sessions, SESS_UP));
	metric(b, "vland_sessions_pending", "gauge",
	    "Sessions between handshake and login.");
	evbuffer_add_printf(b, "vland_sessions_pending %zu\n",
	    session_count(vl.sessions, SESS_WAIT_AUTH) +
		session_count(vl.sessions, SESS_AUTHING) +
		session_count(vl.sessions, SESS_WAIT_TAP));
	metric(b, "vland_handshakes_total", "counter", "Handshakes completed.");
	evbuffer_add_printf(b, "vland_handshakes_total %llu\n",
	    (unsigned long long)vl.stats.handshakes);
	metric(b, "vland_cookie_replies_total", "counter",
	    "Handshakes answered with a cookie (under load).");
	evbuffer_add_printf(b, "vland_cookie_replies_total %llu\n",
	    (unsigned long long)vl.stats.cookie_replies);
	metric(b, "vland_half_open_evicted_total", "counter",
	    "Half-open sessions ended for a newer handshake (all slots "
	    "taken).");
	evbuffer_add_printf(b, "vland_half_open_evicted_total %llu\n",
	    (unsigned long long)vl.stats.half_open_evicted);
	metric(b, "vland_auth_failures_total", "counter",
	    "Refused logins by reason.");
	for (i = 0; i < AUTH_FAIL_NREASONS; i++)
		evbuffer_add_printf(b,
		    "vland_auth_failures_total{reason=\"%s\"} %llu\n",
		    auth_fail_names[i],
		    (unsigned long long)vl.stats.auth_failures[i]);
	metric(b, "vland_direct_pairs", "gauge",
	    "Pairs of endpoints introduced for direct paths (direct:).");
	evbuffer_add_printf(b, "vland_direct_pairs %zu\n", direct_hub_pairs());
	metric(b, "vland_endpoint_peers", "gauge",
	    "Endpoints each endpoint was introduced to (direct:).");
	TAILQ_FOREACH (s, &vl.sessions->list, entry)
		if (s->state == SESS_UP)
			evbuffer_add_printf(b,
			    "vland_endpoint_peers{user=\"%s\"} %u\n", s->user,
			    s->npairs);
	metric(b, "vland_drops_total", "counter",
	    "Datagrams and frames dropped, by reason.");
	for (i = 0; i < DROP_NREASONS; i++)
		evbuffer_add_printf(b,
		    "vland_drops_total{reason=\"%s\"} %llu\n",
		    ctl_drop_names[i], (unsigned long long)vl.total.drops[i]);
	for (i = 0; i < 4; i++) {
		metric(b, per_endpoint[i].name, "counter",
		    per_endpoint[i].help);
		TAILQ_FOREACH (s, &vl.sessions->list, entry)
			if (s->state == SESS_UP)
				evbuffer_add_printf(b, "%s{user=\"%s\"} %llu\n",
				    per_endpoint[i].name, s->user,
				    (unsigned long long)*(
					const uint64_t *)((const char *)&s->c +
					per_endpoint[i].offset));
	}
	reply(req, "text/plain; version=0.0.4", b);
	evbuffer_free(b);
}

/* Who is this hub: its host name, key, version and uptime. */
static void
page_head(struct evbuffer *b, uint64_t now)
{
	char host[256] = "", key[KEY_B64LEN + 1], up[40];

	if (gethostname(host, sizeof(host) - 1) == -1)
		snprintf(host, sizeof(host), "?");
	key_to_base64(key, vl.pubkey);
	evbuffer_add_printf(b,
	    "<table id=\"hub\"><tr><th>Hub</th><td id=\"hubname\">%s</td></tr>"
	    "<tr><th>Public key</th><td id=\"hubkey\"><code>%s</code></td>"
	    "</tr><tr><th>Version</th><td id=\"version\">vland %s</td></tr>"
	    "<tr><th>Up</th><td id=\"uptime\">%s</td></tr></table>\n",
	    host, key, VLAND_VERSION,
	    duration((now - vl.started_ms) / 1000, up, sizeof(up)));
}

static void
web_page(struct evhttp_request *req, void *arg)
{
	struct evbuffer *b;
	struct session *s;
	char r[64], a[ADDR_STRLEN], a6[ADDR_STRLEN], t[40], h1[32], h2[32];
	char seen[40];
	uint64_t now = now_ms();

	(void)arg;
	if (!method_ok(req))
		return;
	if (strcmp(evhttp_request_get_uri(req), "/") != 0) {
		evhttp_send_error(req, HTTP_NOTFOUND, NULL);
		return;
	}
	if ((b = evbuffer_new()) == NULL)
		return;
	evbuffer_add_printf(b,
	    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
	    "<meta http-equiv=\"refresh\" content=\"5\">"
	    "<title>vland endpoints</title><style>"
	    "body{font-family:sans-serif;margin:2em}"
	    "table{border-collapse:collapse;margin-bottom:1em}"
	    "td,th{border:1px solid #999;padding:.3em .6em;text-align:left}"
	    "th{background:#eee}td.n{text-align:right}</style></head><body>"
	    "<h1>vland endpoints</h1>\n");
	page_head(b, now);
	/* The counters are the endpoint's view, said in the headings: the
	 * original system showed the hub tap's, under which "RX" and "TX"
	 * are the other way round. */
	evbuffer_add_printf(b,
	    "<p>%zu logged in; refreshes every 5 s; JSON at "
	    "<a href=\"/endpoints\">/endpoints</a>, metrics at "
	    "<a href=\"/metrics\">/metrics</a>. Traffic is counted as the "
	    "endpoint sees it: <em>sent</em> is what the endpoint sent "
	    "through the hub (TX), <em>received</em> what reached it (RX)."
	    "</p>\n<table id=\"endpoints\">"
	    "<tr><th>User</th><th>Remote address</th><th>Interface</th>"
	    "<th>IP</th><th>IPv6</th><th>Login</th><th>Last seen</th>"
	    "<th>Received (RX) packets</th><th>Received (RX)</th>"
	    "<th>Sent (TX) packets</th><th>Sent (TX)</th><th>Drops</th>"
	    "<th>Direct peers</th></tr>\n",
	    session_count(vl.sessions, SESS_UP));
	TAILQ_FOREACH (s, &vl.sessions->list, entry) {
		if (s->state != SESS_UP)
			continue;
		login_str(s, t, sizeof(t));
		evbuffer_add_printf(b,
		    "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
		    "<td>%s</td><td>%s</td><td>%s ago</td>"
		    "<td class=\"n\">%llu</td><td class=\"n\">%s</td>"
		    "<td class=\"n\">%llu</td><td class=\"n\">%s</td>"
		    "<td class=\"n\">%llu</td><td class=\"n\">%u</td></tr>\n",
		    s->user, peer_fmt(&s->peer, r, sizeof(r)), s->ifname,
		    addr_fmt(&s->addr, a, sizeof(a)),
		    ip6_str(s, a6, sizeof(a6)), t,
		    duration(now > s->last_rx_ms ? (now - s->last_rx_ms) / 1000
						 : 0,
			seen, sizeof(seen)),
		    (unsigned long long)s->c.rx_packets,
		    human(s->c.rx_bytes, h1, sizeof(h1)),
		    (unsigned long long)s->c.tx_packets,
		    human(s->c.tx_bytes, h2, sizeof(h2)),
		    (unsigned long long)drops_of(s), s->npairs);
	}
	evbuffer_add_printf(b, "</table></body></html>\n");
	reply(req, "text/html; charset=utf-8", b);
	evbuffer_free(b);
}

/* libevent's listener would try the failing accept again at once. */
static void
web_accept_error(struct evconnlistener *l, void *arg)
{
	int err = EVUTIL_SOCKET_ERROR();

	(void)l;
	(void)arg;
	if (fdpause_failed(&web_pause, err))
		webconns_pause(true);
	else
		log_debug("web: accept: %s", strerror(err));
}

static void
web_resume(void *arg)
{
	(void)arg;
	webconns_pause(false);
}

void
web_events(void)
{
	struct evhttp_bound_socket *bound;

	if (web_fd == -1)
		return;
	if ((http = evhttp_new(vl.base)) == NULL)
		fatalx("evhttp_new");
	/* Parse every method, so that the handlers can answer 405 (a
	 * method libevent was not told of gets 501). */
	evhttp_set_allowed_methods(http,
	    EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST |
		EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS |
		EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH);
	evhttp_set_max_headers_size(http, 8192);
	evhttp_set_max_body_size(http, 0);
	evhttp_set_timeout(http, WEB_TIMEOUT);
	evhttp_set_bevcb(http, webconns_new, NULL);
	evhttp_set_cb(http, "/endpoints", web_endpoints, NULL);
	evhttp_set_cb(http, "/metrics", web_metrics, NULL);
	evhttp_set_gencb(http, web_page, NULL);
	if ((bound = evhttp_accept_socket_with_handle(http, web_fd)) == NULL)
		fatalx("web: cannot serve");
	web_listener = evhttp_bound_socket_get_listener(bound);
	evconnlistener_set_error_cb(web_listener, web_accept_error);
	webconns_init(vl.base, web_listener, WEB_CONN_MAX);
	fdpause_init(&web_pause, "web", web_resume, NULL);
}

void
web_close(void)
{
	if (http != NULL)
		evhttp_free(http);
	http = NULL;
	webconns_clear();
	fdpause_clear(&web_pause);
}
