/*
 * The endpoint: handshake initiator, login, its own tap or tun, keepalives,
 * rekeys with the resume token, and reconnecting by itself. The device is
 * kept across reconnects as long as the hub gives the same address, so
 * routes and ARP caches elsewhere stay right.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "endpoint.h"
#include "handshake.h"
#include "hub.h"
#include "hubaddr.h"
#include "log.h"
#include "ctlmsg.h"
#include "keyenc.h"
#include "mode.h"
#include "peers.h"
#include "role.h"
#include "secrets.h"
#include "session.h"
#include "transport.h"
#include "udp.h"

#define AUTH_TIMEOUT_MS	   10000
#define NOANSWER_WARN	   3 /* unanswered INITs before saying so ... */
#define FAILOVER_TRIES	   3 /* ... and before the next server (or name) */
#define RESOLVE_TIMEOUT_MS 30000
#define BACKOFF_MIN_MS	   2000	 /* the first wait after a failure, ... */
#define BACKOFF_MAX_MS	   60000 /* ... doubled up to this */
#define BYE_WAIT_MS	   2000	 /* before logging in again after a BYE */

static struct {
	enum ep_state state; /* changed only by ep_set_state() */
	enum ep_event event; /* of the last change */
	struct session *s;
	struct hs hs;
	bool hs_pending;
	bool init_had_cookie; /* the pending INIT carried a mac2 */
	uint64_t hs_sent_ms, auth_sent_ms, wait_until_ms, resolve_ms;
	unsigned tries;
	uint64_t backoff_ms;
	uint8_t cookie[WIRE_COOKIE_LEN];
	uint64_t cookie_ms;
	bool has_cookie;
	bool resumed; /* the pending login used the resume token */
	bool rekeying;
	/* what the hub gave us */
	struct addr addr;
	uint8_t prefixlen;
	struct prefix ip6;	/* af 0: the hub gave none */
	struct addr hub4, hub6; /* the hub inside the tunnel; af 0: not said */
	uint16_t mtu;
	unsigned keepalive;
	uint8_t token[PMSG_TOKEN_LEN];
	bool has_token;
	bool dev_requested;
	struct pmsg_routes routes; /* the hub's last route set */
	struct dns_set dns;	   /* the hub's last DNS settings */
	uint32_t dns_version;
	bool has_dns;	  /* a DNS message came (dns, dns_version) */
	bool dns_fresh;	  /* a new login: the next DNS counts, whatever its
			  * version (a restarted hub counts from 1) */
	bool dns_in_auth; /* a DNS came for the login under way */
	bool dns_logged;  /* that they are not applied, said once */
	unsigned rekeys;  /* since start, for the log */
} ep;

static uint64_t
jitter_ms(unsigned max)
{
	uint32_t r;

	if (RAND_bytes((unsigned char *)&r, sizeof(r)) != 1)
		fatalx("RAND_bytes");
	return r % max;
}

static void
ep_send_init(uint64_t now)
{
	struct wire_hello hello = { WIRE_VERSION, vl.mode->wire_mode };
	uint32_t idx = session_new_index(vl.sessions);
	uint8_t *slot = udp_tx_slot(vl.tx);
	bool cookie = ep.has_cookie && cookie_usable(ep.cookie_ms, now);

	if (hs_init_create(&ep.hs, &vl.hubpub, vl.cfg->psk, &hello, idx,
		cookie ? ep.cookie : NULL, slot) != WIRE_OK)
		fatalx("cannot build a handshake");
	ep.init_had_cookie = cookie;
	udp_tx_commit(vl.tx, &vl.server, WIRE_INIT_LEN);
	udp_flush(vl.tx);
	session_add_index(vl.sessions, ep.s, idx);
	ep.hs_pending = true;
	ep.hs_sent_ms = now;
	ep.tries++;
	if (ep.tries == NOANSWER_WARN)
		log_warnx("no answer from the hub %s (%s): it is down or "
			  "unreachable, or server-key or key is wrong",
		    hubaddr_name(), peer_fmt(&vl.server, (char[64]){ 0 }, 64));
}

static void ep_backoff(enum ep_event, const char *why);

/* Every change of the connection's state, checked against its table. */
static void
ep_set_state(enum ep_state to, enum ep_event ev)
{
	if (fsm_step(&endpoint_fsm, ep.state, to, ev, 0))
		ep.state = to;
	ep.event = ev;
}

