/*
 * vland.exe as a Windows service: installed and removed with the
 * Service Control Manager (CreateService, DeleteService), and run by it
 * (StartServiceCtrlDispatcher, RegisterServiceCtrlHandlerEx). The
 * daemon runs unchanged in the service's thread, in the foreground
 * (-d) with its standard error the log file, since a service has no
 * console; a stop or the system's shutdown raises SIGTERM, which the
 * daemon takes as on Linux: its loop ends and it removes its devices
 * and routes before it exits.
 */
#ifndef VLAND_SERVICE_H
#define VLAND_SERVICE_H

#include <stdbool.h>

/* What the service runs: the configuration and log files (full paths)
 * and the daemon's -v count. */
struct svc_args {
	const char *cfgfile;
	const char *logfile;
	int verbose;
};

/*
 * Register service name, started at boot as LocalSystem (IP Helper's
 * changes need an administrator), whose command line is this program's
 * with -service and args. 0, or -1 after saying why on stderr.
 */
int svc_install(const char *name, const struct svc_args *args);
/* Stop service name if it runs, then delete it. 0 or -1 (said). */
int svc_remove(const char *name);
/*
 * Be service name for the Service Control Manager, which started this
 * process: run(argc, argv) is the daemon, given -d, -f and -v. Returns
 * the daemon's exit status, or 1 if this process is no service.
 */
int svc_run(const char *name, const struct svc_args *args,
    int (*run)(int, char **));

/*
 * The control handler's decision, apart so that a test sees it (wine 8
 * sends no SERVICE_CONTROL_SHUTDOWN): the handler's answer to code in
 * state, and *stop if the daemon must stop now (the handler then
 * reports SERVICE_STOP_PENDING and raises SIGTERM). DWORDs, written
 * unsigned long so that vland.exe's main need not see <windows.h>
 * (whose "interface" macro config.h's struct would meet).
 */
unsigned long svc_decide(unsigned long code, unsigned long state, bool *stop);

#endif
