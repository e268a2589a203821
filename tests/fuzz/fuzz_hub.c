/*
 * libFuzzer target: the hub's datagram entry point, hub_udp_input(), as
 * udp_receive() calls it for each datagram, but with the datagram in a
 * heap buffer of exactly its size: in the daemon it sits in a 64 KiB
 * receive buffer, where reading past its end goes unseen; here ASan
 * sees any over-read, in the dispatch by type and length, the mac1 and
 * mac2 checks, the session lookup by index, kp_set_open, and, for
 * messages that open, the control decoding and handling (AUTH,
 * AUTH_RESUME, BYE) and data in the state a session is in before it
 * logs in (keepalives answered, frames refused).
 *
 * The hub is the real one (hub.c, session.c, udp.c ... linked from the
 * daemon, all but vland.c's main), with a fixed key and PSK (the same as
 * fuzz_handshake.c's, so its INIT seeds serve here too), its sends going
 * to a local UDP socket that stands for the endpoint, and vland-auth and
 * vland-ifmgr replaced by socketpairs that are drained. One session is
 * made by a real handshake through hub_udp_input; after each input it is
 * put back to waiting for AUTH, other sessions an input made are freed,
 * and if the input ended it, a new one is made the same way (the rate
 * limit is reset first: that is the harness, not what is tested).
 *
 * Not covered: sessions that are logged in (vland-auth's answer and the
 * tap, tun forwarding, the bridge checks), the hub under load (INITs are
 * not sent fast enough), receiving (recvmmsg, UDP_GRO splitting) and the
 * endpoint's side.
 *
 * Input: byte 0 even: the rest is one datagram from the endpoint's
 * address. Byte 0 odd: byte 1 picks DATA (bit 0 clear) or CONTROL, and
 * the rest is the plaintext, sealed with the session's endpoint keys
 * (so it opens) into an exact-size datagram.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "config.h"
#include "handshake.h"
#include "hub.h"
#include "log.h"
#include "ratelimit.h"
#include "mode.h"
#include "role.h"
#include "session.h"
#include "udp.h"
#include "vland.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The daemon's global, defined in vland.c, which is not linked. */
struct vland vl;

#define EP_INDEX 0x11223344
/* A fresh session well before its keys expire (180 s). */
#define SESSION_MAX_AGE_MS 60000

#include "fuzz_keys.h" /* hub_priv, psk */
static const char hub_yaml[] = "ip: 10.0.0.1/24\n"
			       "dhcp-range: 10.0.0.100-10.0.0.200\n";

static struct config cfg;
static int sink = -1;	      /* the endpoint's UDP socket */
static int auth_peer = -1;    /* vland-auth's end */
static int ifmgr_peer = -1;   /* vland-ifmgr's end */
static struct peer_addr from; /* the endpoint, as the hub sees it */
static struct keypair ep_kp;  /* the endpoint's keys for the session */
static uint32_t sess_id;      /* 0: none */
static uint64_t sess_ms;

static void
drain(int fd)
{
	uint8_t buf[PKT_MAX];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

/* Feed the hub one datagram in a heap buffer of exactly its size. */
static void
feed(const uint8_t *msg, size_t len)
{
	uint8_t *buf;

	if ((buf = malloc(len > 0 ? len : 1)) == NULL)
		abort();
	memcpy(buf, msg, len);
	hub_udp_input(buf, len, &from);
	free(buf);
	udp_flush(vl.tx);
}

static void
helper_chan(struct helper *h, int *peer)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv) == -1 ||
	    ipc_init(&h->chan, sv[0], 0) == -1)
		abort();
	h->up = true;
	*peer = sv[1];
}

/*
 * A real handshake through hub_udp_input: the session and our keys. An
 * input may have put the hub under load (many INITs in a second): then
 * the first answer is a cookie reply, and the INIT goes again with it.
 */
