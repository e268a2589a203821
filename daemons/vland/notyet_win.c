/*
 * What vland.exe (Windows) leaves out for now, issue #19: the
 * hub's web monitor (web.c; vland.exe is an endpoint only), the
 * operator's checks of vland -n (lint.c, startcheck.c: the users file,
 * /proc, owners, groups and modes; only a hub's configuration is
 * refused) and systemd's readiness. Each is a
 * no-op that says, once, what is missing, so that the rest of the
 * daemon runs unchanged.
 */
#include "config.h"
#include "lint.h"
#include "log.h"
#include "sdnotify.h"
#include "startcheck.h"
#include "web.h"

void
web_open(void)
{
}

void
web_events(void)
{
}

void
web_close(void)
{
}

int
lint_config(const struct config *cfg, const char *cfgfile)
{
	(void)cfg;
	(void)cfgfile;
	return 0;
}

/* The one check there is: vland.exe would refuse a hub at start
 * (helpers_inproc.c), so vland -n says so first. */
int
startcheck(const struct config *cfg, const char *cfgfile)
{
	if (cfg->role == CFG_HUB) {
		log_warnx("%s: a hub's configuration: vland.exe runs an "
			  "endpoint only; a hub needs Linux",
		    cfgfile);
		return 1;
	}
	log_info("the start checks of vland -n (files' owners and modes, "
		 "users, groups) are Linux's: none on Windows yet");
	return 0;
}

void
sdnotify_open(void)
{
}

void
sdnotify(const char *state)
{
	(void)state;
}
