/*
 * The hub's introductions (daemons/vland/direct_hub.c) with a session
 * table of the test's own and transport_send_control recording what it
 * is asked to send: who is introduced to whom (direct: off, an endpoint
 * that does not take direct paths, isolate), what a PEER says (the same
 * pair id and secret both ways, the initiator the lower address, places
 * as seen, local ones only behind the same public address), the
 * refresh, PEER_GONE when one leaves or a reload parts them; and the
 * pair lists under random comings and goings, of three sessions in
 * different roles first (the case that once corrupted them).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "direct_hub.h"
#include "mode.h"
#include "peermsg.h"
#include "session.h"
#include "transport.h"
#include "vland.h"

struct vland vl;
static struct config cfg;
static struct mode_ops tapmode;
static struct session_table t;

/* What transport_send_control was asked to send. */
#define SENT_MAX 256
static struct {
	struct session *to;
	struct pmsg m;
} sent[SENT_MAX];
static size_t nsent;

void
transport_send_control(struct session *s, const struct pmsg *m)
{
	assert_true(nsent < SENT_MAX);
	sent[nsent].to = s;
	sent[nsent].m = *m;
	nsent++;
}

/* The daemon's own, in udp.c (not linked here: it needs libevent). */
void
peer_to_addr(const struct peer_addr *p, struct addr *a, uint16_t *port)
{
	const struct sockaddr_in *sin = (const void *)&p->ss;

	memset(a, 0, sizeof(*a));
	a->af = AF_INET;
	a->v4 = sin->sin_addr;
	*port = ntohs(sin->sin_port);
}

/* An UP endpoint at tunnel address ip, seen from pub:port, with a
 * usable keypair (PEER_GONE is sent only on one). */
static struct session *
endpoint(const char *user, const char *ip, const char *pub, uint16_t port)
{
	struct peer_addr peer;
	struct sockaddr_in *sin = (void *)&peer.ss;
	struct session *s;
	struct keypair kp;
	uint8_t k[32];

	memset(&peer, 0, sizeof(peer));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	assert_int_equal(inet_pton(AF_INET, pub, &sin->sin_addr), 1);
	peer.len = sizeof(*sin);
	s = session_new(&t, &peer);
	snprintf(s->user, sizeof(s->user), "%s", user);
	assert_int_equal(addr_parse(ip, &s->addr), 0);
	session_set_state(&t, s, SESS_UP);
	session_addr_set(&t, s);
	s->groups = s->reach = UINT64_MAX;
	s->direct_ok = true;
	s->info.flags = PMSG_INFO_DIRECT;
	s->info.port = 5555;
	s->info.n = 1;
	assert_int_equal(addr_parse("192.168.1.20", &s->info.a[0]), 0);
	memset(k, 0x11, sizeof(k));
	assert_int_equal(kp_init(&kp, k, k, 1, 1, true, now_ms()), 0);
	kp_set_install(&s->kps, &kp);
	return s;
}

/* A frame of s for t, as tap mode sees it. */
static void
frame_to(struct session *s, const struct session *to)
{
	uint8_t f[60];

	memset(f, 0, sizeof(f));
	f[0] = 0x62;
	f[1] = 0xe2;
	memcpy(f + 2, to->addr.b, 4);
	direct_hub_frame(s, f, sizeof(f));
}

/* How many messages of op went to s since mark. */
static size_t
count_sent(const struct session *s, uint8_t op, size_t mark)
{
	size_t i, n = 0;

	for (i = mark; i < nsent; i++)
		if (sent[i].to == s && sent[i].m.op == op)
			n++;
	return n;
}

/* The one message of op sent to s since mark (the test fails if there
 * is not exactly one). */
static const struct pmsg *
sent_to(const struct session *s, uint8_t op, size_t mark)
{
	static const struct pmsg none;
	size_t i;

	if (count_sent(s, op, mark) != 1) {
		fail_msg("not one message %u to %s", op, s->user);
		return &none;
	}
	for (i = mark; sent[i].to != s || sent[i].m.op != op; i++)
		;
	return &sent[i].m;
}

