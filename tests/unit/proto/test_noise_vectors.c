/*
 * Noise known-answer test: reproduce the cacophony vectors for the two
 * protocols we implement, byte for byte (both handshake messages, the
 * handshake hash, the four transport messages), through both the Noise
 * CipherState and the data-path AEAD contexts. The vector file path is
 * argv[1] (tests/vectors/noise.json, or the whole cacophony file).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aead.h"
#include "noise.h"
#include "prim.h"

static const char *vectors_path;
static char *vectors;
static size_t vectors_len;

/*
 * A field extractor for well-formed JSON: a span is a value's text;
 * objects and arrays are walked member by member, skipping the values
 * that are not wanted.
 */
struct span {
	const char *p;
	size_t len;
};

static size_t
json_ws(const char *s, size_t len, size_t i)
{
	while (i < len &&
	    (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
		i++;
	return i;
}

/* Index just past the value starting at i, or 0 on malformed input. */
static size_t
json_skip(const char *s, size_t len, size_t i)
{
	int depth = 0;

	i = json_ws(s, len, i);
	if (i >= len)
		return 0;
	if (s[i] == '"') {
		for (i++; i < len; i++) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				return i + 1;
		}
		return 0;
	}
	if (s[i] != '{' && s[i] != '[') {
		while (i < len && strchr(",}] \n\r\t", s[i]) == NULL)
			i++;
		return i;
	}
	for (; i < len; i++) {
		if (s[i] == '"') {
			size_t j = json_skip(s, len, i);
			if (j == 0)
				return 0;
			i = j - 1;
		} else if (s[i] == '{' || s[i] == '[')
			depth++;
		else if (s[i] == '}' || s[i] == ']') {
			if (--depth == 0)
				return i + 1;
		}
	}
	return 0;
}

/* The idx-th element of an array span. */
static int
json_index(struct span arr, size_t idx, struct span *out)
{
	size_t i = json_ws(arr.p, arr.len, 0), j, n = 0;

	if (i >= arr.len || arr.p[i] != '[')
		return -1;
	i = json_ws(arr.p, arr.len, i + 1);
	while (i < arr.len && arr.p[i] != ']') {
		if ((j = json_skip(arr.p, arr.len, i)) == 0)
			return -1;
		if (n++ == idx) {
			out->p = arr.p + i;
			out->len = j - i;
			return 0;
		}
		i = json_ws(arr.p, arr.len, j);
		if (i < arr.len && arr.p[i] == ',')
			i = json_ws(arr.p, arr.len, i + 1);
	}
	return -1;
}

/* The value of member key of an object span. */
static int
json_member(struct span obj, const char *key, struct span *out)
{
	size_t i = json_ws(obj.p, obj.len, 0), j, klen = strlen(key);

	if (i >= obj.len || obj.p[i] != '{')
		return -1;
	i = json_ws(obj.p, obj.len, i + 1);
	while (i < obj.len && obj.p[i] == '"') {
		if ((j = json_skip(obj.p, obj.len, i)) == 0)
			return -1;
		bool hit =
		    j - i - 2 == klen && memcmp(obj.p + i + 1, key, klen) == 0;
		i = json_ws(obj.p, obj.len, j);
		if (i >= obj.len || obj.p[i] != ':')
			return -1;
		i = json_ws(obj.p, obj.len, i + 1);
		if ((j = json_skip(obj.p, obj.len, i)) == 0)
			return -1;
		if (hit) {
			out->p = obj.p + i;
			out->len = j - i;
			return 0;
		}
		i = json_ws(obj.p, obj.len, j);
		if (i < obj.len && obj.p[i] == ',')
			i = json_ws(obj.p, obj.len, i + 1);
	}
	return -1;
}

/* Decode a hex string span into a malloc'd buffer. */
static uint8_t *
json_hex(struct span v, size_t *outlen)
{
	uint8_t *b;
	size_t i, n;
	unsigned x;

	if (v.len < 2 || v.p[0] != '"' || v.p[v.len - 1] != '"' ||
	    (v.len - 2) % 2 != 0)
		return NULL;
	n = (v.len - 2) / 2;
	if ((b = malloc(n + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (sscanf(v.p + 1 + 2 * i, "%2x", &x) != 1) {
			free(b);
			return NULL;
		}
		b[i] = (uint8_t)x;
	}
	*outlen = n;
	return b;
}

/* Hex field of obj, which must exist; optionally of the given size. */
static uint8_t *
field(struct span obj, const char *key, size_t want, size_t *len)
{
	struct span v = { NULL, 0 };
	uint8_t *b;
	size_t n = 0;

	if (json_member(obj, key, &v) != 0)
		fail_msg("vector field %s missing", key);
	if ((b = json_hex(v, &n)) == NULL)
		fail_msg("vector field %s is not hex", key);
	if (want != 0 && n != want)
		fail_msg("vector field %s: %zu bytes, want %zu", key, n, want);
	if (len != NULL)
		*len = n;
	return b;
}

static uint8_t *
first_of(struct span obj, const char *key)
{
	struct span arr = { NULL, 0 }, v = { NULL, 0 };
	uint8_t *b;
	size_t n;

	if (json_member(obj, key, &arr) != 0 || json_index(arr, 0, &v) != 0)
		fail_msg("vector field %s[0] missing", key);
	if ((b = json_hex(v, &n)) == NULL || n != NOISE_PSKLEN)
		fail_msg("vector field %s[0] is not a 32-byte key", key);
	return b;
}

static struct span
find_entry(const char *name)
{
	struct span root = { vectors, vectors_len }, arr, e, v;
	size_t i, nlen = strlen(name), found = 0;
	struct span hit = { NULL, 0 };

	assert_int_equal(json_member(root, "vectors", &arr), 0);
	for (i = 0; json_index(arr, i, &e) == 0; i++) {
		if (json_member(e, "protocol_name", &v) != 0)
			continue;
		if (v.len == nlen + 2 && memcmp(v.p + 1, name, nlen) == 0) {
			hit = e;
			found++;
		}
	}
	/* Either our four entries or the whole file (944): each name once. */
	assert_true(i == 4 || i == 944);
	if (found != 1)
		fail_msg("%s: %zu entries in the vector file", name, found);
	return hit;
}

static void
expect_bytes(const uint8_t *got, size_t gotlen, const uint8_t *want,
    size_t wantlen, const char *what)
{
	if (gotlen != wantlen)
		fail_msg("%s: length %zu, want %zu", what, gotlen, wantlen);
	if (memcmp(got, want, wantlen) != 0)
		fail_msg("%s: bytes differ", what);
}

static void
run_vector(enum noise_proto proto)
{
	struct span ent, msgs, m;
	struct noise_hs ini, rsp;
	struct noise_cipher ci[2], cr[2];
	struct aead seal_c2s, seal_s2c, open_c2s, open_s2c;
	uint8_t *ipro, *rpro, *ie, *re, *rs, *rst, *hh, *ipsk = NULL,
							*rpsk = NULL;
	uint8_t *pay, *ct, buf[1024], out[1024], h[NOISE_HASHLEN];
	uint8_t ik1[32], ik2[32], rk1[32], rk2[32];
	size_t iprolen, rprolen, paylen, ctlen, n, i;
	bool psk = proto == NOISE_NKPSK0 || proto == NOISE_NNPSK0;
	bool nk = proto == NOISE_NK || proto == NOISE_NKPSK0;

	ent = find_entry(noise_proto_name(proto));
	ipro = field(ent, "init_prologue", 0, &iprolen);
	rpro = field(ent, "resp_prologue", 0, &rprolen);
	ie = field(ent, "init_ephemeral", 32, NULL);
	re = field(ent, "resp_ephemeral", 32, NULL);
	rs = nk ? field(ent, "init_remote_static", 32, NULL) : NULL;
	rst = nk ? field(ent, "resp_static", 32, NULL) : NULL;
	hh = field(ent, "handshake_hash", 32, NULL);
	if (psk) {
		ipsk = first_of(ent, "init_psks");
		rpsk = first_of(ent, "resp_psks");
	}
	assert_int_equal(json_member(ent, "messages", &msgs), 0);
	assert_int_equal(json_index(msgs, 5, &m), 0);
	assert_int_not_equal(json_index(msgs, 6, &m), 0);

	/* The pinned key is the responder's: check our X25519 on it. */
	if (nk) {
		assert_int_equal(prim_x25519_pub(h, rst), 0);
		expect_bytes(h, sizeof h, rs, 32, "responder public key");
	}

	/* The responder derives its public key itself (spub NULL). */
	assert_int_equal(noise_hs_init(&ini, proto, true, ipro, iprolen, NULL,
			     NULL, rs, ipsk),
	    NOISE_OK);
	assert_int_equal(noise_hs_init(&rsp, proto, false, rpro, rprolen, rst,
			     NULL, NULL, rpsk),
	    NOISE_OK);
	noise_hs_set_ephemeral(&ini, ie);
	noise_hs_set_ephemeral(&rsp, re);

	/* Message 0: initiator to responder. */
	assert_int_equal(json_index(msgs, 0, &m), 0);
	pay = field(m, "payload", 0, &paylen);
	ct = field(m, "ciphertext", 0, &ctlen);
	assert_int_equal(noise_hs_write(&ini, pay, paylen, buf, sizeof buf, &n),
	    NOISE_OK);
	expect_bytes(buf, n, ct, ctlen, "message 0 ciphertext");
	assert_int_equal(noise_hs_read(&rsp, ct, ctlen, out, sizeof out, &n),
	    NOISE_OK);
	expect_bytes(out, n, pay, paylen, "message 0 payload");
	free(pay);
	free(ct);

	/* Message 1: responder to initiator. */
	assert_int_equal(json_index(msgs, 1, &m), 0);
	pay = field(m, "payload", 0, &paylen);
	ct = field(m, "ciphertext", 0, &ctlen);
	assert_int_equal(noise_hs_write(&rsp, pay, paylen, buf, sizeof buf, &n),
	    NOISE_OK);
	expect_bytes(buf, n, ct, ctlen, "message 1 ciphertext");
	assert_int_equal(noise_hs_read(&ini, ct, ctlen, out, sizeof out, &n),
	    NOISE_OK);
	expect_bytes(out, n, pay, paylen, "message 1 payload");
	free(pay);
	free(ct);

	assert_true(noise_hs_done(&ini));
	assert_true(noise_hs_done(&rsp));
	noise_hs_hash(&ini, h);
	expect_bytes(h, sizeof h, hh, 32, "initiator handshake hash");
	noise_hs_hash(&rsp, h);
	expect_bytes(h, sizeof h, hh, 32, "responder handshake hash");
	/* A third message is out of the pattern. */
	assert_int_equal(noise_hs_write(&ini, NULL, 0, buf, sizeof buf, &n),
	    NOISE_ESTATE);

	assert_int_equal(noise_hs_split(&ini, ik1, ik2), NOISE_OK);
	assert_int_equal(noise_hs_split(&rsp, rk1, rk2), NOISE_OK);
	assert_memory_equal(ik1, rk1, 32);
	assert_memory_equal(ik2, rk2, 32);
	assert_memory_not_equal(ik1, ik2, 32);
	noise_cipher_init(&ci[0], ik1);
	noise_cipher_init(&ci[1], ik2);
	noise_cipher_init(&cr[0], rk1);
	noise_cipher_init(&cr[1], rk2);
	assert_int_equal(aead_init(&seal_c2s, ik1, true), 0);
	assert_int_equal(aead_init(&open_c2s, rk1, false), 0);
	assert_int_equal(aead_init(&seal_s2c, rk2, true), 0);
	assert_int_equal(aead_init(&open_s2c, ik2, false), 0);

	/* Transport: c2s uses the first Split() state, nonces from 0. */
	for (i = 2; i < 6; i++) {
		bool c2s = i % 2 == 0;
		uint64_t nonce = (i - 2) / 2;
		struct noise_cipher *tx = c2s ? &ci[0] : &cr[1];
		struct noise_cipher *rx = c2s ? &cr[0] : &ci[1];
		struct aead *seal = c2s ? &seal_c2s : &seal_s2c;
		struct aead *open = c2s ? &open_c2s : &open_s2c;
		char what[64];

		assert_int_equal(json_index(msgs, i, &m), 0);
		pay = field(m, "payload", 0, &paylen);
		ct = field(m, "ciphertext", 0, &ctlen);
		assert_true(paylen + AEAD_TAGLEN <= sizeof buf);

		snprintf(what, sizeof what, "message %zu (CipherState)", i);
		assert_int_equal(noise_cipher_encrypt(tx, NULL, 0, pay, paylen,
				     buf),
		    NOISE_OK);
		expect_bytes(buf, paylen + NOISE_TAGLEN, ct, ctlen, what);
		assert_int_equal(noise_cipher_decrypt(rx, NULL, 0, ct, ctlen,
				     out),
		    NOISE_OK);
		expect_bytes(out, ctlen - NOISE_TAGLEN, pay, paylen, what);

		/* The data path: in place, explicit counter. */
		snprintf(what, sizeof what, "message %zu (aead)", i);
		memcpy(buf, pay, paylen);
		assert_int_equal(aead_seal(seal, nonce, NULL, 0, buf, paylen,
				     buf + paylen),
		    0);
		expect_bytes(buf, paylen + AEAD_TAGLEN, ct, ctlen, what);
		assert_int_equal(aead_open(open, nonce, NULL, 0, buf, paylen,
				     buf + paylen),
		    0);
		expect_bytes(buf, paylen, pay, paylen, what);
		/* Any other nonce must fail the tag. */
		memcpy(buf, ct, ctlen);
		assert_int_not_equal(aead_open(open, nonce + 1, NULL, 0, buf,
					 paylen, buf + paylen),
		    0);
		free(pay);
		free(ct);
	}

	aead_clear(&seal_c2s);
	aead_clear(&seal_s2c);
	aead_clear(&open_c2s);
	aead_clear(&open_s2c);
	free(ipro);
	free(rpro);
	free(ie);
	free(re);
	free(rs);
	free(rst);
	free(hh);
	free(ipsk);
	free(rpsk);
}

static void
test_vector_nkpsk0(void **state)
{
	(void)state;
	run_vector(NOISE_NKPSK0);
}

static void
test_vector_nk(void **state)
{
	(void)state;
	run_vector(NOISE_NK);
}

static void
test_vector_nnpsk0(void **state)
{
	(void)state;
	run_vector(NOISE_NNPSK0);
}

static void
test_vector_nn(void **state)
{
	(void)state;
	run_vector(NOISE_NN);
}

static int
load_vectors(void **state)
{
	FILE *f;
	long n;

	(void)state;
	if (vectors_path == NULL || (f = fopen(vectors_path, "rb")) == NULL) {
		fprintf(stderr, "cannot open vector file %s\n",
		    vectors_path ? vectors_path : "(none given)");
		return -1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 ||
	    fseek(f, 0, SEEK_SET) != 0 ||
	    (vectors = malloc((size_t)n)) == NULL ||
	    fread(vectors, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return -1;
	}
	fclose(f);
	vectors_len = (size_t)n;
	return 0;
}

static int
free_vectors(void **state)
{
	(void)state;
	free(vectors);
	return 0;
}

int
main(int argc, char *argv[])
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector_nkpsk0),
		cmocka_unit_test(test_vector_nk),
		cmocka_unit_test(test_vector_nnpsk0),
		cmocka_unit_test(test_vector_nn),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s vectors.json\n", argv[0]);
		return 1;
	}
	vectors_path = argv[1];
	return cmocka_run_group_tests(tests, load_vectors, free_vectors);
}
