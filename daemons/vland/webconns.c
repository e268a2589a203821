/*
 * Web connections, counted and capped (see webconns.h). An entry holds
 * the bufferevent only until the sweep that runs right after the
 * server set it up: from then on only the descriptor and the socket's
 * inode, so nothing here touches a bufferevent the server may have
 * freed. A closed descriptor, or one reused for another socket, shows
 * as a failed fstat or another inode.
 */
#include <stdlib.h>
#include <sys/stat.h>

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "log.h"
#include "webconns.h"

struct webconn {
	struct bufferevent *bev; /* until its descriptor is known */
	int fd;
	ino_t ino;
};

static struct {
	struct evconnlistener *listener;
	struct event *sweep;
	struct webconn *v;
	size_t n, cap;
	unsigned max;
	bool full, paused;
} wc;

static void
listen_again(void)
{
	if (wc.full && wc.n < wc.max) {
		wc.full = false;
		if (!wc.paused)
			evconnlistener_enable(wc.listener);
	}
}

static bool
still_open(struct webconn *c)
{
	struct stat st;

	if (c->bev != NULL) {
		/* Set up in this turn of the loop: alive, fd set. */
		c->fd = bufferevent_getfd(c->bev);
		c->bev = NULL;
		if (c->fd == -1 || fstat(c->fd, &st) == -1)
			return false;
		c->ino = st.st_ino;
		return true;
	}
	return fstat(c->fd, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    st.st_ino == c->ino;
}

static void
sweep(int fd, short ev, void *arg)
{
	size_t i = 0;

	(void)fd;
	(void)ev;
	(void)arg;
	while (i < wc.n) {
		if (still_open(&wc.v[i]))
			i++;
		else
			wc.v[i] = wc.v[--wc.n];
	}
	listen_again();
}

void
webconns_init(struct event_base *base, struct evconnlistener *l,
    unsigned max)
{
	const struct timeval sec = {1, 0};

	wc.listener = l;
	wc.max = max;
	if ((wc.sweep = event_new(base, -1, EV_PERSIST, sweep, NULL)) ==
		NULL ||
	    event_add(wc.sweep, &sec) == -1)
		fatalx("web: sweep timer");
}

void
webconns_clear(void)
{
	if (wc.sweep != NULL)
		event_free(wc.sweep);
	free(wc.v);
	wc.v = NULL;
	wc.sweep = NULL;
	wc.n = wc.cap = 0;
}

struct bufferevent *
webconns_new(struct event_base *base, void *arg)
{
	struct bufferevent *bev;
	struct webconn *v;

	(void)arg;
	if (wc.n == wc.cap) {
		/* Bounded: at most max plus one listen queue's worth. */
		if ((v = reallocarray(wc.v, wc.cap + 64, sizeof(*v))) == NULL)
			return NULL;
		wc.v = v;
		wc.cap += 64;
	}
	if ((bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE)) ==
	    NULL)
		return NULL;
	wc.v[wc.n++] = (struct webconn){bev, -1, 0};
	/* Note its socket right after the server has set it. */
	event_active(wc.sweep, EV_TIMEOUT, 0);
	if (wc.n >= wc.max && !wc.full) {
		wc.full = true;
		evconnlistener_disable(wc.listener);
		log_debug("web: %u connections, accepting no more for now",
		    wc.max);
	}
	return bev;
}

void
webconns_pause(bool paused)
{
	wc.paused = paused;
	if (paused)
		evconnlistener_disable(wc.listener);
	else if (!wc.full)
		evconnlistener_enable(wc.listener);
}

unsigned
webconns_count(void)
{
	return (unsigned)wc.n;
}
