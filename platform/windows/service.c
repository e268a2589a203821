/*
 * service.h on the Service Control Manager. The SCM's thread (this
 * process's main thread, in StartServiceCtrlDispatcher) calls
 * control(); the daemon runs in the thread of service_main(). A stop is
 * passed on as SIGTERM, raised in the SCM's thread: the C library runs
 * the daemon's handler there, which is libevent's, which only writes to
 * its socket pair and so wakes the loop in the daemon's thread.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "service.h"
#include "winapi.h"

/* How long a stop may take before the SCM gives up on it: the daemon
 * says goodbye to the hub and removes its devices. */
#define STOP_WAIT_MS 15000

static SERVICE_STATUS_HANDLE status_handle;
static SERVICE_STATUS status;
static const struct svc_args *svc_args;
static int (*svc_daemon)(int, char **);
static int svc_exit;
static const char *svc_name;

static void
report(DWORD state, DWORD wait_ms)
{
	status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
	status.dwCurrentState = state;
	status.dwControlsAccepted = state == SERVICE_RUNNING
	    ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN
	    : 0;
	status.dwWaitHint = wait_ms;
	if (state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING)
		status.dwCheckPoint++;
	else
		status.dwCheckPoint = 0;
	SetServiceStatus(status_handle, &status);
}

unsigned long
svc_decide(unsigned long code, unsigned long state, bool *stop)
{
	*stop = false;
	switch (code) {
	case SERVICE_CONTROL_STOP:
	case SERVICE_CONTROL_SHUTDOWN:
		/* Once: a second stop, or one before the daemon runs, has
		 * nothing to end yet (the SCM does not send it then). */
		*stop = state == SERVICE_RUNNING;
		return NO_ERROR;
	case SERVICE_CONTROL_INTERROGATE:
		return NO_ERROR;
	default:
		return ERROR_CALL_NOT_IMPLEMENTED;
	}
}

static DWORD WINAPI
control(DWORD code, DWORD type, LPVOID data, LPVOID ctx)
{
	DWORD rc;
	bool stop;

	(void)type;
	(void)data;
	(void)ctx;
	rc = svc_decide(code, status.dwCurrentState, &stop);
	if (stop) {
		report(SERVICE_STOP_PENDING, STOP_WAIT_MS);
		raise(SIGTERM);
	}
	return rc;
}

/* The daemon ended by exit() (fatal, or a failed start): the SCM is
 * told it stopped, with the status, rather than left to find the
 * process gone. */
static void
stopped_at_exit(void)
{
	if (status_handle == NULL || status.dwCurrentState == SERVICE_STOPPED)
		return;
	status.dwWin32ExitCode = ERROR_SERVICE_SPECIFIC_ERROR;
	status.dwServiceSpecificExitCode = 1;
	report(SERVICE_STOPPED, 0);
}

/*
 * No console: the log is the file, appended to (log_tofile). A service
 * starts without standard handles, and the C library's stderr is then
 * no stream at all (freopen refuses it), so the daemon's log lines are
 * sent to the file by log.c itself.
 */
static int
log_to_file(const char *path)
{
	FILE *f;

	if ((f = fopen(path, "a")) == NULL)
		return -1;
	log_tofile(f);
	return 0;
}

static void WINAPI
service_main(DWORD argc, LPSTR *argv)
{
	/* getopt may permute argv: the daemon's words are its own. */
	static char w_prog[] = "vland", w_d[] = "-d", w_f[] = "-f",
		    w_v[] = "-v";
	static char cfg[MAX_PATH];
	char *dargv[8];
	int dargc = 0;

	(void)argc;
	(void)argv;
	status_handle = RegisterServiceCtrlHandlerExA(svc_name, control, NULL);
	if (status_handle == NULL) {
		svc_exit = 1;
		return;
	}
	report(SERVICE_START_PENDING, STOP_WAIT_MS);
	if (log_to_file(svc_args->logfile) == -1) {
		status.dwWin32ExitCode = ERROR_SERVICE_SPECIFIC_ERROR;
		status.dwServiceSpecificExitCode = 1;
		report(SERVICE_STOPPED, 0);
		svc_exit = 1;
		return;
	}
	atexit(stopped_at_exit);
	snprintf(cfg, sizeof(cfg), "%s", svc_args->cfgfile);
	dargv[dargc++] = w_prog;
	dargv[dargc++] = w_d;
	dargv[dargc++] = w_f;
	dargv[dargc++] = cfg;
	if (svc_args->verbose > 0)
		dargv[dargc++] = w_v;
	if (svc_args->verbose > 1)
		dargv[dargc++] = w_v;
	dargv[dargc] = NULL;
	log_info("running as the Windows service %s, logging to %s", svc_name,
	    svc_args->logfile);
	report(SERVICE_RUNNING, 0);
	svc_exit = svc_daemon(dargc, dargv);
	if (svc_exit != 0) {
		status.dwWin32ExitCode = ERROR_SERVICE_SPECIFIC_ERROR;
		status.dwServiceSpecificExitCode = (DWORD)svc_exit;
	}
	report(SERVICE_STOPPED, 0);
}

