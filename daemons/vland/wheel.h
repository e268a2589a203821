/*
 * A hashed timing wheel for the hub's session timers: each entry is due
 * at a time in ms, and wheel_expire() looks only at the slots whose
 * time has come, so a tick costs what is due (and what shares those
 * slots), not one look at every session. Nothing is done per packet:
 * an entry checks its session when it comes due and is added again if
 * the session is still alive (the lazy way WireGuard's timers avoid
 * touching a timer on every packet).
 */
#ifndef VLAND_WHEEL_H
#define VLAND_WHEEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#define WHEEL_SLOTS   1024 /* a power of two */
#define WHEEL_TICK_MS 128  /* a slot's width: entries fire this late at most */

struct wheel_entry {
	TAILQ_ENTRY(wheel_entry) link;
	uint64_t due_ms;
	uint32_t slot; /* where it is queued */
	bool queued;
};

TAILQ_HEAD(wheel_slot, wheel_entry);

struct wheel {
	struct wheel_slot slot[WHEEL_SLOTS];
	uint64_t cursor; /* the next tick (time / WHEEL_TICK_MS) to look at */
	size_t count;	 /* entries queued */
	uint64_t visits; /* entries looked at by wheel_expire, since init */
};

void wheel_init(struct wheel *, uint64_t now_ms);
/* Queue e (not queued) to come due at due_ms; a time already past comes
 * due at the next wheel_expire. */
void wheel_add(struct wheel *, struct wheel_entry *, uint64_t due_ms);
/* Take e off the wheel if it is queued. */
void wheel_del(struct wheel *, struct wheel_entry *);
/*
 * Hand every entry due at or before now to fn, taken off the wheel
 * first (fn may add it again, or add and delete others). Returns how
 * many came due.
 */
size_t wheel_expire(struct wheel *, uint64_t now_ms,
    void (*fn)(struct wheel_entry *, void *), void *arg);

#endif
