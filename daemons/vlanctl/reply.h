/*
 * vlanctl's reading of vland's answer, one record at a time, apart from
 * the socket (show.c) so that the decoding and the printing can be fed
 * records directly (tests/fuzz/fuzz_ctlreply.c). vland is not trusted
 * to send well-formed records: each is checked before it is printed.
 */
#ifndef VLANCTL_REPLY_H
#define VLANCTL_REPLY_H

#include <stdbool.h>
#include <stdint.h>

#include "ctlmsg.h"
#include "ipc.h"
#include "show.h"

enum reply_step {
	REPLY_MORE,	 /* printed; read the next record */
	REPLY_DONE,	 /* the CTL_R_END record: see end */
	REPLY_MALFORMED, /* nothing printed for it; stop */
	REPLY_NOMEM,
};

struct reply {
	const struct show_kind *kind; /* NULL: an answer of its end only */
	const struct show_format *f;  /* the kind's, in the format asked */
	uint16_t request;	      /* the CTL_ type asked */
	bool first, ended;
	struct ctl_end end; /* after REPLY_DONE */
};

/* Start the output for request (a list's heading), as JSON or text. */
void reply_begin(struct reply *, uint16_t request, bool json);
/* One record of the answer. */
enum reply_step reply_record(struct reply *, const struct ipc_msg *);
/* Close what the output opened, if the answer stops short (once). */
void reply_abandon(struct reply *);

#endif
