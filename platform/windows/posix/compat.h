/*
 * Included first in every file of the win64 build (meson.build's
 * -include; scripts/windows.sh makes that build): what vland's
 * platform-neutral code (common/, proto/) takes from POSIX's C library
 * and mingw-w64 spells otherwise or lacks. Nothing of Windows' own
 * headers here, so that a file that uses no network call is not given
 * Winsock's names (a test's static accept() would clash with it). The
 * Linux build never sees this directory, so nothing there changes.
 */
#ifndef VLAND_WIN_COMPAT_H
#define VLAND_WIN_COMPAT_H

/* Whoever includes <windows.h> first (libevent's headers do), only its
 * core: the full form defines macros such as "interface", a struct
 * member's name in config.h. */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif

/* mingw's own C99 printf family (%zu, %ju), not msvcrt's. */
#define __USE_MINGW_ANSI_STDIO 1

/* gmtime_r and localtime_r (vlanctl's times): mingw's <time.h> maps
 * them to gmtime_s and localtime_s when this is defined. */
#define _POSIX_THREAD_SAFE_FUNCTIONS 200112L

#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>

/* O_CLOEXEC on Linux keeps a file out of the programs vland starts;
 * O_NOINHERIT is that on Windows. O_BINARY: the bytes read are the
 * file's (a key, a configuration), with no CRLF translation. */
#define O_CLOEXEC (O_NOINHERIT | O_BINARY)

/* The file was just opened, so its full path names it: Windows'
 * _fullpath, with slashes for its backslashes, so that config_parse.c
 * finds the directory of the file as it does on Linux. */
static inline char *
realpath(const char *path, char *resolved)
{
	char *p;

	if (_fullpath(resolved, path, PATH_MAX) == NULL)
		return NULL;
	for (p = resolved; *p != '\0'; p++)
		if (*p == '\\')
			*p = '/';
	return resolved;
}

/* _commit flushes a file to the disk, as fsync does. */
static inline int
fsync(int fd)
{
	return _commit(fd);
}

/* A clear of secret bytes that the compiler may not drop: the stores go
 * through a volatile pointer. */
static inline void
explicit_bzero(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n-- > 0)
		*v++ = 0;
}

/*
 * No hang-up and no broken pipe on Windows: 0 ends proc.h's signal
 * lists, so the lists name them last (vland.c: SIGHUP, a reload, after
 * SIGTERM and SIGINT; SIGPIPE alone), and a reload is vlanctl's.
 */
#define SIGHUP	0
#define SIGPIPE 0

/*
 * No user ids: vland's "must be started as root" is Linux's, where it
 * drops what root gives; on Windows what needs an administrator (IP
 * Helper's addresses and routes) fails with its own error.
 */
static inline int
geteuid(void)
{
	return 0;
}

/* No daemon(3): vland.exe runs in the foreground (-d), from a console
 * or as a Windows service (platform/windows/service.c runs it so). */
static inline int
daemon(int nochdir, int noclose)
{
	(void)nochdir;
	(void)noclose;
	errno = ENOSYS;
	return -1;
}

#endif
