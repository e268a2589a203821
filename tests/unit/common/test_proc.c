/*
 * The process skeleton (platform/proc.h) without privileges: the command
 * line into struct proc_opts, the checks on a spec, and the order of
 * the steps of proc_main, with the privileged ones replaced by
 * recorders and a socketpair as the channel on PRIV_IPC_FD. proc_main
 * runs in a child, since it changes signal dispositions and
 * descriptor 3 and may exit; the child reports its trace on a pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/event.h>

#include "proc.h"

static char trace[512];
static char got_n;

static void
note(const char *step)
{
	if (trace[0] != '\0')
		strncat(trace, " ", sizeof(trace) - strlen(trace) - 1);
	strncat(trace, step, sizeof(trace) - strlen(trace) - 1);
}

static int
opt_hook(struct proc *p, int ch, const char *arg)
{
	char s[32];

	(void)p;
	snprintf(s, sizeof(s), "opt-%c%s%s", ch, arg != NULL ? "=" : "",
	    arg != NULL ? arg : "");
	note(s);
	if (ch == 'n' || ch == 'N')
		got_n = (char)ch; /* the last one wins, as for vland */
	return ch == 'x' ? -1 : 0;
}

static const struct proc_spec parse_spec = {
	.name = "test",
	.usage = "test [-dv] -f file -u user",
	.options = "u:nN",
	.required = "fu",
	.option = opt_hook,
};

/* getopt wants char **, and string literals are const here: copies. */
static char **
args(const char *const *in, int *argc)
{
	static char buf[16][32];
	static char *out[16];
	int i;

	for (i = 0; in[i] != NULL && i < 15; i++) {
		snprintf(buf[i], sizeof(buf[i]), "%s", in[i]);
		out[i] = buf[i];
	}
	out[i] = NULL;
	*argc = i;
	return out;
}

static int
parse(const struct proc_spec *s, struct proc *p, const char *const *in)
{
	char **argv;
	int argc;

	memset(p, 0, sizeof(*p));
	p->spec = s;
	trace[0] = '\0';
	got_n = 0;
	argv = args(in, &argc);
	return proc_parse(p, argc, argv);
}

static void
test_parse(void **state)
{
	const char *ok[] = { "t", "-dvv", "-f", "/etc/x.yaml", "-u", "bob",
		"-n", "-N", NULL };
	const char *nou[] = { "t", "-f", "/x", NULL };
	const char *extra[] = { "t", "-f", "/x", "-u", "u", "more", NULL };
	const char *unknown[] = { "t", "-f", "/x", "-u", "u", "-q", NULL };
	const char *refused[] = { "t", "-f", "/x", "-u", "u", "-x", NULL };
	struct proc p;

	(void)state;
	assert_int_equal(parse(&parse_spec, &p, ok), 0);
	assert_int_equal(p.opts.foreground, 1);
	assert_int_equal(p.opts.verbose, 2);
	assert_string_equal(p.opts.cfgfile, "/etc/x.yaml");
	assert_true(p.opts.seen['u'] && p.opts.seen['n'] && !p.opts.seen['q']);
	assert_string_equal(trace, "opt-u=bob opt-n opt-N");
	assert_int_equal(got_n, 'N');

	assert_int_equal(parse(&parse_spec, &p, nou), -1);
	assert_int_equal(parse(&parse_spec, &p, extra), -1);
	assert_int_equal(parse(&parse_spec, &p, unknown), -1);
	assert_int_equal(parse(&parse_spec, &p, refused), -1);
}

static void
test_parse_default(void **state)
{
	const struct proc_spec s = { .name = "t",
		.usage = "t",
		.cfg_default = "/etc/vland/vland.yaml" };
	const char *none[] = { "t", NULL };
	const char *f[] = { "t", "-f", "/other", NULL };
	struct proc p;

	(void)state;
	assert_int_equal(parse(&s, &p, none), 0);
	assert_string_equal(p.opts.cfgfile, "/etc/vland/vland.yaml");
	assert_int_equal(p.opts.foreground, 0);
	assert_int_equal(p.opts.verbose, 0);
	assert_int_equal(parse(&s, &p, f), 0);
	assert_string_equal(p.opts.cfgfile, "/other");
}

static void
dispatch_stub(struct ipc_chan *c, short ev, void *arg)
{
	(void)c;
	(void)ev;
	(void)arg;
}

static void
sig_stub(struct proc *p, int sig)
{
	(void)p;
	(void)sig;
}

static void
test_validate(void **state)
{
	struct proc_spec s = { .name = "t",
		.usage = "t",
		.channel = true,
		.dispatch = dispatch_stub };

	(void)state;
	assert_null(proc_validate(&s));
	s.dispatch = NULL;
	assert_non_null(proc_validate(&s));
	s.dispatch = dispatch_stub;

	s.options = "d"; /* the skeleton's own */
	assert_non_null(proc_validate(&s));
	s.options = "u:"; /* no hook */
	assert_non_null(proc_validate(&s));
	s.option = opt_hook;
	assert_null(proc_validate(&s));
	s.required = "fw"; /* -w is not taken */
	assert_non_null(proc_validate(&s));
	s.required = "fu";
	assert_null(proc_validate(&s));

	s.sig_handle[0] = SIGTERM; /* no on_signal */
	assert_non_null(proc_validate(&s));
	s.on_signal = sig_stub;
	assert_null(proc_validate(&s));
	for (int i = 0; i <= PROC_SIGNALS_MAX; i++)
		s.sig_ignore[i] = SIGPIPE; /* no terminating 0 */
	assert_non_null(proc_validate(&s));
	memset(s.sig_ignore, 0, sizeof(s.sig_ignore));

	s.channel = false; /* a dispatch with nothing to read */
	assert_non_null(proc_validate(&s));
	s.dispatch = NULL;
	assert_null(proc_validate(&s));
	s.pass_fd = true;
	assert_non_null(proc_validate(&s));
}

