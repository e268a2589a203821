/*
 * Who made a device. Every bridge, tap and tun vland-ifmgr makes has an
 * alias naming its kind and its maker: the vland process (the parent of
 * this vland-ifmgr) by pid and start time, e.g. "vland:dev 4242.81234".
 * A device is stale, and ours to remove, only if its maker no longer
 * runs: the start time tells a reused pid from the maker. A device whose
 * maker runs belongs to another vland, which is named when we refuse.
 */
#ifndef IFMGR_OWNER_H
#define IFMGR_OWNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define OWNER_ALIAS_MAX 128

enum owner_state {
	OWNER_NONE, /* not a vland device of this kind */
	OWNER_SELF, /* made by this vland */
	OWNER_DEAD, /* made by a vland that no longer runs (or an old one) */
	OWNER_LIVE, /* made by another vland, which runs */
};

struct owner {
	pid_t pid;
	uint64_t start; /* clock ticks after boot, /proc/PID/stat field 22 */
};

/* This vland: pid's start time, read now. -1 if it cannot be read. */
int owner_init(pid_t vland_pid);
const struct owner *owner_self(void);

/* The alias for a device of kind made by this vland. */
void owner_alias(char *buf, size_t len, const char *kind);

/*
 * Whose is a device with this alias, for this kind (an alias with
 * another kind is OWNER_NONE). *pid gets the maker's pid when it has one.
 */
enum owner_state owner_of(const char *alias, const char *kind, pid_t *pid);

/* Pure helpers, for the tests: parse an alias and a /proc stat line. */
bool owner_parse(const char *alias, const char *kind, struct owner *o,
    bool *legacy);
int owner_stat_start(const char *stat, uint64_t *start);

#endif
