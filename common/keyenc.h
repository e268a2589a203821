/*
 * Encoding of 32-byte keys: base64 (44 characters, as wg(8) prints them)
 * and hex (64 characters). Decoding runs in time independent of the key
 * bytes, since keys pass through here.
 */
#ifndef VLAND_KEYENC_H
#define VLAND_KEYENC_H

#include <stddef.h>
#include <stdint.h>

#define KEY_LEN	   32
#define KEY_B64LEN 44
#define KEY_HEXLEN 64

void key_to_base64(char out[KEY_B64LEN + 1], const uint8_t key[KEY_LEN]);
int key_from_base64(uint8_t key[KEY_LEN], const char *s);
void key_to_hex(char out[KEY_HEXLEN + 1], const uint8_t key[KEY_LEN]);
int key_from_hex(uint8_t key[KEY_LEN], const char *s);

#endif
