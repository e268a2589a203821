/*
 * platform/windows/service.c's control handler decision (win64 build,
 * under wine): a stop and the system's shutdown both stop a running
 * daemon, once; neither stops one that is starting or already
 * stopping; interrogate is answered; what the service did not ask for
 * (pause, parameter changes) is refused. netns-wine runs the whole
 * service under wine's services.exe, whose net stop sends STOP; wine 8
 * sends no SHUTDOWN, so that case is seen here only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "service.h"
#include "winapi.h"

static void
test_stop_and_shutdown(void **state)
{
	DWORD codes[2] = { SERVICE_CONTROL_STOP, SERVICE_CONTROL_SHUTDOWN };
	bool stop;
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		assert_int_equal(svc_decide(codes[i], SERVICE_RUNNING, &stop),
		    NO_ERROR);
		assert_true(stop);
		stop = true;
		assert_int_equal(svc_decide(codes[i], SERVICE_STOP_PENDING,
				     &stop),
		    NO_ERROR);
		assert_false(stop);
		stop = true;
		assert_int_equal(svc_decide(codes[i], SERVICE_START_PENDING,
				     &stop),
		    NO_ERROR);
		assert_false(stop);
	}
}

static void
test_other_controls(void **state)
{
	bool stop = true;

	(void)state;
	assert_int_equal(svc_decide(SERVICE_CONTROL_INTERROGATE,
			     SERVICE_RUNNING, &stop),
	    NO_ERROR);
	assert_false(stop);
	stop = true;
	assert_int_equal(svc_decide(SERVICE_CONTROL_PAUSE, SERVICE_RUNNING,
			     &stop),
	    ERROR_CALL_NOT_IMPLEMENTED);
	assert_false(stop);
	assert_int_equal(svc_decide(SERVICE_CONTROL_PARAMCHANGE,
			     SERVICE_RUNNING, &stop),
	    ERROR_CALL_NOT_IMPLEMENTED);
	assert_false(stop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stop_and_shutdown),
		cmocka_unit_test(test_other_controls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
