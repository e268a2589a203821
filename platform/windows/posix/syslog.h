/*
 * <syslog.h> for the win64 build: Windows has no syslog. common/log.c
 * writes to stderr in the foreground, and vland.exe always runs so
 * (a Windows service too, whose lines go to its file by log_tofile):
 * these are for a line logged before that, and write to stderr too,
 * so that no line is lost.
 */
#ifndef VLAND_WIN_SYSLOG_H
#define VLAND_WIN_SYSLOG_H

#include <stdarg.h>
#include <stdio.h>

#define LOG_EMERG   0
#define LOG_ALERT   1
#define LOG_CRIT    2
#define LOG_ERR	    3
#define LOG_WARNING 4
#define LOG_NOTICE  5
#define LOG_INFO    6
#define LOG_DEBUG   7

#define LOG_PID	   0x01
#define LOG_NDELAY 0x08
#define LOG_DAEMON (3 << 3)
#define LOG_AUTH   (4 << 3)
#define LOG_LOCAL0 (16 << 3)

static inline void
openlog(const char *ident, int option, int facility)
{
	(void)ident;
	(void)option;
	(void)facility;
}

static inline void
closelog(void)
{
}

static inline void syslog(int, const char *, ...)
    __attribute__((format(gnu_printf, 2, 3)));
static inline void
syslog(int pri, const char *fmt, ...)
{
	va_list ap;

	(void)pri;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

#endif
