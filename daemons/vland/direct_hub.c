/*
 * Introductions (direct_hub.h). A pair is made the first time a frame
 * of one endpoint for the other passes through the hub, and lives until
 * either leaves. Its PEER messages are sent again every PEER_REFRESH_MS,
 * with the same pair id and secret and the places each is seen from
 * now: that repairs a lost PEER, tells each where the other roamed, and
 * is the lease an endpoint holds a peer by, so that a lost PEER_GONE
 * (a kick, a reload that parts the two) still ends the direct path
 * within a few intervals. Pairs wait for their refresh in one queue,
 * oldest first, so a tick looks only at the pairs that are due.
 */
#include <stdlib.h>
#include <string.h>

#include <netinet/in.h>
#include <openssl/rand.h>

#include "direct_hub.h"
#include "log.h"
#include "mode.h"
#include "peermsg.h"
#include "session.h"
#include "transport.h"
#include "vland.h"

#define PAIRS_MIN 64

struct dpair {
	uint32_t id;
	/* a has the lower tunnel address: it initiates */
	struct session *a, *b;
	uint8_t secret[PMSG_SECRET_LEN];
	uint64_t sent_ms;
	struct dpair_link la, lb; /* in a's and in b's list */
	TAILQ_ENTRY(dpair) due;	  /* in pairs.due, by sent_ms */
	struct dpair *next;	  /* hash chain */
};

static struct {
	struct dpair **b;
	uint32_t cap; /* buckets, a power of two; 0 before the first */
	size_t n;
	TAILQ_HEAD(, dpair) due; /* oldest PEERs first */
	bool inited;
} pairs;

static uint32_t
bucket_of(const struct session *x, const struct session *y)
{
	uint32_t lo = x->id < y->id ? x->id : y->id;
	uint32_t hi = x->id < y->id ? y->id : x->id;
	uint64_t k = ((uint64_t)hi << 32 | lo) * 0x9e3779b97f4a7c15ULL;

	return (uint32_t)(k >> 32) & (pairs.cap - 1);
}

static struct dpair *
pair_find(const struct session *x, const struct session *y)
{
	struct dpair *p;

	if (pairs.cap == 0)
		return NULL;
	for (p = pairs.b[bucket_of(x, y)]; p != NULL; p = p->next)
		if ((p->a == x && p->b == y) || (p->a == y && p->b == x))
			return p;
	return NULL;
}

static void
pairs_grow(void)
{
	struct dpair **old = pairs.b, *p, *next;
	uint32_t oldcap = pairs.cap, i;

	pairs.cap = oldcap == 0 ? PAIRS_MIN : oldcap * 2;
	if ((pairs.b = calloc(pairs.cap, sizeof(*pairs.b))) == NULL)
		fatal("pair table of %u buckets", pairs.cap);
	for (i = 0; i < oldcap; i++)
		for (p = old[i]; p != NULL; p = next) {
			uint32_t h = bucket_of(p->a, p->b);

			next = p->next;
			p->next = pairs.b[h];
			pairs.b[h] = p;
		}
	free(old);
}

/* Where s may be reached from to: where the hub sees it from; and,
 * when the hub sees both from the same public address (one NAT, one
 * site), the local addresses s reported, at its socket's port. Never
 * a site's private addresses to a peer elsewhere: they would only
 * reach unrelated hosts of the peer's own network. */
static void
places_of(const struct session *s, const struct session *to,
    struct pmsg_peer *m)
{
	struct pmsg_cand *c = &m->c[0];
	struct addr seen_to;
	uint16_t port_to;
	uint8_t i;

	memset(c, 0, sizeof(*c));
	peer_to_addr(&s->peer, &c->a, &c->port);
	peer_to_addr(&to->peer, &seen_to, &port_to);
	m->n = 1;
	if (s->info.port == 0 || addr_cmp(&seen_to, &c->a) != 0)
		return;
	for (i = 0; i < s->info.n && m->n < PMSG_CAND_MAX; i++) {
		if (addr_cmp(&s->info.a[i], &c->a) == 0 &&
		    s->info.port == c->port)
			continue;
		m->c[m->n].a = s->info.a[i];
		m->c[m->n].port = s->info.port;
		m->n++;
	}
}

/* PEER to to, about about. */
static void
send_peer(const struct dpair *p, struct session *to, struct session *about)
{
	struct pmsg m;
	struct addr v6;
	const uint8_t *a4 = about->addr.b;

	memset(&m, 0, sizeof(m));
	m.op = PMSG_PEER;
	m.u.peer.pair = p->id;
	m.u.peer.flags = to == p->a ? PMSG_PEER_INITIATE : 0;
	snprintf(m.u.peer.user, sizeof(m.u.peer.user), "%s", about->user);
	m.u.peer.v4 = about->addr;
	if (vl.cfg->ip6.a.af == AF_INET6) {
		v6 = vl.cfg->ip6.a;
		memcpy(v6.b + 12, a4, 4);
		m.u.peer.v6 = v6;
	}
	if (vl.mode->ethernet) {
		m.u.peer.mac[0] = 0x62;
		m.u.peer.mac[1] = 0xe2;
		memcpy(m.u.peer.mac + 2, a4, 4);
	}
	memcpy(m.u.peer.secret, p->secret, sizeof(p->secret));
	places_of(about, to, &m.u.peer);
	transport_send_control(to, &m);
	pmsg_clear(&m);
}

/* Both PEERs, now; the pair goes to the back of the refresh queue. */
static void
introduce(struct dpair *p, uint64_t now)
{
	if (p->sent_ms != 0)
		TAILQ_REMOVE(&pairs.due, p, due);
	p->sent_ms = now;
	TAILQ_INSERT_TAIL(&pairs.due, p, due);
	send_peer(p, p->a, p->b);
	send_peer(p, p->b, p->a);
}

