/*
 * platform/windows/password.c under wine: a line read from a pipe
 * (CR LF ends it, the CR is dropped; too long and empty end of file are
 * told apart), and the prompt's console modes, against fakes: echo off
 * before the prompt, the mode as it was after the line, the Ctrl-C
 * handler in place meanwhile and restoring the echo if called; not a
 * console: -1 and no mode set.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "password.h"
#include "winapi.h"

#define CONSOLE ((HANDLE)(uintptr_t)0x77)
#define MODE_BEFORE                                                       \
	(ENABLE_ECHO_INPUT | ENABLE_LINE_INPUT | ENABLE_PROCESSED_INPUT | \
	    ENABLE_INSERT_MODE)

static bool is_console;
static DWORD modes[8];
static size_t nmodes;
static PHANDLER_ROUTINE added; /* the last handler added */
static int handlers;

static HANDLE WINAPI
f_get_std_handle(DWORD which)
{
	assert_int_equal(which, STD_INPUT_HANDLE);
	return CONSOLE;
}

static BOOL WINAPI
f_get_console_mode(HANDLE h, LPDWORD mode)
{
	assert_ptr_equal(h, CONSOLE);
	if (!is_console)
		return FALSE;
	*mode = MODE_BEFORE;
	return TRUE;
}

static BOOL WINAPI
f_set_console_mode(HANDLE h, DWORD mode)
{
	assert_ptr_equal(h, CONSOLE);
	assert_true(nmodes < 8);
	modes[nmodes++] = mode;
	return TRUE;
}

static BOOL WINAPI
f_set_ctrl_handler(PHANDLER_ROUTINE fn, BOOL add)
{
	handlers += add ? 1 : -1;
	if (add)
		added = fn;
	return TRUE;
}

static const struct plat_winapi fake = {
	.get_std_handle = f_get_std_handle,
	.get_console_mode = f_get_console_mode,
	.set_console_mode = f_set_console_mode,
	.set_ctrl_handler = f_set_ctrl_handler,
};

/* A pipe whose read end holds s, written and closed. */
static int
pipe_of(const char *s)
{
	int p[2];

	assert_int_equal(_pipe(p, 4096, _O_BINARY), 0);
	assert_int_equal(_write(p[1], s, (unsigned)strlen(s)), (int)strlen(s));
	_close(p[1]);
	return p[0];
}

static void
test_read_line(void **state)
{
	char buf[8];
	int fd;

	(void)state;
	fd = pipe_of("secret\r\nnext\n");
	assert_int_equal(password_read_line(fd, buf, sizeof(buf)), 6);
	assert_string_equal(buf, "secret");
	assert_int_equal(password_read_line(fd, buf, sizeof(buf)), 4);
	assert_string_equal(buf, "next");
	assert_int_equal(password_read_line(fd, buf, sizeof(buf)), -3);
	_close(fd);
	fd = pipe_of("12345678\n");
	assert_int_equal(password_read_line(fd, buf, sizeof(buf)), -2);
	_close(fd);
}

static void
test_tty_echo_off(void **state)
{
	char buf[32];
	int saved = _dup(0), fd = pipe_of("hunter2\r\n");

	(void)state;
	plat_winapi = &fake;
	is_console = true;
	nmodes = 0;
	handlers = 0;
	assert_int_equal(_dup2(fd, 0), 0);
	assert_int_equal(password_read_tty("Password: ", buf, sizeof(buf)), 7);
	assert_int_equal(_dup2(saved, 0), 0);
	_close(fd);
	_close(saved);
	assert_string_equal(buf, "hunter2");
	assert_int_equal(nmodes, 2);
	assert_int_equal(modes[0] & ENABLE_ECHO_INPUT, 0);
	assert_true((modes[0] & ENABLE_LINE_INPUT) != 0);
	assert_int_equal(modes[1], MODE_BEFORE);
	assert_int_equal(handlers, 0);
}

static void
test_ctrl_c_restores(void **state)
{
	char buf[32];
	int saved = _dup(0), fd = pipe_of("x\n");

	(void)state;
	plat_winapi = &fake;
	is_console = true;
	nmodes = 0;
	handlers = 0;
	added = NULL;
	assert_int_equal(_dup2(fd, 0), 0);
	assert_int_equal(password_read_tty("Password: ", buf, sizeof(buf)), 1);
	assert_int_equal(_dup2(saved, 0), 0);
	_close(fd);
	_close(saved);
	/* The handler it had in place, called as Ctrl-C would: the echo
	 * back on, and FALSE, so that the default handling ends us. */
	assert_non_null(added);
	nmodes = 0;
	assert_false(added(CTRL_C_EVENT));
	assert_int_equal(nmodes, 1);
	assert_int_equal(modes[0], MODE_BEFORE);
}

static void
test_not_a_console(void **state)
{
	char buf[32];

	(void)state;
	plat_winapi = &fake;
	is_console = false;
	nmodes = 0;
	handlers = 0;
	assert_int_equal(password_read_tty("Password: ", buf, sizeof(buf)), -1);
	assert_int_equal(nmodes, 0);
	assert_int_equal(handlers, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_line),
		cmocka_unit_test(test_tty_echo_off),
		cmocka_unit_test(test_ctrl_c_restores),
		cmocka_unit_test(test_not_a_console),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
