/*
 * password.h on Windows (common/password.c is POSIX's: termios and
 * signals). A line is read a byte at a time with _read, as there, so
 * that no copy stays in a stdio buffer; the console gives "\r\n", and
 * the "\r" is no part of the password. The prompt turns the console's
 * echo off (SetConsoleMode without ENABLE_ECHO_INPUT) and back on after
 * the line, and after Ctrl-C or Ctrl-Break too: the console outlives
 * the process, and would be left not echoing. Calls go through
 * plat_winapi, so that the test can check the modes set under wine.
 */
#include <io.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "password.h"
#include "winapi.h"

ssize_t
password_read_line(int fd, char *buf, size_t size)
{
	size_t n = 0;
	bool toolong = false;
	int r;
	char c;

	for (;;) {
		if ((r = _read(fd, &c, 1)) == -1)
			return -1;
		if (r == 0 || c == '\n')
			break;
		if (c == '\r')
			continue;
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

/* The console and its mode before the prompt, for the handler. */
static HANDLE pw_console;
static DWORD pw_mode;

/* Ctrl-C or Ctrl-Break while the echo is off: echo back on, then the
 * default handling (FALSE: the next handler, which ends the process). */
static BOOL WINAPI
pw_ctrl(DWORD type)
{
	(void)type;
	plat_winapi->set_console_mode(pw_console, pw_mode);
	return FALSE;
}

ssize_t
password_read_tty(const char *prompt, char *buf, size_t size)
{
	ssize_t n;

	pw_console = plat_winapi->get_std_handle(STD_INPUT_HANDLE);
	if (pw_console == INVALID_HANDLE_VALUE || pw_console == NULL ||
	    !plat_winapi->get_console_mode(pw_console, &pw_mode))
		return -1; /* not a console */
	if (!plat_winapi->set_ctrl_handler(pw_ctrl, TRUE))
		return -1;
	/* Echo off before the prompt shows, as on Linux; line input
	 * stays, which Windows requires of no echo. */
	if (!plat_winapi->set_console_mode(pw_console,
		(pw_mode & ~(DWORD)ENABLE_ECHO_INPUT) | ENABLE_LINE_INPUT |
		    ENABLE_PROCESSED_INPUT)) {
		plat_winapi->set_ctrl_handler(pw_ctrl, FALSE);
		return -1;
	}
	fputs(prompt, stderr);
	fflush(stderr);
	n = password_read_line(0, buf, size);
	plat_winapi->set_console_mode(pw_console, pw_mode);
	plat_winapi->set_ctrl_handler(pw_ctrl, FALSE);
	/* The newline the user typed was not echoed. */
	fputc('\n', stderr);
	return n;
}
