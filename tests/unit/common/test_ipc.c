/*
 * The IPC framing (common/ipc.h) over real socketpairs, with a broken
 * peer sending raw records past the framing: descriptors passed, lost at
 * the limit or refused, malformed records skipped, and what a full socket
 * will not take queued and sent in order.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/event.h>

#include "ipc.h"

struct pair {
	struct ipc_chan a, b;
};

static struct pair *
pair_new(int pass_fd_a, int pass_fd_b)
{
	struct pair *p = calloc(1, sizeof(*p));
	int sv[2];

	assert_non_null(p);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_int_equal(ipc_init(&p->a, sv[0], pass_fd_a), 0);
	assert_int_equal(ipc_init(&p->b, sv[1], pass_fd_b), 0);
	return p;
}

static void
pair_free(struct pair *p)
{
	ipc_clear(&p->a);
	ipc_clear(&p->b);
	free(p);
}

/* Send raw bytes (and maybe an fd) past the framing, as a broken peer. */
static void
raw_send(int fd, const void *buf, size_t len, int passfd)
{
	struct msghdr mh;
	struct iovec iov;
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} cm;
	struct cmsghdr *c;

	memset(&mh, 0, sizeof(mh));
	iov.iov_base = (void *)(uintptr_t)buf;
	iov.iov_len = len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (passfd != -1) {
		memset(&cm, 0, sizeof(cm));
		mh.msg_control = cm.b;
		mh.msg_controllen = sizeof(cm.b);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_len = CMSG_LEN(sizeof(int));
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		memcpy(CMSG_DATA(c), &passfd, sizeof(int));
	}
	assert_true(sendmsg(fd, &mh, 0) == (ssize_t)len);
}

