/*
 * The web monitor's connections, counted so that they can be capped.
 * libevent 2.1's HTTP server neither caps connections nor says when one
 * closes (evhttp_set_max_connections is 2.2's). So each connection's
 * bufferevent is made here (evhttp_set_bevcb), its socket noted by
 * descriptor and inode as soon as the server has set it, and a sweep
 * once a second forgets those whose descriptor no longer holds that
 * socket, and ends those older than a minute (libevent's timeout is
 * per read, which a trickling client defeats). Past the cap the
 * listener stops accepting; the rest wait in the kernel's listen queue.
 */
#ifndef VLAND_WEBCONNS_H
#define VLAND_WEBCONNS_H

#include <stdbool.h>

struct bufferevent;
struct event_base;
struct evconnlistener;

void webconns_init(struct event_base *, struct evconnlistener *, unsigned max);
void webconns_clear(void);
/* For evhttp_set_bevcb. */
struct bufferevent *webconns_new(struct event_base *, void *arg);
/* Accepting is paused (or resumed) for want of descriptors (fdpause). */
void webconns_pause(bool paused);

#endif
