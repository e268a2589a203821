/*
 * X25519 key files: one base64 key (44 characters) and a newline, as
 * wg(8) writes them. Private key files are created with mode 0600 and
 * never overwritten.
 */
#ifndef VLAND_KEYFILE_H
#define VLAND_KEYFILE_H

#include <stdint.h>

#include "keyenc.h"

/* Read a key from path ("-" for stdin). Returns 0, or -1 with errno. */
int keyfile_read(const char *path, uint8_t key[KEY_LEN]);
/* The same from an open descriptor (left open). */
int keyfile_read_fd(int fd, uint8_t key[KEY_LEN]);
/* Create path (O_EXCL, 0600) holding key. Returns 0, or -1 with errno. */
int keyfile_write(const char *path, const uint8_t key[KEY_LEN]);

/* A new X25519 private key from the OpenSSL CSPRNG. */
int key_generate(uint8_t priv[KEY_LEN]);
/* The public key of an X25519 private key. */
int key_public(uint8_t pub[KEY_LEN], const uint8_t priv[KEY_LEN]);

#endif
