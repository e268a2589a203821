/*
 * Fair queue of pending password checks: one FIFO per source, served
 * round-robin, so a source that floods vland-auth with logins waits
 * behind itself and delays another source by at most one check per
 * busy source. Both the number per source and the total are capped;
 * a push past the source's cap is refused, and past the total it takes
 * the place of the busiest source's newest item; the caller answers
 * what is refused or pushed out with "try later" at once, so a flood
 * costs no hashing and no unbounded memory, and cannot keep a newcomer
 * out by filling the queue from many sources.
 * Pure: no I/O, no time; items are the caller's pointers.
 */
#ifndef VLAND_FAIRQ_H
#define VLAND_FAIRQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FAIRQ_KEY_MAX 24 /* a source: family and address bytes */

struct fairq;

struct fairq *fairq_new(size_t per_source, size_t total);
/* Frees the queue, not the items: drain it with fairq_pop() first. */
void fairq_free(struct fairq *);

/*
 * Queue item for source key; -1 if that source is full, or the queue is
 * full and no source holds two more items than this one. When the queue
 * is full and one does, its newest item makes room and comes back in
 * *evicted (else NULL), for the caller to answer: so a newcomer always
 * gets a place while others hold many, and nobody loses their last.
 */
int fairq_push(struct fairq *, const void *key, size_t keylen, void *item,
    void **evicted);
/* The next item, round-robin over sources; NULL when empty. */
void *fairq_pop(struct fairq *);
/*
 * The same, skipping the sources whose oldest item may(item, ctx) says
 * may not go yet (they wait for the next round); NULL when no
 * source's may.
 */
void *fairq_pop_if(struct fairq *, bool (*may)(const void *item, void *ctx),
    void *ctx);

size_t fairq_len(const struct fairq *);	    /* items queued */
size_t fairq_sources(const struct fairq *); /* sources with items */

#endif
