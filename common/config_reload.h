/*
 * Which settings a hub's reload (vlanctl reload, SIGHUP) may change, and
 * which need a restart: one table, which reload.c applies and a unit
 * test compares with vland.yaml(5), key by key. An endpoint does not
 * reload: it restarts.
 */
#ifndef VLAND_CONFIG_RELOAD_H
#define VLAND_CONFIG_RELOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

struct cfg_reload_rule {
	const char *key;
	bool restart; /* a change needs a restart */
	bool (*differs)(const struct config *, const struct config *);
};

extern const struct cfg_reload_rule cfg_reload_rules[];
extern const size_t cfg_nreload_rules;

/* The first key that changed from o to n and needs a restart, or NULL. */
const char *cfg_restart_needed(const struct config *o, const struct config *n);
/* fn(key, arg) for each reloadable key that changed from o to n. */
void cfg_reload_changes(const struct config *o, const struct config *n,
    void (*fn)(const char *key, void *arg), void *arg);

#endif