static void
leave(struct session *s)
{
	direct_hub_session_gone(s);
	assert_int_equal(s->npairs, 0);
	session_free(&t, s);
}

static int
setup(void **state)
{
	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.direct = true;
	vl.cfg = &cfg;
	tapmode.ethernet = true;
	vl.mode = &tapmode;
	session_table_init(&t, NULL);
	vl.sessions = &t;
	nsent = 0;
	return 0;
}

static int
teardown(void **state)
{
	struct session *s;

	(void)state;
	while ((s = TAILQ_FIRST(&t.list)) != NULL)
		leave(s);
	assert_int_equal(direct_hub_pairs(), 0);
	session_table_clear(&t);
	return 0;
}

static void
test_peer_messages(void **state)
{
	struct session *a, *b;
	const struct pmsg *pa, *pb;

	(void)state;
	a = endpoint("alice", "10.9.0.5", "198.51.100.1", 40001);
	b = endpoint("bob", "10.9.0.3", "203.0.113.9", 40002);
	frame_to(a, b);
	assert_int_equal(direct_hub_pairs(), 1);
	assert_int_equal(a->npairs, 1);
	pa = sent_to(a, PMSG_PEER, 0);
	pb = sent_to(b, PMSG_PEER, 0);
	assert_int_equal(pa->u.peer.pair, pb->u.peer.pair);
	assert_memory_equal(pa->u.peer.secret, pb->u.peer.secret, 32);
	/* bob has the lower address: he initiates. */
	assert_int_equal(pb->u.peer.flags, PMSG_PEER_INITIATE);
	assert_int_equal(pa->u.peer.flags, 0);
	assert_string_equal(pa->u.peer.user, "bob");
	assert_int_equal(addr_cmp(&pa->u.peer.v4, &b->addr), 0);
	assert_memory_equal(pa->u.peer.mac, "\x62\xe2\x0a\x09\x00\x03", 6);
	/* Behind different public addresses: only where each is seen. */
	assert_int_equal(pa->u.peer.n, 1);
	assert_int_equal(pa->u.peer.c[0].port, 40002);
	/* More frames: no more PEERs. */
	frame_to(a, b);
	frame_to(b, a);
	assert_int_equal(nsent, 2);
	/* The refresh: both again, the same pair, after the interval. */
	direct_hub_tick(now_ms() + DIRECT_PEER_REFRESH_MS / 2);
	assert_int_equal(nsent, 2);
	direct_hub_tick(now_ms() + DIRECT_PEER_REFRESH_MS);
	assert_int_equal(nsent, 4);
	assert_int_equal(sent_to(a, PMSG_PEER, 2)->u.peer.pair,
	    pa->u.peer.pair);
	/* bob leaves: alice is told, and the pair is gone. */
	leave(b);
	assert_int_equal(count_sent(a, PMSG_PEER_GONE, 4), 1);
	assert_int_equal(a->npairs, 0);
	assert_int_equal(direct_hub_pairs(), 0);
}

static void
test_same_site_gets_local_places(void **state)
{
	struct session *a, *b;
	const struct pmsg *pa;

	(void)state;
	a = endpoint("alice", "10.9.0.5", "198.51.100.1", 40001);
	b = endpoint("bob", "10.9.0.3", "198.51.100.1", 40002);
	frame_to(b, a);
	pa = sent_to(a, PMSG_PEER, 0);
	assert_int_equal(pa->u.peer.n, 2);
	assert_int_equal(pa->u.peer.c[1].port, 5555);
}

