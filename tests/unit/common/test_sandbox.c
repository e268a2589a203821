/*
 * The seccomp allowlists (platform/sandbox.h), each in a child process: an
 * allowed call works, socket(2) fails with EACCES where the role may
 * open none (netlink stays open to vland-ifmgr), and a call outside the
 * list kills the process with SIGSYS.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"
#include "sandbox.h"

enum step { STEP_ALLOWED, STEP_FORBIDDEN };

/* Runs in the child: 0 if every expectation held, else a code. */
static int
child(enum sandbox_role role, enum step step)
{
	int fd;

	sandbox_enter(role);
	if (getpid() <= 0)
		return 2;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd != -1 || errno != EACCES)
		return 3;
	fd = socket(AF_NETLINK, SOCK_RAW, 0);
	if (role == SANDBOX_IFMGR ? fd == -1 : (fd != -1 || errno != EACCES))
		return 4;
	if (fd != -1)
		close(fd);
	if (step == STEP_FORBIDDEN) {
		/* No role may make directories. */
		mkdir("/nonexistent-vland-sandbox-test", 0700);
		return 5;
	}
	return 0;
}

static int
run(enum sandbox_role role, enum step step)
{
	int status;
	pid_t pid;

	if ((pid = fork()) == 0)
		_exit(child(role, step));
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void
test_roles(void **state)
{
	const enum sandbox_role roles[] = { SANDBOX_NETWORK, SANDBOX_IFMGR,
		SANDBOX_AUTH };
	size_t i;
	int st;

	(void)state;
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		st = run(roles[i], STEP_ALLOWED);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
		st = run(roles[i], STEP_FORBIDDEN);
		assert_true(WIFSIGNALED(st));
		assert_int_equal(WTERMSIG(st), SIGSYS);
	}
}

/* vland opens no file after start-up. */
static void
test_network_opens_no_file(void **state)
{
	int st;
	pid_t pid;

	(void)state;
	if ((pid = fork()) == 0) {
		sandbox_enter(SANDBOX_NETWORK);
		/* openat is not on vland's list. */
		open("/dev/null", O_RDONLY);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_network_opens_no_file),
	};

	log_init(1, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
