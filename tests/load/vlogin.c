/*
 * vlogin: logins against a vland hub from one process, for tests and
 * load runs. COUNT logins, CONCURRENT at a time, each from a UDP socket
 * of its own (so its own source port): a real handshake (answering
 * cookie replies), an AUTH, and a BYE once logged in. It speaks the
 * protocol through proto/ as the endpoint does, but keeps no device and
 * no session: what it measures is the hub's login path.
 *
 *   vlogin -s ADDR:PORT -k HUB-PUBKEY [-K PSK] [-m tap|tun] -u USER
 *          -w PASSWORD [-n COUNT] [-c CONCURRENT] [-t TIMEOUT-MS]
 *          [-a FIRST-LAST] [-H SECONDS] [-E SECONDS] [-D MS] [-N] [-r] [-R]
 *          [-v]
 *
 * A "%d" in USER is replaced by the login's number (load%d: load1,
 * load2, ...), so that each holds a session of its own.
 * -a binds login i to the i-th IPv4 address of FIRST-LAST (in turn),
 * so that many sources log in from one process; -H keeps each session
 * up for SECONDS after its login, sending keepalives at the interval
 * AUTH_OK gives and counting a session lost when the hub is silent for
 * three of them, and rekeying as an endpoint does: a new handshake
 * when the keypair is 120 s old (-E SECONDS: sooner), its INIT again
 * every 5 s until answered, then AUTH_RESUME with the token of the
 * last AUTH_OK; an AUTH_FAIL to it ends the session (with -R: a login
 * again with the password). -N stops each login after
 * its handshake, leaving the hub a half-open session (counted "ok")
 * until its half-open time ends; -r waits and tries again
 * when told "try later" or "busy", as an endpoint does; -R (with -H)
 * logs a held session in again as an endpoint does when it loses it:
 * 2 to 3 s after the hub's BYE (a hub that stops says BYE), at once
 * when the hub has been silent for the keepalive interval and 5 s; the
 * session is still held until SECONDS after its first login, and what
 * counts is how long each took to be back (tests/load/restart.sh).
 * -D MS (with -H): each held session also sends traffic, a ping to the
 * hub's tunnel address every MS ms from its own address (and in tap
 * mode its own MAC), and answers the hub's ARP requests for its
 * address (trickle.c); the summary counts the pings and their answers.
 * SIGUSR1 ends every hold at once (a session not back is lost).
 *
 * Prints, with -v, one line per login ("login 3: ok 21 ms", "login 4:
 * try later, wait 57 s, 2 ms"), then one summary line: logins by outcome,
 * logins a second, the latency percentiles of those that got in, and
 * with -H the sessions held and lost, with -R the logins again and how
 * long they took from the BYE or the silence to the AUTH_OK. Exits 0
 * when every login got an answer (whatever it was) and no session was
 * lost (with -R: every session was held to its end), 1 otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "peermsg.h"
#include "handshake.h"
#include "keyenc.h"
#include "loadargs.h"
#include "trickle.h"
#include "wire.h"

#define RESEND_MS   1000 /* an INIT or AUTH unanswered for this long goes again */
#define DEAD_HUB_MS 5000 /* -R: silent for keepalive + this: hub gone */

enum outcome {
	O_OK,
	O_CREDENTIALS,
	O_TRY_LATER,
	O_OTHER_FAIL, /* any other AUTH_FAIL reason */
	O_REFUSED,    /* HANDSHAKE_RESP with a status */
	O_TIMEOUT,
	O_N
};
static const char *const outcome_names[O_N] = { "ok", "bad-credentials",
	"try-later", "other-fail", "refused", "timeout" };

enum state { S_IDLE, S_HS, S_AUTH, S_HELD, S_RETRY, S_DONE };