static void
test_who_is_not_introduced(void **state)
{
	struct session *a, *b, *c;

	(void)state;
	a = endpoint("alice", "10.9.0.5", "198.51.100.1", 40001);
	b = endpoint("bob", "10.9.0.3", "203.0.113.9", 40002);
	c = endpoint("carol", "10.9.0.7", "203.0.113.10", 40003);
	cfg.direct = false;
	frame_to(a, b);
	cfg.direct = true;
	c->direct_ok = false;
	frame_to(a, c);
	frame_to(c, a);
	/* isolate: alice and bob in groups that may not meet */
	a->groups = a->reach = 1;
	b->groups = b->reach = 2;
	frame_to(a, b);
	/* an endpoint not up, and a frame to nobody's MAC */
	b->groups = b->reach = 1;
	b->state = SESS_WAIT_TAP;
	frame_to(a, b);
	b->state = SESS_UP;
	frame_to(a, a);
	assert_int_equal(nsent, 0);
	assert_int_equal(direct_hub_pairs(), 0);
	/* Allowed now: introduced; then a reload parts them again. */
	frame_to(a, b);
	assert_int_equal(direct_hub_pairs(), 1);
	b->groups = b->reach = 2;
	direct_hub_reload();
	assert_int_equal(direct_hub_pairs(), 0);
	assert_int_equal(count_sent(a, PMSG_PEER_GONE, 2), 1);
	assert_int_equal(count_sent(b, PMSG_PEER_GONE, 2), 1);
	/* And one that stops taking direct paths ends its pairs. */
	b->groups = b->reach = 1;
	frame_to(a, b);
	assert_int_equal(direct_hub_pairs(), 1);
	c->info.flags = 0;
	direct_hub_info(b, &c->info);
	assert_int_equal(direct_hub_pairs(), 0);
}

/* A session in pairs as initiator and as responder at once, and its
 * partners leaving one by one. */
static void
test_mixed_roles(void **state)
{
	struct session *x, *s, *y;

	(void)state;
	x = endpoint("x", "10.9.0.110", "198.51.100.1", 1);
	s = endpoint("s", "10.9.0.120", "198.51.100.2", 2);
	y = endpoint("y", "10.9.0.130", "198.51.100.3", 3);
	frame_to(x, s); /* x initiates */
	frame_to(s, y); /* s initiates */
	assert_int_equal(s->npairs, 2);
	leave(x);
	assert_int_equal(s->npairs, 1);
	assert_int_equal(direct_hub_pairs(), 1);
	frame_to(s, y);
	leave(y);
	assert_int_equal(s->npairs, 0);
	assert_int_equal(direct_hub_pairs(), 0);
}

static void
check_lists(struct session **ss, size_t n)
{
	size_t i, links = 0, npairs = 0;

	for (i = 0; i < n; i++) {
		const struct session *s = ss[i];
		const struct dpair_link *l;
		size_t k = 0;

		LIST_FOREACH (l, &s->pairs, e)
			k++;
		assert_int_equal(k, s->npairs);
		links += k;
		npairs += s->npairs;
	}
	assert_int_equal(links, 2 * direct_hub_pairs());
	assert_int_equal(npairs, 2 * direct_hub_pairs());
}

static void
test_random(void **state)
{
	enum { N = 12 };
	struct session *ss[N];
	char ip[32], pub[32];
	int i, k, x, y;

	(void)state;
	srand(42);
	for (i = 0; i < N; i++) {
		snprintf(ip, sizeof(ip), "10.9.1.%d", 10 + i);
		snprintf(pub, sizeof(pub), "198.51.100.%d", 10 + i);
		ss[i] = endpoint("u", ip, pub, 1000);
	}
	for (k = 0; k < 5000; k++) {
		x = rand() % N;
		y = rand() % N;
		nsent = 0;
		switch (rand() % 8) {
		case 0:
			snprintf(ip, sizeof(ip), "10.9.1.%d", 10 + x);
			snprintf(pub, sizeof(pub), "198.51.100.%d", 10 + x);
			leave(ss[x]);
			ss[x] = endpoint("u", ip, pub, 1000);
			break;
		case 1:
			ss[x]->groups = ss[x]->reach = (uint64_t)1
			    << (rand() % 2);
			direct_hub_reload();
			break;
		default:
			frame_to(ss[x], ss[y]);
		}
		check_lists(ss, N);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_peer_messages, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_same_site_gets_local_places, setup, teardown),
		cmocka_unit_test_setup_teardown(test_who_is_not_introduced,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_mixed_roles, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_random, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
