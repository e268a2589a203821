/*
 * Direct paths on an endpoint (peers.h).
 *
 * Each peer the hub introduced has a session of its own, in a table of
 * its own (found by receiver index, and by the peer's tunnel address for
 * frames to send). The side the hub names initiates: it sends its INIT
 * to every place the peer may be reached, again every INIT_RESEND_MS,
 * while the other sends small PROBEs to every place of the initiator's,
 * so that each side's NAT has a mapping for the other before the INIT
 * or its answer arrives. The first RESP to come back gives the path.
 *
 * A confirmed path is watched: a side that receives data sends a
 * keepalive every ACTIVE_KEEPALIVE_MS it has nothing else to send, so a
 * side that sends data and hears nothing for LOST_ACTIVE_MS knows the
 * path is gone and goes back to the hub (within 3 s of the loss: the
 * tick is 200 ms); idle paths are kept open every IDLE_KEEPALIVE_MS and
 * lost after LOST_IDLE_MS. The initiator tries again after a back-off.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <netinet/in.h>

#include "ctlmsg.h"
#include "platform.h"
#include "direct.h"
#include "direct_hub.h"
#include "endpoint.h"
#include "l2filter.h"
#include "log.h"
#include "mode.h"
#include "mssclamp.h"
#include "peermsg.h"
#include "peers.h"
#include "session.h"
#include "transport.h"
#include "udp.h"
#include "vland.h"

#define INIT_RESEND_MS	    500
#define INIT_TRIES	    20	  /* 10 s of INITs, then a back-off */
#define RETRY_MIN_MS	    1000  /* the first back-off, ... */
#define RETRY_MAX_MS	    60000 /* ... doubled up to this */
#define PROBE_FAST_MS	    500	  /* the responder's probes at first, */
#define PROBE_FAST_FOR_MS   15000 /* for this long, */
#define PROBE_SLOW_MS	    15000 /* then this (under NATs' UDP timeouts) */
#define ACTIVE_KEEPALIVE_MS 1000
#define ACTIVE_FOR_MS	    10000 /* data received this recently: active */
#define LOST_ACTIVE_MS	    2000
#define LOST_IDLE_MS	    25000
#define IDLE_KEEPALIVE_MS   10000
#define INIT_ANSWER_MS	    100 /* at most one answer this often */
#define RESP_TRY_MS	    20	/* at most one RESP opened (a DH) this often */
/* A peer the hub has not confirmed (PEER again, every
 * DIRECT_PEER_REFRESH_MS) for this long is forgotten: a PEER_GONE may
 * have been lost. */
#define PEERS_LEASE_MS (3 * DIRECT_PEER_REFRESH_MS + 10000)
#define PEERS_MAX      1024

struct dpeer {
	TAILQ_ENTRY(dpeer) entry;
	struct session *s; /* its direct session (in peers.t) */
	uint32_t pair;
	bool initiator;
	char user[USERNAME_MAX + 1];
	struct l2_identity id; /* its MAC and addresses, as the hub said */
	uint8_t secret[DIRECT_SECRET_LEN];
	struct pmsg_cand cand[PMSG_CAND_MAX];
	uint8_t ncand;
	bool up; /* a confirmed path: frames for it go direct */
	/* initiator */
	struct dhs hs;
	bool hs_pending;
	uint8_t init[DIRECT_INIT_LEN];
	unsigned tries;
	uint64_t hs_sent_ms, retry_ms, backoff_ms;
	uint64_t hs_sent_us, resp_us; /* for the round-trip time */
	/* responder: the last INIT answered and its answer, sent again
	 * for a copy of it (an INIT comes by several places, and again) */
	uint8_t last_init[DIRECT_INIT_LEN];
	uint8_t last_resp[DIRECT_RESP_LEN];
	uint64_t resp_ms, probe_start_ms, probe_ms;
	/* both */
	uint64_t data_tx_ms, data_rx_ms, hs_done_ms, lease_ms, resp_try_ms;
	/* the INIT's attempt number: the initiator's last sent, the
	 * responder's last taken (replays of older ones are refused) */
	uint64_t init_counter, last_counter;
	uint32_t rtt_us;
	uint64_t handshakes, fallbacks;
};