struct login {
	int fd;
	int n; /* which login, from 1 */
	enum state st;
	struct hs hs;
	struct kp_set kps;
	uint8_t cookie[WIRE_COOKIE_LEN];
	bool has_cookie;
	uint64_t start_ms, sent_ms;
	uint64_t try_ms;	       /* this attempt's start */
	uint64_t until_ms, last_rx_ms; /* held: the end, the hub's last */
	uint64_t ka_ms;		       /* held: keepalive interval */
	uint64_t retry_ms;	       /* waiting: when to try again */
	uint64_t lost_ms;	       /* -R: when the session ended, or 0 */
	bool again;		       /* -R: this login is a login again */
	uint8_t token[PMSG_TOKEN_LEN]; /* held: the last AUTH_OK's */
	bool rekeying;		       /* held: a rekey's INIT is out */
	uint64_t rekey_ms;	       /* held: when that INIT went */
	struct trickle_ids tid;	       /* -D: who the pings are from, to */
	bool has_tid;		       /* the AUTH_OK named the hub */
	uint64_t ping_ms;	       /* -D: the last ping */
	uint16_t seq;
};

static struct {
	struct sockaddr_storage hub;
	socklen_t hublen;
	struct hs_hub_pub pub;
	uint8_t psk[HS_PSK_LEN];
	uint8_t mode;
	const char *user, *password;
	unsigned timeout_ms;
	bool verbose;
	unsigned counts[O_N];
	unsigned *lat; /* ms, of the logins that got in */
	size_t nlat;
	uint32_t src_first, src_n; /* -a: host order; 0: any source */
	uint64_t last_ok_ms;	   /* the last login that got in */
	uint64_t hold_ms;	   /* -H */
	bool retry;		   /* -r */
	bool half_open;		   /* -N */
	unsigned held, lost, retries;
	bool reconnect;		 /* -R */
	uint64_t rekey_after_ms; /* -E, else the protocol's */
	uint64_t trickle_ms;	 /* -D, 0: no traffic but keepalives */
	unsigned long pings, pongs, arps;
	unsigned rekeys, resume_fails;
	unsigned *back; /* -R: ms from the loss to the AUTH_OK */
	size_t nback, nback_max;
	uint64_t last_back_ms; /* -R: the last of them */
} g;

/* SIGUSR1 ends every hold now (a script done measuring). */
static volatile sig_atomic_t stop_now;

static void
on_usr1(int sig)
{
	(void)sig;
	stop_now = 1;
}

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr,
	    "usage: vlogin -s addr:port -k hub-pubkey [-K psk] "
	    "[-m tap|tun] -u user -w password\n"
	    "              [-n count] [-c concurrent] "
	    "[-t timeout-ms] [-a first-last] [-H seconds] [-E seconds] "
	    "[-D ms] [-N] [-r] [-R] [-v]\n");
	exit(2);
}

