/*
 * A listening socket that runs out of descriptors (EMFILE, ENFILE, or
 * no kernel memory) stops accepting for a second, as bgpd does, instead
 * of waking up again at once for the same failing accept: no spinning,
 * no flood of log lines, and the sessions keep the CPU.
 */
#ifndef VLAND_FDPAUSE_H
#define VLAND_FDPAUSE_H

#include <stdbool.h>
#include <stdint.h>

struct event;

struct fdpause {
	const char *name;	   /* "web", "control": for the log */
	void (*resume)(void *arg); /* start accepting again */
	void *arg;
	struct event *timer;
	uint64_t pauses; /* since the last log line */
	uint64_t logged_ms;
};

void fdpause_init(struct fdpause *, const char *name, void (*resume)(void *),
    void *arg);
/*
 * After a failed accept with errno err: true if it was for want of
 * descriptors, in which case the caller stops accepting now and resume
 * is called in a second. Logs the first pause, then once a minute.
 */
bool fdpause_failed(struct fdpause *, int err);
void fdpause_clear(struct fdpause *);

#endif
