/*
 * The web monitor (web: enable): a page with the endpoints table, the
 * same data as JSON at /endpoints (with the original system's field
 * names), and Prometheus text at /metrics. Served by vland itself with
 * libevent's HTTP server; the page is built in, with no external assets.
 * GET and HEAD only.
 */
#ifndef VLAND_WEB_H
#define VLAND_WEB_H

/* Bind the listening socket (before the privilege drop). */
void web_open(void);
/* Serve (after the drop, once the event base exists). */
void web_events(void);
void web_close(void);

#endif