static __attribute__((noreturn)) void
die(const char *what)
{
	fprintf(stderr, "vlogin: %s\n", what);
	exit(2);
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
send_raw(struct login *l, const uint8_t *buf, size_t len)
{
	/* A full socket buffer loses this send; the resend timer covers it. */
	(void)sendto(l->fd, buf, len, 0, (struct sockaddr *)&g.hub, g.hublen);
	l->sent_ms = now_ms();
}

static void
send_init(struct login *l)
{
	struct wire_hello hello = { WIRE_VERSION, g.mode };
	uint8_t msg[WIRE_INIT_LEN];
	uint32_t idx;

	if (RAND_bytes((uint8_t *)&idx, sizeof(idx)) != 1 ||
	    hs_init_create(&l->hs, &g.pub, g.psk, &hello, idx,
		l->has_cookie ? l->cookie : NULL, msg) != WIRE_OK)
		die("cannot build an INIT");
	send_raw(l, msg, sizeof(msg));
}

static void
send_control(struct login *l, const struct pmsg *m)
{
	uint8_t buf[WIRE_TRANSPORT_OVERHEAD + PMSG_MAX_LEN];
	struct keypair *kp;
	size_t len, msglen;

	if (pmsg_encode(m, buf + WIRE_TRANSPORT_HDR_LEN,
		sizeof(buf) - WIRE_TRANSPORT_OVERHEAD, &len) != WIRE_OK ||
	    (kp = kp_set_sender(&l->kps, now_ms())) == NULL ||
	    kp_seal(kp, WIRE_MSG_CONTROL, buf, len, sizeof(buf), &msglen,
		now_ms(), NULL) != WIRE_OK)
		die("cannot seal a control message");
	send_raw(l, buf, msglen);
}

/* The user of login n: -u with "%d" replaced by n (load%d: load7). */
static void
user_of(int n, char *out, size_t len)
{
	const char *d = strstr(g.user, "%d");

	if (d == NULL)
		snprintf(out, len, "%s", g.user);
	else
		snprintf(out, len, "%.*s%d%s", (int)(d - g.user), g.user, n,
		    d + 2);
}

static void
send_auth(struct login *l)
{
	char user[USERNAME_MAX + 8];
	struct pmsg m;

	user_of(l->n, user, sizeof(user));
	if (pmsg_auth_set(&m, user, g.password) != WIRE_OK)
		die("user name or password too long");
	send_control(l, &m);
	pmsg_clear(&m);
}

static void
finish(struct login *l, enum outcome o, const char *detail)
{
	unsigned ms = (unsigned)(now_ms() - l->start_ms);

	g.counts[o]++;
	if (o == O_OK) {
		g.lat[g.nlat++] = ms;
		g.last_ok_ms = now_ms();
	}
	if (g.verbose)
		printf("login %d: %s%s, %u ms\n", l->n,
		    o == O_OK ? "ok" : outcome_names[o], detail, ms);
	if (o == O_OK && !g.half_open) {
		struct pmsg bye = { .op = PMSG_BYE };

		send_control(l, &bye);
	}
	hs_clear(&l->hs);
	kp_set_clear(&l->kps);
	close(l->fd);
	l->fd = -1;
	l->st = S_DONE;
}

static void attempt(struct login *);

/*
 * -R: the hub ended the session (bye) or fell silent: as an endpoint,
 * a new login after 2 to 3 s, or at once.
 */
static void
relogin(struct login *l, bool bye)
{
	uint32_t r;

	if (RAND_bytes((uint8_t *)&r, sizeof(r)) != 1)
		die("RAND_bytes");
	if (g.verbose)
		printf("login %d: session %s, logging in again\n", l->n,
		    bye ? "ended by the hub" : "lost");
	l->lost_ms = now_ms();
	l->again = true;
	kp_set_clear(&l->kps);
	if (bye) {
		l->st = S_RETRY;
		l->retry_ms = l->lost_ms + 2000 + r % 1000;
	} else
		attempt(l);
}

/* A held session's end: its time is up (BYE), or the hub fell silent. */
static void
end_held(struct login *l, bool lost)
{
	struct pmsg bye = { .op = PMSG_BYE };

	if (lost && g.reconnect) {
		relogin(l, false);
		return;
	}
	if (lost) {
		g.lost++;
		if (g.verbose)
			printf("login %d: session lost after %llu ms\n", l->n,
			    (unsigned long long)(now_ms() - l->start_ms));
	} else {
		g.held++;
		send_control(l, &bye);
	}
	kp_set_clear(&l->kps);
	close(l->fd);
	l->fd = -1;
	l->st = S_DONE;
}

/* A frame (-D: a ping, an ARP answer) in a DATA message. */
static void
send_frame(struct login *l, const uint8_t *frame, size_t len)
{
	uint8_t buf[WIRE_TRANSPORT_OVERHEAD + 128];
	struct keypair *kp;
	size_t msglen;

	if (len > sizeof(buf) - WIRE_TRANSPORT_OVERHEAD ||
	    (kp = kp_set_sender(&l->kps, now_ms())) == NULL)
		return;
	memcpy(buf + WIRE_TRANSPORT_HDR_LEN, frame, len);
	if (kp_seal(kp, WIRE_MSG_DATA, buf, len, sizeof(buf), &msglen, now_ms(),
		NULL) != WIRE_OK)
		return;
	send_raw(l, buf, msglen);
}

/* The AUTH_OK of a held session: its address and the hub's, for -D. */
static void
trickle_setup(struct login *l, const struct pmsg_auth_ok *ok)
{
	struct addr hub4, hub6;

	l->has_tid = false;
	if (g.trickle_ms == 0 || ok->addr.af != AF_INET ||
	    pmsg_ok_hub(ok, &hub4, &hub6) != 0 || hub4.af != AF_INET)
		return;
	trickle_ids_init(&l->tid, g.mode == WIRE_MODE_TAP, ok->addr.v4,
	    hub4.v4);
	l->has_tid = true;
	/* Spread over the interval, so that N sessions do not ping at
	 * once. */
	l->ping_ms = now_ms() - (uint64_t)(l->n * 7919) % g.trickle_ms;
}

static void
send_ping(struct login *l, uint64_t now)
{
	uint8_t frame[128];
	size_t len;

	l->ping_ms = now;
	len = trickle_ping(&l->tid, (uint16_t)l->n, l->seq++, frame,
	    sizeof(frame));
	if (len == 0)
		return;
	send_frame(l, frame, len);
	g.pings++;
}

/* A frame from the hub to a held session: a ping's answer counted, an
 * ARP request answered. */
static void
trickle_rx(struct login *l, const uint8_t *f, size_t len)
{
	uint8_t reply[64];
	size_t rlen;

	if (!l->has_tid)
		return;
	switch (trickle_input(&l->tid, f, len, reply, &rlen)) {
	case TRICKLE_REPLY:
		g.pongs++;
		break;
	case TRICKLE_ARP:
		g.arps++;
		send_frame(l, reply, rlen);
		break;
	case TRICKLE_OTHER:
		break;
	}
}

static void
send_keepalive(struct login *l)
{
	uint8_t msg[WIRE_TRANSPORT_OVERHEAD];
	struct keypair *kp;
	size_t msglen;

	if ((kp = kp_set_sender(&l->kps, now_ms())) == NULL ||
	    kp_seal(kp, WIRE_MSG_DATA, msg, 0, sizeof(msg), &msglen, now_ms(),
		NULL) != WIRE_OK)
		return;
	send_raw(l, msg, msglen);
}

/* A new attempt on the same socket: a fresh handshake. */
static void
attempt(struct login *l)
{
	hs_clear(&l->hs);
	kp_set_clear(&l->kps);
	kp_set_init(&l->kps);
	l->rekeying = false;
	l->try_ms = now_ms();
	l->st = S_HS;
	send_init(l);
}

static void
start(struct login *l, int n)
{
	memset(l, 0, sizeof(*l));
	if ((l->fd = socket(g.hub.ss_family, SOCK_DGRAM | SOCK_NONBLOCK, 0)) ==
	    -1)
		die("socket");
	if (g.src_n > 0 &&
	    load_bind_source(l->fd, g.src_first, g.src_n, (uint32_t)(n - 1)) ==
		-1)
		die("bind to a source address of -a");
	l->n = n;
	kp_set_init(&l->kps);
	l->start_ms = now_ms();
	attempt(l);
}

static void
on_control(struct login *l, uint8_t *buf, size_t len)
{
	struct kp_rx rx;
	struct pmsg m;
	char detail[64];

	if (kp_set_open(&l->kps, buf, len, now_ms(), &rx) != WIRE_OK ||
	    rx.type != WIRE_MSG_CONTROL ||
	    pmsg_decode(rx.payload, rx.len, &m) != WIRE_OK)
		return;
	if (m.op == PMSG_AUTH_OK && l->st == S_AUTH && l->again) {
		/* Back: the session is held to its first login's end. */
		uint64_t now = now_ms();

		if (g.nback < g.nback_max)
			g.back[g.nback++] = (unsigned)(now - l->lost_ms);
		g.last_back_ms = now;
		if (g.verbose)
			printf("login %d: back, %u ms after the loss\n", l->n,
			    (unsigned)(now - l->lost_ms));
		l->again = false;
		l->lost_ms = 0;
		memcpy(l->token, m.u.ok.token, sizeof(l->token));
		l->st = S_HELD;
		l->last_rx_ms = now;
		l->ka_ms = 1000ULL * (m.u.ok.keepalive ? m.u.ok.keepalive : 10);
		trickle_setup(l, &m.u.ok);
	} else if (m.op == PMSG_AUTH_OK && l->st == S_AUTH && g.hold_ms > 0) {
		/* Counted as a login now; the session stays up. */
		uint64_t now = now_ms();

		g.counts[O_OK]++;
		g.lat[g.nlat++] = (unsigned)(now - l->start_ms);
		g.last_ok_ms = now;
		if (g.verbose)
			printf("login %d: ok, %u ms; held\n", l->n,
			    (unsigned)(now - l->start_ms));
		memcpy(l->token, m.u.ok.token, sizeof(l->token));
		l->st = S_HELD;
		l->until_ms = now + g.hold_ms;
		l->last_rx_ms = now;
		l->ka_ms = 1000ULL * (m.u.ok.keepalive ? m.u.ok.keepalive : 10);
		trickle_setup(l, &m.u.ok);
	} else if (m.op == PMSG_AUTH_OK) {
		finish(l, O_OK, "");
	} else if (m.op == PMSG_AUTH_FAIL && g.retry &&
	    m.u.fail.reason == PMSG_FAIL_TRY_LATER) {
		/* As an endpoint does: the hub's wait, and up to a quarter
		 * more, so that those turned away together spread out. */
		uint32_t r;

		if (RAND_bytes((uint8_t *)&r, sizeof(r)) != 1)
			die("RAND_bytes");
		g.retries++;
		l->st = S_RETRY;
		l->retry_ms = now_ms() + 1000ULL * m.u.fail.wait +
		    r % (250U * m.u.fail.wait + 1);
	} else if (m.op == PMSG_AUTH_FAIL) {
		switch (m.u.fail.reason) {
		case PMSG_FAIL_CREDENTIALS:
			finish(l, O_CREDENTIALS, "");
			break;
		case PMSG_FAIL_TRY_LATER:
			snprintf(detail, sizeof(detail), ", wait %u s",
			    m.u.fail.wait);
			finish(l, O_TRY_LATER, detail);
			break;
		default:
			snprintf(detail, sizeof(detail), " (%s)",
			    pmsg_fail_str(m.u.fail.reason));
			finish(l, O_OTHER_FAIL, detail);
		}
	}
	pmsg_clear(&m);
}

/* A rekey's answer: the new keypair, and AUTH_RESUME under it. */
static void
on_rekey(struct login *l, uint8_t *buf, size_t len)
{
	struct keypair kp;
	struct pmsg m;
	uint8_t status;

	if (buf[0] == WIRE_MSG_COOKIE) {
		if (hs_cookie_consume(&l->hs, &g.pub, buf, len, l->cookie) ==
		    WIRE_OK) {
			l->has_cookie = true;
			send_init(l);
		}
		return;
	}
	/* Refused (busy): the INIT goes again at the next 5 s. */
	if (hs_resp_consume(&l->hs, &g.pub, buf, len, now_ms(), &status, &kp) !=
	    WIRE_OK)
		return;
	kp_set_install(&l->kps, &kp);
	memset(&m, 0, sizeof(m));
	m.op = PMSG_AUTH_RESUME;
	memcpy(m.u.token, l->token, sizeof(l->token));
	send_control(l, &m);
	pmsg_clear(&m);
}

/* A CONTROL in a held session: a BYE, or the answer to AUTH_RESUME. */
static void
on_held_control(struct login *l, const struct pmsg *m)
{
	if (m->op == PMSG_BYE && g.reconnect) {
		relogin(l, true);
	} else if (m->op == PMSG_AUTH_OK && l->rekeying) {
		memcpy(l->token, m->u.ok.token, sizeof(l->token));
		l->rekeying = false;
		g.rekeys++;
		/* A message under the new keypair makes it the hub's
		 * current one (the endpoint's data or keepalive does):
		 * the next AUTH_OK comes under it. */
		send_keepalive(l);
	} else if (m->op == PMSG_AUTH_FAIL && l->rekeying) {
		/* The hub did not resume the session. */
		g.resume_fails++;
		if (g.verbose)
			printf("login %d: rekey refused\n", l->n);
		end_held(l, true);
	}
}

static void
on_datagram(struct login *l, uint8_t *buf, size_t len)
{
	struct keypair kp;
	uint8_t status;

	if (len == 0)
		return;
	if (buf[0] == WIRE_MSG_COOKIE && l->st == S_HS) {
		/* The hub is under load: the INIT again, with its cookie. */
		if (hs_cookie_consume(&l->hs, &g.pub, buf, len, l->cookie) ==
		    WIRE_OK) {
			l->has_cookie = true;
			send_init(l);
		}
	} else if (buf[0] == WIRE_MSG_RESP && l->st == S_HS) {
		switch (hs_resp_consume(&l->hs, &g.pub, buf, len, now_ms(),
		    &status, &kp)) {
		case WIRE_OK:
			kp_set_install(&l->kps, &kp);
			if (g.half_open) {
				finish(l, O_OK, " (half-open)");
				break;
			}
			l->st = S_AUTH;
			send_auth(l);
			break;
		case WIRE_EREFUSED:
			if (g.retry && status != WIRE_STATUS_MODE &&
			    status != WIRE_STATUS_VERSION) {
				/* Busy (too many half-open): as an endpoint,
				 * again in 1 to 2 s. */
				uint32_t r;

				if (RAND_bytes((uint8_t *)&r, sizeof(r)) != 1)
					die("RAND_bytes");
				g.retries++;
				l->st = S_RETRY;
				l->retry_ms = now_ms() + 1000 + r % 1000;
				break;
			}
			if (status == WIRE_STATUS_BUSY)
				finish(l, O_REFUSED, " (busy)");
			else if (status == WIRE_STATUS_MODE)
				finish(l, O_REFUSED, " (mode)");
			else
				finish(l, O_REFUSED, " (version)");
			break;
		default:
			break;
		}
	} else if (buf[0] == WIRE_MSG_CONTROL && l->st == S_AUTH) {
		on_control(l, buf, len);
	} else if (l->st == S_HELD && l->rekeying &&
	    (buf[0] == WIRE_MSG_COOKIE || buf[0] == WIRE_MSG_RESP)) {
		on_rekey(l, buf, len);
	} else if (l->st == S_HELD &&
	    (buf[0] == WIRE_MSG_DATA || buf[0] == WIRE_MSG_CONTROL)) {
		struct kp_rx rx;
		struct pmsg m;

		/* Keepalive answers, route sets: the hub is there. */
		if (kp_set_open(&l->kps, buf, len, now_ms(), &rx) != WIRE_OK)
			return;
		l->last_rx_ms = now_ms();
		if (rx.type == WIRE_MSG_CONTROL &&
		    pmsg_decode(rx.payload, rx.len, &m) == WIRE_OK) {
			on_held_control(l, &m);
			pmsg_clear(&m);
		} else if (rx.type == WIRE_MSG_DATA && rx.len > 0)
			trickle_rx(l, rx.payload, rx.len);
	}
}

static void
on_timer(struct login *l, uint64_t now)
{
	if (stop_now && l->again && l->st != S_HELD) {
		/* Told to end while away: not back. */
		g.lost++;
		close(l->fd);
		l->fd = -1;
		l->st = S_DONE;
		return;
	}
	if (l->st == S_HELD) {
		if (now >= l->until_ms || stop_now)
			end_held(l, false);
		else if (now - l->last_rx_ms >
		    (g.reconnect ? l->ka_ms + DEAD_HUB_MS : 3 * l->ka_ms))
			end_held(l, true);
		else if (now - l->sent_ms >= l->ka_ms)
			send_keepalive(l);
		if (l->st != S_HELD)
			return;
		if (l->has_tid && now - l->ping_ms >= g.trickle_ms)
			send_ping(l, now);
		/* A rekey when the keypair is old, its INIT again each 5 s. */
		if (!l->rekeying && l->kps.cur != NULL &&
		    now - l->kps.cur->created_ms >= g.rekey_after_ms) {
			l->rekeying = true;
			l->rekey_ms = now;
			send_init(l);
		} else if (l->rekeying &&
		    now - l->rekey_ms >= KP_REKEY_TIMEOUT_MS) {
			l->rekey_ms = now;
			send_init(l);
		}
		return;
	}
	if (l->st == S_RETRY) {
		if (now >= l->retry_ms)
			attempt(l);
		else if (l->again && now >= l->until_ms) {
			/* Its time ran out before it was back. */
			g.lost++;
			close(l->fd);
			l->fd = -1;
			l->st = S_DONE;
		}
		return;
	}
	if (now - l->try_ms >= g.timeout_ms) {
		finish(l, O_TIMEOUT, "");
		return;
	}
	if (now - l->sent_ms < RESEND_MS)
		return;
	if (l->st == S_HS)
		send_init(l);
	else
		send_auth(l); /* a lost AUTH or a lost answer */
}

static int
cmp_uint(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

static unsigned
pctof(const unsigned *v, size_t n, unsigned p)
{
	return n == 0 ? 0 : v[(n - 1) * p / 100];
}

static unsigned
pct(unsigned p)
{
	return pctof(g.lat, g.nlat, p);
}

static void
run(int count, int conc)
{
	struct login *ls = calloc((size_t)conc, sizeof(*ls));
	struct pollfd *pf = calloc((size_t)conc, sizeof(*pf));
	uint8_t buf[2048];
	ssize_t r;
	int next = 1, active = 0, i;

	if (ls == NULL || pf == NULL)
		die("calloc");
	for (i = 0; i < conc && next <= count; i++, active++)
		start(&ls[i], next++);
	while (active > 0) {
		for (i = 0; i < conc; i++) {
			pf[i].fd = ls[i].st == S_DONE || ls[i].st == S_IDLE
			    ? -1
			    : ls[i].fd;
			pf[i].events = POLLIN;
		}
		if (poll(pf, (nfds_t)conc, 50) == -1 && errno != EINTR)
			die("poll");
		for (i = 0; i < conc; i++) {
			struct login *l = &ls[i];

			if (l->st == S_HS || l->st == S_AUTH ||
			    l->st == S_HELD) {
				while ((pf[i].revents & POLLIN) &&
				    l->st != S_DONE &&
				    (r = recv(l->fd, buf, sizeof(buf), 0)) >= 0)
					on_datagram(l, buf, (size_t)r);
			}
			if (l->st != S_DONE && l->st != S_IDLE)
				on_timer(l, now_ms());
			if (l->st == S_DONE) {
				active--;
				l->st = S_IDLE;
				if (next <= count) {
					start(l, next++);
					active++;
				}
			}
		}
	}
	free(ls);
	free(pf);
}

int
main(int argc, char *argv[])
{
	const char *key = NULL, *psk = NULL;
	int ch, count = 1, conc = 1, i;
	uint64_t t0;
	uint8_t pub[KEY_LEN];

	g.mode = WIRE_MODE_TAP;
	g.timeout_ms = 10000;
	g.rekey_after_ms = KP_REKEY_AFTER_TIME_MS;
	while (
	    (ch = getopt(argc, argv, "a:c:D:E:H:K:k:m:n:NRrs:t:u:vw:")) != -1) {
		switch (ch) {
		case 'a':
			if (load_parse_sources(optarg, &g.src_first,
				&g.src_n) == -1)
				usage();
			break;
		case 'H':
			g.hold_ms = 1000ULL * (unsigned)atoi(optarg);
			break;
		case 'E':
			g.rekey_after_ms = 1000ULL * (unsigned)atoi(optarg);
			break;
		case 'D':
			g.trickle_ms = (uint64_t)(unsigned)atoi(optarg);
			break;
		case 'N':
			g.half_open = true;
			break;
		case 'r':
			g.retry = true;
			break;
		case 'R':
			g.reconnect = true;
			break;
		case 'c':
			conc = atoi(optarg);
			break;
		case 'K':
			psk = optarg;
			break;
		case 'k':
			key = optarg;
			break;
		case 'm':
			if (strcmp(optarg, "tun") == 0)
				g.mode = WIRE_MODE_TUN;
			else if (strcmp(optarg, "tap") != 0)
				usage();
			break;
		case 'n':
			count = atoi(optarg);
			break;
		case 's':
			if (load_parse_hub(optarg, &g.hub, &g.hublen) == -1)
				die("cannot resolve the hub's address");
			break;
		case 't':
			g.timeout_ms = (unsigned)atoi(optarg);
			break;
		case 'u':
			g.user = optarg;
			break;
		case 'v':
			g.verbose = true;
			break;
		case 'w':
			g.password = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || g.hublen == 0 || key == NULL || g.user == NULL ||
	    g.password == NULL || count < 1 || conc < 1 || g.timeout_ms == 0 ||
	    g.rekey_after_ms == 0)
		usage();
	if (key_from_base64(pub, key) == -1 ||
	    hs_hub_pub_init(&g.pub, pub) == -1)
		die("-k: not a base64 public key");
	if (hs_psk_derive(g.psk, psk) == -1)
		die("-K: not a usable key");
	if (g.reconnect && g.hold_ms == 0)
		usage();
	g.nback_max = (size_t)count * 16;
	if ((g.lat = calloc((size_t)count, sizeof(*g.lat))) == NULL ||
	    (g.reconnect &&
		(g.back = calloc(g.nback_max, sizeof(*g.back))) == NULL))
		die("calloc");
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGUSR1, on_usr1);

	t0 = now_ms();
	run(count, conc < count ? conc : count);

	qsort(g.lat, g.nlat, sizeof(*g.lat), cmp_uint);
	printf("logins %d:", count);
	for (i = 0; i < O_N; i++)
		printf(" %s %u%s", outcome_names[i], g.counts[i],
		    i + 1 < O_N ? "," : ";");
	printf(" ok latency ms p50 %u p90 %u p99 %u max %u; %.1f logins/s",
	    pct(50), pct(90), pct(99), pct(100),
	    g.counts[O_OK] * 1000.0 /
		(double)(g.last_ok_ms > t0 ? g.last_ok_ms - t0 : 1));
	if (g.retry)
		printf("; %u waits (try later, busy)", g.retries);
	if (g.hold_ms > 0)
		printf("; held %u, lost %u; rekeys %u, refused %u", g.held,
		    g.lost, g.rekeys, g.resume_fails);
	if (g.trickle_ms > 0)
		printf("; pings %lu, answered %lu, ARP answered %lu", g.pings,
		    g.pongs, g.arps);
	if (g.reconnect) {
		qsort(g.back, g.nback, sizeof(*g.back), cmp_uint);
		printf("; back %zu, ms after the loss p50 %u p90 %u p99 %u "
		       "max %u",
		    g.nback, pctof(g.back, g.nback, 50),
		    pctof(g.back, g.nback, 90), pctof(g.back, g.nback, 99),
		    pctof(g.back, g.nback, 100));
	}
	printf("\n");
	return g.counts[O_TIMEOUT] == 0 && g.lost == 0 ? 0 : 1;
}
