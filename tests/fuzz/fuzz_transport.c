/*
 * libFuzzer target: transport messages into kp_set_open(), on the
 * keypair sets of both ends after two real handshakes (A, then B): the
 * hub holds A as current and B as next (unconfirmed), the endpoint A as
 * previous and B as current. Each input starts from that state.
 *
 * Input, byte 0 even: the rest is one datagram, to the hub (bit 1 clear)
 * or the endpoint. Nothing the input wrote itself may open.
 *
 * Byte 0 odd: a script of operations (below), so that real messages
 * sealed with kp_seal() reach the decrypt-success path and the replay
 * window. A model of the window (every counter seen, kept in full)
 * predicts each result; a message with any bit flipped must not open.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "handshake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define T0	1000000
#define MAXSEEN 2048
/* Operations: byte % NOPS, then their arguments (integers little-endian). */
#define OP_SEAL	 0 /* flags, [u64 ctr], [u16 pos, u8 xor], u16 len, payload */
#define OP_AGAIN 1 /* the last sealed message once more */
#define OP_RAW	 2 /* flags, u16 len, bytes */
#define OP_TIME	 3 /* u32: the new "now" in ms */
#define NOPS	 4

/* SEAL and RAW flags. */
#define F_TO_EP	  0x01 /* hub to endpoint, else endpoint to hub */
#define F_KEY_B	  0x02 /* keypair B, else A */
#define F_CONTROL 0x04 /* CONTROL, else DATA */
#define F_COUNTER 0x08 /* set the send counter first */
#define F_FLIP	  0x10 /* flip bits after sealing */
#define F_SENDER  0x20 /* the keypair kp_set_sender() picks */

static const uint8_t hub_priv[WIRE_KEY_LEN] = {
	0x28,
	0x9e,
	0x41,
	0xd7,
	0x06,
	0xbb,
	0x53,
	0x1c,
	0x7a,
	0xe4,
	0x30,
	0x95,
	0x6f,
	0xc2,
	0x0d,
	0x88,
	0x4b,
	0x17,
	0xf9,
	0x62,
	0xad,
	0x3e,
	0x05,
	0xd0,
	0x71,
	0x9c,
	0x2f,
	0xb8,
	0x46,
	0xe3,
	0x1a,
	0x57,
};
static const uint32_t ep_index[2] = { 0x0a0a0a01, 0x0b0b0b01 };
static const uint32_t hub_index[2] = { 0x0a0a0a02, 0x0b0b0b02 };

struct side {
	struct kp_set set;
	struct keypair *prev, *cur, *next; /* as set up */
};

/* Receive side of one keypair: what the replay window should say. */
struct model {
	uint64_t seen[MAXSEEN];
	size_t n;
	uint64_t greatest;
};

struct cursor {
	const uint8_t *p;
	size_t len, off;
};

static struct side ep, hub;
static struct model models[2][2]; /* [to endpoint][keypair B] */

static void
handshake(const struct hs_hub *h, const uint8_t psk[HS_PSK_LEN], int k)
{
	static const struct wire_hello hello = { WIRE_VERSION, WIRE_MODE_TUN };
	uint8_t init[WIRE_INIT_LEN], resp[WIRE_RESP_LEN], st;
	struct keypair ke, kh;
	struct wire_hello got;
	struct hs he, hh;

	if (hs_init_create(&he, &h->id, psk, &hello, ep_index[k], NULL, init) !=
		WIRE_OK ||
	    hs_init_consume(&hh, h, psk, init, sizeof init, NULL, &got) !=
		WIRE_OK ||
	    hs_resp_create(&hh, h, hub_index[k], WIRE_STATUS_OK, T0, resp,
		&kh) != WIRE_OK ||
	    hs_resp_consume(&he, &h->id, resp, sizeof resp, T0, &st, &ke) !=
		WIRE_OK)
		abort();
	kp_set_install(&ep.set, &ke);
	kp_set_install(&hub.set, &kh);
}

static void
setup(void)
{
	uint8_t psk[HS_PSK_LEN], buf[WIRE_TRANSPORT_OVERHEAD];
	struct hs_hub h;
	struct kp_rx rx;
	size_t n = 0;

	kp_set_init(&ep.set);
	kp_set_init(&hub.set);
	if (hs_hub_init(&h, hub_priv) != 0 || hs_psk_derive(psk, "fuzz") != 0)
		abort();
	handshake(&h, psk, 0);
	/* A keepalive confirms A at the hub before B arrives. */
	if (kp_seal(ep.set.cur, WIRE_MSG_DATA, buf, 0, sizeof buf, &n, T0,
		NULL) != WIRE_OK ||
	    kp_set_open(&hub.set, buf, n, T0, &rx) != WIRE_OK)
		abort();
	handshake(&h, psk, 1);
	hs_hub_clear(&h);
	ep.prev = ep.set.prev;
	ep.cur = ep.set.cur;
	ep.next = ep.set.next;
	hub.prev = hub.set.prev;
	hub.cur = hub.set.cur;
	hub.next = hub.set.next;
	if (ep.prev == NULL || ep.cur == NULL || ep.next != NULL ||
	    hub.prev != NULL || hub.cur == NULL || hub.next == NULL)
		abort();
}

