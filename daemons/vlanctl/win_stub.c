/*
 * vlanctl's commands that the win64 build (scripts/windows.sh) cannot
 * run yet, in place of show.c and user.c there. show, kick, reload and
 * log talk to vland over its control socket: there is no vland.exe yet
 * and no control-socket transport for Windows (its AF_UNIX is stream
 * only, where vland's framing needs record boundaries). user edits a
 * hub's users file of crypt(3) hashes, and hubs run on Linux. Each says
 * so and fails, so that genkey, pubkey and help work alone.
 */
#include <stdio.h>

#include "vlanctl.h"

static int
not_yet(const char *what)
{
	fprintf(stderr,
	    "vlanctl: %s is not in the Windows build yet: "
	    "it needs vland, which does not run on Windows yet\n",
	    what);
	return 1;
}

int
cmd_show(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	return not_yet("show");
}

int
cmd_kick(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	return not_yet("kick");
}

int
cmd_reload(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	return not_yet("reload");
}

int
cmd_log(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	return not_yet("log");
}

int
cmd_user(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	fprintf(stderr,
	    "vlanctl: user edits a hub's users file; hubs run "
	    "on Linux only\n");
	return 1;
}
