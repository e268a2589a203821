/*
 * Password hashes through libxcrypt's crypt(3) (PROTOCOL.md, "Why"):
 * checking a password against a stored hash, and making new hashes with
 * the preferred method (yescrypt) at its default cost.
 */
#ifndef VLAND_PWHASH_H
#define VLAND_PWHASH_H

#include <stddef.h>

/*
 * Make the setting that stands in for an unknown user's hash, so that
 * checking an unknown user costs as much as checking a known one. Call
 * once before pwhash_check; it needs the kernel's random source only.
 * Returns 0 or -1.
 */
int pwhash_init(void);

/*
 * Check password against stored (a crypt(3) string). stored NULL means
 * an unknown user: the check runs on the dummy setting and fails.
 * Returns 1 on a match, 0 otherwise, -1 if the check could not run (out
 * of memory or pwhash_init not called).
 */
int pwhash_check(const char *stored, const char *password);

/* Hash password anew into out. Returns 0, or -1 with errno set. */
int pwhash_make(const char *password, char *out, size_t outlen);

#endif