int
svc_run(const char *name, const struct svc_args *args, int (*run)(int, char **))
{
	static char tname[256];
	SERVICE_TABLE_ENTRYA table[2];

	snprintf(tname, sizeof(tname), "%s", name);
	svc_name = name;
	svc_args = args;
	svc_daemon = run;
	memset(table, 0, sizeof(table));
	table[0].lpServiceName = tname;
	table[0].lpServiceProc = service_main;
	if (!StartServiceCtrlDispatcherA(table)) {
		fprintf(stderr,
		    "vland: -service is for the Service Control Manager "
		    "(error %lu); start the service with: sc start %s\n",
		    GetLastError(), name);
		return 1;
	}
	return svc_exit;
}

/* Append ARG to buf, after a space unless it is the first, quoted if
 * asked (no path may hold a quote). */
static bool
append(char *buf, size_t len, const char *arg, bool quote)
{
	size_t n = strlen(buf);
	int w;

	if (strchr(arg, '"') != NULL)
		return false;
	w = snprintf(buf + n, len - n, quote ? "%s\"%s\"" : "%s%s",
	    n > 0 ? " " : "", arg);
	return w > 0 && (size_t)w < len - n;
}

int
svc_install(const char *name, const struct svc_args *args)
{
	char exe[MAX_PATH], cmd[4 * MAX_PATH];
	SC_HANDLE scm, svc;
	DWORD n;

	n = GetModuleFileNameA(NULL, exe, sizeof(exe));
	if (n == 0 || n >= sizeof(exe)) {
		fprintf(stderr, "vland: cannot name this program\n");
		return -1;
	}
	cmd[0] = '\0';
	if (!append(cmd, sizeof(cmd), exe, true) ||
	    !append(cmd, sizeof(cmd), "-service", false) ||
	    !append(cmd, sizeof(cmd), "-l", false) ||
	    !append(cmd, sizeof(cmd), args->logfile, true) ||
	    !append(cmd, sizeof(cmd), "-f", false) ||
	    !append(cmd, sizeof(cmd), args->cfgfile, true) ||
	    (args->verbose > 0 && !append(cmd, sizeof(cmd), "-v", false)) ||
	    (args->verbose > 1 && !append(cmd, sizeof(cmd), "-v", false))) {
		fprintf(stderr, "vland: paths too long or quoted\n");
		return -1;
	}
	if ((scm = OpenSCManagerA(NULL, NULL, SC_MANAGER_CREATE_SERVICE)) ==
	    NULL) {
		fprintf(stderr,
		    "vland: cannot open the Service Control Manager (error "
		    "%lu): run as administrator\n",
		    GetLastError());
		return -1;
	}
	svc = CreateServiceA(scm, name, "vland VPN endpoint",
	    SERVICE_ALL_ACCESS, SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START,
	    SERVICE_ERROR_NORMAL, cmd, NULL, NULL, NULL, NULL, NULL);
	if (svc == NULL) {
		fprintf(stderr,
		    "vland: cannot install the service %s (error "
		    "%lu%s)\n",
		    name, GetLastError(),
		    GetLastError() == ERROR_SERVICE_EXISTS ? ": it exists"
							   : "");
		CloseServiceHandle(scm);
		return -1;
	}
	printf("installed the service %s: %s\n", name, cmd);
	CloseServiceHandle(svc);
	CloseServiceHandle(scm);
	return 0;
}

int
svc_remove(const char *name)
{
	SERVICE_STATUS st;
	SC_HANDLE scm, svc;
	int waited, rc = -1;

	if ((scm = OpenSCManagerA(NULL, NULL, SC_MANAGER_CONNECT)) == NULL) {
		fprintf(stderr,
		    "vland: cannot open the Service Control Manager (error "
		    "%lu): run as administrator\n",
		    GetLastError());
		return -1;
	}
	svc = OpenServiceA(scm, name,
	    DELETE | SERVICE_STOP | SERVICE_QUERY_STATUS);
	if (svc == NULL) {
		fprintf(stderr, "vland: no service %s (error %lu)\n", name,
		    GetLastError());
		CloseServiceHandle(scm);
		return -1;
	}
	/* Stopped first, so that its devices and routes go with it. */
	if (ControlService(svc, SERVICE_CONTROL_STOP, &st))
		for (waited = 0;
		     waited < STOP_WAIT_MS && QueryServiceStatus(svc, &st) &&
		     st.dwCurrentState != SERVICE_STOPPED;
		     waited += 250)
			Sleep(250);
	if (DeleteService(svc)) {
		printf("removed the service %s\n", name);
		rc = 0;
	} else {
		fprintf(stderr,
		    "vland: cannot remove the service %s (error "
		    "%lu)\n",
		    name, GetLastError());
	}
	CloseServiceHandle(svc);
	CloseServiceHandle(scm);
	return rc;
}
