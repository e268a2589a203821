/*
 * vland: the network process of the VPN, hub or endpoint (vland(8)).
 * This file holds the command line and the configuration check; the
 * daemon proper starts from here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "vland_config.h"

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: vland [-dnv] [-f file]\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	const char *file = CFG_DEFAULT_FILE;
	struct config *cfg;
	struct cfg_error err;
	char msg[512];
	int ch, foreground = 0, checkonly = 0, verbose = 0;

	while ((ch = getopt(argc, argv, "df:nv")) != -1) {
		switch (ch) {
		case 'd':
			foreground = 1;
			break;
		case 'f':
			file = optarg;
			break;
		case 'n':
			checkonly = 1;
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	log_procinit("vland");
	log_init(foreground || checkonly, LOG_DAEMON);
	log_setverbose(verbose);

	if ((cfg = calloc(1, sizeof(*cfg))) == NULL)
		fatal("calloc");
	if (cfg_load(file, cfg, &err) == -1) {
		cfg_error_fmt(&err, file, msg, sizeof(msg));
		free(cfg);
		if (checkonly) {
			fprintf(stderr, "%s\n", msg);
			exit(1);
		}
		fatalx("%s", msg);
	}
	if (checkonly) {
		if (verbose) {
			cfg_print(stdout, cfg);
			fflush(stdout);
		}
		fprintf(stderr, "configuration OK\n");
		cfg_clear(cfg);
		free(cfg);
		exit(0);
	}
	cfg_clear(cfg);
	free(cfg);
	fatalx("only the configuration check (-n) is implemented in this "
	       "version");
}
