/*
 * vland's one clock: monotonic milliseconds, so that timers, keypair ages
 * and "last seen" do not jump when the wall clock is set.
 */
#include <time.h>

#include "vland.h"

/* Milliseconds of a monotonic clock: what proto/ timers are measured in. */
uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Microseconds of the same clock: for round-trip times, which on a LAN
 * are well under a millisecond. */
uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}
