/*
 * The hub: handshakes (responder), logins through vland-auth, taps from
 * vland-ifmgr, and the life of each session. A peer can make any of
 * this fail, never crash it: everything it sends is checked by proto/
 * before it is acted on, and every refusal is counted.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "devio.h"
#include "handshake.h"
#include "direct_hub.h"
#include "hub.h"
#include "ipcmsg.h"
#include "log.h"
#include "mode.h"
#include "ratelimit.h"
#include "hubdns.h"
#include "hubroutes.h"
#include "routes.h"
#include "role.h"
#include "secrets.h"
#include "session.h"
#include "tunfwd.h"
#include "wheel.h"
#include "udp.h"
#include "ctlmsg.h"
#include "keyenc.h"

/* Sessions waiting for AUTH, and how long they may wait. */
#define HALF_OPEN_MAX	 1024
#define HALF_OPEN_TTL_MS 10000
/* ... and how old the oldest must be to give its slot to a newer one. */
#define HALF_OPEN_EVICT_MS 1000
/*
 * Logins waiting for vland-auth. Above its own queue (1,024, fair between
 * sources, fuller answered "try later" at once), so that its fairness
 * decides who waits; this bound only keeps vland's share finite.
 */
#define AUTH_PENDING_MAX 1280
/* Seconds an endpoint refused for want of descriptors should wait. */
#define FD_SHORT_WAIT 10
/* ... and one refused because the hub serves max-sessions already. */
#define FULL_WAIT 30
/* INITs per second above which the hub asks for cookies (mac2). */
#define LOAD_INITS_PER_SEC 2000
/*
 * A user's session heard from within this many keepalive intervals is
 * alive, and a second login is refused (AUTH_FAIL "already logged in");
 * one silent longer is a crashed endpoint's, and the new login replaces
 * it.
 */
#define LOGGED_IN_KEEPALIVES 2

const char *const auth_fail_names[AUTH_FAIL_NREASONS] = {
#define AUTH_FAIL_NAME(id, name) [AF_##id] = name,
	AUTH_FAIL_REASONS(AUTH_FAIL_NAME)
#undef AUTH_FAIL_NAME
};

/* HALF_OPEN_EVICT_MS, or never (VLAND_TEST_HALF_OPEN_KEEP, vland(8):
 * the test suite's way to reach "busy"). */
static uint64_t evict_ms = HALF_OPEN_EVICT_MS;

static struct {
	uint8_t secret[COOKIE_SECRET_LEN];
	uint64_t secret_ms;
	uint64_t second_ms;
	unsigned inits_this_second;
	uint64_t under_load_until;
} ck;

void
hub_init(void)
{
	if (hs_hub_init(&vl.hub, vl.privkey) == -1)
		fatalx("cannot derive the hub's handshake keys");
	if (RAND_bytes(ck.secret, sizeof(ck.secret)) != 1)
		fatalx("RAND_bytes");
	ck.secret_ms = now_ms();
	if (getenv("VLAND_TEST_HALF_OPEN_KEEP") != NULL)
		evict_ms = UINT64_MAX;
	ratelimit_init(vl.rl);
	hubroutes_init();
	hub_apply_config();
}

void
hub_apply_config(void)
{
	vl.mss_mtu = vl.cfg->mss_clamp ? cfg_effective_mtu(vl.cfg) : 0;
}

bool
hub_under_load(void)
{
	return now_ms() < ck.under_load_until;
}

/*
 * Load: more INITs in a second than LOAD_INITS_PER_SEC, or half the
 * half-open slots taken. The second matters most: INITs with a valid
 * mac1 (the hub's public key is all it takes) from forged sources, a
 * few a second from each under the rate limit's burst, would otherwise
 * fill the slots for their 10 s, and every login would be told "busy"
 * without the rate ever looking like a flood. Under load a half-open
 * session costs a cookie's round trip from a real address, so forgeries
 * hold at most half the slots.
 */
