/*
 * vlanctl commands that talk to a running vland over its control channel
 * (ctlconn.h): show, kick, reload, log. vland answers with binary records
 * (proto/ctlmsg.h); the formatting, text or JSON, happens here through
 * one output table per format, so -j works for every command.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "names.h"
#include "ctlconn.h"
#include "ctlmsg.h"
#include "ipc.h"
#include "reply.h"
#include "show.h"
#include "vlanctl.h"

/* Send one request and hand each record to the output until the end. */
static int
ctl_request(uint16_t type, const void *body, size_t len)
{
	struct ipc_chan *c;
	struct ipc_msg m;
	struct reply r;
	int rc = 1, n;

	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    ctl_connect(c, vlanctl_socket) == -1)
		goto out;
	if (ipc_compose(c, type, 0, 0, -1, body, len) == -1) {
		fprintf(stderr, "vlanctl: send: %s\n", strerror(errno));
		goto out;
	}
	reply_begin(&r, type, vlanctl_json);
	while ((n = ipc_read(c, &m)) == 1) {
		switch (reply_record(&r, &m)) {
		case REPLY_MORE:
			continue;
		case REPLY_DONE:
			if (r.end.error != 0)
				fprintf(stderr, "vlanctl: %s\n", r.end.msg);
			rc = r.end.error != 0;
			goto out;
		case REPLY_NOMEM:
			goto out;
		case REPLY_MALFORMED:
			goto malformed;
		}
	}
	fprintf(stderr, "vlanctl: vland closed the connection\n");
	goto out;
malformed:
	fprintf(stderr,
	    "vlanctl: malformed answer from vland (type %u, "
	    "%zu bytes); nothing printed for it\n",
	    m.hdr.type, m.datalen);
out:
	if (c != NULL) {
		ipc_clear(c);
		free(c);
	}
	return rc;
}

int
cmd_show(int argc, char *argv[])
{
	const char *words[8];
	size_t i;
	int w;

	for (i = 0; i < show_nkinds && i < 8; i++)
		words[i] = show_kinds[i].word;
	if (argc != 1) {
		fprintf(stderr, "usage: vlanctl show");
		for (i = 0; i < show_nkinds; i++)
			fprintf(stderr, "%c%s", i == 0 ? ' ' : '|', words[i]);
		fprintf(stderr, "\n");
		return 1;
	}
	if ((w = vlanctl_match(argv[0], words, (int)i)) == -1)
		return 1;
	return ctl_request(show_kinds[w].request, NULL, 0);
}

int
cmd_kick(int argc, char *argv[])
{
	struct ctl_user u;

	if (argc != 1 || strlen(argv[0]) > USERNAME_MAX ||
	    !username_valid(argv[0], strlen(argv[0]))) {
		fprintf(stderr, "usage: vlanctl kick USER\n");
		return 1;
	}
	memset(&u, 0, sizeof(u));
	memcpy(u.user, argv[0], strlen(argv[0]));
	return ctl_request(CTL_KICK, &u, sizeof(u));
}

int
cmd_reload(int argc, char *argv[])
{
	(void)argv;
	if (argc != 0) {
		fprintf(stderr, "usage: vlanctl reload\n");
		return 1;
	}
	return ctl_request(CTL_RELOAD, NULL, 0);
}

static const char *log_words[] = { "verbose", "brief" };

int
cmd_log(int argc, char *argv[])
{
	struct ctl_int v;
	int w;

	if (argc != 1) {
		fprintf(stderr, "usage: vlanctl log verbose|brief\n");
		return 1;
	}
	if ((w = vlanctl_match(argv[0], log_words, 2)) == -1)
		return 1;
	v.value = w == 0;
	return ctl_request(CTL_LOG_VERBOSE, &v, sizeof(v));
}
