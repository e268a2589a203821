/*
 * pwcheck HASH: exit 0 if the password on stdin (one line) matches
 * HASH, 1 if not, 2 on error. Lets the vlanctl test check the hashes it
 * finds with the same code vland-auth uses.
 */
#include <stdio.h>
#include <string.h>

#include "pwhash.h"

int
main(int argc, char *argv[])
{
	char pw[1024];

	if (argc != 2 || fgets(pw, sizeof(pw), stdin) == NULL)
		return 2;
	pw[strcspn(pw, "\n")] = '\0';
	switch (pwhash_check(argv[1], pw)) {
	case 1:
		return 0;
	case 0:
		return 1;
	default:
		return 2;
	}
}