TAILQ_HEAD(dpeer_list, dpeer);

static struct {
	struct session_table t;
	struct dpeer_list list;
	size_t n;
	struct addr local[PMSG_LOCAL_MAX];
	uint8_t nlocal;
} peers;

static bool inited;
/* VLAND_TEST_DIRECT_ANY_SOURCE (vland(8)): send any frame for a peer
 * direct, so that a test can see the peer refuse a foreign source. */
static bool any_source;
/* How long a peer lasts without the hub's PEER; VLAND_TEST_PEER_LEASE
 * (seconds, shorter only) lets a test watch it end. */
static uint64_t lease_ms = PEERS_LEASE_MS;

static void
peers_init(void)
{
	if (inited)
		return;
	session_table_init(&peers.t, NULL);
	TAILQ_INIT(&peers.list);
	inited = true;
}

void
direct_before_drop(void)
{
	const char *lease;
	int n;

	peers_init();
	any_source = getenv("VLAND_TEST_DIRECT_ANY_SOURCE") != NULL;
	if ((lease = getenv("VLAND_TEST_PEER_LEASE")) != NULL &&
	    atoi(lease) > 0 && 1000ULL * (unsigned)atoi(lease) < lease_ms)
		lease_ms = 1000ULL * (unsigned)atoi(lease);
	if (!vl.cfg->connect.direct)
		return;
	n = plat_local_addrs(peers.local, PMSG_LOCAL_MAX);
	peers.nlocal = n > 0 ? (uint8_t)n : 0;
}

/* The place c as a peer address on our socket of its family; false if
 * we have none. */
static bool
cand_peer(const struct pmsg_cand *c, struct peer_addr *p)
{
	memset(p, 0, sizeof(*p));
	if (c->a.af != vl.server.ss.ss_family)
		return false;
	p->sock = vl.server.sock;
	if (c->a.af == AF_INET) {
		struct sockaddr_in *in = (void *)&p->ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(c->port);
		memcpy(&in->sin_addr, c->a.b, 4);
		p->len = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (void *)&p->ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(c->port);
		memcpy(&in6->sin6_addr, c->a.b, 16);
		p->len = sizeof(*in6);
	}
	return true;
}

static void
send_raw(const struct peer_addr *to, const uint8_t *msg, size_t len)
{
	uint8_t *slot = udp_tx_slot(vl.tx);

	memcpy(slot, msg, len);
	udp_tx_commit(vl.tx, to, len);
}

/* msg to every place the peer may be at. */
static void
send_everywhere(struct dpeer *d, const uint8_t *msg, size_t len)
{
	struct peer_addr to;
	uint8_t i;

	for (i = 0; i < d->ncand; i++)
		if (cand_peer(&d->cand[i], &to))
			send_raw(&to, msg, len);
	udp_flush(vl.tx);
}

static const char *
where(const struct session *s, char *buf, size_t len)
{
	return peer_fmt(&s->peer, buf, len);
}

/* Responder: open our NAT for the initiator's INIT. */
static void
send_probes(struct dpeer *d, uint64_t now)
{
	uint8_t probe[DIRECT_PROBE_LEN];

	d->probe_ms = now;
	direct_probe_put(probe, d->pair);
	send_everywhere(d, probe, sizeof(probe));
}

/* Initiator: a new attempt, to the path we have (a rekey) or to every
 * place. */
static void
start_handshake(struct dpeer *d, uint64_t now)
{
	uint32_t idx = session_new_index(&peers.t);

	if (dhs_init_create(&d->hs, d->secret, d->pair, idx, ++d->init_counter,
		NULL, d->init) != WIRE_OK) {
		log_warnx("cannot build a direct handshake for %s", d->user);
		return;
	}
	session_add_index(&peers.t, d->s, idx);
	d->hs_pending = true;
	d->tries = 1;
	d->hs_sent_ms = now;
	d->hs_sent_us = now_us();
	if (d->up) {
		send_raw(&d->s->peer, d->init, sizeof(d->init));
		udp_flush(vl.tx);
	} else
		send_everywhere(d, d->init, sizeof(d->init));
}

