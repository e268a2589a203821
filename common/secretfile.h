/*
 * Files that hold a secret (the hub's private key, an endpoint's
 * password-file), opened as sshd opens its keys: refused, with the
 * command that fixes it, unless only their owner (root or the user
 * running vland) may change them and nobody outside their group may
 * read them.
 */
#ifndef VLAND_SECRETFILE_H
#define VLAND_SECRETFILE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Open path for reading and check it. Returns the descriptor, or -1
 * with one line in why: what is wrong and how to fix it.
 */
int secret_open(const char *path, char *why, size_t len);

/* Keep len bytes at p out of swap where RLIMIT_MEMLOCK allows it;
 * 0, or -1 with errno. */
int secret_lock(const void *p, size_t len);

/* No core dump, no ptrace by the same user: before any secret is read
 * (privilege drops set it again). fatal() on failure. */
void secret_no_dump(void);

#endif
