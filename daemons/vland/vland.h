#ifndef VLAND_H
#define VLAND_H

#include <stdbool.h>
#include <sys/types.h>

#include "config.h"
#include "ipc.h"
#include "keyenc.h"

struct event_base;

/* A helper process and its channel. */
struct helper {
	const char *name;
	pid_t pid;
	struct ipc_chan chan;
	bool up;
};

#define UDP_MAX_SOCKETS CFG_MAX_LISTEN

struct vland {
	struct config *cfg;
	const char *cfgfile;
	struct event_base *base;
	struct helper ifmgr, auth;
	/* hub */
	uint8_t privkey[KEY_LEN], pubkey[KEY_LEN];
	int udp[UDP_MAX_SOCKETS];
	size_t nudp;
};

extern struct vland vl;

/* helpers.c */
void helpers_start(int foreground, int verbose);
void helpers_send_init(void);
void helpers_events(void);

/* udp.c */
void udp_open_all(void);

#endif
