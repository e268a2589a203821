/*
 * Fair queue of pending password checks: one FIFO per source, served
 * round-robin, so a source that floods vland-auth with logins waits
 * behind itself and delays another source by at most one check per
 * busy source. Both the number per source and the total are capped;
 * a push past either cap is refused and the caller answers "try later"
 * at once, so a flood costs no hashing and no unbounded memory.
 * Pure: no I/O, no time; items are the caller's pointers.
 */
#ifndef VLAND_FAIRQ_H
#define VLAND_FAIRQ_H

#include <stddef.h>
#include <stdint.h>

#define FAIRQ_KEY_MAX 24 /* a source: family and address bytes */

struct fairq;

struct fairq *fairq_new(size_t per_source, size_t total);
/* Frees the queue, not the items: drain it with fairq_pop() first. */
void fairq_free(struct fairq *);

/* Queue item for source key; -1 if that source or the queue is full. */
int fairq_push(struct fairq *, const void *key, size_t keylen, void *item);
/* The next item, round-robin over sources; NULL when empty. */
void *fairq_pop(struct fairq *);

size_t fairq_len(const struct fairq *);	    /* items queued */
size_t fairq_sources(const struct fairq *); /* sources with items */

#endif
