/*
 * The hashing workers (hashers.h): fork, the worker's loop, and the
 * parent's side, which trusts nothing a worker sends: a reply is
 * exactly one struct hasher_res, for the job in flight, with a result
 * pwhash_check can give, within HASHERS_JOB_MS_MAX; anything else
 * retires the worker.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "hashers.h"
#include "log.h"
#include "privsep.h"
#include "pwhash.h"
#include "sandbox.h"

struct hashers;

struct hasher {
	struct hashers *set;
	int fd; /* -1: retired */
	pid_t pid;
	struct event *ev, *timer;
	void *job; /* in flight, or NULL */
	uint32_t id;
};

struct hashers {
	struct hasher w[HASHERS_MAX];
	size_t n, live;
	uint32_t next_id;
	hashers_done_cb done;
	void *arg;
};

size_t
hashers_wanted(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > HASHERS_MAX ? HASHERS_MAX : (size_t)n;
}

/*
 * The worker: blocking reads of one job at a time. Its parent is
 * vland-auth itself, which sends whole jobs; anything else means it is
 * gone or broken, and the worker leaves.
 */
static __attribute__((noreturn)) void
hasher_main(int fd)
{
	union {
		struct hasher_job job;
		uint8_t more[sizeof(struct hasher_job) + 1];
	} in;
	struct hasher_res res;
	ssize_t n;

	sandbox_enter(SANDBOX_AUTH);
	for (;;) {
		n = recv(fd, &in, sizeof(in), 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == 0)
			_exit(0);
		if (n != (ssize_t)sizeof(in.job) ||
		    memchr(in.job.stored, '\0', sizeof(in.job.stored)) ==
			NULL ||
		    memchr(in.job.password, '\0', sizeof(in.job.password)) ==
			NULL) {
			explicit_bzero(&in, sizeof(in));
			_exit(1);
		}
		res.id = in.job.id;
		res.ok = pwhash_check(in.job.dummy ? NULL : in.job.stored,
		    in.job.password);
		explicit_bzero(&in, sizeof(in));
		if (send(fd, &res, sizeof(res), 0) != (ssize_t)sizeof(res))
			_exit(errno == EPIPE ? 0 : 1);
	}
}

struct hashers *
hashers_start(size_t n)
{
	struct hashers *h;
	struct hasher *w;
	int sv[2];
	size_t i, j;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		fatal("calloc");
	/* Workers that exit are reaped by the kernel: no zombies, and no
	 * wait in the sandbox. */
	signal(SIGCHLD, SIG_IGN);
	for (i = 0; i < n && i < HASHERS_MAX; i++) {
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) ==
		    -1) {
			log_warn("hashing worker %zu: socketpair", i);
			break;
		}
		w = &h->w[h->n];
		switch ((w->pid = fork())) {
		case -1:
			log_warn("hashing worker %zu: fork", i);
			close(sv[0]);
			close(sv[1]);
			goto out;
		case 0:
			/* Nothing of vland-auth's but stderr: not its
			 * channel to vland, not the other workers. */
			close(PRIV_IPC_FD);
			close(sv[0]);
			for (j = 0; j < h->n; j++)
				close(h->w[j].fd);
			hasher_main(sv[1]);
		default:
			break;
		}
		close(sv[1]);
		w->fd = sv[0];
		w->set = h;
		h->n++;
	}
out:
	h->live = h->n;
	if (h->n == 0) {
		free(h);
		return NULL;
	}
	return h;
}

static void
retire(struct hashers *h, struct hasher *w, const char *why)
{
	void *job = w->job;

	if (w->fd == -1)
		return;
	log_warnx("hashing worker %d %s; %zu left%s", (int)w->pid, why,
	    h->live - 1,
	    h->live == 1 ? ", checking passwords in this process" : "");
	if (w->ev != NULL)
		event_free(w->ev);
	if (w->timer != NULL)
		event_free(w->timer);
	w->ev = w->timer = NULL;
	close(w->fd);
	w->fd = -1;
	w->job = NULL;
	h->live--;
	if (job != NULL)
		h->done(job, HASHERS_LOST, h->arg);
}

