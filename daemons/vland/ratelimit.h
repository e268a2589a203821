/*
 * Handshakes per source address: a token bucket of 20 per second with a
 * burst of 5, as WireGuard's ratelimiter.c. The table is fixed in size;
 * a new source takes over the oldest entry in its bucket, so a flood
 * from many addresses costs no memory.
 *
 * The state is the caller's (struct ratelimit, about 2 MiB: a static
 * instance, not the stack); ratelimit_init makes it ready.
 */
#ifndef VLAND_RATELIMIT_H
#define VLAND_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"

#define RL_SLOTS 4096
#define RL_WAYS	 4

struct rl_entry {
	struct addr a;
	uint16_t port; /* 0 in the table of unproven INITs */
	uint64_t last_ms;
	uint64_t tokens; /* in RL_TOKEN / RL_RATE units */
	bool used;
};

struct ratelimit {
	/* INITs as they come, per address; INITs with a valid mac2, per
	 * address and port (ratelimit.c says why). */
	struct rl_entry table[RL_SLOTS][RL_WAYS];
	struct rl_entry proven[RL_SLOTS][RL_WAYS];
	struct rl_entry proven_addr[RL_SLOTS][RL_WAYS]; /* ... per address */
	uint32_t seed; /* of the hash: where a source lands is not known */
	struct {
		uint64_t last_ms;
		uint64_t tokens; /* in RL_TOKEN units a handshake */
		bool started;
	} proven_all;
};

/* Empty, with a new random seed. */
void ratelimit_init(struct ratelimit *);
bool ratelimit_allow(struct ratelimit *, const struct addr *, uint64_t now_ms);
/*
 * The same, with a share of its own per address and port, for INITs
 * with a valid mac2 (which proves the sender receives there), and no
 * no more than 100 a second from one address (IPv6: /64) whatever its
 * ports, and 2000 a second of those in all (a burst of 400).
 */
bool ratelimit_allow_proven(struct ratelimit *, const struct addr *,
    uint16_t port, uint64_t now_ms);

#endif
