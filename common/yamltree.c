/*
 * YAML events to a tree (see yamltree.h). Limits on depth, node count
 * and scalar size keep hostile input from costing more than a config
 * file could need.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "yamltree.h"

struct ybuild {
	struct ynode *stack[YTREE_MAX_DEPTH + 1];
	int depth;
	size_t nodes;
	struct ynode *root;
};

void
ytree_free(struct ynode *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkids; i++)
		ytree_free(n->kids[i]);
	free(n->kids);
	/* Values may be passwords or keys. */
	if (n->val != NULL)
		explicit_bzero(n->val, n->vlen);
	free(n->val);
	free(n);
}

static int
ytree_attach(struct ybuild *b, struct ynode *n)
{
	struct ynode *parent, **k;

	if (b->depth == 0) {
		b->root = n;
		return 0;
	}
	parent = b->stack[b->depth - 1];
	k = realloc(parent->kids, (parent->nkids + 1) * sizeof(*k));
	if (k == NULL)
		return -1;
	parent->kids = k;
	parent->kids[parent->nkids++] = n;
	return 0;
}

static struct ynode *
ytree_node(enum ynode_type t, const yaml_mark_t *m)
{
	struct ynode *n;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	n->type = t;
	n->line = (int)m->line + 1;
	n->col = (int)m->column + 1;
	return n;
}

struct ynode *
ytree_parse(const char *buf, size_t len, int *line, int *col, char *msg,
    size_t msglen)
{
	yaml_parser_t p;
	yaml_event_t ev;
	struct ybuild b;
	struct ynode *n;
	const char *err = NULL;
	int done = 0, docs = 0;

	memset(&b, 0, sizeof(b));
	*line = *col = 1;
	if (!yaml_parser_initialize(&p)) {
		snprintf(msg, msglen, "out of memory");
		return NULL;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);

	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			*line = (int)p.problem_mark.line + 1;
			*col = (int)p.problem_mark.column + 1;
			snprintf(msg, msglen, "YAML syntax error: %s",
			    p.problem != NULL ? p.problem : "unknown");
			goto fail;
		}
		*line = (int)ev.start_mark.line + 1;
		*col = (int)ev.start_mark.column + 1;
		n = NULL;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1)
				err = "only one YAML document is allowed";
			break;
		case YAML_ALIAS_EVENT:
			err = "YAML aliases are not allowed";
			break;
		case YAML_SCALAR_EVENT:
			if (ev.data.scalar.anchor != NULL ||
			    (ev.data.scalar.tag != NULL &&
				!ev.data.scalar.plain_implicit &&
				!ev.data.scalar.quoted_implicit)) {
				err = "YAML anchors and tags are not allowed";
				break;
			}
			if (ev.data.scalar.length > YTREE_MAX_SCALAR) {
				err = "value too long";
				break;
			}
			if ((n = ytree_node(Y_SCALAR, &ev.start_mark)) ==
				NULL ||
			    (n->val = malloc(ev.data.scalar.length + 1)) ==
				NULL) {
				err = "out of memory";
				break;
			}
			memcpy(n->val, ev.data.scalar.value,
			    ev.data.scalar.length);
			n->val[ev.data.scalar.length] = '\0';
			n->vlen = ev.data.scalar.length;
			n->plain =
			    ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if ((ev.type == YAML_SEQUENCE_START_EVENT
				    ? ev.data.sequence_start.anchor
				    : ev.data.mapping_start.anchor) != NULL ||
			    !(ev.type == YAML_SEQUENCE_START_EVENT
				    ? ev.data.sequence_start.implicit
				    : ev.data.mapping_start.implicit)) {
				err = "YAML anchors and tags are not allowed";
				break;
			}
			if (b.depth >= YTREE_MAX_DEPTH) {
				err = "nesting too deep";
				break;
			}
			n = ytree_node(ev.type == YAML_SEQUENCE_START_EVENT
				? Y_SEQ
				: Y_MAP,
			    &ev.start_mark);
			if (n == NULL)
				err = "out of memory";
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			b.depth--;
			break;
		default:
			break;
		}
		if (err == NULL && n != NULL) {
			if (++b.nodes > YTREE_MAX_NODES) {
				err = "too many values";
			} else if (ytree_attach(&b, n) == -1) {
				err = "out of memory";
			} else {
				if (n->type != Y_SCALAR)
					b.stack[b.depth++] = n;
				n = NULL;
			}
		}
		yaml_event_delete(&ev);
		if (err != NULL) {
			ytree_free(n);
			snprintf(msg, msglen, "%s", err);
			goto fail;
		}
	}
	yaml_parser_delete(&p);
	if (b.root == NULL) {
		*line = *col = 1;
		snprintf(msg, msglen, "empty configuration");
	}
	return b.root;
fail:
	yaml_parser_delete(&p);
	/* Nodes are attached as they are made, so the root owns them all. */
	if (b.root != NULL)
		ytree_free(b.root);
	return NULL;
}
