/*
 * vlanctl: control tool for vland (vlanctl(8)). Commands are looked up
 * in a table; any unique prefix of a command name is accepted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vlanctl.h"

static const struct vlanctl_cmd cmds[] = {
	{"genkey", cmd_genkey, "[file]",
	    "generate a private key (into a new file, mode 0600)"},
	{"pubkey", cmd_pubkey, "[file]",
	    "print the public key of a private key (file or stdin)"},
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static __attribute__((noreturn)) void
usage(void)
{
	size_t i;

	fprintf(stderr, "usage: vlanctl command [arg ...]\n");
	fprintf(stderr, "commands:\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(stderr, "  %-8s %-8s %s\n", cmds[i].name, cmds[i].args,
		    cmds[i].help);
	exit(1);
}

static const struct vlanctl_cmd *
lookup(const char *word)
{
	const struct vlanctl_cmd *match = NULL;
	size_t i, len = strlen(word);

	for (i = 0; i < NCMDS; i++) {
		if (strcmp(cmds[i].name, word) == 0)
			return &cmds[i];
		if (strncmp(cmds[i].name, word, len) == 0) {
			if (match != NULL) {
				fprintf(stderr, "vlanctl: '%s' is ambiguous\n",
				    word);
				usage();
			}
			match = &cmds[i];
		}
	}
	if (match == NULL) {
		fprintf(stderr, "vlanctl: unknown command '%s'\n", word);
		usage();
	}
	return match;
}

int
main(int argc, char *argv[])
{
	const struct vlanctl_cmd *cmd;
	int ch;

	while ((ch = getopt(argc, argv, "+")) != -1)
		usage();
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	cmd = lookup(argv[0]);
	return cmd->fn(argc - 1, argv + 1);
}