/* The path is gone (or never came): through the hub until it is back. */
static void
path_down(struct dpeer *d, uint64_t now, const char *why)
{
	char p[64];

	if (d->up) {
		log_info("direct path to %s (%s) lost: %s; through the hub",
		    d->user, where(d->s, p, sizeof(p)), why);
		d->fallbacks++;
	}
	d->up = false;
	kp_set_clear(&d->s->kps);
	kp_set_init(&d->s->kps);
	dhs_clear(&d->hs);
	d->hs_pending = false;
	d->retry_ms = now + d->backoff_ms;
	d->backoff_ms =
	    d->backoff_ms * 2 > RETRY_MAX_MS ? RETRY_MAX_MS : d->backoff_ms * 2;
	d->probe_start_ms = d->probe_ms = now;
	memset(d->last_init, 0, sizeof(d->last_init));
}

static void
path_up(struct dpeer *d, uint64_t now, uint64_t since_us)
{
	char p[64];

	d->handshakes++;
	d->hs_done_ms = now;
	d->rtt_us = (uint32_t)(now_us() - since_us);
	d->backoff_ms = RETRY_MIN_MS;
	if (!d->up)
		log_info("direct path to %s via %s", d->user,
		    where(d->s, p, sizeof(p)));
	d->up = true;
}

static struct dpeer *
peer_by_pair(uint32_t pair)
{
	struct dpeer *d;

	TAILQ_FOREACH (d, &peers.list, entry)
		if (d->pair == pair)
			return d;
	return NULL;
}

static void
peer_free(struct dpeer *d)
{
	TAILQ_REMOVE(&peers.list, d, entry);
	peers.n--;
	dhs_clear(&d->hs);
	session_free(&peers.t, d->s);
	explicit_bzero(d, sizeof(*d));
	free(d);
}

void
direct_reset(void)
{
	struct dpeer *d;

	if (!inited)
		return;
	while ((d = TAILQ_FIRST(&peers.list)) != NULL)
		peer_free(d);
}

void
direct_logged_in(struct session *hub, bool resumed)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct pmsg m;
	uint8_t i;

	peers_init();
	/* A new login: the hub forgot the pairs of the last one. */
	if (!resumed)
		direct_reset();
	if (!vl.cfg->connect.direct)
		return;
	memset(&m, 0, sizeof(m));
	m.op = PMSG_ENDPOINT_INFO;
	m.u.info.flags = PMSG_INFO_DIRECT;
	if (getsockname(vl.server.sock, (struct sockaddr *)&ss, &len) == 0)
		m.u.info.port = ntohs(ss.ss_family == AF_INET
			? ((struct sockaddr_in *)(void *)&ss)->sin_port
			: ((struct sockaddr_in6 *)(void *)&ss)->sin6_port);
	for (i = 0; i < peers.nlocal; i++)
		m.u.info.a[m.u.info.n++] = peers.local[i];
	transport_send_control(hub, &m);
}

