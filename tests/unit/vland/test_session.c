/*
 * The session table (daemons/vland/session.c) on a table of the test's
 * own: ids, receiver indices (fresh, unique, at most SESS_NIDX a
 * session), lookups by index, id, user and address, and the two hash
 * tables past their first 1024 slots under insert and delete churn,
 * checked after every step against a plain list of what should be
 * found: deleted slots counted, rebuilt before they fill the table, and
 * nothing of a freed session found again; resume tokens found by the
 * whole token, even when several begin alike, and a session's old token
 * no longer found once it has a new one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include "session.h"

static struct session_table t;
static struct peer_addr peer;

/* Scripted indices for session_new_index; then a counter. */
static uint32_t script[8];
static unsigned nscript, next_script;

static uint32_t
scripted(void)
{
	return next_script < nscript ? script[next_script++]
				     : 0x7000 + next_script++;
}

/* xorshift32: the same "random" indices every run. */
static uint32_t rng = 2463534242u;

static uint32_t
xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static unsigned released;

static uint32_t
token_start(const struct session *s)
{
	uint32_t k;

	memcpy(&k, s->token, sizeof(k));
	return k;
}

static void
count_release(struct session *s)
{
	(void)s;
	released++;
}

static int
setup(void **state)
{
	(void)state;
	session_table_init(&t, count_release);
	released = 0;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	session_table_clear(&t);
	return 0;
}

static struct session *
up_with(const char *user, const char *ip)
{
	struct session *s = session_new(&t, &peer);

	snprintf(s->user, sizeof(s->user), "%s", user);
	assert_int_equal(addr_parse(ip, &s->addr), 0);
	session_set_state(&t, s, SESS_UP);
	session_addr_set(&t, s);
	return s;
}

static void
test_ids(void **state)
{
	struct session *a, *b, *c;

	(void)state;
	a = session_new(&t, &peer);
	b = session_new(&t, &peer);
	c = session_new(&t, &peer);
	assert_int_equal(a->id, 1);
	assert_int_equal(b->id, 2);
	assert_int_equal(c->id, 3);
	assert_int_equal(a->tapfd, -1);
	assert_ptr_equal(session_by_id(&t, 2), b);
	assert_null(session_by_id(&t, 4));
	assert_int_equal(session_count(&t, SESS_WAIT_AUTH), 3);
	session_set_state(&t, b, SESS_UP);
	assert_int_equal(session_count(&t, SESS_WAIT_AUTH), 2);
	assert_int_equal(session_count(&t, SESS_UP), 1);
	session_free(&t, b);
	assert_int_equal(released, 1);
	assert_null(session_by_id(&t, 2));
	assert_int_equal(session_count(&t, SESS_UP), 0);
	/* Ids are not reused; the list keeps the order of creation. */
	b = session_new(&t, &peer);
	assert_int_equal(b->id, 4);
	assert_ptr_equal(TAILQ_FIRST(&t.list), a);
	assert_ptr_equal(TAILQ_NEXT(a, entry), c);
	assert_ptr_equal(TAILQ_LAST(&t.list, session_list), b);
}

static void
test_indices(void **state)
{
	struct session *a, *b;
	uint32_t i;

	(void)state;
	a = session_new(&t, &peer);
	b = session_new(&t, &peer);
	assert_null(session_by_index(&t, 10));
	session_add_index(&t, a, 10);
	session_add_index(&t, b, 20);
	assert_ptr_equal(session_by_index(&t, 10), a);
	assert_ptr_equal(session_by_index(&t, 20), b);
	assert_null(session_by_index(&t, 30));
	/* A session keeps its SESS_NIDX newest: the oldest goes. */
	for (i = 11; i < 11 + SESS_NIDX; i++)
		session_add_index(&t, a, i);
	assert_int_equal(a->nidx, SESS_NIDX);
	assert_null(session_by_index(&t, 10));
	for (i = 11; i < 11 + SESS_NIDX; i++)
		assert_ptr_equal(session_by_index(&t, i), a);
	assert_int_equal(t.idx.live, SESS_NIDX + 1);
	assert_int_equal(t.idx.dead, 1);
	/* Freed: none of its indices finds anything. */
	session_free(&t, a);
	for (i = 10; i < 11 + SESS_NIDX; i++)
		assert_null(session_by_index(&t, i));
	assert_ptr_equal(session_by_index(&t, 20), b);
	assert_int_equal(t.idx.live, 1);
}

