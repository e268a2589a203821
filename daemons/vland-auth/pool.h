/*
 * The address pool of a hub: which VPN address each logged-in user holds.
 * Pure bookkeeping, no I/O, so it can be tested on its own.
 *
 * A user without a fixed address gets FNV-1a(username) mod pool size as
 * an index into the range, probing forward (and wrapping) past addresses
 * that are in use or that are another user's fixed address, so the same
 * user usually gets the same address on every login. A fixed address is
 * only ever given to its user. Leases are per user, not per session:
 * asking again while holding one returns the same address.
 */
#ifndef VLAND_POOL_H
#define VLAND_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/* The largest range a pool accepts: a /8 less network and broadcast. */
#define POOL_MAX_SIZE ((1U << 24) - 2)

struct pool;

/* 32-bit FNV-1a of len bytes (offset basis 2166136261, prime 16777619). */
uint32_t pool_fnv1a(const void *, size_t len);

/*
 * A pool over lo..hi (IPv4, both included). ip is the hub address with
 * the VPN prefix length; lo and hi must lie inside that subnet. Returns
 * NULL with errno EINVAL (bad range) or ENOMEM.
 */
struct pool *pool_new(const struct prefix *ip, const struct addr *lo,
    const struct addr *hi);
void pool_free(struct pool *);

/*
 * Reserve user's fixed address. It must be a host of the VPN subnet
 * other than the hub address, and not reserved for another user; it may
 * lie outside the range. Returns 0, or -1 with errno EINVAL or EEXIST.
 */
int pool_reserve(struct pool *, const char *user, const struct addr *);
/* Forget every reservation (leases stay), before reserving anew. */
void pool_reserve_clear(struct pool *);

/*
 * The address for user: the one it holds, else its fixed address, else
 * one from the range. *fixed tells whether it is the user's fixed one.
 * Returns 0, or -1 with errno ENOSPC (the range is full) or EADDRINUSE
 * (the user's fixed address is still held by another user).
 */
int pool_assign(struct pool *, const char *user, struct addr *out, bool *fixed);

/* Return user's address to the pool. -1 with errno ENOENT if none. */
int pool_release(struct pool *, const char *user);

/* The address user holds; -1 if none. */
int pool_lookup(const struct pool *, const char *user, struct addr *out);

/* The user holding a; NULL if nobody. */
const char *pool_holder(const struct pool *, const struct addr *a);

/* The user a is reserved for; NULL if nobody. */
const char *pool_reserved_for(const struct pool *, const struct addr *a);

size_t pool_size(const struct pool *);	   /* addresses in the range */
size_t pool_leases(const struct pool *);   /* addresses held, fixed or not */
size_t pool_reserved(const struct pool *); /* fixed addresses */

#endif
