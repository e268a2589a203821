/*
 * vlanctl: control tool for vland (vlanctl(8)). Commands are looked up
 * in a table; any unique prefix of a command name is accepted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "vland_config.h"
#include "vlanctl.h"

const char *vlanctl_socket = CFG_DEFAULT_CONTROL;
int vlanctl_json;

static const struct vlanctl_cmd cmds[] = {
	{ "genkey", cmd_genkey, "[-i] [file]",
	    "generate a private key (into a new file, mode 0600)" },
	{ "pubkey", cmd_pubkey, "[file]",
	    "print the public key of a private key (file or stdin)" },
	{ "user", cmd_user, "cmd ...",
	    "add, del, passwd, lock, unlock, list or import users" },
	{ "show", cmd_show, "what",
	    "show endpoints, status or routes of vland" },
	{ "kick", cmd_kick, "user", "end the session of a user" },
	{ "reload", cmd_reload, "", "re-read the configuration and users" },
	{ "log", cmd_log, "verbose|brief", "debug logging on or off" },
	{ "help", cmd_help, "", "this list" },
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static void
print_usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: vlanctl [-hjV] [-s socket] command [arg ...]\n");
	fprintf(f, "commands (-j and -s may also follow them):\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %-8s %-13s %s\n", cmds[i].name, cmds[i].args,
		    cmds[i].help);
}

static __attribute__((noreturn)) void
usage(void)
{
	print_usage(stderr);
	exit(1);
}

int
cmd_help(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	print_usage(stdout);
	return fflush(stdout) != 0;
}

/*
 * -j and -s SOCKET are taken after the command too (vlanctl show
 * endpoints -j), for every command but the file tools, whose own
 * options follow them. Returns the new argc.
 */
static int
late_options(int argc, char *argv[])
{
	int i, n = 0;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-j") == 0) {
			vlanctl_json = 1;
		} else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
			vlanctl_socket = argv[++i];
		} else {
			argv[n++] = argv[i];
		}
	}
	argv[n] = NULL;
	return n;
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
	fprintf(stderr,
	    "vlanctl: %s '%s'; valid:", match == -2 ? "ambiguous" : "unknown",
	    word);
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

	while ((ch = getopt(argc, argv, "+hjs:V")) != -1) {
		switch (ch) {
		case 'h':
			return cmd_help(0, NULL);
		case 'j':
			vlanctl_json = 1;
			break;
		case 's':
			vlanctl_socket = optarg;
			break;
		case 'V':
			printf("vlanctl %s\n", VLAND_VERSION);
			return fflush(stdout) != 0;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	cmd = lookup(argv[0]);
	if (cmd->fn != cmd_user && cmd->fn != cmd_genkey &&
	    cmd->fn != cmd_pubkey)
		argc = late_options(argc, argv);
	return cmd->fn(argc - 1, argv + 1);
}
