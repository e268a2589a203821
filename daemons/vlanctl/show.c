/*
 * vlanctl commands that talk to a running vland over its control socket:
 * show endpoints, show status, kick. vland answers with binary records
 * (proto/ctlmsg.h); the formatting, text or JSON, happens here through
 * one output table per format, so -j works for every command.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "names.h"
#include "ctlmsg.h"
#include "ipc.h"
#include "vlanctl.h"

struct output {
	void (*endpoints_begin)(void);
	void (*endpoint)(const struct ctl_endpoint *, bool first);
	void (*endpoints_end)(void);
	void (*status)(const struct ctl_status *);
	void (*routes_begin)(void);
	void (*route)(const struct ctl_route *, bool first);
	void (*routes_end)(void);
};


static const char *
fmt_time(int64_t t, char *buf, size_t len, bool iso)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (t == 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	gmtime_r(&tt, &tm);
	strftime(buf, len, iso ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M:%S",
	    &tm);
	return buf;
}

static const char *
fmt_remote(const struct addr *a, uint16_t port, char *buf, size_t len)
{
	char s[ADDR_STRLEN];

	snprintf(buf, len, a->af == AF_INET6 ? "[%s]:%u" : "%s:%u",
	    addr_fmt(a, s, sizeof(s)), port);
	return buf;
}

static const char *
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
text_endpoint(const struct ctl_endpoint *e, bool first)
{
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
text_status(const struct ctl_status *s)
{
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
		       "cookie%s\n",
		    (unsigned long long)s->handshakes,
		    (unsigned long long)s->cookie_replies,
		    s->under_load ? " (under load now)" : "");
	} else {
		printf("hub:         %s\n", s->server);
		printf("hub key:     %s\n", s->pubkey);
		printf("state:       %s\n", s->up ? "logged in" : "connecting");
		printf("address:     %s\n",
		    fmt_prefix(&s->addr, s->prefixlen, a, sizeof(a)));
		if (s->addr6.a.af == AF_INET6)
			printf("address6:    %s\n",
			    prefix_fmt(&s->addr6, a, sizeof(a)));
		printf("interface:   %s\n", s->ifname[0] ? s->ifname : "-");
		printf("session age: %llus\n",
		    (unsigned long long)s->session_age_s);
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
	printf("drops:      ");
	for (i = 0; i < CTL_DROP_REASONS; i++)
		printf(" %s %llu", ctl_drop_names[i],
		    (unsigned long long)s->drops_by_reason[i]);
	printf("\n");
}

static void
text_routes_begin(void)
{
	printf("%-20s %-16s %-16s %-10s %s\n", "CIDR", "NEXTHOP", "VIA",
	    "INSTALLED", "DEVICE");
}

static void
text_route(const struct ctl_route *r, bool first)
{
	char p[PREFIX_STRLEN], a[ADDR_STRLEN];

	(void)first;
	printf("%-20s %-16s %-16s %-10s %s\n",
	    prefix_fmt(&r->cidr, p, sizeof(p)), r->nexthop[0] ? r->nexthop : "-",
	    r->via.af != 0 ? addr_fmt(&r->via, a, sizeof(a)) : "unknown",
	    r->installed ? "yes" : r->refused[0] ? "refused" : "no",
	    r->installed ? r->where : r->refused[0] ? r->refused : "-");
}

static void
text_routes_end(void)
{
}

static const struct output text_out = {text_endpoints_begin, text_endpoint,
    text_endpoints_end, text_status, text_routes_begin, text_route,
    text_routes_end};

static void
json_endpoints_begin(void)
{
	printf("[");
}

static void
json_counters(const struct ctl_counters *c)
{
	printf("\"rx_packets\":%llu,\"rx_bytes\":%llu,\"tx_packets\":%llu,"
	       "\"tx_bytes\":%llu,\"drops\":%llu",
	    (unsigned long long)c->rx_packets, (unsigned long long)c->rx_bytes,
	    (unsigned long long)c->tx_packets, (unsigned long long)c->tx_bytes,
	    (unsigned long long)c->drops);
}

/* Usernames, interface names and addresses need no JSON escaping: their
 * character sets are checked where they are made (common/names.c). */

