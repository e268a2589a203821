/*
 * Logging in the OpenBSD daemon style: one line per event, the process
 * name on every line, stderr in the foreground (-d), syslog otherwise.
 * Never pass a password or a key to these functions.
 */
#ifndef VLAND_LOG_H
#define VLAND_LOG_H

#include <stdarg.h>
#include <stdio.h>

#ifdef __MINGW32__
/* mingw-w64's "printf" archetype is Microsoft's, which knows no %zu;
 * the win64 build uses mingw's C99 stdio (platform/windows/posix). */
#define LOG_FMT(a, b) __attribute__((format(gnu_printf, a, b)))
#else
#define LOG_FMT(a, b) __attribute__((format(printf, a, b)))
#endif

void log_init(int foreground, int facility);
void log_procinit(const char *procname);
/* Foreground lines to f instead of standard error, each after the time
 * in UTC and flushed at once: a Windows service's log file, where a
 * service has no standard error (platform/windows/service.c). */
void log_tofile(FILE *f);
/* The same to the file at path, opened to append (log-file in
 * vland.yaml(5), Windows only); 0, or -1 with errno. */
int log_topath(const char *path);
void log_setverbose(int verbose);
int log_getverbose(void);
void log_warn(const char *, ...) LOG_FMT(1, 2);
void log_warnx(const char *, ...) LOG_FMT(1, 2);
void log_info(const char *, ...) LOG_FMT(1, 2);
void log_debug(const char *, ...) LOG_FMT(1, 2);
void logit(int pri, const char *, ...) LOG_FMT(2, 3);
void vlog(int pri, const char *, va_list) LOG_FMT(2, 0);
__attribute__((noreturn)) void fatal(const char *, ...) LOG_FMT(1, 2);
__attribute__((noreturn)) void fatalx(const char *, ...) LOG_FMT(1, 2);

#endif
