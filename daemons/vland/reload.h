/*
 * Reload (SIGHUP, vlanctl reload): vland-auth hands over the config
 * text, vland parses and checks it itself (untrusted parsing stays
 * unprivileged), keeps the old config if the new one is wrong, refuses
 * changes that need a restart, and applies the rest without dropping
 * the sessions that are still allowed.
 */
#ifndef VLAND_RELOAD_H
#define VLAND_RELOAD_H

#include <stddef.h>
#include <stdint.h>

#include "ipcmsg.h"

/* Start a reload; done(error, msg) is called when it ends. */
int reload_start(void (*done)(void *arg, int error, const char *msg),
    void *arg);
void reload_config_text(const uint8_t *text, size_t len);
void reload_auth_result(const struct ipc_result *);
/* vland-ifmgr has re-read the file (or refused it): apply, or not. */
void reload_ifmgr_result(const struct ipc_result *);
void reload_user_gone(const char *user);
/* A control client went away: forget its callback. */
void reload_forget(void *arg);

#endif