void
direct_peer(const struct pmsg_peer *m)
{
	struct dpeer *d;
	struct addr self;
	struct prefix self6;
	uint8_t pl;
	uint64_t now = now_ms();

	peers_init();
	/* With direct: no we told the hub nothing; a PEER is not ours. */
	if (!vl.cfg->connect.direct) {
		transport_drop(NULL, DROP_CONTROL);
		return;
	}
	if ((d = peer_by_pair(m->pair)) != NULL) {
		/* Again: the lease goes on; new places if the peer roamed,
		 * tried at once (but not the same ones again: a hub's
		 * refresh must not undo the back-off). */
		d->lease_ms = now;
		if (d->ncand != m->n ||
		    memcmp(d->cand, m->c, m->n * sizeof(m->c[0])) != 0) {
			memcpy(d->cand, m->c, sizeof(d->cand));
			d->ncand = m->n;
			if (!d->up && d->initiator && !d->hs_pending)
				d->retry_ms = now;
		}
		return;
	}
	/* A new pair for an address we had a peer at: the peer logged in
	 * again and the hub's PEER_GONE for the old pair was lost. */
	TAILQ_FOREACH (d, &peers.list, entry)
		if (addr_cmp(&d->id.v4, &m->v4) == 0) {
			peer_free(d);
			break;
		}
	endpoint_address(&self, &pl, &self6);
	if (addr_cmp(&m->v4, &self) == 0 || peers.n >= PEERS_MAX) {
		log_warnx("PEER %s refused (%s)", m->user,
		    peers.n >= PEERS_MAX ? "too many peers" : "ourselves");
		return;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL)
		fatal("calloc");
	d->pair = m->pair;
	d->initiator = (m->flags & PMSG_PEER_INITIATE) != 0;
	snprintf(d->user, sizeof(d->user), "%s", m->user);
	l2_identity_make(&d->id, &m->v4, &m->v6);
	memcpy(d->secret, m->secret, sizeof(d->secret));
	memcpy(d->cand, m->c, sizeof(d->cand));
	d->ncand = m->n;
	d->backoff_ms = RETRY_MIN_MS;
	d->lease_ms = now;
	d->s = session_new(&peers.t, &vl.server);
	d->s->dp = d;
	d->s->addr = m->v4;
	snprintf(d->s->user, sizeof(d->s->user), "%s", m->user);
	session_set_state(&peers.t, d->s, SESS_UP);
	session_addr_set(&peers.t, d->s);
	d->probe_start_ms = d->probe_ms = now;
	TAILQ_INSERT_TAIL(&peers.list, d, entry);
	peers.n++;
	log_debug("the hub introduced %s (%s)", d->user,
	    d->initiator ? "we start" : "it starts");
	if (d->initiator)
		start_handshake(d, now);
	else
		send_probes(d, now);
}

void
direct_peer_gone(uint32_t pair)
{
	struct dpeer *d;

	if (!inited || (d = peer_by_pair(pair)) == NULL)
		return;
	log_info("%s left; no direct path to it", d->user);
	peer_free(d);
}

/* Responder: an INIT of a pair we know. */
static void
init_input(uint8_t *buf, size_t len, const struct peer_addr *from, uint64_t now)
{
	uint8_t resp[DIRECT_RESP_LEN];
	struct keypair kp;
	struct dpeer *d;
	uint64_t counter;
	uint32_t pair, idx;

	if (direct_pair_of(buf, len, WIRE_MSG_DIRECT_INIT, &pair) != WIRE_OK ||
	    (d = peer_by_pair(pair)) == NULL || d->initiator) {
		transport_drop(NULL, DROP_HANDSHAKE);
		return;
	}
	/* Whatever it is, at most one answer per INIT_ANSWER_MS: an INIT
	 * seen on the way and sent again from forged sources must not
	 * turn us into a reflector. */
	if (now - d->resp_ms < INIT_ANSWER_MS) {
		transport_drop(d->s, DROP_RATELIMIT);
		return;
	}
	/* The same INIT again (by another place, or resent): the same
	 * answer, so that the keypair made for it stays the one. */
	if (memcmp(buf, d->last_init, DIRECT_INIT_LEN) == 0) {
		d->resp_ms = now;
		d->resp_us = now_us();
		send_raw(from, d->last_resp, sizeof(d->last_resp));
		udp_flush(vl.tx);
		return;
	}
	idx = session_new_index(&peers.t);
	/* Into a buffer of its own: a forged INIT must not wipe the answer
	 * kept for the real one. */
	d->resp_ms = now;
	switch (dhs_respond(d->secret, buf, len, idx, NULL, now,
	    d->last_counter, &counter, resp, &kp)) {
	case WIRE_OK:
		break;
	case WIRE_EREPLAY:
		/* An earlier attempt's INIT, seen and sent again. */
		transport_drop(d->s, DROP_AUTH);
		return;
	default:
		transport_drop(d->s, DROP_HANDSHAKE);
		return;
	}
	d->last_counter = counter;
	memcpy(d->last_resp, resp, sizeof(resp));
	session_add_index(&peers.t, d->s, idx);
	/* In next until the initiator's first message under it. */
	kp_set_install(&d->s->kps, &kp);
	memcpy(d->last_init, buf, DIRECT_INIT_LEN);
	d->resp_us = now_us();
	send_raw(from, d->last_resp, sizeof(d->last_resp));
	udp_flush(vl.tx);
}

