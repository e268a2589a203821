/*
 * vland: the network process of the VPN, hub or endpoint (vland(8)).
 * It starts as root, reads its configuration and key, opens its sockets,
 * starts vland-ifmgr (and vland-auth on a hub), then drops to an
 * unprivileged user in an empty chroot before it reads the network.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <event2/event.h>
#include <openssl/crypto.h>

#include "config.h"
#include "ctl.h"
#include "endpoint.h"
#include "fsm.h"
#include "hub.h"
#include "hubaddr.h"
#include "keyfile.h"
#include "lint.h"
#include "startcheck.h"
#include "password.h"
#include "log.h"
#include "privsep.h"
#include "proc.h"
#include "sandbox.h"
#include "secrets.h"
#include "reload.h"
#include "mode.h"
#include "role.h"
#include "sdnotify.h"
#include "vland.h"
#include "gro.h"
#include "tunfwd.h"
#include "udp.h"
#include "web.h"
#include "vland_config.h"

struct vland vl;
static int checkonly; /* -n: 1, -N: 2 (the file alone) */

/* Each session's tap costs a descriptor here and in vland-ifmgr, and
 * each web or control client one more: take all the kernel allows us,
 * before the helpers inherit the limit. */
static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		fatal("getrlimit");
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			fatal("setrlimit");
	}
	log_info("descriptors: up to %llu", (unsigned long long)rl.rlim_cur);
}

static void
on_udp(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	if (udp_receive(vl.rx, (int)(intptr_t)arg, vl.role->udp_input) == 0)
		return;
	/* What the datagrams made: frames to the taps, datagrams out. */
	gro_flush(vl.gro);
	udp_flush(vl.tx);
}

static void
on_tick(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	vl.role->tick();
	udp_flush(vl.tx);
}

static void
on_signal(struct proc *p, int sig)
{
	(void)p;
	switch (sig) {
	case SIGHUP:
		reload_start(NULL, NULL);
		break;
	default:
		log_info("signal %d, stopping", sig);
		event_base_loopbreak(vl.base);
	}
}

/* Sandboxed, every event set: systemd may count us started. */
static void
ready(struct proc *p)
{
	(void)p;
	sdnotify("READY=1");
}

/* vland's own options: the checks, the help and the version. */
static int
option(struct proc *p, int ch, const char *arg)
{
	(void)arg;
	switch (ch) {
	case 'n':
		checkonly = 1;
		break;
	case 'N':
		checkonly = 2; /* the file alone */
		break;
	case 'h':
		printf("usage: vland [-dhNnVv] [-f file]\n"
		       "  -d  stay in the foreground, log to stderr\n"
		       "  -f  configuration file (default %s)\n"
		       "  -h  this help\n"
		       "  -N  check the configuration file alone and "
		       "exit\n"
		       "  -n  check it and what start needs, and exit\n"
		       "  -V  print the version and exit\n"
		       "  -v  more verbose (with -n: print the "
		       "normalised configuration)\n",
		    CFG_DEFAULT_FILE);
		exit(fflush(stdout) != 0);
	case 'V':
		printf("vland %s\n", VLAND_VERSION);
		exit(fflush(stdout) != 0);
	default:
		return -1;
	}
	/* A check reports on the terminal, never to syslog. */
	p->opts.to_stderr = true;
	return 0;
}

/*
 * The skeleton (proc.h) does vland's options and logging, its drop,
 * signals, sandbox and loop; everything between is vland's own:
 * configuration, sockets, helpers, daemonising.
 */
static const struct proc_spec vland_spec = {
	.name = "vland",
	.usage = "vland [-dhNnVv] [-f file]",
	.options = "hNnV",
	.cfg_default = CFG_DEFAULT_FILE,
	.option = option,
	.channel = false, /* it makes the helpers' channels (helpers.c) */
	/*
	 * Keeps: its UDP sockets, the helper channels and (later) the tap
	 * and tun descriptors that vland-ifmgr hands over, the hub's
	 * private key in memory. No capabilities: everything privileged is
	 * done by vland-ifmgr. Chrooted to an empty directory, as user
	 * VLAND_USER, no_new_privs, not dumpable.
	 */
	.drop = { VLAND_USER, NULL, VLAND_CHROOT, false },
	.sandbox = SANDBOX_NETWORK,
	.sig_handle = { SIGTERM, SIGINT, SIGHUP },
	.sig_ignore = { SIGPIPE },
	.on_signal = on_signal,
	.ready = ready,
};

/*
 * log-file (vland.yaml(5); only vland.exe's configuration may have
 * one): relative to the configuration's directory, since a service
 * starts in the system's. The line saying so goes where the log went
 * so far (the console, or the service's -l file). log.c writes to a
 * file in the foreground only, which vland.exe always is (-d, or the
 * service): it has no daemon().
 */