static bool
under_load(uint64_t now)
{
	size_t half_open = session_count(vl.sessions, SESS_WAIT_AUTH);

	if (now - ck.second_ms >= 1000) {
		ck.second_ms = now;
		ck.inits_this_second = 0;
	}
	if (++ck.inits_this_second > LOAD_INITS_PER_SEC ||
	    half_open >= HALF_OPEN_MAX / 2) {
		/* Said once per spell of load, not per INIT. */
		if (now >= ck.under_load_until) {
			if (half_open >= HALF_OPEN_MAX / 2)
				log_warnx("under load: %zu sessions half-open; "
					  "answering with cookies",
				    half_open);
			else
				log_warnx("under load: more than %d "
					  "handshakes in a second; answering "
					  "with cookies",
				    LOAD_INITS_PER_SEC);
		}
		ck.under_load_until = now + 1000;
	}
	return now < ck.under_load_until;
}

static void
hub_handshake(uint8_t *buf, size_t len, struct peer_addr *from, uint64_t now)
{
	uint8_t cookie[WIRE_COOKIE_LEN], blob[COOKIE_ADDR_MAX], *slot;
	uint8_t reply[WIRE_COOKIE_REPLY_LEN], status;
	struct wire_hello hello;
	struct keypair kp;
	struct session *s, *old;
	struct addr a;
	struct hs hs;
	uint16_t port;
	uint32_t idx;
	size_t bloblen;
	enum wire_err e;
	bool load, proven = false;

	/* The exact length first: a datagram of any other length gets no
	 * work and no answer, so no reply can be larger than what it
	 * answers and nothing reads past it. */
	if (len != WIRE_INIT_LEN) {
		transport_drop(NULL, DROP_HANDSHAKE);
		return;
	}
	peer_to_addr(from, &a, &port);
	/* mac1 costs a hash; then, under load, mac2; then the rate limit;
	 * only then the DH. Only INITs with a valid mac1 count as load:
	 * junk of INIT length, which needs no key, must not put every
	 * login through a cookie's round trip. */
	if (cookie_check_mac1(&vl.hub.id.ck, buf, len) != WIRE_OK) {
		transport_drop(NULL, DROP_HANDSHAKE);
		return;
	}
	load = under_load(now);
	/*
	 * Prove you can receive here first (WireGuard §5.3): under load
	 * every INIT, and at any time one from an address whose share is
	 * spent, must carry a valid mac2; without it, it gets a cookie
	 * reply (smaller than the INIT). INITs forged from someone's
	 * address can spend that address's share, but its real owner,
	 * which receives the cookie, still gets in.
	 */
	if (!load && ratelimit_allow(vl.rl, &a, now))
		goto allowed;
	bloblen = cookie_addr_blob(blob, &a, port);
	if (cookie_make(cookie, ck.secret, blob, bloblen) == -1)
		return;
	if (cookie_check_mac2(cookie, buf, len) != WIRE_OK) {
		if (hs_cookie_reply(&vl.hub, buf, cookie, reply) == WIRE_OK) {
			udp_queue(vl.tx, from, reply, sizeof(reply));
			vl.stats.cookie_replies++;
		}
		return;
	}
	/* A sender that receives here has a share of its own, which
	 * forgeries and other hosts behind its NAT cannot spend: 5 at
	 * once, then 20 a second. */
	proven = true;
	if (!ratelimit_allow_proven(vl.rl, &a, port, now)) {
		transport_drop(NULL, DROP_RATELIMIT);
		return;
	}
allowed:
	e = hs_init_consume(&hs, &vl.hub, vl.cfg->psk, buf, len,
	    proven ? cookie : NULL, &hello);
	if (e != WIRE_OK) {
		transport_drop(NULL, DROP_HANDSHAKE);
		log_debug("handshake from %s refused: %s",
		    peer_fmt(from, (char[64]){ 0 }, 64), wire_strerror(e));
		return;
	}
	status = hs_hello_status(&hello, vl.mode->wire_mode);
	/*
	 * All half-open slots taken: the oldest gives its slot up, if it
	 * has had a second for its AUTH, rather than this handshake being
	 * told "busy". A real endpoint needs its slot for one round trip
	 * (its AUTH follows the RESP at once): to keep it out a sender
	 * must now fill every slot each second, past what the rate limits
	 * let one address do (100 a second), instead of once every 10 s.
	 */
	if (status == WIRE_STATUS_OK &&
	    session_count(vl.sessions, SESS_WAIT_AUTH) >= HALF_OPEN_MAX) {
		old = session_oldest_waiting(vl.sessions);
		if (now - old->created_ms < evict_ms)
			status = WIRE_STATUS_BUSY;
		else {
			vl.stats.half_open_evicted++;
			hub_session_end(old, SEV_END_EVICTED);
		}
	}
	idx = session_new_index(vl.sessions);
	slot = udp_tx_slot(vl.tx);
	e = hs_resp_create(&hs, &vl.hub, idx, status, now, slot,
	    status == WIRE_STATUS_OK ? &kp : NULL);
	if (e != WIRE_OK) {
		transport_drop(NULL, DROP_HANDSHAKE);
		return;
	}
	udp_tx_commit(vl.tx, from, WIRE_RESP_LEN);
	if (status != WIRE_STATUS_OK) {
		log_info("handshake from %s refused: %s",
		    peer_fmt(from, (char[64]){ 0 }, 64),
		    wire_status_name(status));
		return;
	}
	vl.stats.handshakes++;
	s = session_new(vl.sessions, from);
	/* Its next look (session_due): ticks cost what is due. */
	wheel_add(vl.timers, &s->timer, s->created_ms + HALF_OPEN_TTL_MS + 1);
	kp_set_install(&s->kps, &kp);
	session_add_index(vl.sessions, s, idx);
	log_debug("session %u: handshake from %s", s->id,
	    peer_fmt(from, (char[64]){ 0 }, 64));
}