/* Initiator: the answer to our INIT. */
static void
resp_input(uint8_t *buf, size_t len, const struct peer_addr *from, uint64_t now)
{
	struct keypair kp;
	struct session *s;
	struct dpeer *d;

	if (len != DIRECT_RESP_LEN ||
	    (s = session_by_index(&peers.t,
		 wire_get_u32(buf + DIRECT_RESP_RECEIVER))) == NULL ||
	    (d = s->dp) == NULL || !d->hs_pending) {
		transport_drop(NULL, DROP_HANDSHAKE);
		return;
	}
	/* Opening one costs a DH before its tag says anything, and the
	 * index it names was in clear in our INIT: a bounded rate. */
	if (now - d->resp_try_ms < RESP_TRY_MS) {
		transport_drop(s, DROP_RATELIMIT);
		return;
	}
	d->resp_try_ms = now;
	if (dhs_resp_consume(&d->hs, buf, len, now, &kp) != WIRE_OK) {
		transport_drop(s, DROP_HANDSHAKE);
		return;
	}
	d->hs_pending = false;
	kp_set_install(&s->kps, &kp);
	s->peer = *from;
	s->last_rx_ms = now;
	path_up(d, now, d->hs_sent_us);
	/* The responder uses the keypair once this arrives. */
	transport_send_keepalive(s);
	udp_flush(vl.tx);
}

/* A frame from the peer: only its own MAC and addresses. */
static bool
from_peer(const struct dpeer *d, const uint8_t *f, size_t len)
{
	if (vl.mode->ethernet)
		return l2_check(&d->id, f, len) == L2_OK;
	if (len >= 20 && f[0] >> 4 == 4)
		return memcmp(f + 12, d->id.v4.b, 4) == 0;
	if (len >= 40 && f[0] >> 4 == 6)
		return d->id.v6.af == AF_INET6 &&
		    memcmp(f + 8, d->id.v6.b, 16) == 0;
	return false;
}

static void
data_input(uint8_t *buf, size_t len, const struct peer_addr *from, uint64_t now)
{
	struct session *s;
	struct dpeer *d;
	struct keypair *was;
	struct kp_rx rx;

	s = len >= WIRE_TRANSPORT_OVERHEAD
	    ? session_by_index(&peers.t,
		  wire_get_u32(buf + WIRE_TRANSPORT_RECEIVER))
	    : NULL;
	if (s == NULL) {
		transport_drop(NULL, DROP_INDEX);
		return;
	}
	d = s->dp;
	was = s->kps.cur;
	if (kp_set_open(&s->kps, buf, len, now, &rx) != WIRE_OK) {
		transport_drop(s, DROP_AUTH);
		return;
	}
	s->peer = *from; /* roaming, as the hub allows its endpoints */
	s->last_rx_ms = now;
	/* The responder's keypair is confirmed. */
	if (s->kps.cur != was && !d->initiator)
		path_up(d, now, d->resp_us);
	if (rx.rekey && d->initiator && !d->hs_pending)
		start_handshake(d, now);
	if (rx.type != WIRE_MSG_DATA) {
		transport_drop(s, DROP_CONTROL);
		return;
	}
	if (rx.len == 0)
		return;
	if (!from_peer(d, rx.payload, rx.len)) {
		transport_drop(s, DROP_SPOOF);
		return;
	}
	d->data_rx_ms = now;
	if (vl.mss_mtu != 0)
		mss_clamp(rx.payload, rx.len, vl.mode->ethernet, vl.mss_mtu);
	s->c.rx_packets++;
	s->c.rx_bytes += rx.len;
	transport_to_device(endpoint_session(), rx.payload, rx.len);
}

