/*
 * ctlpath.h on Linux: an absolute path that fits a sockaddr_un.
 */
#include <string.h>
#include <sys/un.h>

#include "ctlpath.h"

const char ctl_default_path[] = "/run/vland/vland.sock";

const char *
ctl_path_invalid(const char *path)
{
	struct sockaddr_un sun;

	if (path[0] != '/')
		return "must be an absolute path";
	/* sizeof(sun.sun_path) is 108 on Linux; the sentence says it. */
	if (strlen(path) >= sizeof(sun.sun_path))
		return "path too long for a socket (at most 107 characters)";
	return NULL;
}
