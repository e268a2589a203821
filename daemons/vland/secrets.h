/*
 * The hub's private key and the endpoint's password (secrets.c).
 */
#ifndef VLAND_SECRETS_H
#define VLAND_SECRETS_H

#include <stddef.h>

/* Keep len bytes at p out of swap if the system allows (what: for the
 * log when it does not). */
void secrets_lock(const void *p, size_t len, const char *what);
/* The hub's private key from private-key, and its public key. */
void secrets_load_hub_key(void);
/* The endpoint's password: from the file, the config, or the terminal. */
void secrets_load_password(void);

#endif