/* The session's own state, as shared code (vlanctl) sees it. */
static void
ep_set_session_state(enum sess_state to, enum sess_event ev)
{
	if (fsm_step(&endpoint_session_fsm, ep.s->state, to, ev, ep.s->id))
		session_set_state(vl.sessions, ep.s, to);
	ep.s->event = ev;
}

static void
ep_resolved(bool ok, const char *why)
{
	char msg[CFG_HOST_MAX + 128];

	if (ep.state != EP_RESOLVE)
		return;
	if (!ok) {
		snprintf(msg, sizeof(msg), "cannot resolve the hub %s: %s",
		    hubaddr_name(), why);
		/* The next server, if any, at the next attempt. */
		hubaddr_next();
		ep_backoff(EEV_RESOLVE_FAILED, msg);
		return;
	}
	/* The session follows the hub to its (new) address; a cookie is
	 * the old address's hub's, of no use at another. */
	if (!peer_equal(&ep.s->peer, &vl.server))
		ep.has_cookie = false;
	ep.s->peer = vl.server;
	ep_set_state(EP_HANDSHAKE, EEV_RESOLVED);
	ep_send_init(now_ms());
}

/* A new connection: look the hub up (again), then handshake. */
static void
ep_connect(uint64_t now, enum ep_event ev)
{
	ep_set_state(EP_RESOLVE, ev);
	ep.resolve_ms = now;
	ep.tries = 0;
	ep.rekeying = false;
	ep.hs_pending = false;
	hubaddr_resolve(ep_resolved);
}

static void
ep_wait(uint64_t ms, enum ep_event ev, const char *why)
{
	ep_set_state(EP_WAIT, ev);
	ep.hs_pending = false;
	hs_clear(&ep.hs);
	hubaddr_cancel();
	ep.wait_until_ms = now_ms() + ms + jitter_ms(1000);
	log_info("%s; reconnecting in %llu s", why,
	    (unsigned long long)(ms + 999) / 1000);
}

static void
ep_backoff(enum ep_event ev, const char *why)
{
	ep.backoff_ms = ep.backoff_ms == 0 ? BACKOFF_MIN_MS : ep.backoff_ms * 2;
	if (ep.backoff_ms > BACKOFF_MAX_MS)
		ep.backoff_ms = BACKOFF_MAX_MS;
	ep_wait(ep.backoff_ms, ev, why);
}

void
endpoint_init(void)
{
	if (hs_hub_pub_init(&vl.hubpub, vl.cfg->connect.server_key) == -1)
		fatalx("server-key: not a usable public key");
	ep.s = session_new(vl.sessions, &vl.server);
	snprintf(ep.s->user, sizeof(ep.s->user), "%s", vl.cfg->connect.user);
	ep_connect(now_ms(), EEV_START);
}

static void
ep_send_login(void)
{
	struct pmsg *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		fatal("calloc");
	if (ep.has_token && ep.dev_requested) {
		m->op = PMSG_AUTH_RESUME;
		memcpy(m->u.token, ep.token, sizeof(ep.token));
		ep.resumed = true;
	} else {
		if (pmsg_auth_set(m, vl.cfg->connect.user, vl.password) !=
		    WIRE_OK)
			fatalx("username or password too long");
		ep.resumed = false;
	}
	transport_send_control(ep.s, m);
	pmsg_clear(m);
	free(m);
	ep.auth_sent_ms = now_ms();
}

static void
ep_resp(uint8_t *buf, size_t len, uint64_t now)
{
	struct keypair kp;
	uint8_t status;
	enum wire_err e;

	if (!ep.hs_pending) {
		transport_drop(ep.s, DROP_STATE);
		return;
	}
	e = hs_resp_consume(&ep.hs, &vl.hubpub, buf, len, now, &status, &kp);
	if (e == WIRE_EREFUSED) {
		ep.hs_pending = false;
		if (status == WIRE_STATUS_MODE)
			fatalx("the hub refused us: its mode is not %s "
			       "(mode: in the configuration must match)",
			    cfg_mode_name(vl.cfg->mode));
		if (status == WIRE_STATUS_VERSION)
			fatalx("the hub refused us: protocol version %u is "
			       "not supported",
			    WIRE_VERSION);
		ep_backoff(EEV_BUSY, "the hub is busy");
		return;
	}
	if (e != WIRE_OK) {
		transport_drop(ep.s, DROP_HANDSHAKE);
		return;
	}
	ep.hs_pending = false;
	ep.tries = 0;
	kp_set_install(&ep.s->kps, &kp);
	ep.s->last_rx_ms = now;
	if (ep.rekeying && ep.state == EP_UP) {
		/* Data keeps flowing; the hub moves the new keys to our
		 * session when it sees the token. */
		ep.rekeying = false;
		ep_send_login();
		return;
	}
	ep_set_state(EP_AUTH, EEV_HANDSHAKE);
	ep_send_login();
}