/* Every change of a session's state: checked against the table. */
static void
hub_set_state(struct session *s, enum sess_state to, enum sess_event ev)
{
	if (fsm_step(&hub_session_fsm, s->state, to, ev, s->id))
		session_set_state(vl.sessions, s, to);
	s->event = ev;
}

/* AUTH_FAIL; wait (seconds) only with PMSG_FAIL_TRY_LATER. */
static void
send_fail(struct session *s, uint8_t reason, uint32_t wait)
{
	struct pmsg m;

	memset(&m, 0, sizeof(m));
	m.op = PMSG_AUTH_FAIL;
	m.u.fail.reason = reason;
	/* A wait the protocol allows: 1 to PMSG_WAIT_MAX seconds. */
	if (wait < 1)
		wait = 1;
	if (wait > PMSG_WAIT_MAX)
		wait = PMSG_WAIT_MAX;
	if (reason == PMSG_FAIL_TRY_LATER)
		m.u.fail.wait = (uint16_t)wait;
	transport_send_control(s, &m);
}

static void
hub_auth(struct session *s, struct pmsg *m)
{
	struct addr src;
	uint16_t port;

	/* Logged in or being checked: the hub serves max-sessions. */
	if (session_count(vl.sessions, SESS_AUTHING) +
		session_count(vl.sessions, SESS_WAIT_TAP) +
		session_count(vl.sessions, SESS_UP) >=
	    vl.cfg->max_sessions) {
		vl.stats.auth_failures[AF_BUSY]++;
		log_warnx("login of %s from %s refused: the hub is full "
			  "(max-sessions %u)",
		    m->u.auth.user, peer_fmt(&s->peer, (char[64]){ 0 }, 64),
		    vl.cfg->max_sessions);
		send_fail(s, PMSG_FAIL_TRY_LATER, FULL_WAIT);
		hub_session_end(s, SEV_END_FULL);
		return;
	}
	if (session_count(vl.sessions, SESS_AUTHING) >= AUTH_PENDING_MAX) {
		vl.stats.auth_failures[AF_BUSY]++;
		send_fail(s, PMSG_FAIL_TRY_LATER, 1);
		hub_session_end(s, SEV_END_BUSY);
		return;
	}
	peer_to_addr(&s->peer, &src, &port);
	snprintf(s->user, sizeof(s->user), "%s", m->u.auth.user);
	hub_set_state(s, SESS_AUTHING, SEV_AUTH);
	/* The session's id is the request's too. */
	if (ipcmsg_send_auth_check(&vl.auth.chan, s->id, s->id, m->u.auth.user,
		m->u.auth.password, m->u.auth.pwlen, &src) == -1)
		fatal("AUTH_CHECK");
}