bool
direct_udp_input(uint8_t *buf, size_t len, const struct peer_addr *from)
{
	uint64_t now = now_ms();

	if (!inited || len < WIRE_HDR_LEN || peers.n == 0)
		return false;
	switch (buf[0]) {
	case WIRE_MSG_DIRECT_INIT:
		init_input(buf, len, from, now);
		return true;
	case WIRE_MSG_DIRECT_RESP:
		resp_input(buf, len, from, now);
		return true;
	case WIRE_MSG_DIRECT_PROBE:
		/* Its work is done by arriving (or by being dropped by
		 * a NAT on the way); nothing to answer. */
		return true;
	case WIRE_MSG_DATA:
	case WIRE_MSG_CONTROL:
		data_input(buf, len, from, now);
		return true;
	}
	return false;
}

/* The peer a frame of ours is for (its MAC, or its address), if the
 * frame's source is this endpoint itself. */
static struct session *
peer_of_frame(const uint8_t *f, size_t len)
{
	struct addr self, a;
	struct prefix self6;
	uint8_t pl;

	endpoint_address(&self, &pl, &self6);
	memset(&a, 0, sizeof(a));
	a.af = AF_INET;
	if (vl.mode->ethernet) {
		if (len < 14 || f[0] != 0x62 || f[1] != 0xe2 ||
		    (!any_source &&
			(f[6] != 0x62 || f[7] != 0xe2 ||
			    memcmp(f + 8, self.b, 4) != 0)))
			return NULL;
		memcpy(a.b, f + 2, 4);
	} else if (len >= 20 && f[0] >> 4 == 4) {
		if (!any_source && memcmp(f + 12, self.b, 4) != 0)
			return NULL;
		memcpy(a.b, f + 16, 4);
	} else if (len >= 40 && f[0] >> 4 == 6 && self6.a.af == AF_INET6) {
		if ((!any_source && memcmp(f + 8, self6.a.b, 16) != 0) ||
		    memcmp(f + 24, self6.a.b, 12) != 0)
			return NULL;
		memcpy(a.b, f + 36, 4);
	} else
		return NULL;
	return session_by_addr(&peers.t, &a);
}

struct session *
direct_frame_target(struct session *dev, const uint8_t *frame, size_t len,
    uint64_t now)
{
	struct session *s;

	if (!inited || peers.n == 0 ||
	    (s = peer_of_frame(frame, len)) == NULL || !s->dp->up ||
	    kp_set_sender(&s->kps, now) == NULL)
		return dev;
	s->dp->data_tx_ms = now;
	return s;
}

void
direct_rekey_due(struct session *s)
{
	struct dpeer *d = s->dp;

	if (d != NULL && d->initiator && d->up && !d->hs_pending)
		start_handshake(d, now_ms());
}