/*
 * The hub's route set goes to vland-ifmgr as it came: the hub is trusted
 * only as far as vland-ifmgr's checks allow (no default route, nothing
 * inside the VPN subnet, over the hub's own address or over a route of
 * the host's), and its answer lists what it refused (refusals.h).
 */
static void
ep_routes(const struct pmsg_routes *r)
{
	struct addr underlay;
	uint16_t port;

	ep.routes = *r;
	peer_to_addr(&vl.server, &underlay, &port);
	if (ipcmsg_send_if_routes(&vl.ifmgr.chan, 0, IFREQ_ROUTES, r,
		&underlay) == -1)
		fatal("IF_ROUTES");
}

/* The device's MTU: the hub's, or lower where this file says so (a path
 * with a smaller MTU on this side). */
static unsigned
ep_dev_mtu(void)
{
	if (vl.cfg->mtu != 0 && vl.cfg->mtu < ep.mtu)
		return vl.cfg->mtu;
	return ep.mtu;
}

/*
 * The hub's DNS settings go to vland-ifmgr, which checks them again
 * and applies them to our device only (vland-ifmgr(8)); without
 * dns: yes they stay here. Sent again at every AUTH_OK's DNS: the same
 * set is no change for vland-ifmgr.
 */
static void
ep_dns_apply(void)
{
	if (!ep.has_dns || !ep.dev_requested || ep.state != EP_UP)
		return;
	if (!vl.cfg->connect.dns) {
		if (!ep.dns_logged && (ep.dns.nservers || ep.dns.nsearch)) {
			log_info("the hub sends DNS settings (%zu servers, %zu "
				 "search domains); not applied without dns: "
				 "yes in connect:",
			    ep.dns.nservers, ep.dns.nsearch);
			ep.dns_logged = true;
		}
		return;
	}
	if (ipcmsg_send_if_dns(&vl.ifmgr.chan, 0, IFREQ_DNS, &ep.dns) == -1)
		fatal("IF_DNS");
}

static void
ep_dns(const struct pmsg_dns *d)
{
	/* A late message from before a reload's: the newer set stays. */
	if (ep.has_dns && !ep.dns_fresh &&
	    (int32_t)(d->version - ep.dns_version) < 0)
		return;
	ep.dns_fresh = false;
	ep.dns = d->set;
	ep.dns_version = d->version;
	ep.has_dns = true;
	ep_dns_apply();
}

