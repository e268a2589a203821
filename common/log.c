/*
 * OpenBSD-style logging (see log.h). The process name is prepended to
 * every line so that the three vland processes can be told apart in one
 * stream; syslog gets the same text through vsyslog.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

static int log_foreground = 1;
static int log_verbose;
static const char *log_procname = "vland";

void
log_init(int foreground, int facility)
{
	log_foreground = foreground;
	if (!foreground)
		openlog(log_procname, LOG_PID | LOG_NDELAY, facility);
	tzset();
}

void
log_procinit(const char *procname)
{
	if (procname != NULL)
		log_procname = procname;
}

void
log_setverbose(int verbose)
{
	log_verbose = verbose;
}

int
log_getverbose(void)
{
	return log_verbose;
}

void
vlog(int pri, const char *fmt, va_list ap)
{
	char line[1024];
	int saved_errno = errno;

	/* Format once so that a line reaches stderr in one write. */
	vsnprintf(line, sizeof(line), fmt, ap);
	if (log_foreground)
		fprintf(stderr, "%s: %s\n", log_procname, line);
	else
		syslog(pri, "%s", line);
	errno = saved_errno;
}

void
logit(int pri, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(pri, fmt, ap);
	va_end(ap);
}

static void LOG_FMT(2, 0)
vlog_errno(int pri, const char *fmt, va_list ap)
{
	char msg[1024];
	int saved_errno = errno;

	if (fmt == NULL) {
		logit(pri, "%s", strerror(saved_errno));
	} else {
		vsnprintf(msg, sizeof(msg), fmt, ap);
		logit(pri, "%s: %s", msg, strerror(saved_errno));
	}
	errno = saved_errno;
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog_errno(LOG_ERR, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_verbose < 1)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

static __attribute__((noreturn)) LOG_FMT(2, 0) void
vfatalc(int code, const char *emsg, va_list ap)
{
	char s[1024] = "";

	if (emsg != NULL)
		vsnprintf(s, sizeof(s), emsg, ap);
	if (code != 0)
		logit(LOG_CRIT, "fatal: %s%s%s", s, emsg != NULL ? ": " : "",
		    strerror(code));
	else
		logit(LOG_CRIT, "fatal: %s", s);
	exit(1);
}

void
fatal(const char *emsg, ...)
{
	va_list ap;
	int code = errno;

	va_start(ap, emsg);
	vfatalc(code, emsg, ap);
	va_end(ap);
}

void
fatalx(const char *emsg, ...)
{
	va_list ap;

	va_start(ap, emsg);
	vfatalc(0, emsg, ap);
	va_end(ap);
}
