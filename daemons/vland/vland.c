/*
 * vland: the network process of the VPN, hub or endpoint (vland(8)).
 * It starts as root, reads its configuration and key, opens its sockets,
 * starts vland-ifmgr (and vland-auth on a hub), then drops to an
 * unprivileged user in an empty chroot before it reads the network.
 */
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/event.h>
#include <openssl/crypto.h>

#include "config.h"
#include "ctl.h"
#include "endpoint.h"
#include "hub.h"
#include "hubaddr.h"
#include "keyfile.h"
#include "lint.h"
#include "startcheck.h"
#include "password.h"
#include "log.h"
#include "privsep.h"
#include "sandbox.h"
#include "secretfile.h"
#include "reload.h"
#include "sdnotify.h"
#include "vland.h"
#include "gro.h"
#include "tunfwd.h"
#include "udp.h"
#include "web.h"
#include "vland_config.h"

struct vland vl;

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: vland [-dhnVv] [-f file]\n");
	exit(1);
}

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
lock_secret(const void *p, size_t len, const char *what)
{
	if (secret_lock(p, len) == -1)
		log_debug("cannot keep %s out of swap: %s", what,
		    strerror(errno));
}

static void
load_hub_key(void)
{
	char path[PATH_MAX], pub[KEY_B64LEN + 1], why[PATH_MAX + 128];
	int fd;

	cfg_path_of(vl.cfgfile, vl.cfg->private_key, path, sizeof(path));
	if ((fd = secret_open(path, why, sizeof(why))) == -1)
		fatalx("private key %s: %s%s%s", path, why,
		    errno == ENOENT ? "; make one with vlanctl genkey " : "",
		    errno == ENOENT ? path : "");
	if (keyfile_read_fd(fd, vl.privkey) == -1)
		fatalx("private key %s: not a key file", path);
	close(fd);
	lock_secret(vl.privkey, sizeof(vl.privkey), "the private key");
	if (key_public(vl.pubkey, vl.privkey) == -1)
		fatalx("private key %s: not an X25519 key", path);
	key_to_base64(pub, vl.pubkey);
	log_info("hub public key %s", pub);
}

/* The password: from the file, the config, or asked on the terminal. */
static void
load_password(void)
{
	const struct cfg_connect *c = &vl.cfg->connect;
	char path[PATH_MAX], why[PATH_MAX + 128];
	ssize_t len;
	size_t n;
	int fd;

	if (c->has_password) {
		snprintf(vl.password, sizeof(vl.password), "%s", c->password);
		return;
	}
	if (c->password_file[0] != '\0') {
		cfg_path_of(vl.cfgfile, c->password_file, path, sizeof(path));
		if ((fd = secret_open(path, why, sizeof(why))) == -1)
			fatalx("password-file %s: %s", path, why);
		/* read(2) straight into the buffer: no stdio copy. */
		len = password_read_line(fd, vl.password, sizeof(vl.password));
		close(fd);
		if (len == -3 || len == 0)
			fatalx("password-file %s: empty", path);
		if (len < 0)
			fatalx("password-file %s: %s", path,
			    len == -2 ? "longer than 256 characters"
				      : "cannot read it");
	} else if (isatty(STDIN_FILENO)) {
		if (password_read_tty("Password: ", vl.password,
			sizeof(vl.password)) < 0)
			fatalx("cannot read the password");
	} else {
		fatalx("no password: set password or password-file in "
		       "connect:, or start vland on a terminal");
	}
	n = strcspn(vl.password, "\r\n");
	vl.password[n] = '\0';
	if (n == 0)
		fatalx("empty password");
	lock_secret(vl.password, sizeof(vl.password), "the password");
}

static void
on_udp(int fd, short ev, void *arg)
{
	void (*input)(uint8_t *, size_t, struct peer_addr *) =
	    vl.cfg->role == CFG_HUB ? hub_udp_input : endpoint_udp_input;

	(void)fd;
	(void)ev;
	if (udp_receive(vl.rx, (int)(intptr_t)arg, input) == 0)
		return;
	/* What the datagrams made: frames to the taps, datagrams out. */
	gro_flush(vl.gro);
	udp_flush(vl.tx);
}

static void
on_tick(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	if (vl.cfg->role == CFG_HUB)
		hub_tick();
	else
		endpoint_tick();
	udp_flush(vl.tx);
}

static void
on_signal(int sig, short ev, void *arg)
{
	(void)ev;
	(void)arg;
	switch (sig) {
	case SIGHUP:
		reload_start(NULL, NULL);
		break;
	default:
		log_info("signal %d, stopping", sig);
		event_base_loopbreak(vl.base);
	}
}