static void
test_roundtrip(void **state)
{
	struct pair *p = pair_new(0, 0);
	struct ipc_msg m;
	uint32_t v = 0xdeadbeef, out;

	(void)state;
	assert_int_equal(ipc_compose(&p->a, 7, 11, 13, -1, &v, sizeof(v)), 0);
	assert_int_equal(ipc_compose(&p->a, 8, 0, 0, -1, NULL, 0), 0);
	assert_int_equal(ipc_read(&p->b, &m), 1);
	assert_int_equal(m.hdr.type, 7);
	assert_int_equal(m.hdr.peerid, 11);
	assert_int_equal(m.hdr.reqid, 13);
	assert_int_equal(m.fd, -1);
	assert_int_equal(ipc_get_exact(&m, &out, sizeof(out)), 0);
	assert_int_equal(out, v);
	/* Exact size only: one byte more or less is refused. */
	assert_int_equal(ipc_get_exact(&m, &out, sizeof(out) - 1), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(ipc_read(&p->b, &m), 1);
	assert_int_equal(m.hdr.type, 8);
	assert_int_equal(m.datalen, 0);
	assert_int_equal(ipc_read(&p->b, &m), -1);
	assert_int_equal(errno, EAGAIN);
	pair_free(p);
}

static void
test_fd_passing(void **state)
{
	struct pair *p = pair_new(1, 1);
	struct ipc_msg m;
	int pfd[2];
	char buf[8];

	(void)state;
	assert_int_equal(pipe(pfd), 0);
	assert_int_equal(ipc_compose(&p->a, 1, 0, 0, pfd[1], "x", 1), 0);
	/* The channel sent its own copy; ours can go. */
	close(pfd[1]);
	assert_int_equal(ipc_read(&p->b, &m), 1);
	assert_true(m.fd >= 0);
	assert_true(m.hdr.flags & IPC_FLAG_FD);
	assert_int_equal(fcntl(m.fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	assert_int_equal(write(m.fd, "hello", 5), 5);
	close(m.fd);
	assert_int_equal(read(pfd[0], buf, sizeof(buf)), 5);
	assert_memory_equal(buf, "hello", 5);
	close(pfd[0]);
	pair_free(p);
}

/*
 * A receiver with no descriptor slot left: the kernel drops the
 * descriptor (MSG_CTRUNC). The message still arrives, marked fd_lost,
 * and the next one is read as usual.
 */
static void
test_fd_lost_at_limit(void **state)
{
	struct pair *p = pair_new(1, 1);
	struct rlimit old, low;
	struct ipc_msg m;
	int pfd[2], fill[64], n = 0, i;

	(void)state;
	assert_int_equal(pipe(pfd), 0);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	assert_int_equal(ipc_compose(&p->a, 1, 7, 9, pfd[1], "x", 1), 0);
	/* Every slot below a low limit taken. */
	low = old;
	low.rlim_cur = (rlim_t)(pfd[1] + 8);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	while (n < 64 && (fill[n] = dup(0)) != -1)
		n++;
	assert_int_equal(errno, EMFILE);
	assert_int_equal(ipc_read(&p->b, &m), 1);
	assert_true(m.fd_lost);
	assert_int_equal(m.fd, -1);
	assert_int_equal(m.hdr.peerid, 7);
	assert_int_equal(m.datalen, 1);
	for (i = 0; i < n; i++)
		close(fill[i]);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	assert_int_equal(ipc_compose(&p->a, 2, 0, 0, -1, "y", 1), 0);
	assert_int_equal(ipc_read(&p->b, &m), 1);
	assert_false(m.fd_lost);
	assert_int_equal(m.hdr.type, 2);
	close(pfd[0]);
	close(pfd[1]);
	pair_free(p);
}

static void
test_fd_refused_without_passing(void **state)
{
	struct pair *p = pair_new(0, 0);
	struct ipc_hdr h;
	struct ipc_msg m;
	int pfd[2];

	(void)state;
	assert_int_equal(pipe(pfd), 0);
	assert_int_equal(ipc_compose(&p->a, 1, 0, 0, pfd[1], NULL, 0), -1);
	assert_int_equal(errno, EINVAL);
	/* A peer that sends one anyway: refused, and the fd not leaked. */
	memset(&h, 0, sizeof(h));
	h.type = 1;
	h.flags = IPC_FLAG_FD;
	h.len = sizeof(h);
	raw_send(p->a.fd, &h, sizeof(h), pfd[1]);
	close(pfd[1]);
	assert_int_equal(ipc_read(&p->b, &m), -1);
	assert_int_equal(errno, EBADMSG);
	/* All write ends closed: the pipe reads EOF. */
	{
		char c;
		assert_int_equal(read(pfd[0], &c, 1), 0);
	}
	close(pfd[0]);
	pair_free(p);
}

static void
test_malformed(void **state)
{
	struct pair *p = pair_new(1, 1);
	struct ipc_hdr h;
	struct ipc_msg m;
	uint8_t *big;
	size_t biglen = sizeof(struct ipc_hdr) + IPC_MAX_PAYLOAD + 1;

	(void)state;
	/* Oversize on the sending side. */
	big = calloc(1, biglen);
	assert_non_null(big);
	assert_int_equal(ipc_compose(&p->a, 1, 0, 0, -1, big,
			     IPC_MAX_PAYLOAD + 1),
	    -1);
	assert_int_equal(errno, EMSGSIZE);

	/* Oversize record from a broken peer: truncated by the kernel. */
	memset(&h, 0, sizeof(h));
	h.len = (uint32_t)biglen;
	memcpy(big, &h, sizeof(h));
	raw_send(p->a.fd, big, biglen, -1);
	assert_int_equal(ipc_read(&p->b, &m), -1);
	assert_int_equal(errno, EBADMSG);
	free(big);

	/* Shorter than a header. */
	raw_send(p->a.fd, "abc", 3, -1);
	assert_int_equal(ipc_read(&p->b, &m), -1);
	assert_int_equal(errno, EBADMSG);

	/* Length field that disagrees with the record. */
	memset(&h, 0, sizeof(h));
	h.len = sizeof(h) + 4;
	raw_send(p->a.fd, &h, sizeof(h), -1);
	assert_int_equal(ipc_read(&p->b, &m), -1);
	assert_int_equal(errno, EBADMSG);

	/* Unknown flag bits. */
	h.len = sizeof(h);
	h.flags = 0x8;
	raw_send(p->a.fd, &h, sizeof(h), -1);
	assert_int_equal(ipc_read(&p->b, &m), -1);

	/* Says it carries an fd but carries none. */
	h.flags = IPC_FLAG_FD;
	raw_send(p->a.fd, &h, sizeof(h), -1);
	assert_int_equal(ipc_read(&p->b, &m), -1);
	assert_int_equal(errno, EBADMSG);

	/* A good record still reads after all that. */
	assert_int_equal(ipc_compose(&p->a, 3, 0, 0, -1, "ok", 2), 0);
	assert_int_equal(ipc_read(&p->b, &m), 1);
	assert_int_equal(m.hdr.type, 3);
	pair_free(p);
}

static void
test_peer_close(void **state)
{
	struct pair *p = pair_new(0, 0);
	struct ipc_msg m;

	(void)state;
	close(p->a.fd);
	p->a.fd = -1;
	assert_int_equal(ipc_read(&p->b, &m), 0);
	assert_int_equal(ipc_compose(&p->b, 1, 0, 0, -1, "x", 1), -1);
	assert_int_equal(errno, EPIPE);
	pair_free(p);
}

struct loopstate {
	struct event_base *base;
	int got;
	int expect;
	int order_ok;
};

static void
reader_cb(struct ipc_chan *c, short ev, void *arg)
{
	struct loopstate *ls = arg;
	struct ipc_msg m;

	(void)ev;
	while (ipc_read(c, &m) == 1) {
		if (m.hdr.peerid != (uint32_t)ls->got || m.datalen != 60000)
			ls->order_ok = 0;
		ls->got++;
	}
	if (ls->got == ls->expect)
		event_base_loopbreak(ls->base);
}

static void
writer_cb(struct ipc_chan *c, short ev, void *arg)
{
	(void)c;
	(void)ev;
	(void)arg;
}

/* Messages that do not fit the socket are queued and go out in order. */
static void
test_queue_and_event_loop(void **state)
{
	struct pair *p = pair_new(0, 0);
	struct loopstate ls = { 0 };
	static uint8_t payload[60000];
	int i;

	(void)state;
	ls.base = event_base_new();
	ls.expect = 64;
	ls.order_ok = 1;
	assert_int_equal(ipc_event_set(&p->a, ls.base, writer_cb, NULL), 0);
	assert_int_equal(ipc_event_set(&p->b, ls.base, reader_cb, &ls), 0);
	for (i = 0; i < ls.expect; i++)
		assert_int_equal(ipc_compose(&p->a, 1, (uint32_t)i, 0, -1,
				     payload, sizeof(payload)),
		    0);
	assert_true(p->a.queued > 0);
	event_base_dispatch(ls.base);
	assert_int_equal(ls.got, ls.expect);
	assert_true(ls.order_ok);
	assert_int_equal(p->a.queued, 0);
	pair_free(p);
	event_base_free(ls.base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_fd_passing),
		cmocka_unit_test(test_fd_lost_at_limit),
		cmocka_unit_test(test_fd_refused_without_passing),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_peer_close),
		cmocka_unit_test(test_queue_and_event_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