static void
test_new_index(void **state)
{
	struct session *a;

	(void)state;
	t.random = scripted;
	a = session_new(&t, &peer);
	session_add_index(&t, a, 5);
	session_add_index(&t, a, 6);
	/* 0 is never an index, and one in use is drawn again. */
	script[0] = 0, script[1] = 5, script[2] = 6, script[3] = 7;
	nscript = 4, next_script = 0;
	assert_int_equal(session_new_index(&t), 7);
	assert_int_equal(next_script, 4);
	/* A freed session's index may be handed out again, and then finds
	 * its new session only. */
	session_free(&t, a);
	script[0] = 5;
	nscript = 1, next_script = 0;
	assert_int_equal(session_new_index(&t), 5);
	a = session_new(&t, &peer);
	session_add_index(&t, a, 5);
	assert_ptr_equal(session_by_index(&t, 5), a);
	assert_null(session_by_index(&t, 6));
}

static void
test_users(void **state)
{
	struct session *a, *b, *c;

	(void)state;
	a = session_new(&t, &peer);
	snprintf(a->user, sizeof(a->user), "alice");
	/* Waiting for AUTH or being checked: not logged in. */
	assert_null(session_of_user(&t, "alice", NULL));
	session_set_state(&t, a, SESS_AUTHING);
	assert_ptr_equal(session_of_user(&t, "alice", NULL), a);
	assert_null(session_by_user(&t, "alice", NULL));
	session_set_state(&t, a, SESS_WAIT_TAP);
	assert_ptr_equal(session_by_user(&t, "alice", NULL), a);
	session_set_state(&t, a, SESS_UP);
	assert_ptr_equal(session_by_user(&t, "alice", NULL), a);
	assert_null(session_by_user(&t, "alice", a));
	assert_null(session_by_user(&t, "alic", NULL));
	/* A second login of alice, being checked: by_user still gives the
	 * live one; of_user, other than a, the new one. */
	b = session_new(&t, &peer);
	snprintf(b->user, sizeof(b->user), "alice");
	session_set_state(&t, b, SESS_AUTHING);
	assert_ptr_equal(session_by_user(&t, "alice", NULL), a);
	assert_ptr_equal(session_of_user(&t, "alice", a), b);
	c = session_new(&t, &peer);
	snprintf(c->user, sizeof(c->user), "bob");
	session_set_state(&t, c, SESS_UP);
	/* The counts by state follow every change and every free. */
	assert_int_equal(session_count(&t, SESS_UP), 2);
	assert_int_equal(session_count(&t, SESS_AUTHING), 1);
	assert_int_equal(session_count(&t, SESS_WAIT_AUTH), 0);
	session_free(&t, a);
	assert_int_equal(session_count(&t, SESS_UP), 1);
	assert_null(session_by_user(&t, "alice", NULL));
	assert_ptr_equal(session_of_user(&t, "alice", NULL), b);
	assert_ptr_equal(session_by_user(&t, "bob", NULL), c);
	session_free(&t, b);
	session_free(&t, c);
	assert_int_equal(session_count(&t, SESS_UP), 0);
	assert_int_equal(session_count(&t, SESS_AUTHING), 0);
}

static void
test_addresses(void **state)
{
	struct session *a, *b, *c;
	struct addr x, v6;

	(void)state;
	assert_int_equal(addr_parse("10.0.0.100", &x), 0);
	assert_null(session_by_addr(&t, &x));
	a = up_with("alice", "10.0.0.100");
	c = up_with("carol", "10.0.0.102");
	assert_ptr_equal(session_by_addr(&t, &x), a);
	/* The newest session of an address wins, and freeing the old one
	 * does not take the address from it. */
	b = up_with("alice", "10.0.0.100");
	assert_ptr_equal(session_by_addr(&t, &x), b);
	session_free(&t, a);
	assert_ptr_equal(session_by_addr(&t, &x), b);
	session_free(&t, b);
	assert_null(session_by_addr(&t, &x));
	assert_ptr_equal(session_by_addr(&t, &c->addr), c);
	/* IPv4 only. */
	assert_int_equal(addr_parse("fd00::a00:66", &v6), 0);
	assert_null(session_by_addr(&t, &v6));
}

