/* Reading a password from the terminal, without echo. */
#ifndef VLAND_PASSWORD_H
#define VLAND_PASSWORD_H

#include <stddef.h>

/*
 * Print prompt on /dev/tty and read one line with echo off into buf
 * (newline removed). Returns 0, or -1 if there is no terminal or the
 * line does not fit.
 */
int read_password_tty(const char *prompt, char *buf, size_t len);

#endif