static void
log_file_open(void)
{
	const char *f = vl.cfg->log_file, *s1, *s2, *slash;
	char path[PATH_MAX];
	int dir = 0;

	if (f[0] == '\0')
		return;
	if (f[0] != '/' && f[0] != '\\' && f[1] != ':') {
		s1 = strrchr(vl.cfgreal, '/');
		s2 = strrchr(vl.cfgreal, '\\');
		slash = s1 == NULL ? s2 : s2 == NULL ? s1 : s1 > s2 ? s1 : s2;
		dir = slash != NULL ? (int)(slash - vl.cfgreal) + 1 : 0;
	}
	if (snprintf(path, sizeof(path), "%.*s%s", dir, vl.cfgreal, f) >=
	    (int)sizeof(path))
		fatalx("log-file: %s: path too long", f);
	log_info("logging to %s", path);
	if (log_topath(path) == -1)
		fatal("log-file: %s", path);
}

static void
daemon_run(struct proc *p)
{
	struct event *tick;
	const struct timeval tick_tv = { 0, 200000 };
	int foreground = p->opts.foreground;

	if (geteuid() != 0)
		fatalx("must be started as root");
	if (realpath(vl.cfgfile, vl.cfgreal) == NULL)
		fatal("%s", vl.cfgfile);
	log_file_open();

	log_info("starting as %s, %s mode", vl.role->name,
	    cfg_mode_name(vl.cfg->mode));
	raise_nofile();
	modules_init();
	/* First, so that a second daemon on the same socket says so. */
	ctl_open();
	vl.role->prepare();
	sdnotify_open();
	web_open();
	/* Each helper reads its policy from the file itself. */
	helpers_start(foreground, p->opts.verbose);
	if (vl.role->devices_up != NULL)
		vl.role->devices_up();
	if (!foreground && daemon(0, 0) == -1)
		fatal("daemon");

	/* The drop keeps what vland_spec says. */
	if ((vl.base = event_base_new()) == NULL ||
	    event_base_priority_init(vl.base, PRIO_COUNT) == -1)
		fatalx("event_base_new");
	if (vl.role->before_drop != NULL)
		vl.role->before_drop(vl.base);
	priv_check_chroot_dir(VLAND_CHROOT, true, true);
	fsm_trace_open("vland");
	p->base = vl.base;
	proc_drop(p);

	vl.started_ms = now_ms();
	helpers_events();
	ctl_events();
	web_events();
	udp_events(vl.rx, vl.base, vl.nudp, vl.udpev, on_udp);
	if ((tick = event_new(vl.base, -1, EV_PERSIST, on_tick, NULL)) ==
		NULL ||
	    event_add(tick, &tick_tv) == -1)
		fatalx("timer");
	vl.role->init();
	proc_loop(p);
	sdnotify("STOPPING=1");

	vl.role->shutdown();
	udp_flush(vl.tx);
	ctl_close();
	web_close();
	tunfwd_close(vl.tunfwd);
	event_free(tick);

	/* Closing the channels stops the helpers; vland-ifmgr removes what
	 * it created. */
	ipc_clear(&vl.ifmgr.chan);
	if (vl.auth.up)
		ipc_clear(&vl.auth.chan);
	if (vl.cfg->role == CFG_HUB)
		hs_hub_clear(&vl.hub);
	OPENSSL_cleanse(vl.privkey, sizeof(vl.privkey));
	proc_free(p);
	event_base_free(vl.base);
	log_info("stopped");
}

int
vland_main(int argc, char *argv[])
{
	static struct proc p;
	struct cfg_error err;
	char msg[512];

	proc_init(&p, &vland_spec, &proc_privops_real, argc, argv);
	vl.cfgfile = p.opts.cfgfile;

	if ((vl.cfg = calloc(1, sizeof(*vl.cfg))) == NULL)
		fatal("calloc");
	if (cfg_load(vl.cfgfile, vl.cfg, &err) == -1) {
		cfg_error_fmt(&err, vl.cfgfile, msg, sizeof(msg));
		free(vl.cfg);
		if (checkonly) {
			fprintf(stderr, "%s\n", msg);
			exit(1);
		}
		fatalx("%s", msg);
	}
	/* The one place the role is tested: everything else asks vl.role. */
	vl.role = vl.cfg->role == CFG_HUB ? &hub_role : &endpoint_role;
	vl.mode = vl.cfg->mode == CFG_TUN ? &tun_mode : &tap_mode;
	if (vl.cfg->has_psk)
		secrets_lock(vl.cfg->psk, sizeof(vl.cfg->psk), "the key");
	if (checkonly) {
		if (p.opts.verbose) {
			cfg_print(stdout, vl.cfg, false);
			fflush(stdout);
		}
		lint_config(vl.cfg, vl.cfgfile);
		if (checkonly == 1 && startcheck(vl.cfg, vl.cfgfile) > 0) {
			cfg_clear(vl.cfg);
			free(vl.cfg);
			exit(1);
		}
		fprintf(stderr, "configuration OK\n");
	} else {
		daemon_run(&p);
	}
	cfg_clear(vl.cfg);
	free(vl.cfg);
	return vl.exitcode;
}