/* Every live session's indices and address found, nothing else. */
#define CHURN_MAX	3000
#define CHURN_ROUNDS	(8 * CHURN_MAX)
#define CHURN_FREED_MAX (CHURN_ROUNDS + CHURN_MAX)
static struct session *live[CHURN_MAX];
/* Each freed session's up to 4, and those rekeys pushed out. */
static uint32_t gone_idx[4 * CHURN_FREED_MAX + CHURN_ROUNDS];
static struct addr gone_addr[CHURN_FREED_MAX];
static unsigned ngone_idx, ngone_addr;

static void
check_tables(unsigned nlive)
{
	unsigned i, j, nidx = 0;

	for (i = 0; i < nlive; i++) {
		for (j = 0; j < live[i]->nidx; j++)
			assert_ptr_equal(session_by_index(&t, live[i]->idx[j]),
			    live[i]);
		nidx += live[i]->nidx;
		assert_ptr_equal(session_by_addr(&t, &live[i]->addr), live[i]);
	}
	for (i = 0; i < ngone_idx; i++)
		assert_null(session_by_index(&t, gone_idx[i]));
	for (i = 0; i < ngone_addr; i++)
		assert_null(session_by_addr(&t, &gone_addr[i]));
	assert_int_equal(t.idx.live, nidx);
	/* At most half full, deleted slots counted. */
	assert_true((t.idx.live + t.idx.dead) * 2 <= t.idx.cap);
	assert_true(t.addr_used * 2 <= t.addr_cap);
}

/* A session that is up, with 1 to 4 indices and address number n. */
static struct session *
churn_new(uint32_t n)
{
	struct session *s = session_new(&t, &peer);
	unsigned k = 1 + xorshift() % 4, j;

	for (j = 0; j < k; j++)
		session_add_index(&t, s, session_new_index(&t));
	s->addr.af = AF_INET;
	s->addr.v4.s_addr = htonl(0x0a000000 + n);
	session_set_state(&t, s, SESS_UP);
	session_addr_set(&t, s);
	return s;
}

static void
churn_free(unsigned i, unsigned nlive)
{
	struct session *s = live[i];
	unsigned j;

	for (j = 0; j < s->nidx; j++)
		gone_idx[ngone_idx++] = s->idx[j];
	gone_addr[ngone_addr++] = s->addr;
	session_free(&t, s);
	/* More than a quarter deleted: rebuilt at once. */
	assert_true(t.idx.dead <= t.idx.cap / 4);
	live[i] = live[nlive - 1];
}

static void
test_growth_churn(void **state)
{
	unsigned nlive = 0, round, i, rebuilds = 0, dead_max = 0, prev;
	unsigned live_max = 0;
	uint32_t addrno = 0, cap0;

	(void)state;
	t.random = xorshift;
	/* Past the first 1024 slots of both tables. */
	while (nlive < CHURN_MAX)
		live[nlive++] = churn_new(addrno++);
	assert_true(t.idx.cap > 1024);
	assert_true(t.addr_cap > 1024);
	check_tables(nlive);
	cap0 = t.idx.cap;
	/* Churn: free one, make one, and now and then rekey one (a new
	 * index, the oldest of four deleted). */
	ngone_idx = ngone_addr = 0;
	for (round = 0; round < CHURN_ROUNDS; round++) {
		i = xorshift() % nlive;
		prev = t.idx.dead;
		churn_free(i, nlive--);
		/* A slot reused drops the count by one; a rebuild, from
		 * a quarter of the table to none. */
		if (prev > t.idx.cap / 8 && t.idx.dead == 0)
			rebuilds++;
		if (t.idx.dead > dead_max)
			dead_max = t.idx.dead;
		if (t.idx.live > live_max)
			live_max = t.idx.live;
		live[nlive++] = churn_new(addrno++);
		i = xorshift() % nlive;
		if (round % 3 == 0) {
			if (live[i]->nidx == SESS_NIDX)
				gone_idx[ngone_idx++] = live[i]->idx[0];
			session_add_index(&t, live[i], session_new_index(&t));
			if (t.idx.live > live_max)
				live_max = t.idx.live;
		}
		if (round % 1000 == 999)
			check_tables(nlive);
	}
	check_tables(nlive);
	/* The deleted slots were cleared out again and again; the tables
	 * grew for live entries only: doubled while more than a quarter
	 * full, so never past 8 slots an entry. */
	assert_true(rebuilds > 0);
	assert_true(dead_max > t.idx.cap / 8);
	assert_true(t.idx.cap >= cap0);
	assert_true(t.idx.cap <= 8 * (live_max + 1));
	assert_true(t.addr_cap <= 8 * (CHURN_MAX + 1));
	/* And all freed: nothing found, tables empty. */
	while (nlive > 0)
		churn_free(0, nlive--);
	check_tables(0);
	assert_int_equal(t.idx.live, 0);
}

