/*
 * BSD's tail queues and lists, which mingw-w64 lacks: the TAILQ and
 * LIST macros vland's code uses (sessions, devices, IPC channels,
 * timers, a hub's direct pairs), with the
 * semantics of OpenBSD's and glibc's sys/queue.h. Written here for the
 * win64 build only; the Linux build takes the system's.
 */
#ifndef VLAND_WIN_SYS_QUEUE_H
#define VLAND_WIN_SYS_QUEUE_H

#include <stddef.h>

#define TAILQ_HEAD(name, type)                                  \
	struct name {                                           \
		struct type *tqh_first; /* the first element */ \
		struct type **tqh_last; /* the last's next */   \
	}
#define TAILQ_HEAD_INITIALIZER(head)    \
	{                               \
		NULL, &(head).tqh_first \
	}
#define TAILQ_ENTRY(type)                                             \
	struct {                                                      \
		struct type *tqe_next;	/* the next element */        \
		struct type **tqe_prev; /* the previous one's next */ \
	}

#define TAILQ_FIRST(head)      ((head)->tqh_first)
#define TAILQ_NEXT(elm, field) ((elm)->field.tqe_next)
#define TAILQ_EMPTY(head)      (TAILQ_FIRST(head) == NULL)
#define TAILQ_FOREACH(var, head, field)                \
	for ((var) = TAILQ_FIRST(head); (var) != NULL; \
	     (var) = TAILQ_NEXT(var, field))

#define TAILQ_INIT(head)                               \
	do {                                           \
		(head)->tqh_first = NULL;              \
		(head)->tqh_last = &(head)->tqh_first; \
	} while (0)

#define TAILQ_INSERT_TAIL(head, elm, field)                \
	do {                                               \
		(elm)->field.tqe_next = NULL;              \
		(elm)->field.tqe_prev = (head)->tqh_last;  \
		*(head)->tqh_last = (elm);                 \
		(head)->tqh_last = &(elm)->field.tqe_next; \
	} while (0)

#define TAILQ_REMOVE(head, elm, field)                            \
	do {                                                      \
		if ((elm)->field.tqe_next != NULL)                \
			(elm)->field.tqe_next->field.tqe_prev =   \
			    (elm)->field.tqe_prev;                \
		else                                              \
			(head)->tqh_last = (elm)->field.tqe_prev; \
		*(elm)->field.tqe_prev = (elm)->field.tqe_next;   \
	} while (0)

/* Append head2's elements to head1; head2 is left empty. */
#define TAILQ_CONCAT(head1, head2, field)                        \
	do {                                                     \
		if (!TAILQ_EMPTY(head2)) {                       \
			*(head1)->tqh_last = (head2)->tqh_first; \
			(head2)->tqh_first->field.tqe_prev =     \
			    (head1)->tqh_last;                   \
			(head1)->tqh_last = (head2)->tqh_last;   \
			TAILQ_INIT(head2);                       \
		}                                                \
	} while (0)

#define LIST_HEAD(name, type)                                  \
	struct name {                                          \
		struct type *lh_first; /* the first element */ \
	}
#define LIST_ENTRY(type)                                             \
	struct {                                                     \
		struct type *le_next;  /* the next element */        \
		struct type **le_prev; /* the previous one's next */ \
	}

#define LIST_FIRST(head)      ((head)->lh_first)
#define LIST_NEXT(elm, field) ((elm)->field.le_next)
#define LIST_EMPTY(head)      (LIST_FIRST(head) == NULL)
#define LIST_INIT(head)                  \
	do {                             \
		(head)->lh_first = NULL; \
	} while (0)

#define LIST_INSERT_HEAD(head, elm, field)                             \
	do {                                                           \
		if (((elm)->field.le_next = (head)->lh_first) != NULL) \
			(head)->lh_first->field.le_prev =              \
			    &(elm)->field.le_next;                     \
		(head)->lh_first = (elm);                              \
		(elm)->field.le_prev = &(head)->lh_first;              \
	} while (0)

#define LIST_REMOVE(elm, field)                               \
	do {                                                  \
		if ((elm)->field.le_next != NULL)             \
			(elm)->field.le_next->field.le_prev = \
			    (elm)->field.le_prev;             \
		*(elm)->field.le_prev = (elm)->field.le_next; \
	} while (0)

#endif