static void
ep_auth_ok(const struct pmsg_auth_ok *ok, const struct prefix *ip6)
{
	struct prefix ip;
	struct addr underlay;
	uint8_t mac[6];
	char a[ADDR_STRLEN], b[PREFIX_STRLEN], h4[ADDR_STRLEN], h6[ADDR_STRLEN];
	char hub[2 * ADDR_STRLEN + 24] = "";
	uint16_t port;
	bool same = ep.dev_requested && addr_cmp(&ok->addr, &ep.addr) == 0 &&
	    ok->prefixlen == ep.prefixlen && ok->mtu == ep.mtu &&
	    addr_cmp(&ip6->a, &ep.ip6.a) == 0 && ip6->len == ep.ip6.len;

	memcpy(ep.token, ok->token, sizeof(ep.token));
	ep.has_token = true;
	ep.keepalive = ok->keepalive;
	ep.backoff_ms = 0;
	if (ep.state == EP_UP && ep.resumed) {
		/* Numbered: the log writes a repeated line only once. */
		log_debug("rekeyed (%u), the session goes on", ++ep.rekeys);
		return;
	}
	ep_set_state(EP_UP, EEV_LOGGED_IN);
	ep.dns_fresh = true;
	/* A new login starts with no settings: a hub restarted without
	 * dns: sends none, and what the last one gave must then go. Its
	 * DNS, when it has one, follows this AUTH_OK. */
	if (!ep.dns_in_auth) {
		memset(&ep.dns, 0, sizeof(ep.dns));
		ep.has_dns = true;
	}
	ep.dns_in_auth = false;
	if (!same) {
		if (ep.dev_requested) {
			/* A new address: a new device, with its new MAC. */
			transport_dev_close(ep.s);
			if (ipcmsg_send_if_dev_delete(&vl.ifmgr.chan, 0,
				IFREQ_NONE) == -1)
				fatal("IF_DEV_DELETE");
		}
		ep.addr = ok->addr;
		ep.prefixlen = ok->prefixlen;
		ep.ip6 = *ip6;
		ep.mtu = ok->mtu;
		memset(&ip, 0, sizeof(ip));
		ip.a = ok->addr;
		ip.len = ok->prefixlen;
		peer_to_addr(&vl.server, &underlay, &port);
		mac[0] = 0x62;
		mac[1] = 0xe2;
		memcpy(mac + 2, &ok->addr.v4, 4);
		/* A failure comes back as an IF_RESULT for IFREQ_SETUP. */
		if (ipcmsg_send_if_dev_create(&vl.ifmgr.chan, 0, IFREQ_SETUP,
			&ip, ip6, &underlay, ep_dev_mtu(), mac) == -1)
			fatal("IF_DEV_CREATE");
		ep.dev_requested = true;
	}
	vl.mss_mtu = vl.cfg->mss_clamp ? ep_dev_mtu() : 0;
	ep_set_session_state(SESS_UP, SEV_LOGGED_IN);
	ep.s->login_time = time(NULL);
	if (ep.hub4.af == AF_INET)
		snprintf(hub, sizeof(hub), "; the hub is %s%s%s",
		    addr_fmt(&ep.hub4, h4, sizeof(h4)),
		    ep.hub6.af == AF_INET6 ? " and " : "",
		    ep.hub6.af == AF_INET6 ? addr_fmt(&ep.hub6, h6, sizeof(h6))
					   : "");
	log_info("logged in to %s as %s, address %s/%u%s%s%s", hubaddr_name(),
	    vl.cfg->connect.user, addr_fmt(&ok->addr, a, sizeof(a)),
	    ok->prefixlen, ip6->a.af == AF_INET6 ? " and " : "",
	    ip6->a.af == AF_INET6 ? prefix_fmt(ip6, b, sizeof(b)) : "", hub);
	ep_routes(&ok->routes);
	/* A DNS that came before this AUTH_OK. */
	ep_dns_apply();
	direct_logged_in(ep.s, ep.resumed);
}

static void
ep_auth_fail(const struct pmsg_fail *f)
{
	char why[96];

	if (ep.resumed) {
		/* The hub forgot us (restarted): log in afresh. */
		ep.has_token = false;
		ep.resumed = false;
		log_info("session not resumed; logging in again");
		ep_connect(now_ms(), EEV_RESUME_REFUSED);
		return;
	}
	switch (f->reason) {
	case PMSG_FAIL_CREDENTIALS:
		/* Retrying cannot help: a distinct status stops restarts. */
		log_warnx("fatal: login refused: bad username or password");
		exit(VLAND_EXIT_CREDENTIALS);
	case PMSG_FAIL_TRY_LATER:
		/* Back-off or overload on the hub: its wait, not ours, and
		 * up to a quarter more, so that endpoints turned away
		 * together do not all come back at once. */
		snprintf(why, sizeof(why),
		    "login refused: the hub says try "
		    "later, in %u s",
		    f->wait);
		ep_wait((uint64_t)f->wait * 1000 +
			jitter_ms(1 + (unsigned)f->wait * 250),
		    EEV_TRY_LATER, why);
		break;
	case PMSG_FAIL_LOGGED_IN:
		ep_backoff(EEV_REFUSED,
		    "login refused: already logged in elsewhere");
		break;
	case PMSG_FAIL_POOL:
		ep_backoff(EEV_REFUSED,
		    "login refused: the hub's address pool is exhausted");
		break;
	default:
		ep_backoff(EEV_REFUSED,
		    "login refused: internal error on the hub");
	}
}

