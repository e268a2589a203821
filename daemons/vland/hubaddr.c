/*
 * The hub's address (see hubaddr.h). Each resolution asks evdns for
 * every address of the name and takes the first of a family we have a
 * socket for; a host without IPv6 simply has no IPv6 socket. Numeric
 * addresses never reach the resolver's sockets.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <event2/dns.h>
#include <event2/util.h>

#include "hubaddr.h"
#include "log.h"
#include "udp.h"
#include "vland.h"

static struct {
	struct evdns_base *dns;
	struct evdns_getaddrinfo_request *req;
	void (*done)(bool, const char *);
	uintptr_t gen; /* of the lookup whose answer counts */
	size_t cur;    /* index in vl.cfg->connect.servers */
	char name[CFG_HOST_MAX + 16];
	int sock4, sock6; /* indices in vl.udp, or -1 */
} ha = { .sock4 = -1, .sock6 = -1 };

static const struct cfg_server *
hubaddr_current(void)
{
	return &vl.cfg->connect.servers[ha.cur];
}

/*
 * /etc/resolv.conf, as the C library takes it: without a nameserver
 * line, or without the file, the name server is 127.0.0.1 (a local
 * cache such as dnsmasq or unbound). libevent adds that itself for
 * those two cases (its 6 and 1); for a file it cannot read, so do we.
 */
static void
resolv_conf_load(void)
{
	int rc;

	rc = evdns_base_resolv_conf_parse(ha.dns, DNS_OPTIONS_ALL,
	    "/etc/resolv.conf");
	if (evdns_base_count_nameservers(ha.dns) == 0 &&
	    evdns_base_nameserver_ip_add(ha.dns, "127.0.0.1") != 0)
		fatalx("cannot start the name resolver on 127.0.0.1");
	if (rc == 6)
		log_info("no name server in /etc/resolv.conf: asking "
			 "127.0.0.1, as the C library does");
	else if (rc == 1)
		log_info("no /etc/resolv.conf: asking 127.0.0.1, as the C "
			 "library does");
	else if (rc != 0)
		log_warnx("cannot read /etc/resolv.conf (libevent's error "
			  "%d): asking 127.0.0.1",
		    rc);
}

void
hubaddr_init(struct event_base *base)
{
	int fd;

	/* The ports are ephemeral: the hub answers where we send from. */
	if ((fd = udp_socket_unbound(AF_INET)) != -1) {
		ha.sock4 = (int)vl.nudp;
		vl.udp[vl.nudp++] = fd;
	}
	if ((fd = udp_socket_unbound(AF_INET6)) != -1) {
		ha.sock6 = (int)vl.nudp;
		vl.udp[vl.nudp++] = fd;
	}
	if (vl.nudp == 0)
		fatalx("no UDP socket of any family");
	/* Seeded now: the chroot has no /dev/urandom. */
	if (evutil_secure_rng_init() == -1)
		fatalx("cannot seed libevent's random numbers");
	/* The file is read here, not by evdns_base_new, which (libevent
	 * 2.1) gives up on a file without a nameserver line. */
	ha.dns = evdns_base_new(base, EVDNS_BASE_DISABLE_WHEN_INACTIVE);
	if (ha.dns == NULL)
		fatalx("cannot start the name resolver");
	resolv_conf_load();
	if (evdns_base_load_hosts(ha.dns, NULL) != 0)
		log_debug("no /etc/hosts for the resolver");
	ha.cur = 0;
	cfg_server_fmt(&vl.cfg->connect.servers[0], ha.name, sizeof(ha.name));
}

void
hubaddr_cancel(void)
{
	ha.gen++;
	if (ha.req != NULL) {
		/* Its answer (EAI_CANCEL) comes with an old gen. */
		evdns_getaddrinfo_cancel(ha.req);
		ha.req = NULL;
	}
}

void
hubaddr_close(void)
{
	hubaddr_cancel();
	if (ha.dns != NULL)
		evdns_base_free(ha.dns, 0);
	ha.dns = NULL;
}

static bool
take(const struct evutil_addrinfo *ai)
{
	int sock = ai->ai_family == AF_INET ? ha.sock4
	    : ai->ai_family == AF_INET6	    ? ha.sock6
					    : -1;

	if (sock == -1 || ai->ai_addrlen > sizeof(vl.server.ss))
		return false;
	memset(&vl.server, 0, sizeof(vl.server));
	memcpy(&vl.server.ss, ai->ai_addr, ai->ai_addrlen);
	vl.server.len = (socklen_t)ai->ai_addrlen;
	vl.server.sock = sock;
	return true;
}

/*
 * An answer. A cancelled lookup still answers (later, with
 * EAI_CANCEL), and so may one overtaken by a newer lookup: only the
 * newest counts, and nothing else may touch vl.server or ha.req.
 */
static void
resolved(int err, struct evutil_addrinfo *res, void *arg)
{
	void (*done)(bool, const char *) = ha.done;
	const struct evutil_addrinfo *ai;
	bool ok = false;
	int pass;

	if ((uintptr_t)arg != ha.gen || err == EVUTIL_EAI_CANCEL) {
		if (res != NULL)
			evutil_freeaddrinfo(res);
		return;
	}
	ha.req = NULL;
	/* IPv4 first: a host with an IPv6 socket may still have no IPv6
	 * route, and IPv4 is what most hubs answer on. */
	for (pass = 0; pass < 2 && err == 0 && !ok; pass++)
		for (ai = res; ai != NULL && !ok; ai = ai->ai_next)
			if ((ai->ai_family == AF_INET) == (pass == 0))
				ok = take(ai);
	if (res != NULL)
		evutil_freeaddrinfo(res);
	if (err != 0)
		done(false, evutil_gai_strerror(err));
	else if (!ok)
		done(false, "no address of a family this host can reach");
	else
		done(true, NULL);
}

void
hubaddr_resolve(void (*done)(bool ok, const char *why))
{
	const struct cfg_server *sv = hubaddr_current();
	struct evutil_addrinfo hints;
	char port[8];

	hubaddr_cancel();
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_protocol = IPPROTO_UDP;
	snprintf(port, sizeof(port), "%u", sv->port);
	ha.done = done;
	/* NULL: finished already (an address, /etc/hosts, or an error),
	 * and resolved() has run. */
	ha.req = evdns_getaddrinfo(ha.dns, sv->host, port, &hints, resolved,
	    (void *)ha.gen);
}

void
hubaddr_next(void)
{
	ha.cur = (ha.cur + 1) % vl.cfg->connect.nservers;
	cfg_server_fmt(hubaddr_current(), ha.name, sizeof(ha.name));
}

const char *
hubaddr_name(void)
{
	return ha.name;
}
