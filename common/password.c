#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "password.h"

int
read_password_tty(const char *prompt, char *buf, size_t len)
{
	struct termios old, noecho;
	size_t n = 0;
	ssize_t r;
	char c;
	int fd, rc = -1;

	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) == -1)
		return -1;
	if (tcgetattr(fd, &old) == -1)
		goto out;
	noecho = old;
	noecho.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	noecho.c_lflag |= ICANON;
	if (tcsetattr(fd, TCSAFLUSH, &noecho) == -1)
		goto out;
	if (write(fd, prompt, strlen(prompt)) == -1)
		goto restore;
	for (;;) {
		r = read(fd, &c, 1);
		if (r != 1 || c == '\n' || c == '\r')
			break;
		if (n + 1 >= len) {
			n = len; /* too long */
			continue;
		}
		buf[n++] = c;
	}
	if (n < len) {
		buf[n] = '\0';
		rc = 0;
	}
	explicit_bzero(&c, sizeof(c));
restore:
	(void)write(fd, "\n", 1);
	tcsetattr(fd, TCSAFLUSH, &old);
out:
	close(fd);
	if (rc == -1)
		explicit_bzero(buf, len);
	return rc;
}
