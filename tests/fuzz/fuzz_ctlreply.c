/*
 * libFuzzer target: vlanctl's reading of vland's answer on the control
 * socket (daemons/vlanctl/reply.c) and the printing of what it accepts,
 * as text (show_text.c) and as JSON (show_json.c), to /dev/null. Each
 * record's payload is an exact-size heap copy, so reading past it is an
 * ASan error. Not covered: the socket itself (ctl_connect, ipc_read;
 * the ipc target feeds ipc_read) and what vlanctl prints on stderr.
 *
 * Input: byte 0 picks the request vlanctl sent (bits 0-2, modulo the 6
 * requests) and the format (bit 3: JSON); then records, each a type
 * (u16 little-endian), a length (u16 little-endian, cut to what is
 * left) and that many payload bytes, read until one ends the answer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint16_t requests[] = { CTL_SHOW_ENDPOINTS, CTL_SHOW_STATUS,
	CTL_SHOW_ROUTES, CTL_KICK, CTL_RELOAD, CTL_LOG_VERBOSE,
	CTL_SHOW_SESSIONS };
#define NREQUESTS (sizeof(requests) / sizeof(requests[0]))

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct reply r;
	struct ipc_msg m;
	enum reply_step step = REPLY_MORE;
	uint8_t *copy;
	size_t off, len;

	if (!ready) {
		/* The output is formatted in full, and thrown away. */
		if (freopen("/dev/null", "w", stdout) == NULL)
			abort();
		ready = 1;
	}
	if (size < 1)
		return 0;
	reply_begin(&r, requests[(data[0] & 7) % NREQUESTS], data[0] & 8);
	for (off = 1; step == REPLY_MORE && size - off >= 4; off += len) {
		memset(&m, 0, sizeof(m));
		m.hdr.type = (uint16_t)(data[off] | data[off + 1] << 8);
		len = (size_t)(data[off + 2] | data[off + 3] << 8);
		off += 4;
		if (len > size - off)
			len = size - off;
		/* malloc(0) may give NULL: keep a valid pointer. */
		if ((copy = malloc(len > 0 ? len : 1)) == NULL)
			abort();
		memcpy(copy, data + off, len);
		m.data = copy;
		m.datalen = len;
		m.hdr.len = (uint32_t)(sizeof(m.hdr) + len);
		m.fd = -1;
		step = reply_record(&r, &m);
		free(copy);
	}
	/* vlanctl exits after a malformed or unfinished answer; here a
	 * list begun must be ended, or the JSON one is left allocated. */
	if (step != REPLY_DONE)
		reply_abandon(&r);
	fflush(stdout);
	return 0;
}