static void
handshake(void)
{
	static const struct wire_hello hello = { WIRE_VERSION, WIRE_MODE_TAP };
	const struct hs_hub_pub *pub = &vl.hub.id;
	struct session *s;
	struct hs hs;
	uint8_t init[WIRE_INIT_LEN], msg[PKT_MAX], cookie[WIRE_COOKIE_LEN];
	uint8_t status, *ck = NULL;
	ssize_t n;
	int tries;

	kp_clear(&ep_kp);
	ratelimit_init(vl.rl);
	drain(sink);
	for (tries = 0;; tries++) {
		if (tries == 2 ||
		    hs_init_create(&hs, pub, psk, &hello, EP_INDEX, ck, init) !=
			WIRE_OK)
			abort();
		feed(init, sizeof(init));
		if ((n = recv(sink, msg, sizeof(msg), MSG_DONTWAIT)) <= 0)
			abort();
		if (msg[0] != WIRE_MSG_COOKIE)
			break;
		if (hs_cookie_consume(&hs, pub, msg, (size_t)n, cookie) !=
		    WIRE_OK)
			abort();
		ck = cookie;
		hs_clear(&hs);
	}
	if (hs_resp_consume(&hs, pub, msg, (size_t)n, now_ms(), &status,
		&ep_kp) != WIRE_OK)
		abort();
	hs_clear(&hs);
	if ((s = TAILQ_LAST(&vl.sessions->list, session_list)) == NULL)
		abort();
	sess_id = s->id;
	sess_ms = now_ms();
}

static void
setup(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct cfg_error err;
	int fd;

	log_init(1, 0);
	if (cfg_parse(hub_yaml, sizeof(hub_yaml) - 1, "/etc/vland/vland.yaml",
		&cfg, &err) == -1)
		abort();
	memcpy(cfg.psk, psk, sizeof(psk));
	cfg.has_psk = true;
	vl.cfg = &cfg;
	vl.role = &hub_role;
	vl.mode = &tap_mode;
	vl.cfgfile = "/etc/vland/vland.yaml";
	memcpy(vl.privkey, hub_priv, sizeof(hub_priv));
	if ((vl.base = event_base_new()) == NULL ||
	    event_base_priority_init(vl.base, PRIO_COUNT) == -1)
		abort();
	helper_chan(&vl.auth, &auth_peer);
	helper_chan(&vl.ifmgr, &ifmgr_peer);

	/* The hub's socket and the endpoint's, both on the loopback. */
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    (sink = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0)) == -1 ||
	    bind(sink, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(sink, (struct sockaddr *)&sin, &len) == -1)
		abort();
	vl.udp[0] = fd;
	vl.nudp = 1;
	memset(&from, 0, sizeof(from));
	memcpy(&from.ss, &sin, sizeof(sin));
	from.len = sizeof(sin);
	from.sock = 0;
	vl.started_ms = now_ms();
	modules_init();
	hub_init();
	handshake();
}

/* Back to one session waiting for AUTH, with nothing left queued. */
static void
reset(void)
{
	struct session *s, *next;
	struct session *keep = NULL;

	udp_flush(vl.tx);
	drain(sink);
	drain(auth_peer);
	drain(ifmgr_peer);
	for (s = TAILQ_FIRST(&vl.sessions->list); s != NULL; s = next) {
		next = TAILQ_NEXT(s, entry);
		if (s->id == sess_id)
			keep = s;
		else
			session_free(vl.sessions, s);
	}
	if (keep != NULL && now_ms() - sess_ms > SESSION_MAX_AGE_MS) {
		session_free(vl.sessions, keep);
		keep = NULL;
	}
	if (keep == NULL) {
		handshake();
		return;
	}
	session_set_state(vl.sessions, keep, SESS_WAIT_AUTH);
	keep->user[0] = '\0';
	keep->has_token = false;
	keep->peer = from;
}

/* The plaintext sealed as the endpoint would send it. */
static void
sealed(uint8_t type, const uint8_t *payload, size_t len)
{
	uint8_t *buf;
	size_t cap = len + WIRE_TRANSPORT_OVERHEAD, msglen;

	/* kp_seal refuses it: a CONTROL message is never empty. */
	if (type == WIRE_MSG_CONTROL && len == 0)
		return;
	if ((buf = malloc(cap)) == NULL)
		abort();
	memcpy(buf + WIRE_TRANSPORT_HDR_LEN, payload, len);
	if (kp_seal(&ep_kp, type, buf, len, cap, &msglen, now_ms(), NULL) !=
	    WIRE_OK)
		abort();
	feed(buf, msglen);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (sink == -1)
		setup();
	if (size < 1)
		return 0;
	if (!(data[0] & 1))
		feed(data + 1, size - 1);
	else if (size >= 2 && size - 2 <= PKT_MAX - WIRE_TRANSPORT_OVERHEAD)
		sealed(data[1] & 1 ? WIRE_MSG_CONTROL : WIRE_MSG_DATA, data + 2,
		    size - 2);
	reset();
	return 0;
}