/* The child's side: hooks and privileged steps that only record. */
static struct ipc_chan chan;
static int peer = -1;

static void
fake_drop(const struct priv_drop *d)
{
	char s[64];

	snprintf(s, sizeof(s), "drop-%s", d->user != NULL ? d->user : "-");
	note(s);
}

static void
fake_protections(void)
{
	note("protections");
}

static void
fake_sandbox(enum sandbox_role r)
{
	note(r == SANDBOX_AUTH ? "sandbox-auth" : "sandbox-other");
}

static const struct proc_privops fake_ops = {
	.drop = fake_drop,
	.protections = fake_protections,
	.sandbox = fake_sandbox,
};

static bool
ignored(int sig)
{
	struct sigaction sa;

	return sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN;
}

static void
h_load(struct proc *p)
{
	/* Ignored from the start; the late list not yet. */
	note(ignored(SIGUSR2) && !ignored(SIGHUP) ? "load" : "load-early?");
	p->chan = &chan;
	p->arg = &chan;
	p->drop.user = "someone"; /* as vland-auth's -u */
}

static void
h_setup(struct proc *p)
{
	note(p->base == NULL ? "setup" : "setup-with-base?");
}

static void
h_events(struct proc *p)
{
	note(p->base != NULL && chan.rev != NULL ? "events" : "events-early?");
}

static void
h_ready(struct proc *p)
{
	(void)p;
	note(ignored(SIGHUP) ? "ready" : "ready-unignored?");
	raise(SIGUSR1);
}

/* The signal first, then the channel's end: the loop sees them so. */
static void
h_signal(struct proc *p, int sig)
{
	(void)p;
	note(sig == SIGUSR1 ? "signal" : "signal?");
	close(peer);
}

static void
h_dispatch(struct ipc_chan *c, short ev, void *arg)
{
	struct ipc_msg m;

	(void)ev;
	note(arg == &chan ? "dispatch" : "dispatch-arg?");
	if (ipc_read(c, &m) == 0)
		event_base_loopbreak(event_get_base(c->rev));
}

static int
h_shutdown(struct proc *p, int rc)
{
	(void)p;
	note(rc == 0 ? "shutdown" : "shutdown-rc?");
	return 7;
}

static const struct proc_spec order_spec = {
	.name = "test-proc",
	.usage = "test-proc [-dv] -f file -u user",
	.options = "u:",
	.required = "f",
	.option = opt_hook,
	.channel = true,
	.dispatch = h_dispatch,
	.drop = { "nobody", NULL, NULL, false },
	.sandbox = SANDBOX_AUTH,
	.sig_handle = { SIGUSR1 },
	.sig_ignore_early = { SIGUSR2 },
	.sig_ignore = { SIGHUP },
	.on_signal = h_signal,
	.load = h_load,
	.setup = h_setup,
	.events = h_events,
	.ready = h_ready,
	.shutdown = h_shutdown,
};

/* Run proc_main in a child with chtype on descriptor 3; its trace. */
static int
run_child(int chtype, char *out, size_t outlen)
{
	const char *in[] = { "test-proc", "-d", "-f", "/x", "-u", "u", NULL };
	struct proc p;
	char **argv;
	int argc, sv[2], tp[2], status;
	ssize_t n;
	pid_t pid;

	argv = args(in, &argc);
	assert_int_equal(socketpair(AF_UNIX, chtype, 0, sv), 0);
	/* Above PRIV_IPC_FD, which the child's dup2 takes over. */
	for (int i = 0; i < 2; i++) {
		int fd = fcntl(sv[i], F_DUPFD, 10);

		assert_true(fd >= 10);
		close(sv[i]);
		sv[i] = fd;
	}
	assert_int_equal(pipe(tp), 0);
	if ((pid = fork()) == 0) {
		close(tp[0]);
		if (dup2(sv[1], PRIV_IPC_FD) == -1)
			_exit(90);
		close(sv[1]);
		peer = sv[0];
		trace[0] = '\0';
		status = proc_main(&p, &order_spec, &fake_ops, argc, argv);
		if (write(tp[1], trace, strlen(trace)) == -1)
			_exit(91);
		_exit(status);
	}
	assert_true(pid > 0);
	close(tp[1]);
	close(sv[0]);
	close(sv[1]);
	memset(out, 0, outlen);
	n = read(tp[0], out, outlen - 1);
	assert_true(n >= 0);
	close(tp[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void
test_order(void **state)
{
	char out[512];

	(void)state;
	assert_int_equal(run_child(SOCK_SEQPACKET, out, sizeof(out)), 7);
	assert_string_equal(out,
	    "opt-u=u load drop-someone protections setup events "
	    "sandbox-auth ready signal dispatch shutdown");
}

/* A stream socket on descriptor 3 is not vland's channel. */
static void
test_not_vland(void **state)
{
	char out[512];

	(void)state;
	assert_int_equal(run_child(SOCK_STREAM, out, sizeof(out)), 1);
	assert_string_equal(out, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_default),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_not_vland),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
