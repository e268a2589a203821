/*
 * Constant-time key encodings, after wireguard-tools' encoding.c idea:
 * table-free arithmetic so that no branch or memory index depends on a
 * secret byte.
 */
#include <string.h>

#include "keyenc.h"

static char
b64_enc6(unsigned v)
{
	/* A-Z a-z 0-9 + / without a table lookup indexed by v. */
	int d = (int)v;

	return (char)(d + 'A' + (((25 - d) >> 8) & 6) - (((51 - d) >> 8) & 75) -
	    (((61 - d) >> 8) & 15) + (((62 - d) >> 8) & 3));
}

/* 0..63, or -1 for a character outside the alphabet. */
static int
b64_dec6(char ch)
{
	int a = (unsigned char)ch;

	return -1 + (((('A' - 1 - a) & (a - ('Z' + 1))) >> 8) & (a - 64)) +
	    (((('a' - 1 - a) & (a - ('z' + 1))) >> 8) & (a - 70)) +
	    (((('0' - 1 - a) & (a - ('9' + 1))) >> 8) & (a + 5)) +
	    (((('+' - 1 - a) & (a - ('+' + 1))) >> 8) & 63) +
	    (((('/' - 1 - a) & (a - ('/' + 1))) >> 8) & 64);
}

/* Four characters to 24 bits; *err gets the sign bit of any bad one. */
static uint32_t
b64_dec24(const char *s, int *err)
{
	uint32_t v = 0;
	int i, d;

	for (i = 0; i < 4; i++) {
		d = b64_dec6(s[i]);
		*err |= d;
		v |= (uint32_t)(d & 63) << (18 - 6 * i);
	}
	return v;
}

void
key_to_base64(char out[KEY_B64LEN + 1], const uint8_t key[KEY_LEN])
{
	unsigned i;

	for (i = 0; i < KEY_LEN / 3; i++) {
		out[i * 4 + 0] = b64_enc6((key[i * 3] >> 2) & 63);
		out[i * 4 + 1] =
		    b64_enc6(((key[i * 3] << 4) | (key[i * 3 + 1] >> 4)) & 63);
		out[i * 4 + 2] = b64_enc6(
		    ((key[i * 3 + 1] << 2) | (key[i * 3 + 2] >> 6)) & 63);
		out[i * 4 + 3] = b64_enc6(key[i * 3 + 2] & 63);
	}
	out[i * 4 + 0] = b64_enc6((key[i * 3] >> 2) & 63);
	out[i * 4 + 1] =
	    b64_enc6(((key[i * 3] << 4) | (key[i * 3 + 1] >> 4)) & 63);
	out[i * 4 + 2] = b64_enc6((key[i * 3 + 1] << 2) & 63);
	out[i * 4 + 3] = '=';
	out[KEY_B64LEN] = '\0';
}

int
key_from_base64(uint8_t key[KEY_LEN], const char *s)
{
	uint8_t tmp[KEY_LEN];
	char last[4];
	uint32_t v;
	unsigned i;
	int err = 0;

	if (strlen(s) != KEY_B64LEN || s[KEY_B64LEN - 1] != '=')
		return -1;
	for (i = 0; i < KEY_LEN / 3; i++) {
		v = b64_dec24(s + i * 4, &err);
		tmp[i * 3 + 0] = (v >> 16) & 0xff;
		tmp[i * 3 + 1] = (v >> 8) & 0xff;
		tmp[i * 3 + 2] = v & 0xff;
	}
	/* The last group holds two bytes; its unused low bits must be 0. */
	memcpy(last, s + i * 4, 3);
	last[3] = 'A';
	v = b64_dec24(last, &err);
	tmp[i * 3 + 0] = (v >> 16) & 0xff;
	tmp[i * 3 + 1] = (v >> 8) & 0xff;
	if (err < 0 || (v & 0xff) != 0)
		return -1;
	memcpy(key, tmp, KEY_LEN);
	return 0;
}

void
key_to_hex(char out[KEY_HEXLEN + 1], const uint8_t key[KEY_LEN])
{
	unsigned i, n;

	for (i = 0; i < KEY_LEN; i++) {
		n = key[i] >> 4;
		out[i * 2] = (char)(87U + n + (((n - 10U) >> 8) & ~38U));
		n = key[i] & 0xf;
		out[i * 2 + 1] = (char)(87U + n + (((n - 10U) >> 8) & ~38U));
	}
	out[KEY_HEXLEN] = '\0';
}

/* 0..15, or -1; after libsodium's sodium_hex2bin. */
static int
hex_dec4(char ch)
{
	unsigned c = (unsigned char)ch, num, num0, alpha, alpha0, valid;
	int mask;

	num = c ^ 48U;
	num0 = ((num - 10U) >> 8) & 0xff;
	alpha = ((c & ~32U) - 55U) & 0xff;
	alpha0 = (((alpha - 10U) ^ (alpha - 16U)) >> 8) & 0xff;
	valid = num0 | alpha0;
	mask = -(int)((valid >> 7) & 1);
	return ((int)((num0 & num) | (alpha0 & alpha)) & mask) | ~mask;
}

int
key_from_hex(uint8_t key[KEY_LEN], const char *s)
{
	uint8_t tmp[KEY_LEN];
	int hi, lo, err = 0;
	unsigned i;

	if (strlen(s) != KEY_HEXLEN)
		return -1;
	for (i = 0; i < KEY_LEN; i++) {
		hi = hex_dec4(s[i * 2]);
		lo = hex_dec4(s[i * 2 + 1]);
		err |= hi | lo;
		tmp[i] = (uint8_t)(((hi & 15) << 4) | (lo & 15));
	}
	if (err < 0)
		return -1;
	memcpy(key, tmp, KEY_LEN);
	return 0;
}
