/*
 * The timing wheel (wheel.h).
 */
#include "wheel.h"

void
wheel_init(struct wheel *w, uint64_t now)
{
	size_t i;

	for (i = 0; i < WHEEL_SLOTS; i++)
		TAILQ_INIT(&w->slot[i]);
	w->cursor = now / WHEEL_TICK_MS;
	w->count = 0;
	w->visits = 0;
}

void
wheel_add(struct wheel *w, struct wheel_entry *e, uint64_t due)
{
	uint64_t tick = due / WHEEL_TICK_MS;

	if (tick < w->cursor)
		tick = w->cursor;
	e->due_ms = due;
	e->slot = (uint32_t)(tick & (WHEEL_SLOTS - 1));
	e->queued = true;
	TAILQ_INSERT_TAIL(&w->slot[e->slot], e, link);
	w->count++;
}

void
wheel_del(struct wheel *w, struct wheel_entry *e)
{
	if (!e->queued)
		return;
	TAILQ_REMOVE(&w->slot[e->slot], e, link);
	e->queued = false;
	w->count--;
}

/*
 * One slot: what is due goes to fn; the rest (due in a later turn of
 * the wheel, or later in this tick) stays. The slot is emptied into a
 * list of our own first, so that what fn adds is never looked at again
 * in this pass.
 */
static size_t
expire_slot(struct wheel *w, uint32_t i, uint64_t now,
    void (*fn)(struct wheel_entry *, void *), void *arg)
{
	struct wheel_slot todo = TAILQ_HEAD_INITIALIZER(todo);
	struct wheel_entry *e;
	size_t n = 0;

	TAILQ_CONCAT(&todo, &w->slot[i], link);
	while ((e = TAILQ_FIRST(&todo)) != NULL) {
		TAILQ_REMOVE(&todo, e, link);
		w->visits++;
		if (e->due_ms > now) {
			TAILQ_INSERT_TAIL(&w->slot[i], e, link);
			continue;
		}
		e->queued = false;
		w->count--;
		n++;
		fn(e, arg);
	}
	return n;
}

size_t
wheel_expire(struct wheel *w, uint64_t now,
    void (*fn)(struct wheel_entry *, void *), void *arg)
{
	uint64_t target = now / WHEEL_TICK_MS;
	size_t n = 0;

	/* After a long pause, one turn looks at every slot once. */
	if (target > w->cursor && target - w->cursor >= WHEEL_SLOTS)
		w->cursor = target - WHEEL_SLOTS + 1;
	/* The cursor moves on before its slot is looked at, so that an
	 * entry fn adds overdue lands in a slot still to come. */
	while (w->cursor < target) {
		uint32_t i = (uint32_t)(w->cursor++ & (WHEEL_SLOTS - 1));

		n += expire_slot(w, i, now, fn, arg);
	}
	/* The current tick: what is due in it by now; the cursor stays,
	 * for the rest of the tick. */
	if (w->cursor == target)
		n += expire_slot(w, (uint32_t)(target & (WHEEL_SLOTS - 1)), now,
		    fn, arg);
	return n;
}