static void
daemon_run(int foreground, int verbose)
{
	struct priv_drop drop = { VLAND_USER, NULL, VLAND_CHROOT, false };
	struct event *sigs[3], *tick;
	const struct timeval tick_tv = { 0, 200000 };
	const int signos[3] = { SIGTERM, SIGINT, SIGHUP };
	int i;

	if (geteuid() != 0)
		fatalx("must be started as root");
	if (realpath(vl.cfgfile, vl.cfgreal) == NULL)
		fatal("%s", vl.cfgfile);

	log_info("starting as %s, %s mode",
	    vl.cfg->role == CFG_HUB ? "hub" : "endpoint",
	    cfg_mode_name(vl.cfg->mode));
	raise_nofile();
	modules_init();
	/* First, so that a second daemon on the same socket says so. */
	ctl_open();
	if (vl.cfg->role == CFG_HUB) {
		load_hub_key();
		udp_open_all(vl.cfg->listen, vl.cfg->nlisten, vl.cfg->port,
		    vl.udp + vl.nudp);
		vl.nudp += vl.cfg->nlisten;
	} else {
		const char *rk = getenv("VLAND_REKEY_SECONDS");

		/* Only ever shorter than the protocol's interval. */
		if (rk != NULL && atoi(rk) > 0 && atoi(rk) < 120)
			vl.rekey_ms = 1000ULL * (unsigned)atoi(rk);
		load_password();
	}
	sdnotify_open();
	web_open();
	/* Each helper reads its policy from the file itself. */
	helpers_start(foreground, verbose);
	helpers_hub_up();
	if (!foreground && daemon(0, 0) == -1)
		fatal("daemon");

	/*
	 * Keeps: its UDP sockets, the helper channels and (later) the tap
	 * and tun descriptors that vland-ifmgr hands over, the hub's
	 * private key in memory. No capabilities: everything privileged is
	 * done by vland-ifmgr. Chrooted to an empty directory, as user
	 * VLAND_USER, no_new_privs, not dumpable.
	 */
	if ((vl.base = event_base_new()) == NULL ||
	    event_base_priority_init(vl.base, PRIO_COUNT) == -1)
		fatalx("event_base_new");
	/* The resolver reads its files and opens its sockets here. */
	if (vl.cfg->role == CFG_ENDPOINT)
		hubaddr_init(vl.base);
	priv_check_chroot_dir(VLAND_CHROOT, true, true);
	priv_drop(&drop);
	priv_log_protections();

	vl.started_ms = now_ms();
	helpers_events();
	ctl_events();
	web_events();
	udp_events(vl.rx, vl.base, vl.nudp, vl.udpev, on_udp);
	if ((tick = event_new(vl.base, -1, EV_PERSIST, on_tick, NULL)) ==
		NULL ||
	    event_add(tick, &tick_tv) == -1)
		fatalx("timer");
	if (vl.cfg->role == CFG_HUB)
		hub_init();
	else
		endpoint_init();
	for (i = 0; i < 3; i++) {
		sigs[i] = evsignal_new(vl.base, signos[i], on_signal, NULL);
		if (sigs[i] == NULL || evsignal_add(sigs[i], NULL) == -1)
			fatalx("signal");
	}
	signal(SIGPIPE, SIG_IGN);
	sandbox_enter(SANDBOX_NETWORK);
	sdnotify("READY=1");
	event_base_dispatch(vl.base);
	sdnotify("STOPPING=1");

	if (vl.cfg->role == CFG_HUB)
		hub_shutdown();
	else
		endpoint_shutdown();
	udp_flush(vl.tx);
	if (vl.cfg->role == CFG_ENDPOINT)
		hubaddr_close();
	ctl_close();
	web_close();
	tunfwd_close(vl.tunfwd);
	event_free(tick);

	/* Closing the channels stops the helpers; vland-ifmgr removes what
	 * it created. */
	ipc_clear(&vl.ifmgr.chan);
	if (vl.auth.up)
		ipc_clear(&vl.auth.chan);
	OPENSSL_cleanse(vl.privkey, sizeof(vl.privkey));
	for (i = 0; i < 3; i++)
		event_free(sigs[i]);
	event_base_free(vl.base);
	log_info("stopped");
}

int
main(int argc, char *argv[])
{
	struct cfg_error err;
	char msg[512];
	int ch, foreground = 0, checkonly = 0, verbose = 0;

	vl.cfgfile = CFG_DEFAULT_FILE;
	while ((ch = getopt(argc, argv, "df:hNnVv")) != -1) {
		switch (ch) {
		case 'd':
			foreground = 1;
			break;
		case 'f':
			vl.cfgfile = optarg;
			break;
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
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	secret_no_dump();
	log_procinit("vland");
	log_init(foreground || checkonly, LOG_DAEMON);
	log_setverbose(verbose);

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
	if (vl.cfg->has_psk)
		lock_secret(vl.cfg->psk, sizeof(vl.cfg->psk), "the key");
	if (checkonly) {
		if (verbose) {
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
		daemon_run(foreground, verbose);
	}
	cfg_clear(vl.cfg);
	free(vl.cfg);
	return vl.exitcode;
}
