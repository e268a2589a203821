/*
 * The process skeleton (proc.h): the steps every vland process shares,
 * from the command line to the event loop, in the order the
 * privilege separation depends on. What differs between processes is
 * in their struct proc_spec and its hooks, never here.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "proc.h"
#include "secretfile.h"

const struct proc_privops proc_privops_real = {
	.drop = priv_drop,
	.protections = priv_log_protections,
	.sandbox = sandbox_enter,
};

/* Letters the skeleton reads itself. */
#define PROC_COMMON_OPTS "df:v"

static bool
sig_list_ok(const int *l)
{
	return l[PROC_SIGNALS_MAX] == 0;
}

static const char *
options_check(const struct proc_spec *s)
{
	const char *o, *r;

	for (o = s->options != NULL ? s->options : ""; *o != '\0'; o++) {
		if (*o == ':')
			continue;
		if (strchr(PROC_COMMON_OPTS, *o) != NULL)
			return "an option the skeleton reads itself";
		if ((unsigned char)*o >= 128 || *o == '?' || *o == '-')
			return "an option letter getopt cannot give";
		if (s->option == NULL)
			return "options but no option hook";
	}
	for (r = s->required != NULL ? s->required : ""; *r != '\0'; r++)
		if (*r == ':' ||
		    (*r != 'f' &&
			(s->options == NULL || strchr(s->options, *r) == NULL)))
			return "a required option it does not take";
	return NULL;
}

const char *
proc_validate(const struct proc_spec *s)
{
	const char *why;

	if (s->name == NULL || s->usage == NULL)
		return "no name or usage";
	if ((why = options_check(s)) != NULL)
		return why;
	if (s->channel && s->dispatch == NULL)
		return "a channel but no dispatch";
	if (!s->channel && (s->pass_fd || s->dispatch != NULL))
		return "a dispatch or descriptor passing but no channel";
	if (!sig_list_ok(s->sig_handle) || !sig_list_ok(s->sig_ignore) ||
	    !sig_list_ok(s->sig_ignore_early))
		return "a signal list without its terminating 0";
	if (s->sig_handle[0] != 0 && s->on_signal == NULL)
		return "signals to handle but no on_signal";
	return NULL;
}

void
proc_usage(const struct proc_spec *s)
{
	fprintf(stderr, "usage: %s\n", s->usage);
	exit(1);
}

int
proc_parse(struct proc *p, int argc, char **argv)
{
	const struct proc_spec *s = p->spec;
	char optstr[64];
	const char *r;
	int ch;

	snprintf(optstr, sizeof(optstr), "%s%s", PROC_COMMON_OPTS,
	    s->options != NULL ? s->options : "");
	memset(&p->opts, 0, sizeof(p->opts));
	p->opts.cfgfile = s->cfg_default;
	/* Once in a daemon; again in each unit test. */
	optind = 1;
	while ((ch = getopt(argc, argv, optstr)) != -1) {
		if (ch == '?' || ch == ':' || ch < 0 || ch >= 128)
			return -1;
		p->opts.seen[ch] = true;
		switch (ch) {
		case 'd':
			p->opts.foreground = 1;
			break;
		case 'f':
			p->opts.cfgfile = optarg;
			break;
		case 'v':
			p->opts.verbose++;
			break;
		default:
			/* As it comes: vland's -h and -V print and exit. */
			if (s->option(p, ch, optarg) == -1)
				return -1;
		}
	}
	if (optind != argc)
		return -1;
	for (r = s->required != NULL ? s->required : ""; *r != '\0'; r++)
		if (!p->opts.seen[(unsigned char)*r])
			return -1;
	return 0;
}

/* Only vland starts a helper, and it leaves the channel here. */
static void
channel_check(void)
{
	socklen_t len;
	int type;

	len = sizeof(type);
	if (getsockopt(PRIV_IPC_FD, SOL_SOCKET, SO_TYPE, (void *)&type, &len) ==
		-1 ||
	    type != SOCK_SEQPACKET)
		fatalx("must be started by vland(8), with its socket on "
		       "descriptor %d",
		    PRIV_IPC_FD);
}

static void
ignore(const int *sigs)
{
	for (; *sigs != 0; sigs++)
		signal(*sigs, SIG_IGN);
}

void
proc_init(struct proc *p, const struct proc_spec *s,
    const struct proc_privops *ops, int argc, char **argv)
{
	const char *why;

	memset(p, 0, sizeof(*p));
	p->spec = s;
	p->ops = ops;
	p->drop = s->drop;
	if ((why = proc_validate(s)) != NULL)
		fatalx("process %s: %s", s->name != NULL ? s->name : "?", why);
	if (proc_parse(p, argc, argv) == -1)
		proc_usage(s);

	secret_no_dump();
	log_procinit(s->name);
	/* Before any chroot: syslog's socket is outside it. */
	log_init(p->opts.foreground || p->opts.to_stderr, LOG_DAEMON);
	log_setverbose(p->opts.verbose);
	if (s->channel)
		channel_check();
	ignore(s->sig_ignore_early);
}

void
proc_drop(struct proc *p)
{
	p->ops->drop(&p->drop);
	p->ops->protections();
}

static void
on_signal(evutil_socket_t sig, short ev, void *arg)
{
	struct proc *p = arg;

	(void)ev;
	p->spec->on_signal(p, (int)sig);
}

int
proc_loop(struct proc *p)
{
	const struct proc_spec *s = p->spec;
	struct event *ev;

	for (; s->sig_handle[p->nsigev] != 0; p->nsigev++) {
		ev = evsignal_new(p->base, s->sig_handle[p->nsigev], on_signal,
		    p);
		p->sigev[p->nsigev] = ev;
		if (ev == NULL || evsignal_add(ev, NULL) == -1)
			fatalx("signal");
	}
	ignore(s->sig_ignore);
	/* Last, once every descriptor the loop needs is open. */
	p->ops->sandbox(s->sandbox);
	if (s->ready != NULL)
		s->ready(p);
	return event_base_dispatch(p->base);
}

void
proc_free(struct proc *p)
{
	int i;

	for (i = 0; i < p->nsigev; i++)
		if (p->sigev[i] != NULL)
			event_free(p->sigev[i]);
	p->nsigev = 0;
}

int
proc_main(struct proc *p, const struct proc_spec *s,
    const struct proc_privops *ops, int argc, char **argv)
{
	int rc;

	proc_init(p, s, ops, argc, argv);
	if (!s->channel)
		fatalx("%s: proc_main runs a helper, with a channel", s->name);
	if (s->load != NULL)
		s->load(p);
	if (p->chan == NULL)
		fatalx("%s: load said nowhere for the channel", s->name);
	proc_drop(p);
	if (s->setup != NULL)
		s->setup(p);

	if ((p->base = event_base_new()) == NULL)
		fatalx("event_base_new");
	if (ipc_init(p->chan, PRIV_IPC_FD, s->pass_fd) == -1 ||
	    ipc_event_set(p->chan, p->base, s->dispatch, p->arg) == -1)
		fatal("IPC channel");
	if (s->events != NULL)
		s->events(p);
	rc = proc_loop(p);
	if (s->shutdown != NULL)
		return s->shutdown(p, rc);
	return rc == -1;
}

int
proc_run(const struct proc_spec *s, int argc, char **argv)
{
	static struct proc p;

	return proc_main(&p, s, &proc_privops_real, argc, argv);
}
