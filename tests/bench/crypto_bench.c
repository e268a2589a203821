/*
 * Transport crypto throughput on one core, through the data path itself:
 * kp_seal() and kp_open() on keyed keypairs, in place, nothing allocated
 * per message. Three loops over messages carrying PAYLOAD bytes:
 *
 *	seal+open	seal a message, then open it (one packet each way
 *			through the crypto; the buffer ends as it began)
 *	seal		seal only
 *	open		open only: a batch of sealed messages is opened, and
 *			restored (with a fresh replay window) off the clock
 *	floor		not ours: the blocks a seal cannot avoid, OpenSSL's
 *			ChaCha20 over PAYLOAD rounded up to 64-byte blocks
 *			and its Poly1305 over the 16-byte header, PAYLOAD
 *			padded to 16 and the 16-byte lengths, each streamed
 *			on one context with no per-message work at all (no
 *			nonce, key, tag), timed apart and added: no seal
 *			built from these primitives can be faster
 *
 * Rates are per second of this thread's CPU time, as openssl speed
 * counts user time, so other load on the machine matters less; the
 * wall-clock rate is printed beside it. The last lines are for scripts:
 *	BENCH <test> <messages per CPU second> <payload bytes per CPU second>
 *
 *	crypto_bench [SECONDS [PAYLOAD]]
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "keypair.h"
#include "prim.h"

#define BATCH 64 /* open-only: messages per timed batch */

struct clocks {
	double cpu, wall;
};

struct result {
	const char *name;
	uint64_t msgs;
	struct clocks t;
};

static double
now(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) != 0) {
		perror("clock_gettime");
		exit(1);
	}
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
start(struct clocks *c)
{
	c->cpu = now(CLOCK_THREAD_CPUTIME_ID);
	c->wall = now(CLOCK_MONOTONIC);
}

/* Add the time since start() to *sum. */
static void
stop(const struct clocks *c, struct clocks *sum)
{
	sum->cpu += now(CLOCK_THREAD_CPUTIME_ID) - c->cpu;
	sum->wall += now(CLOCK_MONOTONIC) - c->wall;
}

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "crypto_bench: %s: %s\n", what, why);
	exit(1);
}

static void
seal(struct keypair *kp, uint8_t *buf, size_t len, size_t *n)
{
	enum wire_err e;

	if ((e = kp_seal(kp, WIRE_MSG_DATA, buf, len,
		 len + WIRE_TRANSPORT_OVERHEAD, n, 0, NULL)) != WIRE_OK)
		die("kp_seal", wire_strerror(e));
}

static void
open_msg(struct keypair *kp, uint8_t *buf, size_t n, size_t len)
{
	struct kp_rx rx;
	enum wire_err e;

	if ((e = kp_open(kp, buf, n, 0, &rx)) != WIRE_OK)
		die("kp_open", wire_strerror(e));
	if (rx.len != len)
		die("kp_open", "wrong payload length");
}

static void
bench_seal_open(struct keypair *s, struct keypair *r, uint8_t *buf, size_t len,
    double secs, struct result *res)
{
	struct clocks c;
	size_t n = 0, i;

	memset(&res->t, 0, sizeof res->t);
	start(&c);
	do {
		for (i = 0; i < 256; i++) {
			seal(s, buf, len, &n);
			open_msg(r, buf, n, len);
		}
		res->msgs += 256;
	} while (now(CLOCK_THREAD_CPUTIME_ID) - c.cpu < secs);
	stop(&c, &res->t);
}

static void
bench_seal(struct keypair *s, uint8_t *buf, size_t len, double secs,
    struct result *res)
{
	struct clocks c;
	size_t n = 0, i;

	memset(&res->t, 0, sizeof res->t);
	start(&c);
	do {
		for (i = 0; i < 256; i++)
			seal(s, buf, len, &n);
		res->msgs += 256;
	} while (now(CLOCK_THREAD_CPUTIME_ID) - c.cpu < secs);
	stop(&c, &res->t);
}

static void
bench_open(struct keypair *s, struct keypair *r, size_t len, double secs,
    struct result *res)
{
	size_t msglen = len + WIRE_TRANSPORT_OVERHEAD, n = 0, i;
	uint8_t *batch, *pristine;
	struct clocks c;

	if ((batch = malloc(BATCH * msglen)) == NULL ||
	    (pristine = malloc(BATCH * msglen)) == NULL) {
		perror("malloc");
		exit(1);
	}
	for (i = 0; i < BATCH; i++) {
		memset(pristine + i * msglen + WIRE_TRANSPORT_HDR_LEN, 0xa5,
		    len);
		seal(s, pristine + i * msglen, len, &n);
	}
	memset(&res->t, 0, sizeof res->t);
	while (res->t.cpu < secs) {
		memcpy(batch, pristine, BATCH * msglen);
		replay_init(&r->replay);
		start(&c);
		for (i = 0; i < BATCH; i++)
			open_msg(r, batch + i * msglen, msglen, len);
		stop(&c, &res->t);
		res->msgs += BATCH;
	}
	/* Opened in place: the batch is plaintext again. */
	for (i = 0; i < BATCH * msglen; i += msglen)
		if (batch[i + WIRE_TRANSPORT_HDR_LEN] != 0xa5 ||
		    batch[i + WIRE_TRANSPORT_HDR_LEN + len - 1] != 0xa5)
			die("open", "wrong plaintext");
	free(batch);
	free(pristine);
}

