/*
 * libFuzzer target: the web monitor's request handling. vland's own
 * code parses nothing of a request but its method and path; libevent's
 * evhttp parses the rest (request line, headers, body limits) with the
 * settings web.c gives it. So this drives the real thing: web_open()
 * and web_events() from daemons/vland/web.c on a hub with two endpoints
 * logged in and one logging in, and each input sent as the bytes of one
 * client connection over the loopback, with the connection read until
 * the server closes it. Every answer must start with an HTTP status
 * line.
 *
 * The hub is configured as in fuzz_hub.c but with "web: enable", and
 * its port set to 0 so the kernel picks a free one (the harness finds
 * the listening socket as the descriptor web_open made).
 *
 * libevent is the system's library, built without coverage or ASan:
 * the fuzzer is guided only by what reaches vland's handlers, and ASan
 * sees libevent's memory errors only where they pass through calls it
 * intercepts (memcpy, strlen and the like) or corrupt its own heap
 * checks; a crash or hang in it still shows. Not covered: accept
 * failures (fdpause), the 10 s timeout on a client that says nothing,
 * and TLS (there is none).
 *
 * Input: what the client sends; then it shuts its side down.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "config.h"
#include "log.h"
#include "mode.h"
#include "role.h"
#include "session.h"
#include "vland.h"
#include "web.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The daemon's global, defined in vland.c, which is not linked. */
struct vland vl;

/* After this long a connection still open is a hang (the server got
 * the whole request and the client's EOF). Not a count of loop rounds:
 * a SYN that meets a TIME_WAIT of an earlier connection is sent again
 * only after a second. */
#define HANG_MS 5000

static const char hub_yaml[] = "ip: 10.0.0.1/24\n"
			       "dhcp-range: 10.0.0.100-10.0.0.200\n"
			       "web:\n"
			       "  enable: yes\n"
			       "  listen: 127.0.0.1\n";

static struct config cfg;
static struct sockaddr_in web_addr;
static int ready;

static void
add_session(const char *user, const char *ifname, const char *ip,
    enum sess_state st)
{
	struct sockaddr_in *sin;
	struct peer_addr p;
	struct session *s;

	memset(&p, 0, sizeof(p));
	sin = (struct sockaddr_in *)&p.ss;
	sin->sin_family = AF_INET;
	sin->sin_port = htons(40000);
	inet_pton(AF_INET, "198.51.100.7", &sin->sin_addr);
	p.len = sizeof(*sin);
	s = session_new(vl.sessions, &p);
	snprintf(s->user, sizeof(s->user), "%s", user);
	snprintf(s->ifname, sizeof(s->ifname), "%s", ifname);
	if (addr_parse(ip, &s->addr) == -1)
		abort();
	session_set_state(vl.sessions, s, st);
	s->login_time = 1700000000;
	s->c.rx_packets = 12;
	s->c.rx_bytes = 123456789;
	s->c.tx_packets = 34;
	s->c.tx_bytes = 4096;
}

static void
setup(void)
{
	struct cfg_error err;
	socklen_t len = sizeof(web_addr);
	int fd, listening = 0;
	socklen_t ol = sizeof(listening);

	log_init(1, 0);
	if (cfg_parse(hub_yaml, sizeof(hub_yaml) - 1, "/etc/vland/vland.yaml",
		&cfg, &err) == -1)
		abort();
	cfg.web.port = 0;
	vl.cfg = &cfg;
	vl.role = &hub_role;
	vl.mode = &tap_mode;
	vl.cfgfile = "/etc/vland/vland.yaml";
	if ((vl.base = event_base_new()) == NULL ||
	    event_base_priority_init(vl.base, PRIO_COUNT) == -1)
		abort();
	vl.started_ms = now_ms();
	modules_init();
	add_session("alice", "vl-alice", "10.0.0.100", SESS_UP);
	add_session("bob", "vl-bob", "10.0.0.101", SESS_UP);
	add_session("carol", "", "0.0.0.0", SESS_WAIT_AUTH);

	/* web_open's socket takes the lowest free descriptor: this one. */
	if ((fd = open("/dev/null", O_RDONLY)) == -1)
		abort();
	close(fd);
	web_open();
	if (getsockname(fd, (struct sockaddr *)&web_addr, &len) == -1 ||
	    web_addr.sin_family != AF_INET ||
	    getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &ol) == -1 ||
	    !listening)
		abort();
	web_events();
	ready = 1;
}

/* The status line of an answer, if any came. libevent answers in the
 * request's version, whatever it is ("HTTP/0.0 200 OK"). */
static void
check_answer(const char *buf, size_t len)
{
	unsigned major, minor, status;
	char text[sizeof("HTTP/999.999 999 ")];

	if (len == 0)
		return;
	snprintf(text, sizeof(text), "%.*s", (int)len, buf);
	if (sscanf(text, "HTTP/%u.%u %3u ", &major, &minor, &status) != 3 ||
	    status < 100 || status > 599) {
		fprintf(stderr, "not an HTTP answer: %.*s\n",
		    (int)(len > 200 ? 200 : len), buf);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned nconn;
	struct sockaddr_in src;
	char answer[256], rest[4096];
	size_t sent = 0, got = 0;
	uint64_t deadline;
	ssize_t n;
	int c, shut = 0;

	if (!ready)
		setup();
	/* Clients come from 127.0.0.2 to .251 in turn, so that a new
	 * connection seldom meets the TIME_WAIT of an earlier one. */
	memset(&src, 0, sizeof(src));
	src.sin_family = AF_INET;
	src.sin_addr.s_addr = htonl(INADDR_LOOPBACK + 1 + nconn++ % 250);
	if ((c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		 0)) == -1 ||
	    bind(c, (struct sockaddr *)&src, sizeof(src)) == -1)
		abort();
	if (connect(c, (struct sockaddr *)&web_addr, sizeof(web_addr)) == -1 &&
	    errno != EINPROGRESS)
		abort();
	deadline = now_ms() + HANG_MS;
	for (;;) {
		if (now_ms() > deadline) {
			fprintf(stderr,
			    "the server never closed: %zu of %zu "
			    "bytes sent\n",
			    sent, size);
			abort();
		}
		event_base_loop(vl.base, EVLOOP_NONBLOCK);
		if (sent < size) {
			n = send(c, data + sent, size - sent, MSG_NOSIGNAL);
			if (n > 0)
				sent += (size_t)n;
			else if (n == -1 && errno != EAGAIN &&
			    errno != EWOULDBLOCK && errno != ENOTCONN)
				break; /* the server closed early */
		}
		if (sent == size && !shut) {
			shutdown(c, SHUT_WR);
			shut = 1;
		}
		/* Keep the start, with the status line; read the rest
		 * away. */
		if (got < sizeof(answer))
			n = recv(c, answer + got, sizeof(answer) - got,
			    MSG_DONTWAIT);
		else
			n = recv(c, rest, sizeof(rest), MSG_DONTWAIT);
		if (n == 0 ||
		    (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK))
			break;
		if (n > 0 && got < sizeof(answer))
			got += (size_t)n;
	}
	close(c);
	check_answer(answer, got);
	/* Let the server finish with its side. */
	event_base_loop(vl.base, EVLOOP_NONBLOCK);
	return 0;
}