static void
send_auth_ok(struct session *s)
{
	struct prefix ip6;
	struct pmsg *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		fatal("calloc");
	m->op = PMSG_AUTH_OK;
	m->u.ok.addr = s->addr;
	m->u.ok.prefixlen = s->prefixlen;
	m->u.ok.mtu = (uint16_t)cfg_effective_mtu(vl.cfg);
	m->u.ok.keepalive = (uint16_t)vl.cfg->keepalive;
	session_new_token(vl.sessions, s);
	memcpy(m->u.ok.token, s->token, sizeof(s->token));
	m->u.ok.routes = *routes_current(vl.routes);
	if (vl.cfg->ip6.a.af == AF_INET6) {
		ip6.len = vl.cfg->ip6.len;
		addr_v6_embed(&vl.cfg->ip6, &s->addr, &ip6.a);
		if (pmsg_ok_set_ipv6(&m->u.ok, &ip6) != WIRE_OK)
			fatalx("AUTH_OK: IPv6 option");
	}
	if (pmsg_ok_set_hub(&m->u.ok, &vl.cfg->ip.a,
		vl.cfg->ip6.a.af == AF_INET6 ? &vl.cfg->ip6.a : NULL) !=
	    WIRE_OK)
		fatalx("AUTH_OK: hub address options");
	transport_send_control(s, m);
	pmsg_clear(m);
	free(m);
	hubdns_send(s);
}

/* AUTH_RESUME: a rekeyed endpoint names its session by token. */
static void
hub_resume(struct session *h, struct pmsg *m)
{
	struct session *found;
	struct keypair kp;
	char pb[64];

	found = session_by_token(vl.sessions, m->u.token);
	if (found == NULL || found == h || found->state != SESS_UP ||
	    h->kps.cur == NULL) {
		/* The endpoint falls back to its password. */
		send_fail(h, PMSG_FAIL_CREDENTIALS, 0);
		hub_session_end(h, SEV_END_BAD_TOKEN);
		return;
	}
	/* The new keypair moves to the session it belongs to. */
	memcpy(&kp, h->kps.cur, sizeof(kp));
	memset(h->kps.cur, 0, sizeof(*h->kps.cur));
	h->kps.cur = NULL;
	found->peer = h->peer;
	found->last_rx_ms = now_ms();
	hub_session_end(h, SEV_END_RESUMED);
	session_add_index(vl.sessions, found, kp.local_index);
	kp_set_install(&found->kps, &kp);
	log_debug("session %u (%s): rekeyed from %s", found->id, found->user,
	    peer_fmt(&found->peer, pb, sizeof(pb)));
	send_auth_ok(found);
}

static void
hub_control(struct session *s, const uint8_t *payload, size_t len)
{
	struct pmsg *m;
	enum wire_err e;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		fatal("calloc");
	if ((e = pmsg_decode(payload, len, m)) != WIRE_OK) {
		log_debug("session %u: bad control message: %s", s->id,
		    wire_strerror(e));
		transport_drop(s, DROP_CONTROL);
		goto out;
	}
	switch (m->op) {
	case PMSG_AUTH:
		if (s->state != SESS_WAIT_AUTH) {
			transport_drop(s, DROP_STATE);
			break;
		}
		hub_auth(s, m);
		break;
	case PMSG_AUTH_RESUME:
		if (s->state != SESS_WAIT_AUTH) {
			transport_drop(s, DROP_STATE);
			break;
		}
		hub_resume(s, m);
		break;
	case PMSG_BYE:
		hub_session_end(s, SEV_END_BYE);
		break;
	case PMSG_ENDPOINT_INFO:
		if (s->state != SESS_UP)
			transport_drop(s, DROP_STATE);
		else
			direct_hub_info(s, &m->u.info);
		break;
	default:
		transport_drop(s, DROP_CONTROL);
	}
out:
	pmsg_clear(m);
	free(m);
}

