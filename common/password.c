/*
 * Password input (password.h) with read(2) a byte at a time, not stdio,
 * so that no copy of the password stays in a buffer nobody wipes and
 * nothing past its line is taken from standard input.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "password.h"

static volatile sig_atomic_t pw_signo;

static void
pw_catch(int signo)
{
	pw_signo = signo;
}

/*
 * Read one line from fd into buf (without the newline). Returns its
 * length, -1 on a read error or signal, -2 if longer than size - 1.
 */
ssize_t
password_read_line(int fd, char *buf, size_t size)
{
	size_t n = 0;
	bool toolong = false;
	ssize_t r;
	char c;

	for (;;) {
		if ((r = read(fd, &c, 1)) == -1) {
			if (errno == EINTR && pw_signo == 0)
				continue;
			return -1;
		}
		if (r == 0 || c == '\n')
			break;
		if (n + 1 < size)
			buf[n++] = c;
		else
			toolong = true;
	}
	buf[n] = '\0';
	if (toolong)
		return -2;
	return r == 0 && n == 0 ? -3 : (ssize_t)n;
}

/* From the terminal, without echo; the terminal is restored always. */
ssize_t
password_read_tty(const char *prompt, char *buf, size_t size)
{
	struct termios old, noecho;
	struct sigaction sa, saved[4];
	const int sigs[4] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	ssize_t n;
	int i;

	if (tcgetattr(STDIN_FILENO, &old) == -1)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = pw_catch; /* no SA_RESTART: read returns EINTR */
	sigemptyset(&sa.sa_mask);
	pw_signo = 0;
	for (i = 0; i < 4; i++)
		sigaction(sigs[i], &sa, &saved[i]);
	noecho = old;
	noecho.c_lflag &= ~(tcflag_t)ECHO;
	noecho.c_lflag |= ECHONL;
	/* Echo goes off before the prompt shows: an answer typed right
	 * after it must be neither echoed nor flushed. */
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &noecho) == -1) {
		n = -1;
	} else {
		fputs(prompt, stderr);
		fflush(stderr);
		n = password_read_line(STDIN_FILENO, buf, size);
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	}
	for (i = 0; i < 4; i++)
		sigaction(sigs[i], &saved[i], NULL);
	if (pw_signo != 0) {
		explicit_bzero(buf, size);
		fputc('\n', stderr);
		raise(pw_signo);
	}
	return n;
}