/*
 * Back to the state after setup. Confirming B at the hub only moves
 * pointers (its previous slot is empty), so nothing was freed.
 */
static void
reset(void)
{
	struct side *s[2] = { &ep, &hub };
	int i, j;

	for (i = 0; i < 2; i++) {
		s[i]->set.prev = s[i]->prev;
		s[i]->set.cur = s[i]->cur;
		s[i]->set.next = s[i]->next;
		for (j = 0; j < 3; j++) {
			replay_init(&s[i]->set.slot[j].replay);
			s[i]->set.slot[j].send_counter = 0;
		}
	}
	memset(models, 0, sizeof models);
}

static enum wire_err
model_expect(const struct model *m, uint64_t c)
{
	size_t i;

	if (c >= REJECT_AFTER_MESSAGES)
		return WIRE_ELIMIT;
	if (c > m->greatest)
		return WIRE_OK;
	if (m->greatest - c > REPLAY_WINDOW)
		return WIRE_EOLD;
	for (i = 0; i < m->n; i++)
		if (m->seen[i] == c)
			return WIRE_EREPLAY;
	return WIRE_OK;
}

static void
model_record(struct model *m, uint64_t c)
{
	m->seen[m->n++] = c;
	if (c > m->greatest)
		m->greatest = c;
}

static bool
get(struct cursor *c, void *out, size_t n)
{
	if (c->len - c->off < n)
		return false;
	memcpy(out, c->p + c->off, n);
	c->off += n;
	return true;
}

static bool
get_u16(struct cursor *c, size_t *v)
{
	uint8_t b[2];

	if (!get(c, b, sizeof b))
		return false;
	*v = wire_get_u16(b);
	return true;
}

/* Up to n input bytes into out, zeros for the rest. */
static void
get_fill(struct cursor *c, uint8_t *out, size_t n)
{
	size_t have = c->len - c->off < n ? c->len - c->off : n;

	memcpy(out, c->p + c->off, have);
	memset(out + have, 0, n - have);
	c->off += have;
}

/* A message nobody sealed: it must not open, whatever it holds. */
static void
open_forged(struct side *to, const uint8_t *in, size_t len, uint64_t now)
{
	struct kp_rx rx;
	uint8_t *msg;

	/* Exact size, so a read past the end is an ASan error. */
	if ((msg = malloc(len > 0 ? len : 1)) == NULL)
		abort();
	memcpy(msg, in, len);
	if (kp_set_open(&to->set, msg, len, now, &rx) == WIRE_OK)
		abort();
	free(msg);
}

/* The last message sealed, as sent, and what it should open to. */
struct sealed {
	uint8_t *msg, *pt;
	size_t len, ptlen;
	uint8_t type;
	uint64_t counter;
	struct side *to;
	struct model *m;
	bool flipped;
};

static void
sealed_free(struct sealed *s)
{
	free(s->msg);
	free(s->pt);
	memset(s, 0, sizeof *s);
}

/*
 * Open a copy of the last sealed message, checking the result against
 * the model. A confirmed next keypair must become current.
 */
static void
open_sealed(const struct sealed *s, uint64_t now)
{
	struct kp_set *set = &s->to->set;
	struct keypair *kp, *oldcur, *oldnext;
	struct kp_rx rx;
	enum wire_err e, want;
	uint8_t *msg;

	if ((msg = malloc(s->len)) == NULL)
		abort();
	memcpy(msg, s->msg, s->len);
	oldcur = set->cur;
	oldnext = set->next;
	e = kp_set_open(set, msg, s->len, now, &rx);
	if (s->flipped) {
		if (e == WIRE_OK)
			abort();
		free(msg);
		return;
	}
	/* Expiry is checked before the window. */
	if ((kp = kp_set_lookup(set, wire_get_u32(s->msg + 4))) == NULL)
		abort();
	want = kp_expired(kp, now) ? WIRE_EEXPIRED
				   : model_expect(s->m, s->counter);
	if (e != want)
		abort();
	if (e == WIRE_OK) {
		if (rx.type != s->type || rx.counter != s->counter ||
		    rx.len != s->ptlen ||
		    rx.payload != msg + WIRE_TRANSPORT_HDR_LEN ||
		    memcmp(rx.payload, s->pt, s->ptlen) != 0)
			abort();
		if (kp == oldnext &&
		    (set->cur != kp || set->prev != oldcur ||
			set->next != NULL))
			abort();
		model_record(s->m, s->counter);
	}
	free(msg);
}

