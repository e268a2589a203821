/*
 * vland-auth: the state of the process and the handlers of the
 * messages vland sends it (vland-auth(8)).
 */
#ifndef VLAND_AUTH_H
#define VLAND_AUTH_H

#include <limits.h>

#include "addr.h"
#include "config.h"
#include "ipc.h"

struct backoff;
struct pool;
struct users;

struct authd {
	struct ipc_chan chan;
	struct event_base *base;
	struct event *resume; /* reading paused while vland is slow */
	int exitcode;

	char cfgpath[PATH_MAX]; /* outside the chroot, for messages */
	char cfgfile[PATH_MAX]; /* the same file inside the chroot */
	char usersname[PATH_MAX];
	char usersfile[CFG_PATH_MAX];
	struct prefix ip; /* hub address, VPN prefix length */

	struct users *users;
	struct pool *pool;
	struct backoff *bo_user, *bo_source;
};

/* login.c: IMSG_AUTH_CHECK and IMSG_AUTH_RELEASE. */
void login_check(struct authd *, const struct ipc_msg *);
void login_release(struct authd *, const struct ipc_msg *);

/* reload.c: the users file and the config text. */
int reload_reserve(struct authd *);
void reload_users(struct authd *, const struct ipc_msg *);
void reload_config_text(struct authd *, const struct ipc_msg *);
void reload_check_mode(const struct authd *);

/* auth.c */
void auth_send(struct authd *, uint16_t type, const struct ipc_msg *req,
    const void *data, size_t len);

#endif