static void
hub_transport(uint8_t *buf, size_t len, struct peer_addr *from, uint64_t now)
{
	struct session *s;
	struct kp_rx rx;
	enum wire_err e;
	char a[64], b[64];

	if (len < WIRE_TRANSPORT_OVERHEAD) {
		transport_drop(NULL, DROP_SHORT);
		return;
	}
	if ((s = session_by_index(vl.sessions,
		 wire_get_u32(buf + WIRE_TRANSPORT_RECEIVER))) == NULL) {
		log_debug("dropped a message for an unknown index");
		transport_drop(NULL, DROP_INDEX);
		return;
	}
	if ((e = kp_set_open(&s->kps, buf, len, now, &rx)) != WIRE_OK) {
		log_debug("session %u: dropped: %s", s->id, wire_strerror(e));
		transport_drop(s, DROP_AUTH);
		return;
	}
	/* Roaming: only a packet that passed tag and replay moves us. */
	if (!peer_equal(&s->peer, from)) {
		if (s->state == SESS_UP)
			log_info("%s moved from %s to %s", s->user,
			    peer_fmt(&s->peer, a, sizeof(a)),
			    peer_fmt(from, b, sizeof(b)));
		s->peer = *from;
	}
	s->last_rx_ms = now;
	if (rx.type == WIRE_MSG_DATA)
		transport_data_input(s, rx.payload, rx.len);
	else
		hub_control(s, rx.payload, rx.len);
}

void
hub_udp_input(uint8_t *buf, size_t len, struct peer_addr *from)
{
	uint64_t now = now_ms();

	if (len < WIRE_HDR_LEN) {
		transport_drop(NULL, DROP_SHORT);
		return;
	}
	switch (buf[0]) {
	case WIRE_MSG_INIT:
		hub_handshake(buf, len, from, now);
		break;
	case WIRE_MSG_DATA:
	case WIRE_MSG_CONTROL:
		hub_transport(buf, len, from, now);
		break;
	default:
		transport_drop(NULL, DROP_TYPE);
	}
}

static uint8_t
fail_reason(int32_t status)
{
	switch (status) {
	case AUTH_S_BAD_CREDENTIALS:
		return PMSG_FAIL_CREDENTIALS;
	case AUTH_S_BACKOFF:
	case AUTH_S_BUSY:
		return PMSG_FAIL_TRY_LATER;
	case AUTH_S_POOL_EXHAUSTED:
		return PMSG_FAIL_POOL;
	default:
		return PMSG_FAIL_INTERNAL;
	}
}

/* Which /metrics counter a refusal of vland-auth's counts in. */
static enum auth_fail_reason
fail_counter(int32_t status)
{
	switch (status) {
	case AUTH_S_BAD_CREDENTIALS:
		return AF_CREDENTIALS;
	case AUTH_S_BACKOFF:
		return AF_BACKOFF;
	case AUTH_S_POOL_EXHAUSTED:
		return AF_POOL;
	case AUTH_S_BUSY:
		return AF_BUSY;
	default:
		return AF_INTERNAL;
	}
}

/* Why a "try later" came, for the log line that refuses the login. */
static const char *
fail_cause(int32_t status)
{
	switch (status) {
	case AUTH_S_BACKOFF:
		return "too many failures, ";
	case AUTH_S_BUSY:
		return "too many checks queued, ";
	default:
		return "";
	}
}

static void
release_address(const char *user)
{
	if (ipcmsg_send_auth_release(&vl.auth.chan, 0, AUTHREQ_NONE, user) ==
	    -1)
		fatal("AUTH_RELEASE");
}

/*
 * Sessions that ended while vland-auth was checking them: their result
 * still comes, and an address it assigned must go back to the pool.
 */
#define ORPHANS 16
static struct {
	uint32_t id;
	char user[USERNAME_MAX + 1];
} orphans[ORPHANS];
static unsigned norphan;

static void
orphan_add(const struct session *s)
{
	unsigned i = norphan++ % ORPHANS;

	orphans[i].id = s->id;
	snprintf(orphans[i].user, sizeof(orphans[i].user), "%s", s->user);
}

static const char *
orphan_take(uint32_t id)
{
	unsigned i;

	for (i = 0; i < ORPHANS; i++) {
		if (orphans[i].id == id && id != 0) {
			orphans[i].id = 0;
			return orphans[i].user;
		}
	}
	return NULL;
}

static void hub_session_up(struct session *, enum sess_event);
static bool fds_to_spare(void);

