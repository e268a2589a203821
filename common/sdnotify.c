/*
 * sd_notify(3) by hand (sdnotify.h), so that vland needs no libsystemd.
 * The socket is connected once, before the chroot, and later states are
 * sent on it; an abstract socket ('@') works too.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "sdnotify.h"

static int notify_fd = -1;

void
sdnotify_open(void)
{
	struct sockaddr_un sun;
	const char *path = getenv("NOTIFY_SOCKET");
	socklen_t len;

	if (path == NULL || (path[0] != '/' && path[0] != '@') ||
	    strlen(path) >= sizeof(sun.sun_path))
		return;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	/* '@' names an abstract socket: a leading NUL byte. */
	if (path[0] == '@')
		sun.sun_path[0] = '\0';
	len =
	    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path));
	notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (notify_fd == -1 ||
	    connect(notify_fd, (struct sockaddr *)&sun, len) == -1) {
		log_warn("NOTIFY_SOCKET %s", path);
		if (notify_fd != -1)
			close(notify_fd);
		notify_fd = -1;
	}
	unsetenv("NOTIFY_SOCKET");
}

void
sdnotify(const char *state)
{
	if (notify_fd != -1 && send(notify_fd, state, strlen(state), 0) == -1)
		log_warn("sd_notify");
}