static void
ep_control(const uint8_t *payload, size_t len)
{
	struct prefix ip6;
	struct pmsg *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		fatal("calloc");
	if (pmsg_decode(payload, len, m) != WIRE_OK) {
		transport_drop(ep.s, DROP_CONTROL);
		goto out;
	}
	switch (m->op) {
	case PMSG_AUTH_OK:
		memset(&ip6, 0, sizeof(ip6));
		if (ep.state != EP_AUTH && !(ep.state == EP_UP && ep.resumed))
			transport_drop(ep.s, DROP_STATE);
		else if (pmsg_ok_ipv6(&m->u.ok, &ip6) == -1 ||
		    pmsg_ok_hub(&m->u.ok, &ep.hub4, &ep.hub6) == -1)
			transport_drop(ep.s, DROP_CONTROL);
		else
			ep_auth_ok(&m->u.ok, &ip6);
		break;
	case PMSG_AUTH_FAIL:
		if (ep.state != EP_AUTH && !(ep.state == EP_UP && ep.resumed))
			transport_drop(ep.s, DROP_STATE);
		else
			ep_auth_fail(&m->u.fail);
		break;
	case PMSG_ROUTES:
		if (ep.state == EP_UP)
			ep_routes(&m->u.routes);
		break;
	case PMSG_DNS:
		/* Kept until the login it may have overtaken is done. */
		if (ep.state == EP_AUTH)
			ep.dns_fresh = ep.dns_in_auth = true;
		if (ep.state == EP_UP || ep.state == EP_AUTH)
			ep_dns(&m->u.dns);
		else
			transport_drop(ep.s, DROP_STATE);
		break;
	case PMSG_PEER:
		if (ep.state == EP_UP)
			direct_peer(&m->u.peer);
		else
			transport_drop(ep.s, DROP_STATE);
		break;
	case PMSG_PEER_GONE:
		direct_peer_gone(m->u.pair);
		break;
	case PMSG_BYE:
		direct_reset();
		ep.has_token = false;
		ep_set_session_state(SESS_WAIT_AUTH, SEV_BYE_FROM_HUB);
		ep_wait(BYE_WAIT_MS, EEV_BYE, "the hub ended the session");
		break;
	default:
		transport_drop(ep.s, DROP_CONTROL);
	}
out:
	pmsg_clear(m);
	free(m);
}

void
endpoint_udp_input(uint8_t *buf, size_t len, struct peer_addr *from)
{
	struct kp_rx rx;
	uint64_t now = now_ms();

	/* Only the hub talks to us, and the peers it introduced. */
	if (!peer_equal(from, &vl.server) || len < WIRE_HDR_LEN) {
		if (!direct_udp_input(buf, len, from))
			transport_drop(ep.s, DROP_SHORT);
		return;
	}
	switch (buf[0]) {
	case WIRE_MSG_RESP:
		ep_resp(buf, len, now);
		break;
	case WIRE_MSG_COOKIE:
		if (ep.hs_pending &&
		    hs_cookie_consume(&ep.hs, &vl.hubpub, buf, len,
			ep.cookie) == WIRE_OK) {
			if (!ep.has_cookie || !cookie_usable(ep.cookie_ms, now))
				log_info("the hub is under load; the next "
					 "handshake carries its cookie");
			ep.has_cookie = true;
			ep.cookie_ms = now;
			/* The INIT again at once, now with mac2: waiting the
			 * retry time would leave us out for seconds. Once
			 * per INIT, so it can never loop. */
			if (!ep.init_had_cookie)
				ep_send_init(now);
		}
		break;
	case WIRE_MSG_DATA:
	case WIRE_MSG_CONTROL:
		if (len < WIRE_TRANSPORT_OVERHEAD ||
		    kp_set_open(&ep.s->kps, buf, len, now, &rx) != WIRE_OK) {
			transport_drop(ep.s, DROP_AUTH);
			return;
		}
		ep.s->last_rx_ms = now;
		if (rx.rekey)
			endpoint_rekey_due(ep.s);
		if (rx.type == WIRE_MSG_DATA)
			transport_data_input(ep.s, rx.payload, rx.len);
		else
			ep_control(rx.payload, rx.len);
		break;
	default:
		transport_drop(ep.s, DROP_TYPE);
	}
}

void
endpoint_dev_ready(const struct if_device *d, int fd)
{
	struct session *s = ep.s;

	transport_dev_attach(s, fd, d->ifname);
	log_info("%s is up", s->ifname);
}

