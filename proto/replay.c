/*
 * After wireguard-go's replay/replay.go and the kernel's
 * counter_validate(). Counter 0 needs no "nothing seen yet" flag: the
 * ring starts clear, so its bit is simply unset.
 */
#include <string.h>

#include "replay.h"

#define WORD_SHIFT 6 /* log2(REPLAY_WORD_BITS) */
#define WORD_MASK  (REPLAY_WORDS - 1)
#define BIT_MASK   (REPLAY_WORD_BITS - 1)

void
replay_init(struct replay *r)
{
	memset(r, 0, sizeof *r);
}

enum replay_res
replay_check(const struct replay *r, uint64_t counter)
{
	uint64_t word, bit;

	if (counter >= REJECT_AFTER_MESSAGES)
		return REPLAY_LIMIT;
	if (counter > r->greatest)
		return REPLAY_OK;
	if (r->greatest - counter > REPLAY_WINDOW)
		return REPLAY_OLD;
	word = (counter >> WORD_SHIFT) & WORD_MASK;
	bit = (uint64_t)1 << (counter & BIT_MASK);
	return (r->ring[word] & bit) ? REPLAY_DUP : REPLAY_OK;
}

enum replay_res
replay_update(struct replay *r, uint64_t counter)
{
	uint64_t word, cur, diff, i, bit;
	enum replay_res res;

	if ((res = replay_check(r, counter)) != REPLAY_OK)
		return res;
	word = counter >> WORD_SHIFT;
	if (counter > r->greatest) {
		/* Clear the words between, at most the whole ring once. */
		cur = r->greatest >> WORD_SHIFT;
		diff = word - cur;
		if (diff > REPLAY_WORDS)
			diff = REPLAY_WORDS;
		for (i = 1; i <= diff; i++)
			r->ring[(cur + i) & WORD_MASK] = 0;
		r->greatest = counter;
	}
	bit = (uint64_t)1 << (counter & BIT_MASK);
	r->ring[word & WORD_MASK] |= bit;
	return REPLAY_OK;
}