void
hub_auth_result(uint32_t peerid, const struct auth_result *r)
{
	struct session *s = session_by_id(vl.sessions, peerid), *old;
	struct addr v6 = { 0 };
	char a[ADDR_STRLEN], p[64];
	uint64_t silent;

	if (s == NULL || s->state != SESS_AUTHING) {
		/* The session went away while the check ran: give the
		 * address back unless the user holds it in another one. */
		const char *user = orphan_take(peerid);

		if (r->status == AUTH_S_OK && user != NULL &&
		    session_of_user(vl.sessions, user, NULL) == NULL)
			release_address(user);
		return;
	}
	if (r->status != AUTH_S_OK) {
		vl.stats.auth_failures[fail_counter(r->status)]++;
		log_warnx("login of %s from %s refused: %s%s", s->user,
		    peer_fmt(&s->peer, p, sizeof(p)), fail_cause(r->status),
		    pmsg_fail_str(fail_reason(r->status)));
		send_fail(s, fail_reason(r->status), r->wait);
		hub_session_end(s, SEV_END_REFUSED);
		return;
	}
	if ((old = session_by_user(vl.sessions, s->user, s)) != NULL) {
		silent = now_ms() - old->last_rx_ms;
		if (silent <=
		    LOGGED_IN_KEEPALIVES * 1000ULL * vl.cfg->keepalive) {
			log_warnx("login of %s from %s refused: already logged "
				  "in from %s",
			    s->user, peer_fmt(&s->peer, p, sizeof(p)),
			    peer_fmt(&old->peer, a, sizeof(a)));
			vl.stats.auth_failures[AF_LOGGED_IN]++;
			send_fail(s, PMSG_FAIL_LOGGED_IN, 0);
			/* The address stays with the first session. */
			hub_session_end(s, SEV_END_LOGGED_IN);
			return;
		}
		/* A crashed endpoint comes back: the new login wins, and
		 * keeps the address the user already holds. */
		hub_session_end(old, SEV_END_REPLACED);
	}
	s->addr = r->address;
	s->prefixlen = r->prefixlen;
	if (vl.cfg->ip6.a.af == AF_INET6)
		addr_v6_embed(&vl.cfg->ip6, &s->addr, &v6);
	l2_identity_make(&s->l2, &s->addr, &v6);
	hub_session_policy(s);
	if (!vl.mode->session_devices) {
		/* No device per session: packets are routed by address. */
		hub_session_up(s, SEV_PASSWORD_OK);
		return;
	}
	if (!fds_to_spare()) {
		log_warnx("login of %s from %s refused: no descriptors to "
			  "spare for its tap (the hub is at its limit of open "
			  "files)",
		    s->user, peer_fmt(&s->peer, p, sizeof(p)));
		vl.stats.auth_failures[AF_BUSY]++;
		send_fail(s, PMSG_FAIL_TRY_LATER, FD_SHORT_WAIT);
		hub_session_end(s, SEV_END_NO_FDS);
		return;
	}
	hub_set_state(s, SESS_WAIT_TAP, SEV_PASSWORD_OK);
	if (ipcmsg_send_if_tap_create(&vl.ifmgr.chan, s->id, IFREQ_SETUP,
		s->user, &s->addr) == -1)
		fatal("IF_TAP_CREATE");
}

void
hub_tap_ready(uint32_t peerid, const struct if_device *d, int fd)
{
	struct session *s = session_by_id(vl.sessions, peerid);

	if (s == NULL || s->state != SESS_WAIT_TAP) {
		plat_dev_close(fd);
		if (ipcmsg_send_if_dev_delete(&vl.ifmgr.chan, peerid,
			IFREQ_NONE) == -1)
			fatal("IF_DEV_DELETE");
		return;
	}
	transport_dev_attach(s, fd, d->ifname);
	hub_session_up(s, SEV_TAP_READY);
}

static void
hub_session_up(struct session *s, enum sess_event ev)
{
	char a[ADDR_STRLEN], p[64];

	hub_set_state(s, SESS_UP, ev);
	session_addr_set(vl.sessions, s);
	s->login_time = time(NULL);
	log_info("%s logged in from %s: %s%s%s", s->user,
	    peer_fmt(&s->peer, p, sizeof(p)), addr_fmt(&s->addr, a, sizeof(a)),
	    s->ifname[0] ? " on " : "", s->ifname);
	/* The route set first, so the new endpoint gets the set that
	 * includes itself. */
	hubroutes_update();
	send_auth_ok(s);
}

void
hub_tap_failed(uint32_t peerid, const char *why)
{
	struct session *s = session_by_id(vl.sessions, peerid);

	if (s == NULL || s->state != SESS_WAIT_TAP)
		return;
	log_warnx("%s: no tap: %s", s->user, why);
	send_fail(s, PMSG_FAIL_INTERNAL, 0);
	hub_session_end(s, SEV_END_TAP_FAILED);
}

