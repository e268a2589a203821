/*
 * The pre-shared key from the "key:" setting (PROTOCOL.md, "Why"): 32
 * bytes written as 64 hex or 44 base64 characters are used as they are;
 * any other text is a passphrase, hashed as SHA-256("vland psk v1" ||
 * text). Hub and endpoint derive it with this one function.
 */
#ifndef VLAND_PSK_H
#define VLAND_PSK_H

#include <stdint.h>

#include "keyenc.h"

#define PSK_LABEL "vland psk v1"

/* 0, or -1 for 44 characters ending in '=' that are not valid base64
 * (meant as a raw key, so not taken as a passphrase), or -2 if hashing
 * failed. */
int psk_from_text(uint8_t psk[KEY_LEN], const char *text);

#endif