/* An IPv6 prefix as a JSON string, or null when there is none. */
static void
json_addr6(const struct prefix *p, char *buf, size_t len)
{
	char s[PREFIX_STRLEN];

	if (p->a.af != AF_INET6)
		snprintf(buf, len, "null");
	else
		snprintf(buf, len, "\"%s\"", prefix_fmt(p, s, sizeof(s)));
}
static void
json_endpoint(const struct ctl_endpoint *e, bool first)
{
	char r[64], a[PREFIX_STRLEN], a6[PREFIX_STRLEN + 2], t[32];

	json_addr6(&e->addr6, a6, sizeof(a6));
	printf("%s\n {\"user\":\"%s\",\"remote\":\"%s\",\"interface\":\"%s\","
	       "\"address\":\"%s\",\"address6\":%s,\"login\":\"%s\","
	       "\"login_unix\":%lld,\"last_packet_ms\":%llu,\"state\":\"%s\",",
	    first ? "" : ",", e->user,
	    fmt_remote(&e->remote, e->remote_port, r, sizeof(r)), e->ifname,
	    fmt_prefix(&e->addr, e->prefixlen, a, sizeof(a)), a6,
	    fmt_time(e->login_time, t, sizeof(t), true),
	    (long long)e->login_time, (unsigned long long)e->last_rx_ms,
	    e->state ? "up" : "logging in");
	json_counters(&e->c);
	printf("}");
}

static void
json_endpoints_end(void)
{
	printf("\n]\n");
}

static void
json_status(const struct ctl_status *s)
{
	char a[PREFIX_STRLEN], a6[PREFIX_STRLEN + 2];
	uint32_t i;

	printf("{\"role\":\"%s\",\"mode\":\"%s\",\"uptime_s\":%llu,",
	    s->role == CFG_HUB ? "hub" : "endpoint",
	    cfg_mode_name((enum cfg_mode)s->mode),
	    (unsigned long long)s->uptime_s);
	if (s->role == CFG_HUB) {
		printf("\"public_key\":\"%s\",\"port\":%u,\"listen\":[",
		    s->pubkey, s->port);
		for (i = 0; i < s->nlisten && i < 8; i++)
			printf("%s\"%s\"", i ? "," : "",
			    addr_fmt(&s->listen[i], a, sizeof(a)));
		printf("],\"endpoints_up\":%u,\"endpoints_pending\":%u,"
		       "\"handshakes\":%llu,\"cookie_replies\":%llu,"
		       "\"under_load\":%s,",
		    s->sessions, s->pending, (unsigned long long)s->handshakes,
		    (unsigned long long)s->cookie_replies,
		    s->under_load ? "true" : "false");
	} else {
		json_addr6(&s->addr6, a6, sizeof(a6));
		printf("\"hub\":\"%s\",\"hub_key\":\"%s\",\"state\":\"%s\","
		       "\"address\":\"%s\",\"address6\":%s,\"interface\":\"%s\","
		       "\"session_age_s\":%llu,",
		    s->server, s->pubkey, s->up ? "up" : "connecting",
		    fmt_prefix(&s->addr, s->prefixlen, a, sizeof(a)), a6,
		    s->ifname, (unsigned long long)s->session_age_s);
	}
	printf("\"routes_installed\":%u,\"routes_refused\":%u,"
	       "\"route_refusals\":%llu,\"route_set\":%u,",
	    s->routes, s->routes_refused,
	    (unsigned long long)s->route_refusals, s->routes_version);
	json_counters(&s->c);
	printf(",\"drops_by_reason\":{");
	for (i = 0; i < CTL_DROP_REASONS; i++)
		printf("%s\"%s\":%llu", i ? "," : "", ctl_drop_names[i],
		    (unsigned long long)s->drops_by_reason[i]);
	printf("}}\n");
}

static void
json_route(const struct ctl_route *r, bool first)
{
	char p[PREFIX_STRLEN], a[ADDR_STRLEN];

	char why[sizeof(r->refused)];
	size_t i;

	/* The daemon's text, made safe inside a JSON string. */
	for (i = 0; i < sizeof(why) - 1 && r->refused[i] != '\0'; i++)
		why[i] = (r->refused[i] == '"' || r->refused[i] == '\\' ||
			     (unsigned char)r->refused[i] < 0x20)
		    ? '?'
		    : r->refused[i];
	why[i] = '\0';
	printf("%s\n {\"cidr\":\"%s\",\"nexthop\":\"%s\",\"via\":%s%s%s,"
	       "\"installed\":%s,\"device\":\"%s\",\"version\":%u,"
	       "\"refused\":%s%s%s}",
	    first ? "" : ",", prefix_fmt(&r->cidr, p, sizeof(p)), r->nexthop,
	    r->via.af != 0 ? "\"" : "",
	    r->via.af != 0 ? addr_fmt(&r->via, a, sizeof(a)) : "null",
	    r->via.af != 0 ? "\"" : "", r->installed ? "true" : "false",
	    r->installed ? r->where : "", r->version, why[0] ? "\"" : "",
	    why[0] ? why : "null", why[0] ? "\"" : "");
}

static const struct output json_out = {json_endpoints_begin, json_endpoint,
    json_endpoints_end, json_status, json_endpoints_begin, json_route,
    json_endpoints_end};

