/*
 * Handshakes per source address: a token bucket of 20 per second with a
 * burst of 5, as WireGuard's ratelimiter.c. The table is fixed in size;
 * a new source takes over the oldest entry in its bucket, so a flood
 * from many addresses costs no memory.
 */
#ifndef VLAND_RATELIMIT_H
#define VLAND_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"

void ratelimit_init(void);
bool ratelimit_allow(const struct addr *, uint64_t now_ms);
/*
 * The same, with a share of its own per address and port, for INITs
 * with a valid mac2 (which proves the sender receives there), and no
 * more than 1000 a second of those in all (a burst of 200).
 */
bool ratelimit_allow_proven(const struct addr *, uint16_t port,
    uint64_t now_ms);

#endif