/* A worker's answer, or its end. */
static void
on_reply(int fd, short ev, void *arg)
{
	struct hasher *w = arg;
	struct hashers *h = w->set;
	union {
		struct hasher_res res;
		uint8_t more[sizeof(struct hasher_res) + 1];
	} in;
	ssize_t n;
	void *job;

	(void)ev;
	n = recv(fd, &in, sizeof(in), MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n == 0 || n == -1) {
		retire(h, w, "is gone");
		return;
	}
	if (n != (ssize_t)sizeof(in.res) || w->job == NULL ||
	    in.res.id != w->id || in.res.ok < -1 || in.res.ok > 1) {
		retire(h, w, "sent what it may not");
		return;
	}
	job = w->job;
	w->job = NULL;
	evtimer_del(w->timer);
	h->done(job, in.res.ok, h->arg);
}

static void
on_timeout(int fd, short ev, void *arg)
{
	struct hasher *w = arg;

	(void)fd;
	(void)ev;
	retire(w->set, w, "took too long for a check");
}

void
hashers_events(struct hashers *h, struct event_base *base, hashers_done_cb done,
    void *arg)
{
	struct hasher *w;
	size_t i;

	h->done = done;
	h->arg = arg;
	for (i = 0; i < h->n; i++) {
		w = &h->w[i];
		if ((w->ev = event_new(base, w->fd, EV_READ | EV_PERSIST,
			 on_reply, w)) == NULL ||
		    (w->timer = evtimer_new(base, on_timeout, w)) == NULL ||
		    event_add(w->ev, NULL) == -1)
			fatalx("hashing worker events");
	}
}

size_t
hashers_live(const struct hashers *h)
{
	return h == NULL ? 0 : h->live;
}

size_t
hashers_idle(const struct hashers *h)
{
	size_t i, n = 0;

	for (i = 0; h != NULL && i < h->n; i++)
		if (h->w[i].fd != -1 && h->w[i].job == NULL)
			n++;
	return n;
}

int
hashers_submit(struct hashers *h, const char *stored, const char *password,
    void *job)
{
	const struct timeval tv = { HASHERS_JOB_MS_MAX / 1000,
		(HASHERS_JOB_MS_MAX % 1000) * 1000 };
	struct hasher_job *j;
	struct hasher *w = NULL;
	ssize_t n;
	size_t i;
	int saved;

	for (i = 0; h != NULL && i < h->n && w == NULL; i++)
		if (h->w[i].fd != -1 && h->w[i].job == NULL)
			w = &h->w[i];
	if (w == NULL)
		return -1;
	if ((j = calloc(1, sizeof(*j))) == NULL)
		fatal("calloc");
	j->id = ++h->next_id;
	j->dummy = stored == NULL;
	if (stored != NULL)
		snprintf(j->stored, sizeof(j->stored), "%s", stored);
	snprintf(j->password, sizeof(j->password), "%s", password);
	n = send(w->fd, j, sizeof(*j), MSG_DONTWAIT | MSG_NOSIGNAL);
	saved = errno;
	explicit_bzero(j, sizeof(*j));
	free(j);
	if (n != (ssize_t)sizeof(*j)) {
		/* An idle worker's socket is empty: it is gone. */
		errno = saved;
		retire(h, w, "cannot take a check");
		return -1;
	}
	w->id = h->next_id;
	w->job = job;
	if (evtimer_add(w->timer, &tv) == -1)
		fatalx("hashing worker timer");
	return 0;
}

void
hashers_free(struct hashers *h, void (*drop)(void *))
{
	struct hasher *w;
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < h->n; i++) {
		w = &h->w[i];
		if (w->fd == -1)
			continue;
		if (w->ev != NULL)
			event_free(w->ev);
		if (w->timer != NULL)
			event_free(w->timer);
		close(w->fd);
		if (w->job != NULL)
			drop(w->job);
	}
	free(h);
}