/* Tokens whose first 4 bytes (the table's key) are all the same. */
static uint32_t
same_start(void)
{
	static uint32_t n;

	return n++ % 8 == 0 ? 0x5eed : xorshift();
}

static void
test_tokens(void **state)
{
	struct session *s[600], *u;
	uint8_t old[PMSG_TOKEN_LEN], other[PMSG_TOKEN_LEN];
	unsigned i;

	(void)state;
	assert_null(session_by_token(&t, (uint8_t[PMSG_TOKEN_LEN]){ 0 }));
	/* Random tokens, past the table's first 1024 slots (two rounds). */
	for (i = 0; i < 600; i++) {
		s[i] = session_new(&t, &peer);
		session_new_token(&t, s[i]);
		session_new_token(&t, s[i]);
	}
	assert_true(t.tok.live == 600);
	for (i = 0; i < 600; i++)
		assert_ptr_equal(session_by_token(&t, s[i]->token), s[i]);
	/* A new token: the old one finds nothing. */
	memcpy(old, s[7]->token, sizeof(old));
	session_new_token(&t, s[7]);
	assert_null(session_by_token(&t, old));
	assert_ptr_equal(session_by_token(&t, s[7]->token), s[7]);
	/* One byte off at the end: nothing. */
	memcpy(other, s[8]->token, sizeof(other));
	other[PMSG_TOKEN_LEN - 1] ^= 1;
	assert_null(session_by_token(&t, other));
	/* Freed: its token finds nothing; the rest still do. */
	memcpy(old, s[9]->token, sizeof(old));
	session_free(&t, s[9]);
	assert_null(session_by_token(&t, old));
	for (i = 0; i < 600; i++)
		if (i != 9)
			assert_ptr_equal(session_by_token(&t, s[i]->token),
			    s[i]);
	/* Tokens that begin alike share a key: each still finds its own,
	 * whatever order they go. */
	t.random = same_start;
	for (i = 0; i < 20; i++) {
		s[i] = i == 9 ? session_new(&t, &peer) : s[i];
		session_new_token(&t, s[i]);
		assert_int_equal(token_start(s[i]), 0x5eed);
	}
	for (i = 0; i < 20; i++)
		assert_ptr_equal(session_by_token(&t, s[i]->token), s[i]);
	u = s[3];
	memcpy(old, u->token, sizeof(old));
	session_free(&t, u);
	assert_null(session_by_token(&t, old));
	for (i = 4; i < 20; i++)
		assert_ptr_equal(session_by_token(&t, s[i]->token), s[i]);
}

/* The half-open sessions in the order they came, as the hub gives the
 * oldest's slot away: leaving WAIT_AUTH or being freed takes one out,
 * coming back (an endpoint's session) puts it last. */
static void
test_waiting(void **state)
{
	struct session *a, *b, *c;

	(void)state;
	assert_null(session_oldest_waiting(&t));
	a = session_new(&t, &peer);
	b = session_new(&t, &peer);
	c = session_new(&t, &peer);
	assert_ptr_equal(session_oldest_waiting(&t), a);
	session_set_state(&t, a, SESS_AUTHING);
	assert_ptr_equal(session_oldest_waiting(&t), b);
	session_free(&t, b);
	assert_ptr_equal(session_oldest_waiting(&t), c);
	session_set_state(&t, a, SESS_WAIT_AUTH);
	session_set_state(&t, c, SESS_UP);
	assert_ptr_equal(session_oldest_waiting(&t), a);
	assert_int_equal(session_count(&t, SESS_WAIT_AUTH), 1);
	session_free(&t, a);
	assert_null(session_oldest_waiting(&t));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_indices, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_index, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_users, setup, teardown),
		cmocka_unit_test_setup_teardown(test_addresses, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_growth_churn, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_waiting, setup, teardown),
	};

	peer.ss.ss_family = AF_INET;
	peer.len = sizeof(struct sockaddr_in);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
