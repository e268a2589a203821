/*
 * The data path allocates nothing per packet: with OpenSSL's allocator
 * replaced by a counting one, sealing and opening thousands of transport
 * messages (including failures: bad tags, replays) must not allocate.
 * The counting allocator has to be installed before OpenSSL allocates
 * anything, hence first thing in main().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/crypto.h>

#include "keypair.h"
#include "prim.h"

static size_t nalloc;

static void *
count_malloc(size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	nalloc++;
	return malloc(n);
}

static void *
count_realloc(void *p, size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	nalloc++;
	return realloc(p, n);
}

static void
count_free(void *p, const char *file, int line)
{
	(void)file;
	(void)line;
	free(p);
}

static void
test_counting_works(void **state)
{
	struct aead a;
	uint8_t key[32] = { 1 };
	size_t before = nalloc;

	(void)state;
	/* Keying a context does allocate: the counter must see it. */
	assert_int_equal(aead_init(&a, key, true), 0);
	assert_true(nalloc > before);
	aead_clear(&a);
}

static void
test_seal_open_no_alloc(void **state)
{
	static uint8_t buf[1500 + WIRE_TRANSPORT_OVERHEAD], copy[sizeof buf];
	struct keypair s, r;
	struct kp_rx rx;
	uint8_t k1[32], k2[32];
	size_t before, n = 0, len;
	int i;

	(void)state;
	assert_int_equal(prim_random(k1, 32), 0);
	assert_int_equal(prim_random(k2, 32), 0);
	assert_int_equal(kp_init(&s, k1, k2, 1, 2, true, 0), 0);
	assert_int_equal(kp_init(&r, k2, k1, 2, 1, false, 0), 0);

	before = nalloc;
	for (i = 0; i < 5000; i++) {
		len = (size_t)(i * 37) % 1500;
		memset(buf + WIRE_TRANSPORT_HDR_LEN, i, len);
		assert_int_equal(kp_seal(&s,
				     i % 2 ? WIRE_MSG_CONTROL : WIRE_MSG_DATA,
				     buf, len + (i % 2 ? 1 : 0), sizeof buf, &n,
				     1000, NULL),
		    WIRE_OK);
		memcpy(copy, buf, n);
		if (i % 7 == 0) {
			/* A forged tag: fails, and costs no allocation. */
			buf[n - 1] ^= 1;
			assert_int_equal(kp_open(&r, buf, n, 1000, &rx),
			    WIRE_EDECRYPT);
			memcpy(buf, copy, n);
		}
		assert_int_equal(kp_open(&r, buf, n, 1000, &rx), WIRE_OK);
		assert_int_equal(kp_open(&r, copy, n, 1000, &rx), WIRE_EREPLAY);
	}
	assert_int_equal(nalloc - before, 0);
	kp_clear(&s);
	kp_clear(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counting_works),
		cmocka_unit_test(test_seal_open_no_alloc),
	};

	if (CRYPTO_set_mem_functions(count_malloc, count_realloc, count_free) !=
	    1)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
