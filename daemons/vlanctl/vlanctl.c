/*
 * vlanctl: control tool for vland (vlanctl(8)). Commands are looked up
 * in a table; any unique prefix of a command name is accepted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "vlanctl.h"

const char *vlanctl_socket = CFG_DEFAULT_CONTROL;
int vlanctl_json;

static const struct vlanctl_cmd cmds[] = {
	{"genkey", cmd_genkey, "[-i] [file]",
	    "generate a private key (into a new file, mode 0600)"},
	{"pubkey", cmd_pubkey, "[file]",
	    "print the public key of a private key (file or stdin)"},
	{"user", cmd_user, "cmd ...",
	    "add, del, passwd, list or import users (no daemon needed)"},
	{"show", cmd_show, "what", "show endpoints or status of vland"},
	{"kick", cmd_kick, "user", "end the session of a user"},
	{"reload", cmd_reload, "", "re-read the configuration and users"},
	{"log", cmd_log, "verbose|brief", "debug logging on or off"},
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static __attribute__((noreturn)) void
usage(void)
{
	size_t i;

	fprintf(stderr, "usage: vlanctl [-j] [-s socket] command [arg ...]\n");
	fprintf(stderr, "commands:\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(stderr, "  %-8s %-8s %s\n", cmds[i].name, cmds[i].args,
		    cmds[i].help);
	exit(1);
}

int
vlanctl_match(const char *word, const char *const words[], int n)
{
	size_t len = strlen(word);
	int i, match = -1;

	for (i = 0; i < n; i++) {
		if (strcmp(words[i], word) == 0)
			return i;
		if (strncmp(words[i], word, len) == 0)
			match = match == -1 ? i : -2;
	}
	if (match >= 0)
		return match;
	fprintf(stderr, "vlanctl: %s '%s'; valid:",
	    match == -2 ? "ambiguous" : "unknown", word);
	for (i = 0; i < n; i++)
		fprintf(stderr, " %s", words[i]);
	fprintf(stderr, "\n");
	return -1;
}

static const struct vlanctl_cmd *
lookup(const char *word)
{
	const char *names[NCMDS];
	size_t i;
	int k;

	for (i = 0; i < NCMDS; i++)
		names[i] = cmds[i].name;
	if ((k = vlanctl_match(word, names, (int)NCMDS)) == -1)
		usage();
	return &cmds[k];
}

int
main(int argc, char *argv[])
{
	const struct vlanctl_cmd *cmd;
	int ch;

	while ((ch = getopt(argc, argv, "+js:")) != -1) {
		switch (ch) {
		case 'j':
			vlanctl_json = 1;
			break;
		case 's':
			vlanctl_socket = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	cmd = lookup(argv[0]);
	return cmd->fn(argc - 1, argv + 1);
}
