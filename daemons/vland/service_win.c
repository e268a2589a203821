/*
 * vland.exe's main: the daemon (vland.c) as on Linux, or, with a first
 * argument of its own, the Windows service (platform/windows/service.h):
 *
 *   vland.exe -install [-v] [-l LOGFILE] -f CONFIG   register it
 *   vland.exe -remove                                stop and delete it
 *   vland.exe -service [-v] -l LOGFILE -f CONFIG     what the SCM runs
 *
 * The service is named "vland". Its log is LOGFILE, by default vland.log
 * beside CONFIG; paths are made full at install, since a service starts
 * in the system directory. -install first checks CONFIG as vland -N
 * does, so that no service is registered that would fail at its start
 * on a mistake in the file.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"
#include "vland.h"

#define SERVICE_NAME "vland"

static int
usage(void)
{
	fprintf(stderr,
	    "usage: vland.exe -install [-v] [-l logfile] -f file\n"
	    "       vland.exe -remove\n"
	    "       vland.exe -service [-v] -l logfile -f file\n"
	    "       vland.exe [-dhNnVv] [-f file]\n");
	return 1;
}

/* -v, -l FILE and -f FILE after the first argument; -1 on anything else. */
static int
service_options(int argc, char *argv[], struct svc_args *a)
{
	int i;

	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0)
			a->verbose++;
		else if (strcmp(argv[i], "-f") == 0 && i + 1 < argc)
			a->cfgfile = argv[++i];
		else if (strcmp(argv[i], "-l") == 0 && i + 1 < argc)
			a->logfile = argv[++i];
		else
			return -1;
	}
	return a->cfgfile != NULL ? 0 : -1;
}

static int
install(struct svc_args *a)
{
	static char cfg[PATH_MAX], log[PATH_MAX];
	static char w_prog[] = "vland", w_n[] = "-N", w_f[] = "-f";
	char *check[] = { w_prog, w_n, w_f, cfg, NULL };
	char *slash;

	if (_fullpath(cfg, a->cfgfile, sizeof(cfg)) == NULL) {
		fprintf(stderr, "vland: %s: no such path\n", a->cfgfile);
		return 1;
	}
	if (a->logfile != NULL) {
		if (_fullpath(log, a->logfile, sizeof(log)) == NULL) {
			fprintf(stderr, "vland: %s: no such path\n",
			    a->logfile);
			return 1;
		}
	} else {
		snprintf(log, sizeof(log), "%s", cfg);
		if ((slash = strrchr(log, '\\')) == NULL ||
		    (size_t)(slash - log) + sizeof("\\vland.log") >
			sizeof(log)) {
			fprintf(stderr, "vland: %s: no directory\n", cfg);
			return 1;
		}
		strcpy(slash, "\\vland.log");
	}
	a->cfgfile = cfg;
	a->logfile = log;
	/* vland -N: it exits 1 with file:line:column on an error. */
	if (vland_main(4, check) != 0)
		return 1;
	return svc_install(SERVICE_NAME, a) == 0 ? 0 : 1;
}

int
main(int argc, char *argv[])
{
	struct svc_args a;

	if (argc < 2 || argv[1][0] != '-' || strlen(argv[1]) < 3 ||
	    (strcmp(argv[1], "-install") != 0 &&
		strcmp(argv[1], "-remove") != 0 &&
		strcmp(argv[1], "-service") != 0))
		return vland_main(argc, argv);
	memset(&a, 0, sizeof(a));
	if (strcmp(argv[1], "-remove") == 0)
		return argc == 2 ? svc_remove(SERVICE_NAME) != 0 : usage();
	if (service_options(argc, argv, &a) == -1)
		return usage();
	if (strcmp(argv[1], "-install") == 0)
		return install(&a);
	if (a.logfile == NULL)
		return usage();
	return svc_run(SERVICE_NAME, &a, vland_main);
}