void
endpoint_dev_failed(int error, const char *why)
{
	struct pmsg m;

	if (error != EPERM)
		fatalx("cannot create the device: %s", why);
	/* vland-ifmgr refused the hub's address for this host: end the
	 * session and try again later, when the hub may have changed. */
	if (kp_set_sender(&ep.s->kps, now_ms()) != NULL) {
		memset(&m, 0, sizeof(m));
		m.op = PMSG_BYE;
		transport_send_control(ep.s, &m);
		udp_flush(vl.tx);
	}
	ep.has_token = false;
	ep.dev_requested = false;
	memset(&ep.addr, 0, sizeof(ep.addr));
	ep_set_session_state(SESS_WAIT_AUTH, SEV_DEVICE_REFUSED);
	ep_backoff(EEV_DEVICE_REFUSED, why);
}

void
endpoint_dev_lost(struct session *s, int err)
{
	log_warnx("%s failed (%s): the device is gone; stopping", s->ifname,
	    strerror(err));
	/* Once: the event loop stops, and a supervisor starts us whole. */
	event_del(s->tapev);
	vl.exitcode = 1;
	event_base_loopbreak(vl.base);
}

void
endpoint_rekey_due(struct session *s)
{
	if (s->dp != NULL) {
		direct_rekey_due(s);
		return;
	}
	if (ep.state == EP_UP && !ep.rekeying && !ep.hs_pending) {
		ep.rekeying = true;
		ep.tries = 0;
		ep_send_init(now_ms());
	}
}

void
endpoint_tick(void)
{
	uint64_t now = now_ms(), ka;

	/* The hub's keepalive, from AUTH_OK (never 0); 0 only before the
	 * first login, when ka goes unused. */
	ka = 1000ULL * (ep.keepalive ? ep.keepalive : CFG_DEFAULT_KEEPALIVE);
	direct_tick(now);

	switch (ep.state) {
	case EP_IDLE:
	case EP_NSTATES:
		return;
	case EP_WAIT:
		if (now >= ep.wait_until_ms)
			ep_connect(now, EEV_WAIT_OVER);
		return;
	case EP_RESOLVE:
		/* The resolver has timeouts of its own; this one bounds
		 * them all, whatever resolv.conf says. */
		if (now - ep.resolve_ms > RESOLVE_TIMEOUT_MS) {
			hubaddr_next();
			ep_backoff(EEV_RESOLVE_TIMEOUT,
			    "no answer from the name servers");
		}
		return;
	case EP_HANDSHAKE:
		break;
	case EP_AUTH:
		if (now - ep.auth_sent_ms > AUTH_TIMEOUT_MS)
			ep_backoff(EEV_AUTH_TIMEOUT, "no answer to the login");
		return;
	case EP_UP:
		if (now - ep.s->last_tx_ms >= ka)
			transport_send_keepalive(ep.s);
		udp_flush(vl.tx);
		/* Tests shorten the rekey interval (VLAND_REKEY_SECONDS). */
		if (vl.rekey_ms != 0 && ep.s->kps.cur != NULL &&
		    now - ep.s->kps.cur->created_ms >= vl.rekey_ms)
			endpoint_rekey_due(ep.s);
		/* The hub answers keepalives: silence means it is gone. */
		if (now - ep.s->last_rx_ms > ka + KP_REKEY_TIMEOUT_MS &&
		    !ep.hs_pending) {
			log_warnx("the hub stopped answering; reconnecting");
			ep.rekeying = true;
			ep.tries = 0;
			ep_send_init(now);
		}
		break;
	}
	if (ep.hs_pending &&
	    now - ep.hs_sent_ms >= KP_REKEY_TIMEOUT_MS + jitter_ms(334)) {
		if (ep.tries < FAILOVER_TRIES) {
			ep_send_init(now);
			return;
		}
		/* Silence: the next server, or the same name looked up
		 * again (its address may have changed). */
		hubaddr_next();
		log_info("trying the hub %s", hubaddr_name());
		ep_connect(now, EEV_NO_ANSWER);
	}
}

