/*
 * How long one process takes to wake another on this machine: two
 * processes play ping-pong over a datagram socketpair, each blocking in
 * epoll_wait as vland's event loop does, and the round trips are timed.
 * A round trip is two wake-ups. vland's ping path a -> hub -> b and back
 * wakes a vland process five times where the bare path wakes none, so
 * five times this figure is the floor of vland's RTT over bare.
 *
 *   wakeup [ROUNDS]
 *
 * Prints one line per CPU placement: both on CPU 0, on CPUs 0 and 1,
 * and where the scheduler puts them; each with the median and the 90th
 * percentile of the round trip, in microseconds.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static void
pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) == -1) {
		perror("sched_setaffinity");
		exit(1);
	}
}

/* Wait for one datagram on fd the way a libevent loop does. */
static int
wait_recv(int ep, int fd, char *b)
{
	struct epoll_event ev;

	if (epoll_wait(ep, &ev, 1, 5000) != 1)
		return -1;
	return recv(fd, b, 1, 0) == 1 ? 0 : -1;
}

static int
epoll_for(int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
	int ep = epoll_create1(0);

	if (ep == -1 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == -1) {
		perror("epoll");
		exit(1);
	}
	return ep;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
run(const char *label, int cpu_a, int cpu_b, int rounds)
{
	int sv[2], ep, i, st;
	double *rt, t;
	char b = 'x';
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == -1) {
		perror("socketpair");
		return -1;
	}
	if ((pid = fork()) == -1) {
		perror("fork");
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		pin(cpu_b);
		ep = epoll_for(sv[1]);
		for (i = 0; i < rounds + 100; i++)
			if (wait_recv(ep, sv[1], &b) == -1 ||
			    send(sv[1], &b, 1, 0) != 1)
				_exit(1);
		_exit(0);
	}
	close(sv[1]);
	pin(cpu_a);
	ep = epoll_for(sv[0]);
	if ((rt = calloc((size_t)rounds, sizeof(*rt))) == NULL)
		return -1;
	/* 100 rounds to warm up, then the timed ones, each after a pause
	 * so that both CPUs go idle as between a ping's packets. */
	for (i = -100; i < rounds; i++) {
		usleep(200);
		t = now_us();
		if (send(sv[0], &b, 1, 0) != 1 ||
		    wait_recv(ep, sv[0], &b) == -1) {
			fprintf(stderr, "%s: no answer\n", label);
			return -1;
		}
		if (i >= 0)
			rt[i] = now_us() - t;
	}
	waitpid(pid, &st, 0);
	close(sv[0]);
	close(ep);
	qsort(rt, (size_t)rounds, sizeof(*rt), cmp);
	printf("%-22s round trip median %7.1f us, p90 %7.1f us "
	       "(one wake-up %.1f us)\n",
	    label, rt[rounds / 2], rt[rounds * 9 / 10], rt[rounds / 2] / 2);
	free(rt);
	return 0;
}

int
main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 2000;
	int rc = 0;

	if (rounds < 10) {
		fprintf(stderr, "usage: wakeup [ROUNDS >= 10]\n");
		return 2;
	}
	rc |= run("same CPU", 0, 0, rounds);
	if (sysconf(_SC_NPROCESSORS_ONLN) > 1)
		rc |= run("CPUs 0 and 1", 0, 1, rounds);
	rc |= run("unpinned", -1, -1, rounds);
	return rc == 0 ? 0 : 1;
}
