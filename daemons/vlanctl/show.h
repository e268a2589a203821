/*
 * The output formats of vlanctl's daemon commands: one table of
 * functions per format (text in show_text.c, JSON in show_json.c), so
 * that -j works for every command. Records reach them checked.
 */
#ifndef VLANCTL_SHOW_H
#define VLANCTL_SHOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctlmsg.h"

struct output {
	void (*endpoints_begin)(void);
	void (*endpoint)(const struct ctl_endpoint *, bool first);
	void (*endpoints_end)(void);
	void (*status)(const struct ctl_status *);
	void (*routes_begin)(void);
	void (*route)(const struct ctl_route *, bool first);
	void (*routes_end)(void);
};

extern const struct output text_out, json_out;

/* Shared formatting: a time (UTC; ISO 8601 if iso), a remote address
 * with its port, an address with its prefix length ("-" if none). */
const char *fmt_time(int64_t t, char *buf, size_t len, bool iso);
const char *fmt_remote(const struct addr *, uint16_t port, char *buf,
    size_t len);
const char *fmt_prefix(const struct addr *, uint8_t len, char *buf,
    size_t blen);

#endif
