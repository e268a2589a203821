/*
 * What vlanctl show can ask vland for, as one table (show_kinds, in
 * reply.c): each kind's word, its request and record types, how a
 * record is checked, and how each format prints it (text in
 * show_text.c, JSON in show_json.c), so that -j works for every
 * command. Records reach the printers checked.
 *
 * A new show subcommand: its request and record in proto/ctlmsg.h,
 * vland's answer in daemons/vland/ctl.c, one show_kinds entry with
 * its check, a printer in each format; then vlanctl(8) and the bash
 * completion (etc/completion/vlanctl), which tests/ops check.
 */
#ifndef VLANCTL_SHOW_H
#define VLANCTL_SHOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctlmsg.h"

/* How one format prints one kind of answer; begin and end may be NULL
 * (an answer of one record). */
struct show_format {
	void (*begin)(void);
	void (*record)(const void *, bool first);
	void (*end)(void);
};

struct show_kind {
	const char *word;	  /* vlanctl show WORD */
	uint16_t request;	  /* CTL_SHOW_* */
	uint16_t record;	  /* CTL_R_*: the records of the answer */
	size_t size;		  /* of one record */
	bool (*ok)(const void *); /* its strings and ranges */
	const struct show_format *text, *json;
};

extern const struct show_kind show_kinds[];
extern const size_t show_nkinds;
/* The kind a request asks for; NULL for one answered by its end only. */
const struct show_kind *show_kind_of(uint16_t request);

extern const struct show_format text_endpoints, text_status, text_routes,
    text_sessions, text_peers;
extern const struct show_format json_endpoints, json_status, json_routes,
    json_sessions, json_peers;

/* Shared formatting: a time (UTC; ISO 8601 if iso), a remote address
 * with its port, an address with its prefix length ("-" if none). */
const char *fmt_time(int64_t t, char *buf, size_t len, bool iso);
const char *fmt_remote(const struct addr *, uint16_t port, char *buf,
    size_t len);
const char *fmt_prefix(const struct addr *, uint8_t len, char *buf,
    size_t blen);

#endif
