/*
 * ctlpath.h on Windows: a local named pipe's name, \\.\pipe\ and then
 * a name without a backslash, 256 characters at most in all (the
 * limit of CreateNamedPipe).
 */
#include <string.h>

#include "ctlpath.h"

#define PIPE_PREFIX "\\\\.\\pipe\\"

const char ctl_default_path[] = PIPE_PREFIX "vland";

const char *
ctl_path_invalid(const char *path)
{
	size_t n = strlen(PIPE_PREFIX);

	if (strncmp(path, PIPE_PREFIX, n) != 0 || path[n] == '\0')
		return "must be a named pipe, \\\\.\\pipe\\NAME";
	if (strchr(path + n, '\\') != NULL)
		return "a pipe's NAME has no backslash";
	if (strlen(path) > 256)
		return "a pipe's name is at most 256 characters";
	return NULL;
}