static void
pair_new(struct session *x, struct session *y, uint64_t now)
{
	struct dpair *p;
	uint32_t h;

	if (!pairs.inited) {
		TAILQ_INIT(&pairs.due);
		pairs.inited = true;
	}
	if ((pairs.n + 1) * 2 > pairs.cap)
		pairs_grow();
	if ((p = calloc(1, sizeof(*p))) == NULL)
		fatal("calloc");
	/* Lower tunnel address first: the initiator, a rule both ends
	 * can check. */
	if (memcmp(x->addr.b, y->addr.b, 4) < 0) {
		p->a = x;
		p->b = y;
	} else {
		p->a = y;
		p->b = x;
	}
	do {
		if (RAND_bytes((unsigned char *)&p->id, sizeof(p->id)) != 1 ||
		    RAND_bytes(p->secret, sizeof(p->secret)) != 1)
			fatalx("RAND_bytes");
	} while (p->id == 0);
	h = bucket_of(x, y);
	p->next = pairs.b[h];
	pairs.b[h] = p;
	p->la.p = p->lb.p = p;
	LIST_INSERT_HEAD(&p->a->pairs, &p->la, e);
	LIST_INSERT_HEAD(&p->b->pairs, &p->lb, e);
	p->a->npairs++;
	p->b->npairs++;
	pairs.n++;
	log_debug("introducing %s and %s for a direct path", p->a->user,
	    p->b->user);
	introduce(p, now);
}

/* Unlink and free p; PEER_GONE to each side that is not ending. */
static void
pair_end(struct dpair *p, const struct session *ending)
{
	struct dpair **pp;
	struct pmsg m;

	memset(&m, 0, sizeof(m));
	m.op = PMSG_PEER_GONE;
	m.u.pair = p->id;
	if (p->a != ending && kp_set_sender(&p->a->kps, now_ms()) != NULL)
		transport_send_control(p->a, &m);
	if (p->b != ending && kp_set_sender(&p->b->kps, now_ms()) != NULL)
		transport_send_control(p->b, &m);
	for (pp = &pairs.b[bucket_of(p->a, p->b)]; *pp != NULL;
	     pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	LIST_REMOVE(&p->la, e);
	LIST_REMOVE(&p->lb, e);
	TAILQ_REMOVE(&pairs.due, p, due);
	p->a->npairs--;
	p->b->npairs--;
	pairs.n--;
	explicit_bzero(p, sizeof(*p));
	free(p);
}

static bool
may_pair(const struct session *x, const struct session *y)
{
	return vl.cfg->direct && x != y && x->direct_ok && y->direct_ok &&
	    x->state == SESS_UP && y->state == SESS_UP &&
	    session_may_reach(x, y) &&
	    x->peer.ss.ss_family == y->peer.ss.ss_family;
}

void
direct_hub_info(struct session *s, const struct pmsg_info *in)
{
	struct dpair_link *l;

	s->info = *in;
	s->direct_ok = (in->flags & PMSG_INFO_DIRECT) != 0;
	if (!s->direct_ok)
		while ((l = LIST_FIRST(&s->pairs)) != NULL)
			pair_end(l->p, NULL);
}

/* The endpoint a frame is for, from its destination: the MAC 62:e2 +
 * address in tap mode, the IPv4 or (inside ip6) IPv6 address in tun
 * mode. NULL for anything else. */
static struct session *
target_of(const uint8_t *f, size_t len)
{
	struct addr a;

	memset(&a, 0, sizeof(a));
	a.af = AF_INET;
	if (vl.mode->ethernet) {
		if (len < 14 || f[0] != 0x62 || f[1] != 0xe2)
			return NULL;
		memcpy(a.b, f + 2, 4);
	} else if (len >= 20 && f[0] >> 4 == 4) {
		memcpy(a.b, f + 16, 4);
	} else if (len >= 40 && f[0] >> 4 == 6 &&
	    vl.cfg->ip6.a.af == AF_INET6 &&
	    memcmp(f + 24, vl.cfg->ip6.a.b, 12) == 0) {
		/* An endpoint's IPv6 is ip6's network with its IPv4 last;
		 * ip6 is at most a /96. */
		memcpy(a.b, f + 36, 4);
	} else
		return NULL;
	return session_by_addr(vl.sessions, &a);
}

void
direct_hub_frame(struct session *s, const uint8_t *frame, size_t len)
{
	struct session *t;

	if (!vl.cfg->direct || !s->direct_ok)
		return;
	if ((t = target_of(frame, len)) == NULL || !may_pair(s, t))
		return;
	if (pair_find(s, t) == NULL)
		pair_new(s, t, now_ms());
}

void
direct_hub_tick(uint64_t now)
{
	struct dpair *p;

	if (!pairs.inited)
		return;
	while ((p = TAILQ_FIRST(&pairs.due)) != NULL &&
	    now - p->sent_ms >= DIRECT_PEER_REFRESH_MS)
		introduce(p, now);
}

void
direct_hub_session_gone(struct session *s)
{
	struct dpair_link *l;

	while ((l = LIST_FIRST(&s->pairs)) != NULL)
		pair_end(l->p, s);
}

void
direct_hub_reload(void)
{
	struct session *s;
	struct dpair_link *l, *next;

	/* pair_end unlinks l and its twin in the other session's list,
	 * never next (another pair of s). */
	TAILQ_FOREACH (s, &vl.sessions->list, entry)
		for (l = LIST_FIRST(&s->pairs); l != NULL; l = next) {
			next = LIST_NEXT(l, e);
			if (!may_pair(l->p->a, l->p->b))
				pair_end(l->p, NULL);
		}
}

size_t
direct_hub_pairs(void)
{
	return pairs.n;
}
