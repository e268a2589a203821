/*
 * State machines with a table of the transitions they allow. Every
 * change of a session's or of the endpoint's connection state goes
 * through fsm_step(), so a transition the design does not allow is
 * caught where it happens (logged and counted; fatal in debug builds)
 * instead of surfacing later as a session in a state nobody expected.
 */
#ifndef VLAND_FSM_H
#define VLAND_FSM_H

#include <stdbool.h>
#include <stdint.h>

#define FSM_STATES_MAX 32

struct fsm_def {
	const char *name; /* "session", "endpoint": for the log */
	const char *const *states;
	unsigned nstates;
	const char *const *events;
	unsigned nevents;
	/* allowed[from] has bit to set if from -> to is allowed */
	const uint32_t *allowed;
	uint32_t *taken; /* [from]: bits of the transitions taken (trace) */
};

/*
 * May a machine of def in state from go to state to because of event?
 * A change to the same state is not a transition and always allowed.
 * An illegal one is logged naming the object (id) and counted, and
 * stops a debug build; the caller keeps the old state. Returns whether
 * the change is allowed.
 */
bool fsm_step(const struct fsm_def *, unsigned from, unsigned to,
    unsigned event, uint32_t id);
bool fsm_allowed(const struct fsm_def *, unsigned from, unsigned to);
const char *fsm_state_name(const struct fsm_def *, unsigned);
const char *fsm_event_name(const struct fsm_def *, unsigned);
/* Illegal transitions refused since start (vlanctl show status). */
uint64_t fsm_illegal(void);
/* Whether an illegal transition stops the process (tests turn it off). */
void fsm_set_strict(bool);

/*
 * Debug builds: with VLAND_FSM_TRACE naming a directory, each transition
 * is written there the first time this process takes it, so that a test
 * run can show which transitions no test reaches
 * (tests/unit/vland/fsm_coverage.c). Opened before the sandbox.
 */
void fsm_trace_open(const char *procname);

#endif