void
hub_tap_lost(uint32_t peerid, const char *ifname)
{
	struct session *s = session_by_id(vl.sessions, peerid);

	if (ipcmsg_send_if_dev_delete(&vl.ifmgr.chan, peerid, IFREQ_NONE) == -1)
		fatal("IF_DEV_DELETE");
	if (s == NULL || s->state != SESS_WAIT_TAP)
		return;
	log_warnx("login of %s refused: no descriptor left for its tap %s "
		  "(the hub is at its limit of open files)",
	    s->user, ifname);
	vl.stats.auth_failures[AF_BUSY]++;
	send_fail(s, PMSG_FAIL_TRY_LATER, FD_SHORT_WAIT);
	hub_session_end(s, SEV_END_TAP_LOST);
}

/*
 * Are there descriptors to spare for one more session's tap (and a few
 * for control and web connections)? Asked before the tap is made, so a
 * hub at its limit refuses a login instead of losing the tap.
 */
static bool
fds_to_spare(void)
{
	return plat_fds_spare(vl.udp[0], 4);
}

void
hub_dev_lost(struct session *s, int err)
{
	log_warnx("%s: tap %s failed (%s): ending the session; the endpoint "
		  "will log in again and get a new one",
	    s->user, s->ifname, strerror(err));
	hub_session_end(s, SEV_END_DEV_LOST);
}

void
hub_session_end(struct session *s, enum sess_event why)
{
	const struct sess_end *end = sess_end_of(why);
	struct pmsg m;
	bool up;

	direct_hub_session_gone(s);
	if (end->bye && kp_set_sender(&s->kps, now_ms()) != NULL) {
		memset(&m, 0, sizeof(m));
		m.op = PMSG_BYE;
		transport_send_control(s, &m);
	}
	/* Stopping, vland-ifmgr deletes every tap at once as it exits:
	 * one by one, a thousand would keep the next hub waiting 18 s. */
	if (s->tapfd != -1 && !vl.stopping &&
	    ipcmsg_send_if_dev_delete(&vl.ifmgr.chan, s->id, IFREQ_NONE) == -1)
		fatal("IF_DEV_DELETE");
	if (end->release && s->addr.af != 0 &&
	    session_of_user(vl.sessions, s->user, s) == NULL)
		release_address(s->user);
	if (end->why != NULL && sess_logged_in(s->state))
		log_info("%s logged out: %s", s->user, end->why);
	if (s->state == SESS_AUTHING)
		orphan_add(s);
	up = s->state == SESS_UP;
	hub_set_state(s, SESS_ENDED, why);
	session_free(vl.sessions, s);
	if (up && !vl.stopping)
		hubroutes_update();
}

/*
 * A session's timer came due: a half-open one that never sent its AUTH
 * ends, as does one up but silent for timeout; any other is looked at
 * again when it could next be due. Packets only move last_rx_ms, never
 * the timer, so the data path pays nothing for it.
 */
static void
session_due(struct wheel_entry *e, void *arg)
{
	struct session *s =
	    (struct session *)((char *)e - offsetof(struct session, timer));
	uint64_t now = *(uint64_t *)arg, timeout = 1000ULL * vl.cfg->timeout;

	switch (s->state) {
	case SESS_WAIT_AUTH:
		if (now - s->created_ms > HALF_OPEN_TTL_MS)
			hub_session_end(s, SEV_END_HALF_OPEN);
		else
			wheel_add(vl.timers, e,
			    s->created_ms + HALF_OPEN_TTL_MS + 1);
		return;
	case SESS_UP:
		if (now - s->last_rx_ms > timeout)
			hub_session_end(s, SEV_END_TIMEOUT);
		else
			wheel_add(vl.timers, e, s->last_rx_ms + timeout + 1);
		return;
	default:
		/* Waiting for a helper: not timed here; once a second. */
		wheel_add(vl.timers, e, now + 1000);
	}
}

void
hub_tick(void)
{
	uint64_t now = now_ms();

	if (now - ck.secret_ms >= COOKIE_SECRET_MAX_AGE_MS) {
		if (RAND_bytes(ck.secret, sizeof(ck.secret)) != 1)
			fatalx("RAND_bytes");
		ck.secret_ms = now;
	}
	hubroutes_tick();
	direct_hub_tick(now);
	wheel_expire(vl.timers, now, session_due, &now);
}

