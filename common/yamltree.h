/*
 * A small, bounded YAML reader: libyaml events into a tree of scalars,
 * sequences and mappings, each node with its line and column. Anchors,
 * aliases, tags and multiple documents are refused: a config file has no
 * use for them and they are where YAML parsers get into trouble.
 */
#ifndef VLAND_YAMLTREE_H
#define VLAND_YAMLTREE_H

#include <stdbool.h>
#include <stddef.h>

enum ynode_type { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
	enum ynode_type type;
	int line, col;	     /* 1-based */
	char *val;	     /* scalar text, NUL-terminated */
	size_t vlen;	     /* length of val (a \0 escape makes it differ) */
	bool plain;	     /* unquoted scalar */
	struct ynode **kids; /* map: key, value, key, value... */
	size_t nkids;
};

#define YTREE_MAX_DEPTH	 8
#define YTREE_MAX_NODES	 8192
#define YTREE_MAX_SCALAR 4096

/*
 * Parse buf. On success returns the root (NULL for an empty document is
 * reported as an error). On error fills line/col/msg and returns NULL.
 */
struct ynode *ytree_parse(const char *buf, size_t len, int *line, int *col,
    char *msg, size_t msglen);
void ytree_free(struct ynode *);

#endif
