/*
 * Pausing a listener out of descriptors (fdpause.h).
 */
#include <errno.h>
#include <string.h>

#include <event2/event.h>

#include "fdpause.h"
#include "log.h"
#include "vland.h"

#define FDPAUSE_MS     1000
#define FDPAUSE_LOG_MS 60000

static void
fdpause_over(evutil_socket_t fd, short ev, void *arg)
{
	struct fdpause *p = arg;

	(void)fd;
	(void)ev;
	p->resume(p->arg);
}

void
fdpause_init(struct fdpause *p, const char *name, void (*resume)(void *),
    void *arg)
{
	memset(p, 0, sizeof(*p));
	p->name = name;
	p->resume = resume;
	p->arg = arg;
	if ((p->timer = evtimer_new(vl.base, fdpause_over, p)) == NULL)
		fatalx("evtimer_new");
}

bool
fdpause_failed(struct fdpause *p, int err)
{
	const struct timeval tv = { FDPAUSE_MS / 1000, 0 };
	uint64_t now = now_ms();

	if (err != EMFILE && err != ENFILE && err != ENOBUFS && err != ENOMEM)
		return false;
	p->pauses++;
	if (p->logged_ms == 0 || now - p->logged_ms >= FDPAUSE_LOG_MS) {
		log_warnx("%s: cannot accept connections (%s); pausing for "
			  "%d s (%llu times since the last such line)",
		    p->name, strerror(err), FDPAUSE_MS / 1000,
		    (unsigned long long)p->pauses);
		p->logged_ms = now;
		p->pauses = 0;
	}
	evtimer_add(p->timer, &tv);
	return true;
}

void
fdpause_clear(struct fdpause *p)
{
	if (p->timer != NULL)
		event_free(p->timer);
	p->timer = NULL;
}