static void
peer_tick(struct dpeer *d, uint64_t now)
{
	struct session *s = d->s;
	uint64_t since_rx = now - s->last_rx_ms, ka;

	if (now - d->lease_ms > lease_ms) {
		log_info("the hub no longer vouches for %s; no direct path "
			 "to it",
		    d->user);
		peer_free(d);
		return;
	}
	if (d->up) {
		if (kp_set_sender(&s->kps, now) == NULL) {
			path_down(d, now, "its keys expired");
			return;
		}
		if (now - d->data_tx_ms < LOST_ACTIVE_MS + 500 &&
		    since_rx > LOST_ACTIVE_MS) {
			path_down(d, now, "no answer");
			return;
		}
		if (since_rx > LOST_IDLE_MS) {
			path_down(d, now, "silent");
			return;
		}
		ka = now - d->data_rx_ms < ACTIVE_FOR_MS ? ACTIVE_KEEPALIVE_MS
							 : IDLE_KEEPALIVE_MS;
		if (now - s->last_tx_ms >= ka)
			transport_send_keepalive(s);
		/* Tests shorten the rekey interval, as for the hub. */
		if (d->initiator && !d->hs_pending && vl.rekey_ms != 0 &&
		    s->kps.cur != NULL &&
		    now - s->kps.cur->created_ms >= vl.rekey_ms)
			start_handshake(d, now);
	}
	if (d->initiator) {
		if (d->hs_pending && now - d->hs_sent_ms >= INIT_RESEND_MS) {
			if (d->tries >= INIT_TRIES) {
				/* A rekey that got no answer: the path
				 * is as good as gone. */
				path_down(d, now, "no answer to a handshake");
				return;
			}
			d->tries++;
			d->hs_sent_ms = now;
			d->hs_sent_us = now_us();
			if (d->up) {
				send_raw(&s->peer, d->init, sizeof(d->init));
				udp_flush(vl.tx);
			} else
				send_everywhere(d, d->init, sizeof(d->init));
		} else if (!d->up && !d->hs_pending && now >= d->retry_ms)
			start_handshake(d, now);
		return;
	}
	if (!d->up &&
	    now - d->probe_ms >= (now - d->probe_start_ms < PROBE_FAST_FOR_MS
					 ? PROBE_FAST_MS
					 : PROBE_SLOW_MS))
		send_probes(d, now);
}

void
direct_tick(uint64_t now)
{
	struct dpeer *d, *next;

	if (!inited)
		return;
	for (d = TAILQ_FIRST(&peers.list); d != NULL; d = next) {
		next = TAILQ_NEXT(d, entry);
		peer_tick(d, now);
	}
	udp_flush(vl.tx);
}

size_t
direct_npeers(void)
{
	return inited ? peers.n : 0;
}

/* Peers whose traffic goes direct now. */
size_t
direct_ndirect(void)
{
	const struct dpeer *d;
	size_t n = 0;

	if (!inited)
		return 0;
	TAILQ_FOREACH (d, &peers.list, entry)
		n += d->up;
	return n;
}

bool
direct_peer_row(size_t i, struct ctl_peer *r)
{
	const struct sockaddr_storage *ss;
	struct dpeer *d;
	uint64_t now = now_ms();

	if (!inited)
		return false;
	TAILQ_FOREACH (d, &peers.list, entry)
		if (i-- == 0)
			break;
	if (d == NULL)
		return false;
	memset(r, 0, sizeof(*r));
	snprintf(r->user, sizeof(r->user), "%s", d->user);
	r->addr = d->id.v4;
	r->path = d->up ? CTL_PATH_DIRECT : CTL_PATH_RELAYED;
	r->initiator = d->initiator;
	ss = &d->s->peer.ss;
	if (d->handshakes > 0 && ss->ss_family == AF_INET) {
		r->remote.af = AF_INET;
		memcpy(r->remote.b,
		    &((const struct sockaddr_in *)(const void *)ss)->sin_addr,
		    4);
		r->remote_port = ntohs(
		    ((const struct sockaddr_in *)(const void *)ss)->sin_port);
	} else if (d->handshakes > 0 && ss->ss_family == AF_INET6) {
		r->remote.af = AF_INET6;
		memcpy(r->remote.b,
		    &((const struct sockaddr_in6 *)(const void *)ss)->sin6_addr,
		    16);
		r->remote_port = ntohs(
		    ((const struct sockaddr_in6 *)(const void *)ss)->sin6_port);
	}
	r->last_handshake_ms =
	    d->handshakes > 0 ? now - d->hs_done_ms : UINT64_MAX;
	r->rtt_us = d->rtt_us;
	r->handshakes = d->handshakes;
	r->fallbacks = d->fallbacks;
	r->c.rx_packets = d->s->c.rx_packets;
	r->c.rx_bytes = d->s->c.rx_bytes;
	r->c.tx_packets = d->s->c.tx_packets;
	r->c.tx_bytes = d->s->c.tx_bytes;
	for (i = 0; i < DROP_NREASONS; i++)
		r->c.drops += d->s->c.drops[i];
	return true;
}

void
direct_shutdown(void)
{
	direct_reset();
	if (inited)
		session_table_clear(&peers.t);
}
