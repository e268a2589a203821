/*
 * Fair queue (see fairq.h). Sources with items sit in an array that the
 * cursor walks; each has a ring of at most per_source items. A source
 * whose ring empties leaves the array (those after it move up), so at
 * most `total` sources are ever tracked and a lookup is a linear
 * scan of the busy ones: a few hundred compares next to a hash that
 * takes tens of milliseconds.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fairq.h"

struct fq_src {
	uint8_t key[FAIRQ_KEY_MAX];
	size_t keylen;
	void **ring; /* per_source slots */
	size_t head, n;
};

struct fairq {
	size_t per_source, total;
	struct fq_src *src; /* [0, nsrc) have items */
	size_t nsrc, len, cursor;
	void **slots; /* the rings, per_source slots for each entry */
};

struct fairq *
fairq_new(size_t per_source, size_t total)
{
	struct fairq *q;
	size_t i;

	if (per_source == 0 || total == 0 || per_source > total)
		return NULL;
	if ((q = calloc(1, sizeof(*q))) == NULL)
		return NULL;
	q->per_source = per_source;
	q->total = total;
	/* A busy source holds at least one item: at most total sources. */
	q->src = calloc(total, sizeof(*q->src));
	q->slots = calloc(total * per_source, sizeof(*q->slots));
	if (q->src == NULL || q->slots == NULL) {
		fairq_free(q);
		return NULL;
	}
	for (i = 0; i < total; i++)
		q->src[i].ring = q->slots + i * per_source;
	return q;
}

void
fairq_free(struct fairq *q)
{
	if (q == NULL)
		return;
	free(q->slots);
	free(q->src);
	free(q);
}

static struct fq_src *
find(struct fairq *q, const void *key, size_t keylen)
{
	size_t i;

	for (i = 0; i < q->nsrc; i++)
		if (q->src[i].keylen == keylen &&
		    memcmp(q->src[i].key, key, keylen) == 0)
			return &q->src[i];
	return NULL;
}

/* The source with the most items (the first of them). */
static struct fq_src *
busiest(struct fairq *q)
{
	struct fq_src *big = NULL;
	size_t i;

	for (i = 0; i < q->nsrc; i++)
		if (big == NULL || q->src[i].n > big->n)
			big = &q->src[i];
	return big;
}

int
fairq_push(struct fairq *q, const void *key, size_t keylen, void *item,
    void **evicted)
{
	struct fq_src *s, *big;
	size_t mine;

	*evicted = NULL;
	if (keylen == 0 || keylen > FAIRQ_KEY_MAX)
		return -1;
	s = find(q, key, keylen);
	mine = s != NULL ? s->n : 0;
	if (mine >= q->per_source)
		return -1;
	if (q->len >= q->total) {
		/* Full: room only at the expense of a source that holds at
		 * least two more, which keeps one at least. */
		if ((big = busiest(q)) == NULL || big->n < mine + 2)
			return -1;
		big->n--;
		q->len--;
		*evicted = big->ring[(big->head + big->n) % q->per_source];
		big->ring[(big->head + big->n) % q->per_source] = NULL;
	}
	if (s == NULL) {
		/* len < total now, so nsrc < total: an entry is free. */
		s = &q->src[q->nsrc++];
		memcpy(s->key, key, keylen);
		s->keylen = keylen;
		s->head = 0;
		s->n = 0;
	}
	s->ring[(s->head + s->n) % q->per_source] = item;
	s->n++;
	q->len++;
	return 0;
}

/*
 * Source i is empty: the sources after it move up one, keeping the
 * order of the round, and its entry (with its ring) goes to the end.
 */
static void
retire(struct fairq *q, size_t i)
{
	struct fq_src t = q->src[i];

	q->nsrc--;
	memmove(&q->src[i], &q->src[i + 1], (q->nsrc - i) * sizeof(t));
	memset(t.key, 0, FAIRQ_KEY_MAX);
	t.keylen = 0;
	q->src[q->nsrc] = t;
	/* The source after the one served is now at i. */
	q->cursor = i;
}

void *
fairq_pop(struct fairq *q)
{
	return fairq_pop_if(q, NULL, NULL);
}

void *
fairq_pop_if(struct fairq *q, bool (*may)(const void *, void *), void *ctx)
{
	struct fq_src *s;
	size_t i, k;
	void *item;

	if (q->len == 0)
		return NULL;
	if (q->cursor >= q->nsrc)
		q->cursor = 0;
	/* The round's next source whose oldest item may go. */
	for (k = 0; k < q->nsrc; k++) {
		i = (q->cursor + k) % q->nsrc;
		s = &q->src[i];
		if (may == NULL || may(s->ring[s->head], ctx))
			break;
	}
	if (k == q->nsrc)
		return NULL;
	item = s->ring[s->head];
	s->ring[s->head] = NULL;
	s->head = (s->head + 1) % q->per_source;
	s->n--;
	q->len--;
	q->cursor = i + 1;
	if (s->n == 0)
		retire(q, i);
	return item;
}

size_t
fairq_len(const struct fairq *q)
{
	return q->len;
}

size_t
fairq_sources(const struct fairq *q)
{
	return q->nsrc;
}
