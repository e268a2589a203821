/*
 * Reading passwords: from the terminal without echo (vland asks for an
 * endpoint's password, vlanctl for a user's), or one line from standard
 * input for scripts. Never echoed, never logged.
 */
#ifndef VLAND_PASSWORD_H
#define VLAND_PASSWORD_H

#include <stddef.h>
#include <sys/types.h>

/*
 * One line from fd into buf, without the newline. Returns its length,
 * -1 on a read error or signal, -2 if longer than size - 1, -3 at end of
 * file with nothing read.
 */
ssize_t password_read_line(int fd, char *buf, size_t size);

/*
 * Print prompt on stderr and read one line from the terminal on standard
 * input with echo off; the terminal is restored whatever happens, and a
 * signal that interrupts is raised again afterwards. Returns as
 * password_read_line.
 */
ssize_t password_read_tty(const char *prompt, char *buf, size_t size);

#endif
