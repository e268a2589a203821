/*
 * Key encodings (common/keyenc.h) against OpenSSL's base64 and RFC 7748's
 * keys: our constant-time codecs must read and write what other tools do,
 * and refuse every other spelling of a key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "keyenc.h"
#include "keyfile.h"

/* Our constant-time codecs must agree with OpenSSL's for random keys. */
static void
test_base64_matches_openssl(void **state)
{
	uint8_t key[KEY_LEN], back[KEY_LEN];
	char ours[KEY_B64LEN + 1];
	unsigned char ref[KEY_B64LEN + 4];
	int i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		assert_int_equal(RAND_bytes(key, sizeof(key)), 1);
		key_to_base64(ours, key);
		EVP_EncodeBlock(ref, key, KEY_LEN);
		assert_string_equal(ours, (char *)ref);
		assert_int_equal(key_from_base64(back, ours), 0);
		assert_memory_equal(back, key, KEY_LEN);
	}
}

static void
test_base64_rejects(void **state)
{
	uint8_t key[KEY_LEN];
	char s[KEY_B64LEN + 1];

	(void)state;
	memset(key, 0x5a, sizeof(key));
	key_to_base64(s, key);
	assert_int_equal(key_from_base64(key, s), 0);
	s[3] = '*';
	assert_int_equal(key_from_base64(key, s), -1);
	key_to_base64(s, key);
	/* Non-zero unused bits in the last group. */
	s[KEY_B64LEN - 2] = 'B';
	assert_int_equal(key_from_base64(key, s), -1);
	assert_int_equal(key_from_base64(key, "short="), -1);
	key_to_base64(s, key);
	s[KEY_B64LEN - 1] = 'A';
	assert_int_equal(key_from_base64(key, s), -1);
}

static void
test_hex(void **state)
{
	uint8_t key[KEY_LEN], back[KEY_LEN];
	char s[KEY_HEXLEN + 1];
	int i, c;

	(void)state;
	for (i = 0; i < KEY_LEN; i++)
		key[i] = (uint8_t)(i * 37 + 11);
	key_to_hex(s, key);
	assert_int_equal(key_from_hex(back, s), 0);
	assert_memory_equal(back, key, KEY_LEN);
	/* Upper case is accepted too. */
	for (i = 0; s[i]; i++)
		if (s[i] >= 'a')
			s[i] -= 32;
	assert_int_equal(key_from_hex(back, s), 0);
	assert_memory_equal(back, key, KEY_LEN);
	/* Every non-hex character is refused in every position class. */
	for (c = 1; c < 256; c++) {
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		    (c >= 'A' && c <= 'F'))
			continue;
		key_to_hex(s, key);
		s[c % KEY_HEXLEN] = (char)c;
		assert_int_equal(key_from_hex(back, s), -1);
	}
	assert_int_equal(key_from_hex(back, "abcd"), -1);
}

static void
test_public_key(void **state)
{
	/* RFC 7748 section 6.1, Alice's key pair. */
	static const char *priv_hex =
	    "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
	static const char *pub_hex =
	    "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
	uint8_t priv[KEY_LEN], pub[KEY_LEN], want[KEY_LEN];

	(void)state;
	assert_int_equal(key_from_hex(priv, priv_hex), 0);
	assert_int_equal(key_from_hex(want, pub_hex), 0);
	assert_int_equal(key_public(pub, priv), 0);
	assert_memory_equal(pub, want, KEY_LEN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base64_matches_openssl),
		cmocka_unit_test(test_base64_rejects),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_public_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
