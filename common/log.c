/*
 * OpenBSD-style logging (see log.h). The process name is prepended to
 * every line so that the three vland processes can be told apart in one
 * stream; syslog gets the same text through vsyslog.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

static int log_foreground = 1;
static int log_verbose;
static const char *log_procname = "vland";
static int log_every_line; /* VLAND_LOG_EVERY_LINE: no counting */
static FILE *log_file;	   /* log_tofile's, else standard error */

void
log_init(int foreground, int facility)
{
	const char *all = getenv("VLAND_LOG_EVERY_LINE");

	log_every_line = all != NULL && all[0] != '\0';
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
log_tofile(FILE *f)
{
	log_file = f;
}

int
log_topath(const char *path)
{
	FILE *f;

	if ((f = fopen(path, "a")) == NULL)
		return -1;
	/* The file given before (the service's -l) is done with: closed,
	 * so that it can be moved or deleted while vland.exe runs. */
	if (log_file != NULL)
		fclose(log_file);
	log_tofile(f);
	return 0;
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

static void
emit(int pri, const char *line)
{
	char when[32];
	time_t t;
	struct tm tm;

	if (log_foreground && log_file != NULL) {
		t = time(NULL);
		if (gmtime_r(&t, &tm) == NULL ||
		    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) ==
			0)
			snprintf(when, sizeof(when), "-");
		fprintf(log_file, "%s %s: %s\n", when, log_procname, line);
		fflush(log_file);
	} else if (log_foreground) {
		fprintf(stderr, "%s: %s\n", log_procname, line);
	} else {
		syslog(pri, "%s", line);
	}
}

/*
 * A message repeated in a loop must not flood the log: the same line
 * again within LOG_REPEAT_MS is counted, not written, and said as "last
 * message repeated N times" when another line comes (or the same one
 * later); and past LOG_BURST lines in a second the rest of that second
 * is counted and said in one line. Fatal lines always go out.
 */
#define LOG_REPEAT_MS 30000
#define LOG_BURST     200

static struct {
	char last[1024];
	int last_pri;
	uint64_t last_ms; /* when last was written */
	unsigned long repeats;
	uint64_t second_ms; /* start of the current second */
	unsigned lines;	    /* written in it */
	unsigned long dropped;
} lr;

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
flush_counts(void)
{
	char note[96];

	if (lr.repeats > 0) {
		snprintf(note, sizeof(note), "last message repeated %lu times",
		    lr.repeats);
		emit(lr.last_pri, note);
		lr.repeats = 0;
	}
	if (lr.dropped > 0) {
		snprintf(note, sizeof(note),
		    "%lu messages not logged (more than %d in a second)",
		    lr.dropped, LOG_BURST);
		emit(LOG_WARNING, note);
		lr.dropped = 0;
	}
}

void
vlog(int pri, const char *fmt, va_list ap)
{
	char line[1024];
	int saved_errno = errno;
	uint64_t now = mono_ms();

	/* Format once so that a line reaches stderr in one write. */
	vsnprintf(line, sizeof(line), fmt, ap);
	if (log_every_line) {
		emit(pri, line);
		errno = saved_errno;
		return;
	}
	if (pri != LOG_CRIT && pri == lr.last_pri &&
	    now - lr.last_ms < LOG_REPEAT_MS && strcmp(line, lr.last) == 0) {
		lr.repeats++;
		errno = saved_errno;
		return;
	}
	if (now - lr.second_ms >= 1000) {
		lr.second_ms = now;
		lr.lines = 0;
	}
	if (pri != LOG_CRIT && lr.lines >= LOG_BURST) {
		lr.dropped++;
		errno = saved_errno;
		return;
	}
	flush_counts();
	emit(pri, line);
	lr.lines++;
	snprintf(lr.last, sizeof(lr.last), "%s", line);
	lr.last_pri = pri;
	lr.last_ms = now;
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

static void vlog_errno(int, const char *, va_list) LOG_FMT(2, 0);

static void
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

static void vfatalc(int, const char *, va_list) LOG_FMT(2, 0)
    __attribute__((noreturn));

static void
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
