/*
 * vlanctl's command that the win64 build (scripts/windows.sh) does not
 * have, in place of user.c there: user edits a hub's users file of
 * crypt(3) hashes, and hubs run on Linux. It says so and fails.
 */
#include <stdio.h>

#include "vlanctl.h"

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