void
hub_session_policy(struct session *s)
{
	s->may_bridge = cfg_bridge_user(vl.cfg, s->user);
	if (vl.cfg->isolate) {
		s->groups = cfg_groups_of(vl.cfg, s->user);
		s->reach = cfg_reach_of(vl.cfg, s->groups);
	} else {
		s->groups = s->reach = UINT64_MAX;
	}
}

void
hub_shutdown(void)
{
	struct session *s;

	vl.stopping = true;
	while ((s = TAILQ_FIRST(&vl.sessions->list)) != NULL)
		hub_session_end(s, SEV_END_SHUTDOWN);
	udp_flush(vl.tx);
}

/* A frame from an UP session: as the mode forwards it (mode.h). */
static void
hub_data_input(struct session *s, const uint8_t *frame, size_t len)
{
	vl.mode->hub_frame(s, frame, len);
}

static void
hub_prepare(void)
{
	secrets_load_hub_key();
	udp_open_all(vl.cfg->listen, vl.cfg->nlisten, vl.cfg->port,
	    vl.udp + vl.nudp);
	vl.nudp += vl.cfg->nlisten;
}

/* The hub's own device (peerid 0: its tun, or in tap mode the bridge,
 * answered with a result only) or a session's tap. */
static void
hub_dev_ready(uint32_t peerid, const struct if_device *d, int fd)
{
	if (peerid == 0)
		tunfwd_ready(vl.tunfwd, d, fd);
	else
		hub_tap_ready(peerid, d, fd);
}

static void
hub_dev_failed(uint32_t peerid, int error, const char *why)
{
	(void)error;
	if (peerid == 0)
		fatalx("vland-ifmgr: %s", why);
	hub_tap_failed(peerid, why);
}

static const struct pmsg_routes *
hub_route_set(void)
{
	return routes_current(vl.routes);
}

static void
hub_status(struct ctl_status *st)
{
	size_t i;

	key_to_base64(st->pubkey, vl.pubkey);
	st->port = vl.cfg->port;
	st->nlisten = (uint32_t)vl.cfg->nlisten;
	st->handshakes = vl.stats.handshakes;
	st->cookie_replies = vl.stats.cookie_replies;
	st->half_open_evicted = vl.stats.half_open_evicted;
	st->under_load = hub_under_load();
	st->peers = (uint32_t)direct_hub_pairs();
	for (i = 0; i < vl.cfg->nlisten && i < 8; i++)
		st->listen[i] = vl.cfg->listen[i];
}

static bool
hub_is_self(const struct addr *a)
{
	return addr_cmp(a, &vl.cfg->ip.a) == 0 ||
	    (vl.cfg->ip6.a.af == AF_INET6 && addr_cmp(a, &vl.cfg->ip6.a) == 0);
}

/* Row i of the route set is routes: entry i of the configuration. */
static bool
hub_route_row(size_t i, struct ctl_route *out)
{
	if (i >= vl.cfg->nroutes)
		return false;
	snprintf(out->nexthop, sizeof(out->nexthop), "%s",
	    vl.cfg->routes[i].server ? NEXTHOP_SERVER
				     : vl.cfg->routes[i].nexthop);
	snprintf(out->where, sizeof(out->where), "%s",
	    vl.mode->hub_device(vl.cfg));
	return true;
}

const struct role_ops hub_role = {
	.name = "hub",
	.serves_logins = true,
	.answers_keepalives = true,
	.device_is_endpoint = false,
	.prepare = hub_prepare,
	.devices_up = helpers_hub_up,
	.init = hub_init,
	.shutdown = hub_shutdown,
	.udp_input = hub_udp_input,
	.tick = hub_tick,
	.data_input = hub_data_input,
	.rekey_due = NULL,
	.dev_ready = hub_dev_ready,
	.dev_failed = hub_dev_failed,
	.dev_fd_lost = hub_tap_lost,
	.dev_lost = hub_dev_lost,
	.session_fsm = &hub_session_fsm,
	.status = hub_status,
	.route_set = hub_route_set,
	.is_self = hub_is_self,
	.route_row = hub_route_row,
};
