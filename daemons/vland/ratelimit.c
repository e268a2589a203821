/*
 * Handshake rate limits (ratelimit.h): token buckets in fixed tables of
 * 4-way rows, hashed with a random seed so that a flood cannot aim at the
 * rows of the sources it wants to evict.
 */
#include <string.h>

#include <openssl/rand.h>

#include "log.h"
#include "ratelimit.h"

#define RL_RATE	 20 /* per second */
#define RL_BURST 5
#define RL_TOKEN 1000 /* one handshake, in ms of refill at 1/s */

/*
 * INITs as they come, per address; and INITs whose sender proved (mac2)
 * that it receives at its address and port, per address and port:
 * forged INITs can spend the first share of an address, never the
 * second, and one host behind a NAT cannot spend the share of another
 * host behind it. A host that floods from many ports must receive at
 * each; its cost is then capped by the hub's load mode.
 */
void
ratelimit_init(struct ratelimit *rl)
{
	memset(rl, 0, sizeof(*rl));
	if (RAND_bytes((unsigned char *)&rl->seed, sizeof(rl->seed)) != 1)
		fatalx("RAND_bytes");
}

static uint32_t
rl_hash(uint32_t seed, const struct addr *a, uint16_t port)
{
	/* IPv6 sources are limited per /64, as a host gets one. */
	size_t n = a->af == AF_INET ? 4 : 8, i;
	uint32_t h = 2166136261u ^ seed;

	for (i = 0; i < n; i++) {
		h ^= a->b[i];
		h *= 16777619u;
	}
	h = (h ^ (port & 0xff)) * 16777619u;
	h = (h ^ (port >> 8)) * 16777619u;
	return h % RL_SLOTS;
}

static bool
rl_same(const struct rl_entry *e, const struct addr *y, uint16_t port)
{
	size_t n = y->af == AF_INET ? 4 : 8;

	return e->a.af == y->af && e->port == port &&
	    memcmp(e->a.b, y->b, n) == 0;
}

static bool
rl_allow(struct rl_entry (*t)[RL_WAYS], uint32_t seed, const struct addr *a,
    uint16_t port, uint64_t now, unsigned rate, unsigned burst)
{
	struct rl_entry *row = t[rl_hash(seed, a, port)], *e = NULL,
			*oldest = &row[0];
	const uint64_t cost = RL_TOKEN / rate, max = cost * burst;
	int i;

	for (i = 0; i < RL_WAYS; i++) {
		if (row[i].used && rl_same(&row[i], a, port))
			e = &row[i];
		if (!row[i].used || row[i].last_ms < oldest->last_ms)
			oldest = &row[i];
	}
	if (e == NULL) {
		e = oldest;
		memset(e, 0, sizeof(*e));
		e->a = *a;
		e->port = port;
		e->used = true;
		e->tokens = max;
		e->last_ms = now;
	}
	e->tokens += now - e->last_ms;
	if (e->tokens > max)
		e->tokens = max;
	e->last_ms = now;
	if (e->tokens < cost)
		return false;
	e->tokens -= cost;
	return true;
}

bool
ratelimit_allow(struct ratelimit *rl, const struct addr *a, uint64_t now)
{
	return rl_allow(rl->table, rl->seed, a, 0, now, RL_RATE, RL_BURST);
}

/*
 * All proven INITs together: a host that receives at many ports has a
 * share at each, so only a cap on the sum bounds the hub's work for
 * them (two DH each, about 0.3 ms here: at the cap, 60 % of a core). The
 * same 2000 a second as the load threshold, so that the hub answers as
 * many handshakes under load as before it, from senders that proved
 * their address; far above what logins need (yescrypt holds those to
 * tens a second), and what 100,000 endpoints' rekeys would need.
 */
#define RL_PROVEN_ALL 2000 /* a second */
/* ... and from one address (IPv6: one /64), a second and at once */
#define RL_PROVEN_ADDR	100
#define RL_PROVEN_BURST 400

static bool
proven_all_allow(struct ratelimit *rl, uint64_t now)
{
	const uint64_t max = (uint64_t)RL_PROVEN_BURST * RL_TOKEN;

	if (!rl->proven_all.started || now < rl->proven_all.last_ms) {
		rl->proven_all.started = true;
		rl->proven_all.tokens = max;
		rl->proven_all.last_ms = now;
	}
	/* RL_PROVEN_ALL tokens a second, each RL_TOKEN units. */
	rl->proven_all.tokens += (now - rl->proven_all.last_ms) * RL_PROVEN_ALL;
	if (rl->proven_all.tokens > max)
		rl->proven_all.tokens = max;
	rl->proven_all.last_ms = now;
	if (rl->proven_all.tokens < RL_TOKEN)
		return false;
	rl->proven_all.tokens -= RL_TOKEN;
	return true;
}

bool
ratelimit_allow_proven(struct ratelimit *rl, const struct addr *a,
    uint16_t port, uint64_t now)
{
	/* The address first, whatever its port: a host that receives at
	 * many ports must not take the whole of the cap below from the
	 * others (its share: what a NAT of many endpoints needs). */
	return rl_allow(rl->proven_addr, rl->seed, a, 0, now, RL_PROVEN_ADDR,
		   RL_PROVEN_ADDR) &&
	    rl_allow(rl->proven, rl->seed, a, port, now, RL_RATE, RL_BURST) &&
	    proven_all_allow(rl, now);
}
