/*
 * Web connections, counted and capped (see webconns.h). An entry holds
 * the bufferevent only until the sweep that runs right after the
 * server set it up: from then on only the descriptor and the socket's
 * inode, so nothing here touches a bufferevent the server may have
 * freed. A closed descriptor, or one reused for another socket, shows
 * as a failed fstat or another inode.
 */
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "log.h"
#include "vland.h"
#include "webconns.h"

struct webconn {
	struct bufferevent *bev; /* until its descriptor is known; held */
	int fd;
	ino_t ino;
	uint64_t since_ms;
};

/*
 * A connection's whole life, however it trickles: libevent's timeout
 * is per read, so a client sending a byte every few seconds would hold
 * its place for hours. Pages are small; a minute is plenty.
 */
#define WEBCONN_MAX_MS 60000

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
still_open(struct webconn *c, uint64_t now)
{
	struct stat st;

	if (c->bev != NULL) {
		/* Held since accept (the server may have freed it on a
		 * failure meanwhile): its fd, then let it go. */
		c->fd = bufferevent_getfd(c->bev);
		bufferevent_decref(c->bev);
		c->bev = NULL;
		if (c->fd == -1 || fstat(c->fd, &st) == -1)
			return false;
		c->ino = st.st_ino;
		return true;
	}
	if (fstat(c->fd, &st) == -1 || !S_ISSOCK(st.st_mode) ||
	    st.st_ino != c->ino)
		return false;
	/* Still ours (same socket): past its time, the server sees the
	 * connection end and frees it; the next sweep forgets it. */
	if (now - c->since_ms > WEBCONN_MAX_MS)
		shutdown(c->fd, SHUT_RDWR);
	return true;
}

static void
sweep(int fd, short ev, void *arg)
{
	size_t i = 0;
	uint64_t now = now_ms();

	(void)fd;
	(void)ev;
	(void)arg;

	while (i < wc.n) {
		if (still_open(&wc.v[i], now))
			i++;
		else
			wc.v[i] = wc.v[--wc.n];
	}
	listen_again();
}

void
webconns_init(struct event_base *base, struct evconnlistener *l, unsigned max)
{
	const struct timeval sec = { 1, 0 };

	wc.listener = l;
	wc.max = max;
	if ((wc.sweep = event_new(base, -1, EV_PERSIST, sweep, NULL)) == NULL ||
	    event_add(wc.sweep, &sec) == -1)
		fatalx("web: sweep timer");
}

void
webconns_clear(void)
{
	size_t i;

	/* After the server is freed: what we still hold goes now. */
	for (i = 0; i < wc.n; i++)
		if (wc.v[i].bev != NULL)
			bufferevent_decref(wc.v[i].bev);
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
	/* Held until the sweep has its fd, whatever the server does. */
	bufferevent_incref(bev);
	wc.v[wc.n++] = (struct webconn){ bev, -1, 0, now_ms() };
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
