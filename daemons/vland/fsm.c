/*
 * State machines checked against their transition tables (fsm.h).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fsm.h"
#include "log.h"

static uint64_t illegal;
#ifdef VLAND_DEBUG
static bool strict = true;
#else
static bool strict = false;
#endif
static int trace_fd = -1;

bool
fsm_allowed(const struct fsm_def *d, unsigned from, unsigned to)
{
	if (from >= d->nstates || to >= d->nstates)
		return false;
	return from == to || (d->allowed[from] >> to & 1) != 0;
}

const char *
fsm_state_name(const struct fsm_def *d, unsigned st)
{
	return st < d->nstates ? d->states[st] : "?";
}

const char *
fsm_event_name(const struct fsm_def *d, unsigned ev)
{
	return ev < d->nevents ? d->events[ev] : "?";
}

static void
trace(const struct fsm_def *d, unsigned from, unsigned to)
{
	char line[160];
	int n;

	if (d->taken[from] >> to & 1)
		return;
	d->taken[from] |= 1U << to;
	if (trace_fd == -1)
		return;
	n = snprintf(line, sizeof(line), "%s %s %s\n", d->name, d->states[from],
	    d->states[to]);
	if (n > 0 && (size_t)n < sizeof(line) &&
	    write(trace_fd, line, (size_t)n) != n)
		trace_fd = -1; /* a debugging aid: never worth failing for */
}

bool
fsm_step(const struct fsm_def *d, unsigned from, unsigned to, unsigned event,
    uint32_t id)
{
	if (!fsm_allowed(d, from, to)) {
		illegal++;
		log_warnx("%s %u: illegal transition %s -> %s on %s", d->name,
		    id, fsm_state_name(d, from), fsm_state_name(d, to),
		    fsm_event_name(d, event));
		if (strict)
			fatalx("stopping on an illegal transition (a debug "
			       "build)");
		return false;
	}
	if (from != to)
		trace(d, from, to);
	return true;
}

uint64_t
fsm_illegal(void)
{
	return illegal;
}

void
fsm_set_strict(bool on)
{
	strict = on;
}

void
fsm_trace_open(const char *procname)
{
#ifdef VLAND_DEBUG
	const char *dir = getenv("VLAND_FSM_TRACE");
	char path[512];

	if (dir == NULL || *dir == '\0')
		return;
	snprintf(path, sizeof(path), "%s/%s.%ld", dir, procname,
	    (long)getpid());
	trace_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
#else
	(void)procname;
#endif
}