/* Seconds of CPU per message for fn over len bytes, streamed. */
static double
per_msg(int (*fn)(void *, uint8_t *, size_t), void *ctx, uint8_t *buf,
    size_t len, double secs)
{
	struct clocks c, t = { 0, 0 };
	uint64_t n = 0;
	size_t i;

	start(&c);
	do {
		for (i = 0; i < 256; i++)
			if (fn(ctx, buf, len) != 1)
				die("floor", "EVP call failed");
		n += 256;
	} while (now(CLOCK_THREAD_CPUTIME_ID) - c.cpu < secs);
	stop(&c, &t);
	return t.cpu / (double)n;
}

static int
chacha_update(void *ctx, uint8_t *buf, size_t len)
{
	int outl;

	return EVP_EncryptUpdate(ctx, buf, &outl, buf, (int)len);
}

static int
poly_update(void *ctx, uint8_t *buf, size_t len)
{
	return EVP_MAC_update(ctx, buf, len);
}

/*
 * The floor: ChaCha20 over len bytes, Poly1305 over header, padded
 * payload and lengths. Whole blocks, so that streamed updates stay
 * aligned as each message's would be.
 */
static void
bench_floor(uint8_t *buf, size_t len, double secs, struct result *res)
{
	uint8_t key[32] = { 1 }, iv[16] = { 0 };
	EVP_CIPHER_CTX *cc = EVP_CIPHER_CTX_new();
	EVP_CIPHER *chacha = EVP_CIPHER_fetch(NULL, "ChaCha20", NULL);
	EVP_MAC *poly = EVP_MAC_fetch(NULL, "POLY1305", NULL);
	EVP_MAC_CTX *mc = poly != NULL ? EVP_MAC_CTX_new(poly) : NULL;
	double t;

	if (cc == NULL || chacha == NULL || mc == NULL ||
	    EVP_EncryptInit_ex2(cc, chacha, key, iv, NULL) != 1 ||
	    EVP_MAC_init(mc, key, sizeof(key), NULL) != 1)
		die("floor", "no ChaCha20 or Poly1305");
	t = per_msg(chacha_update, cc, buf, (len + 63) / 64 * 64, secs / 2) +
	    per_msg(poly_update, mc, buf, 16 + (len + 15) / 16 * 16 + 16,
		secs / 2);
	res->msgs = (uint64_t)(secs / t);
	res->t.cpu = res->t.wall = secs;
	EVP_MAC_CTX_free(mc);
	EVP_MAC_free(poly);
	EVP_CIPHER_CTX_free(cc);
	EVP_CIPHER_free(chacha);
}

int
main(int argc, char **argv)
{
	struct result res[4] = { { "seal+open", 0, { 0, 0 } },
		{ "seal", 0, { 0, 0 } }, { "open", 0, { 0, 0 } },
		{ "floor", 0, { 0, 0 } } };
	uint8_t k1[AEAD_KEYLEN], k2[AEAD_KEYLEN], *buf;
	struct keypair s, r;
	double secs = 3;
	size_t len = 1400, i;

	if (argc > 1 && (secs = atof(argv[1])) <= 0)
		secs = 3;
	if (argc > 2)
		len = strtoul(argv[2], NULL, 10);
	if (len == 0 || len > WIRE_PAYLOAD_MAX) {
		fprintf(stderr, "usage: crypto_bench [seconds [payload]]\n");
		return 2;
	}
	if (prim_random(k1, sizeof k1) != 0 ||
	    prim_random(k2, sizeof k2) != 0 ||
	    kp_init(&s, k1, k2, 1, 2, true, 0) != 0 ||
	    kp_init(&r, k2, k1, 2, 1, false, 0) != 0) {
		fprintf(stderr, "crypto_bench: keypair set-up failed\n");
		return 1;
	}
	/* Room for the floor's whole blocks too. */
	if ((buf = malloc(len + WIRE_TRANSPORT_OVERHEAD + 64)) == NULL) {
		perror("malloc");
		return 1;
	}
	memset(buf + WIRE_TRANSPORT_HDR_LEN, 0x5a, len);

	bench_seal_open(&s, &r, buf, len, secs, &res[0]);
	/* Sealed and opened in place, round after round: still the same. */
	for (i = 0; i < len; i++)
		if (buf[WIRE_TRANSPORT_HDR_LEN + i] != 0x5a)
			die("seal+open", "wrong plaintext");
	bench_seal(&s, buf, len, secs, &res[1]);
	bench_open(&s, &r, len, secs, &res[2]);
	bench_floor(buf, len, secs, &res[3]);

	printf("kp_seal/kp_open, %zu-byte payload (%zu-byte message), "
	       "one thread, %.1f CPU s each\n",
	    len, len + WIRE_TRANSPORT_OVERHEAD, secs);
	printf("%-10s %14s %16s %14s\n", "test", "msgs/CPU s",
	    "payload MB/CPU s", "msgs/wall s");
	for (i = 0; i < 4; i++)
		printf("%-10s %14.0f %16.1f %14.0f\n", res[i].name,
		    res[i].msgs / res[i].t.cpu,
		    res[i].msgs * (double)len / res[i].t.cpu / 1e6,
		    res[i].msgs / res[i].t.wall);
	for (i = 0; i < 4; i++)
		printf("BENCH %s %.0f %.0f\n", res[i].name,
		    res[i].msgs / res[i].t.cpu,
		    res[i].msgs * (double)len / res[i].t.cpu);
	kp_clear(&s);
	kp_clear(&r);
	free(buf);
	return 0;
}