static bool
op_seal(struct cursor *c, struct sealed *last, uint64_t now)
{
	uint8_t f, x = 0, cnt[8];
	struct side *from;
	struct keypair *kp;
	size_t pos = 0, len, n = 0;
	enum wire_err e;
	int k;

	if (!get(c, &f, 1) || (f & F_COUNTER && !get(c, cnt, 8)) ||
	    (f & F_FLIP && (!get_u16(c, &pos) || !get(c, &x, 1))) ||
	    !get_u16(c, &len))
		return false;
	from = f & F_TO_EP ? &hub : &ep;
	k = f & F_KEY_B ? 1 : 0;
	if (f & F_SENDER) {
		if ((kp = kp_set_sender(&from->set, now)) == NULL)
			return true;
		k = kp->local_index == (f & F_TO_EP ? hub_index : ep_index)[1];
	} else if ((kp = kp_set_lookup(&from->set,
			(f & F_TO_EP ? hub_index : ep_index)[k])) == NULL)
		abort();
	if (f & F_COUNTER)
		kp->send_counter = wire_get_u64(cnt);
	sealed_free(last);
	/* Exact sizes, so ASan sees any access past either buffer. */
	if ((last->msg = malloc(len + WIRE_TRANSPORT_OVERHEAD)) == NULL ||
	    (last->pt = malloc(len > 0 ? len : 1)) == NULL)
		abort();
	get_fill(c, last->pt, len);
	memcpy(last->msg + WIRE_TRANSPORT_HDR_LEN, last->pt, len);
	last->ptlen = len;
	last->type = f & F_CONTROL ? WIRE_MSG_CONTROL : WIRE_MSG_DATA;
	last->counter = kp->send_counter;
	e = kp_seal(kp, last->type, last->msg, len,
	    len + WIRE_TRANSPORT_OVERHEAD, &n, now, NULL);
	if (e != WIRE_OK) {
		if (e != WIRE_ESHORT && e != WIRE_ELONG && e != WIRE_EEXPIRED &&
		    e != WIRE_ELIMIT)
			abort();
		sealed_free(last);
		return true;
	}
	if (n != len + WIRE_TRANSPORT_OVERHEAD ||
	    kp->send_counter != last->counter + 1 ||
	    wire_get_u64(last->msg + 8) != last->counter ||
	    wire_get_u32(last->msg + 4) !=
		(f & F_TO_EP ? ep_index : hub_index)[k])
		abort();
	last->len = n;
	last->to = f & F_TO_EP ? &ep : &hub;
	last->m = &models[f & F_TO_EP ? 1 : 0][k];
	last->flipped = f & F_FLIP;
	if (last->flipped)
		last->msg[pos % n] ^= x != 0 ? x : 1;
	open_sealed(last, now);
	return true;
}

static void
run_script(const uint8_t *data, size_t size)
{
	struct cursor c = { data, size, 0 };
	struct sealed last;
	uint8_t op, f, b[4], *buf;
	uint64_t now = T0;
	size_t len;

	memset(&last, 0, sizeof last);
	while (get(&c, &op, 1)) {
		/* Room for one more counter in each model, always. */
		if (models[0][0].n == MAXSEEN || models[0][1].n == MAXSEEN ||
		    models[1][0].n == MAXSEEN || models[1][1].n == MAXSEEN)
			break;
		switch (op % NOPS) {
		case OP_SEAL:
			if (!op_seal(&c, &last, now))
				goto out;
			break;
		case OP_AGAIN:
			if (last.msg != NULL)
				open_sealed(&last, now);
			break;
		case OP_RAW:
			if (!get(&c, &f, 1) || !get_u16(&c, &len))
				goto out;
			if ((buf = malloc(len > 0 ? len : 1)) == NULL)
				abort();
			get_fill(&c, buf, len);
			open_forged(f & F_TO_EP ? &ep : &hub, buf, len, now);
			free(buf);
			break;
		case OP_TIME:
			if (!get(&c, b, sizeof b))
				goto out;
			now = wire_get_u32(b);
			break;
		}
	}
out:
	sealed_free(&last);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;

	if (!ready) {
		setup();
		ready = true;
	}
	if (size < 1)
		return 0;
	reset();
	if (data[0] & 1)
		run_script(data + 1, size - 1);
	else
		open_forged(data[0] & 2 ? &ep : &hub, data + 1, size - 1, T0);
	return 0;
}