static int
ctl_connect(struct ipc_chan *c)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(vlanctl_socket) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "vlanctl: socket path too long\n");
		return -1;
	}
	memcpy(sun.sun_path, vlanctl_socket, strlen(vlanctl_socket) + 1);
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		fprintf(stderr, "vlanctl: %s: %s\n", vlanctl_socket,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (ipc_init(c, fd, 0) == -1)
		return -1;
	/* A simple client: it waits for each record. */
	return fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
}

/* Send one request and hand each record to the output until the end. */
static int
ctl_request(uint16_t type, const void *body, size_t len)
{
	const struct output *o = vlanctl_json ? &json_out : &text_out;
	struct ipc_chan *c;
	struct ipc_msg m;
	struct ctl_endpoint e;
	struct ctl_route rt;
	struct ctl_status *st;
	struct ctl_end end;
	bool first = true, listing = false;
	int rc = 1, n;

	if ((c = calloc(1, sizeof(*c))) == NULL || ctl_connect(c) == -1)
		goto out;
	if (ipc_compose(c, type, 0, 0, -1, body, len) == -1) {
		fprintf(stderr, "vlanctl: send: %s\n", strerror(errno));
		goto out;
	}
	if (type == CTL_SHOW_ENDPOINTS) {
		o->endpoints_begin();
		listing = true;
	} else if (type == CTL_SHOW_ROUTES) {
		o->routes_begin();
	}
	while ((n = ipc_read(c, &m)) == 1) {
		if (m.hdr.type == CTL_R_ENDPOINT &&
		    ipc_get_exact(&m, &e, sizeof(e)) == 0) {
			o->endpoint(&e, first);
			first = false;
		} else if (m.hdr.type == CTL_R_STATUS &&
		    m.datalen == sizeof(*st)) {
			if ((st = malloc(sizeof(*st))) == NULL)
				goto out;
			memcpy(st, m.data, sizeof(*st));
			o->status(st);
			free(st);
		} else if (m.hdr.type == CTL_R_ROUTE &&
		    ipc_get_exact(&m, &rt, sizeof(rt)) == 0 &&
		    memchr(rt.nexthop, '\0', sizeof(rt.nexthop)) != NULL &&
		    memchr(rt.where, '\0', sizeof(rt.where)) != NULL &&
		    memchr(rt.refused, '\0', sizeof(rt.refused)) != NULL) {
			o->route(&rt, first);
			first = false;
		} else if (m.hdr.type == CTL_R_END &&
		    ipc_get_exact(&m, &end, sizeof(end)) == 0) {
			if (listing)
				o->endpoints_end();
			else if (type == CTL_SHOW_ROUTES)
				o->routes_end();
			end.msg[sizeof(end.msg) - 1] = '\0';
			if (end.error != 0)
				fprintf(stderr, "vlanctl: %s\n", end.msg);
			rc = end.error != 0;
			goto out;
		} else {
			fprintf(stderr, "vlanctl: unexpected answer\n");
			goto out;
		}
	}
	fprintf(stderr, "vlanctl: vland closed the connection\n");
out:
	if (c != NULL) {
		ipc_clear(c);
		free(c);
	}
	return rc;
}

static const char *show_words[] = {"endpoints", "status", "routes"};
static const uint16_t show_types[] = {CTL_SHOW_ENDPOINTS, CTL_SHOW_STATUS,
    CTL_SHOW_ROUTES};

int
cmd_show(int argc, char *argv[])
{
	int w;

	if (argc != 1) {
		fprintf(stderr, "usage: vlanctl show endpoints|status|routes\n");
		return 1;
	}
	if ((w = vlanctl_match(argv[0], show_words, 3)) == -1)
		return 1;
	return ctl_request(show_types[w], NULL, 0);
}

int
cmd_kick(int argc, char *argv[])
{
	struct ctl_user u;

	if (argc != 1 || strlen(argv[0]) > USERNAME_MAX ||
	    !username_valid(argv[0], strlen(argv[0]))) {
		fprintf(stderr, "usage: vlanctl kick USER\n");
		return 1;
	}
	memset(&u, 0, sizeof(u));
	memcpy(u.user, argv[0], strlen(argv[0]));
	return ctl_request(CTL_KICK, &u, sizeof(u));
}

int
cmd_reload(int argc, char *argv[])
{
	(void)argv;
	if (argc != 0) {
		fprintf(stderr, "usage: vlanctl reload\n");
		return 1;
	}
	return ctl_request(CTL_RELOAD, NULL, 0);
}

static const char *log_words[] = {"verbose", "brief"};

int
cmd_log(int argc, char *argv[])
{
	struct ctl_int v;
	int w;

	if (argc != 1) {
		fprintf(stderr, "usage: vlanctl log verbose|brief\n");
		return 1;
	}
	if ((w = vlanctl_match(argv[0], log_words, 2)) == -1)
		return 1;
	v.value = w == 0;
	return ctl_request(CTL_LOG_VERBOSE, &v, sizeof(v));
}