void
endpoint_shutdown(void)
{
	struct pmsg m;

	if (ep.state == EP_UP && kp_set_sender(&ep.s->kps, now_ms()) != NULL) {
		memset(&m, 0, sizeof(m));
		m.op = PMSG_BYE;
		transport_send_control(ep.s, &m);
	}
	hs_clear(&ep.hs);
	direct_shutdown();
	session_free(vl.sessions, ep.s);
	OPENSSL_cleanse(vl.password, sizeof(vl.password));
}

void
endpoint_address(struct addr *a, uint8_t *prefixlen, struct prefix *ip6)
{
	*a = ep.addr;
	*prefixlen = ep.prefixlen;
	*ip6 = ep.ip6;
}

const struct pmsg_routes *
endpoint_route_set(void)
{
	return &ep.routes;
}

struct session *
endpoint_session(void)
{
	return ep.s;
}

static void
endpoint_prepare(void)
{
	const char *rk = getenv("VLAND_REKEY_SECONDS");

	/* Tests shorten the rekey interval; only ever shorter than the
	 * protocol's. */
	if (rk != NULL && atoi(rk) > 0 &&
	    atoi(rk) < KP_REKEY_AFTER_TIME_MS / 1000)
		vl.rekey_ms = 1000ULL * (unsigned)atoi(rk);
	secrets_load_password();
}

static void
endpoint_before_drop(struct event_base *base)
{
	hubaddr_init(base); /* the resolver reads its files */
	direct_before_drop();
}

static void
endpoint_shutdown_all(void)
{
	endpoint_shutdown();
	hubaddr_close();
}

static void
endpoint_dev_ready_any(uint32_t peerid, const struct if_device *d, int fd)
{
	(void)peerid;
	endpoint_dev_ready(d, fd);
}

static void
endpoint_dev_failed_any(uint32_t peerid, int error, const char *why)
{
	(void)peerid;
	endpoint_dev_failed(error, why);
}

static void
endpoint_status(struct ctl_status *st)
{
	struct session *s = ep.s;

	key_to_base64(st->pubkey, vl.cfg->connect.server_key);
	snprintf(st->server, sizeof(st->server), "%s", hubaddr_name());
	if (s != NULL) {
		st->up = s->state == SESS_UP;
		snprintf(st->ifname, sizeof(st->ifname), "%s", s->ifname);
		st->session_age_s = s->login_time != 0
		    ? (uint64_t)(time(NULL) - s->login_time)
		    : 0;
		endpoint_address(&st->addr, &st->prefixlen, &st->addr6);
	}
	st->peers = (uint32_t)direct_npeers();
	st->peers_direct = (uint32_t)direct_ndirect();
	snprintf(st->conn_state, sizeof(st->conn_state), "%s",
	    fsm_state_name(&endpoint_fsm, ep.state));
	snprintf(st->conn_event, sizeof(st->conn_event), "%s",
	    fsm_event_name(&endpoint_fsm, ep.event));
}

static bool
endpoint_is_self(const struct addr *a)
{
	return addr_cmp(a, &ep.addr) == 0 ||
	    (ep.ip6.a.af == AF_INET6 && addr_cmp(a, &ep.ip6.a) == 0);
}

/* Every route of the hub's set is bound to our device. */
static bool
endpoint_route_row(size_t i, struct ctl_route *out)
{
	(void)i;
	snprintf(out->where, sizeof(out->where), "%s",
	    ep.s != NULL ? ep.s->ifname : "");
	return true;
}

const struct role_ops endpoint_role = {
	.name = "endpoint",
	.serves_logins = false,
	.answers_keepalives = false,
	.device_is_endpoint = true,
	.prepare = endpoint_prepare,
	.devices_up = NULL, /* its device comes with its address */
	.before_drop = endpoint_before_drop,
	.init = endpoint_init,
	.shutdown = endpoint_shutdown_all,
	.udp_input = endpoint_udp_input,
	.tick = endpoint_tick,
	.data_input = transport_to_device,
	.frame_target = direct_frame_target,
	.rekey_due = endpoint_rekey_due,
	.dev_ready = endpoint_dev_ready_any,
	.dev_failed = endpoint_dev_failed_any,
	.dev_fd_lost = NULL, /* fatal: its one device */
	.dev_lost = endpoint_dev_lost,
	.session_fsm = &endpoint_session_fsm,
	.status = endpoint_status,
	.route_set = endpoint_route_set,
	.is_self = endpoint_is_self,
	.route_row = endpoint_route_row,
};
