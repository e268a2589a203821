/*
 * The process skeleton, in the manner of OpenIKED's proc.c: the steps
 * every vland process takes from main to exit, in one place and one
 * order, so that each main keeps only its policy. A process is one
 * const struct proc_spec (its name, options, channel, privileges,
 * sandbox, signals) beside its hooks and its dispatch function.
 *
 * A helper (started by vland with its channel on PRIV_IPC_FD) calls
 * proc_run(&spec, argc, argv), which does, in this order:
 *
 *   proc_init   parse -d, -v, -f and the spec's own options (usage and
 *               exit 1 on a bad line); secret_no_dump; log_procinit,
 *               log_init, log_setverbose (before any chroot: syslog's
 *               socket is outside it); check that PRIV_IPC_FD is a
 *               SOCK_SEQPACKET socket; ignore sig_ignore_early.
 *   load        hook: what must be read or opened while privileged
 *               (the policy, netlink, the chroot's path); it says
 *               where the channel lives (p->chan), the dispatch
 *               argument (p->arg) and may complete p->drop.
 *   proc_drop   priv_drop(&p->drop), priv_log_protections.
 *   setup       hook: set-up that needs no privilege, before the loop.
 *   events      event_base_new; ipc_init on PRIV_IPC_FD (descriptors
 *               pass if pass_fd) and ipc_event_set with dispatch; then
 *               the events hook adds the process's own events.
 *   proc_loop   the signal events of sig_handle (to on_signal),
 *               sig_ignore ignored, sandbox_enter(sandbox), the ready
 *               hook, event_base_dispatch.
 *   shutdown    hook, with the loop's result: its value is the exit
 *               status proc_run returns (the hook may also exit).
 *
 * vland itself is no helper: it makes the channels, loads and checks
 * its configuration, starts the helpers and daemonises. It uses the
 * parts where they fit: proc_init for its options and logging,
 * proc_drop and proc_loop for the drop, signals, sandbox and loop, and
 * keeps its own flow between them.
 *
 * To add a fourth process: a main that fills one struct proc_spec (a
 * "Keeps:" comment at it saying what survives the drop, and why), its
 * hooks and one dispatch function for its channel's messages, and
 * returns proc_run(&spec, argc, argv); a sandbox_role of its own in
 * platform/sandbox.h; vland starts it in helpers.c.
 */
#ifndef VLAND_PROC_H
#define VLAND_PROC_H

#include <stdbool.h>

#include "ipc.h"
#include "privsep.h"
#include "sandbox.h"

#define PROC_SIGNALS_MAX 4 /* handled or ignored, per list */

struct event;
struct event_base;
struct proc;

/* The command line, as the skeleton reads it. */
struct proc_opts {
	int foreground;	     /* -d: stay in the foreground, log to stderr */
	int verbose;	     /* -v, counted */
	const char *cfgfile; /* -f, else the spec's default */
	bool to_stderr;	     /* log to stderr without -d (vland -n) */
	bool seen[128];	     /* each option letter given */
};

struct proc_spec {
	const char *name;	 /* the log's process name */
	const char *usage;	 /* the line after "usage: " */
	const char *options;	 /* getopt letters besides "df:v" */
	const char *required;	 /* letters that must be given, e.g. "f" */
	const char *cfg_default; /* -f when not given (NULL: none) */
	/* One of the spec's options: 0, or -1 for usage. */
	int (*option)(struct proc *, int ch, const char *arg);

	bool channel; /* started by vland, its channel on PRIV_IPC_FD */
	bool pass_fd; /* descriptors may cross the channel */
	ipc_cb dispatch;

	struct priv_drop drop; /* what to drop to; load may complete it */
	enum sandbox_role sandbox;
	/* 0-terminated lists. Early: ignored from the start, before
	 * load; else with the handled ones, just before the sandbox. */
	int sig_handle[PROC_SIGNALS_MAX + 1];
	int sig_ignore_early[PROC_SIGNALS_MAX + 1];
	int sig_ignore[PROC_SIGNALS_MAX + 1];
	void (*on_signal)(struct proc *, int sig);

	/* The process's own steps; NULL where it has none. */
	void (*load)(struct proc *);   /* privileged, before the drop */
	void (*setup)(struct proc *);  /* after the drop, no base yet */
	void (*events)(struct proc *); /* its events on p->base */
	void (*ready)(struct proc *);  /* sandboxed, before the loop */
	int (*shutdown)(struct proc *, int loop_rc); /* the exit status */
};

/*
 * The privileged steps, real in the daemons; a unit test replaces
 * them to run the skeleton unprivileged and see their order.
 */
struct proc_privops {
	void (*drop)(const struct priv_drop *);
	void (*protections)(void);
	void (*sandbox)(enum sandbox_role);
};
extern const struct proc_privops proc_privops_real;

/* A running process. */
struct proc {
	const struct proc_spec *spec;
	const struct proc_privops *ops;
	struct proc_opts opts;
	struct priv_drop drop; /* a copy of the spec's, load may fill */
	struct ipc_chan *chan; /* where the channel lives (load says) */
	void *arg;	       /* dispatch's argument (load says) */
	struct event_base *base;
	struct event *sigev[PROC_SIGNALS_MAX];
	int nsigev;
};

/* What is wrong with spec, or NULL if nothing is. */
const char *proc_validate(const struct proc_spec *);

/*
 * Parse argv into p->opts (the spec's option hook sees its letters as
 * they come). Returns 0, or -1 when the line calls for usage.
 */
int proc_parse(struct proc *, int argc, char **argv);

/* Print the spec's usage line and exit 1. */
__attribute__((noreturn)) void proc_usage(const struct proc_spec *);

/* Validate, parse, then the logging and channel steps (see above). */
void proc_init(struct proc *, const struct proc_spec *,
    const struct proc_privops *, int argc, char **argv);

/* priv_drop(&p->drop), then log the protections. */
void proc_drop(struct proc *);

/* Signals, sandbox, ready hook and the loop; the loop's result. */
int proc_loop(struct proc *);

/* Free the signal events (before the base is freed). */
void proc_free(struct proc *);

/* The whole helper, with the privileged steps ops; the exit status. */
int proc_main(struct proc *, const struct proc_spec *,
    const struct proc_privops *, int argc, char **argv);

/* proc_main with the real privileged steps. */
int proc_run(const struct proc_spec *, int argc, char **argv);

#endif
