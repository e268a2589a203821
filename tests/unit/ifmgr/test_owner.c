/*
 * Device ownership: aliases written and parsed, the start time read
 * from /proc stat lines with awkward command names, and the verdicts on
 * this process (self), a live one, a dead one and a reused pid.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "owner.h"

static void
test_stat_start(void **state)
{
	uint64_t t;

	(void)state;
	assert_int_equal(owner_stat_start("42 (vland) S 1 42 42 0 -1 4194560 "
					  "100 0 0 0 1 2 0 0 20 0 1 0 81234 "
					  "123 45",
			     &t),
	    0);
	assert_int_equal(t, 81234);
	/* A command name with spaces and parentheses. */
	assert_int_equal(owner_stat_start("7 (a) b) c) R 1 7 7 0 -1 0 0 0 0 "
					  "0 0 0 0 0 20 0 1 0 99\n",
			     &t),
	    0);
	assert_int_equal(t, 99);
	assert_int_equal(owner_stat_start("7 (x) R 1 2 3", &t), -1);
	assert_int_equal(owner_stat_start("no parenthesis", &t), -1);
	assert_int_equal(owner_stat_start("7 (x) R 1 7 7 0 -1 0 0 0 0 0 0 0 "
					  "0 0 20 0 1 0 z",
			     &t),
	    -1);
}

static void
test_parse(void **state)
{
	struct owner o;
	bool legacy;

	(void)state;
	assert_true(
	    owner_parse("vland:dev 4242.81234", "vland:dev", &o, &legacy));
	assert_false(legacy);
	assert_int_equal(o.pid, 4242);
	assert_int_equal(o.start, 81234);
	assert_true(owner_parse("vland:dev", "vland:dev", &o, &legacy));
	assert_true(legacy);
	/* Another kind, another bridge, or junk: not ours. */
	assert_false(owner_parse("vland:bridge 1.2", "vland:dev", &o, &legacy));
	assert_false(owner_parse("vland:tap:br-vlt2 1.2", "vland:tap:br-vlt",
	    &o, &legacy));
	assert_false(owner_parse("vland:dev 1.2x", "vland:dev", &o, &legacy));
	assert_false(owner_parse("vland:dev -1.2", "vland:dev", &o, &legacy));
	assert_false(owner_parse("vland:dev ", "vland:dev", &o, &legacy));
	assert_false(owner_parse("", "vland:dev", &o, &legacy));
}

static void
test_verdicts(void **state)
{
	char alias[OWNER_ALIAS_MAX], other[OWNER_ALIAS_MAX];
	pid_t pid, child;
	int status;

	(void)state;
	assert_int_equal(owner_init(getpid()), 0);
	owner_alias(alias, sizeof(alias), "vland:dev");
	assert_int_equal(owner_of(alias, "vland:dev", &pid), OWNER_SELF);
	assert_int_equal(pid, getpid());
	assert_int_equal(owner_of(alias, "vland:bridge", &pid), OWNER_NONE);
	assert_int_equal(owner_of("vland:dev", "vland:dev", &pid), OWNER_DEAD);
	assert_int_equal(owner_of("eth0 uplink", "vland:dev", &pid),
	    OWNER_NONE);

	/* A live process other than us. */
	if ((child = fork()) == 0) {
		pause();
		_exit(0);
	}
	assert_true(child > 0);
	assert_int_equal(owner_init(child), 0);
	owner_alias(other, sizeof(other), "vland:dev");
	assert_int_equal(owner_init(getpid()), 0);
	assert_int_equal(owner_of(other, "vland:dev", &pid), OWNER_LIVE);
	assert_int_equal(pid, child);
	/* The same pid with another start time: reused, so stale. */
	snprintf(alias, sizeof(alias), "vland:dev %d.1", (int)child);
	assert_int_equal(owner_of(alias, "vland:dev", &pid), OWNER_DEAD);
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	assert_int_equal(owner_of(other, "vland:dev", &pid), OWNER_DEAD);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat_start),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_verdicts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
