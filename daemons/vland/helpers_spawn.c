/*
 * The helpers as processes (Linux): start them by absolute path with
 * their socket on descriptor 3 and the configuration file's path (each
 * reads its policy from the file itself), and at exit close their
 * channels and wait for them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "privsep.h"
#include "role.h"
#include "vland.h"
#include "vland_config.h"

static void helpers_reap(void);

static void
helper_start(struct helper *h, const char *name, char *argv[], int pass_fd)
{
	char path[512];
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		fatal("socketpair");
	snprintf(path, sizeof(path), "%s/%s", priv_libexec_dir(), name);
	/* Said here, in one line: a child whose exec fails can only exit. */
	if (access(path, X_OK) == -1)
		fatal("cannot run %s", path);
	argv[0] = path;
	h->name = name;
	h->pid = priv_exec_child(path, argv, sv[1]);
	close(sv[1]);
	if (ipc_init(&h->chan, sv[0], pass_fd) == -1)
		fatal("ipc_init");
	h->up = true;
	log_debug("started %s, pid %d", path, (int)h->pid);
}

void
helpers_start(int foreground, int verbose)
{
	char *argv[8];
	char flags[8] = "-", fopt[] = "-f", uopt[] = "-u";
	char user[] = VLAND_AUTH_USER;
	int n = 1;

	if (foreground)
		strcat(flags, "d");
	while (verbose-- > 0 && strlen(flags) < sizeof(flags) - 1)
		strcat(flags, "v");

	if (strlen(flags) > 1)
		argv[n++] = flags;
	argv[n++] = fopt;
	argv[n++] = vl.cfgreal;
	argv[n] = NULL;
	helper_start(&vl.ifmgr, "vland-ifmgr", argv, 1);
	if (atexit(helpers_reap) != 0)
		fatalx("atexit");

	if (!vl.role->serves_logins)
		return;
	/* vland-auth chroots to the directory of this absolute path. */
	n = 1;
	if (strlen(flags) > 1)
		argv[n++] = flags;
	argv[n++] = fopt;
	argv[n++] = vl.cfgreal;
	argv[n++] = uopt;
	argv[n++] = user;
	argv[n] = NULL;
	helper_start(&vl.auth, "vland-auth", argv, 0);
}

/*
 * At exit, whatever the reason: close the channels, so that each helper
 * stops and vland-ifmgr removes what it made, and wait for them (at most
 * HELPER_EXIT_MS), so that a vland started right after this one exits
 * finds no bridge, tap or route of ours left to be deleted under it.
 */
#define HELPER_EXIT_MS 10000

static void
helpers_reap(void)
{
	struct helper *hs[2] = { &vl.ifmgr, &vl.auth };
	const struct timespec step = { 0, 20 * 1000 * 1000 };
	int i, waited;

	for (i = 0; i < 2; i++)
		if (hs[i]->pid > 0 && hs[i]->chan.fd != -1)
			ipc_clear(&hs[i]->chan);
	for (i = 0; i < 2; i++) {
		if (hs[i]->pid <= 0)
			continue;
		for (waited = 0; waited < HELPER_EXIT_MS; waited += 20) {
			if (waitpid(hs[i]->pid, NULL, WNOHANG) != 0)
				break;
			nanosleep(&step, NULL);
		}
		if (waited >= HELPER_EXIT_MS)
			log_warnx("%s (pid %d) did not stop within %d s",
			    hs[i]->name, (int)hs[i]->pid,
			    HELPER_EXIT_MS / 1000);
		hs[i]->pid = 0;
	}
}

/* The helpers run their own loops. */
void
helpers_local_events(void)
{
}
