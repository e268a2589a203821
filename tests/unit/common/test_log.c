/*
 * Logging (common/log.h) as the operator reads it: the process prefix,
 * the levels, strerror appended, fatal's exit status, and a line repeated
 * in a loop or a flood counted instead of filling the journal.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"

/* Run fn with stderr sent to a temp file; return what it wrote. */
static char *
capture(void (*fn)(void))
{
	static char out[65536];
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO);
	size_t n;

	assert_non_null(tmp);
	fflush(stderr);
	dup2(fileno(tmp), STDERR_FILENO);
	fn();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, sizeof(out) - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	return out;
}

static void
emit_levels(void)
{
	log_warnx("warn %d", 1);
	log_info("info %s", "two");
	log_debug("debug three");
}

static void
emit_errno(void)
{
	errno = ENOENT;
	log_warn("open %s", "/nonexistent");
}

static void
emit_loop(void)
{
	int i;

	for (i = 0; i < 50; i++)
		log_warnx("vl0: read: %s", "File descriptor in bad state");
	log_warnx("something else");
}

static void
emit_flood(void)
{
	int i;

	for (i = 0; i < 1000; i++)
		log_warnx("message %d", i);
}

static void
emit_after(void)
{
	log_warnx("after the flood");
}

/* A line repeated in a loop is written once, then counted; more than
 * 200 lines in a second are counted, not written. */
static void
test_repeats_and_floods(void **state)
{
	char *out;
	size_t lines = 0;
	const char *p;

	(void)state;
	log_init(1, 0);
	log_procinit("vland-test");
	out = capture(emit_loop);
	assert_string_equal(out,
	    "vland-test: vl0: read: File descriptor in bad state\n"
	    "vland-test: last message repeated 49 times\n"
	    "vland-test: something else\n");
	sleep(1);
	out = capture(emit_flood);
	for (p = out; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	assert_true(lines <= 200);
	sleep(1);
	out = capture(emit_after);
	assert_non_null(strstr(out,
	    "messages not logged (more than 200 in a "
	    "second)\n"));
	assert_non_null(strstr(out, "vland-test: after the flood\n"));
}

static void
test_prefix_and_levels(void **state)
{
	char *out;

	(void)state;
	log_init(1, 0);
	log_procinit("vland-test");
	log_setverbose(0);
	out = capture(emit_levels);
	assert_string_equal(out, "vland-test: warn 1\nvland-test: info two\n");
	log_setverbose(1);
	assert_int_equal(log_getverbose(), 1);
	out = capture(emit_levels);
	assert_non_null(strstr(out, "vland-test: debug three\n"));
}

static void
test_warn_appends_strerror(void **state)
{
	char *out;

	(void)state;
	log_procinit("p");
	out = capture(emit_errno);
	assert_string_equal(out,
	    "p: open /nonexistent: No such file or "
	    "directory\n");
}

static void
test_fatal_exits(void **state)
{
	int fds[2], status;
	char buf[256];
	ssize_t n;
	pid_t pid;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	if ((pid = fork()) == 0) {
		dup2(fds[1], STDERR_FILENO);
		log_procinit("child");
		errno = EPERM;
		fatal("setuid %d", 7);
	}
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	assert_string_equal(buf,
	    "child: fatal: setuid 7: Operation not permitted\n");
	close(fds[0]);

	assert_int_equal(pipe(fds), 0);
	if ((pid = fork()) == 0) {
		dup2(fds[1], STDERR_FILENO);
		log_procinit("child");
		fatalx("broken %s", "peer");
	}
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	waitpid(pid, &status, 0);
	assert_int_equal(WEXITSTATUS(status), 1);
	assert_string_equal(buf, "child: fatal: broken peer\n");
	close(fds[0]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_and_levels),
		cmocka_unit_test(test_warn_appends_strerror),
		cmocka_unit_test(test_fatal_exits),
		cmocka_unit_test(test_repeats_and_floods),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
