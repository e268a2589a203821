/*
 * Anti-replay window for the transport counter, RFC 6479 style: a ring
 * of 8192 bits in 64-bit words. Moving forward clears whole words, so no
 * bit shifting; one word is always being reused, which leaves 8192 - 64
 * = 8128 counters of usable window (as WireGuard).
 *
 * replay_check() is the cheap look before decrypting; replay_update()
 * records the counter and must run only after the tag verified, or a
 * forged packet could move the window.
 */
#ifndef VLAND_REPLAY_H
#define VLAND_REPLAY_H

#include <stdint.h>

#define REPLAY_BITS_TOTAL 8192
#define REPLAY_WORD_BITS  64
#define REPLAY_WORDS	  (REPLAY_BITS_TOTAL / REPLAY_WORD_BITS)
#define REPLAY_WINDOW	  (REPLAY_BITS_TOTAL - REPLAY_WORD_BITS)
/*
 * 2^64 - 2^13 - 1: no counter at or above this is ever accepted (or
 * sent), keeping well clear of Noise's reserved 2^64 - 1.
 */
#define REJECT_AFTER_MESSAGES (UINT64_MAX - REPLAY_BITS_TOTAL)

enum replay_res {
	REPLAY_OK = 0,
	REPLAY_DUP,   /* seen before */
	REPLAY_OLD,   /* more than REPLAY_WINDOW behind the greatest */
	REPLAY_LIMIT, /* counter >= REJECT_AFTER_MESSAGES */
};

struct replay {
	uint64_t greatest; /* greatest counter recorded */
	uint64_t ring[REPLAY_WORDS];
};

void replay_init(struct replay *);
/* Would counter be accepted now? Changes nothing. */
enum replay_res replay_check(const struct replay *, uint64_t counter);
/*
 * Record counter. Checks again (a batch may hold the same packet twice,
 * both passing replay_check before either is recorded): anything but
 * REPLAY_OK means the packet must be dropped.
 */
enum replay_res replay_update(struct replay *, uint64_t counter);

#endif
