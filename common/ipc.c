/*
 * IPC records over SOCK_SEQPACKET (see ipc.h). The kernel keeps record
 * boundaries, so a short or long read is a protocol error, never a
 * partial message to reassemble.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "ipc.h"

/* A record may have carried a password or a key: wipe it before it
 * goes back to the allocator. */
static void
ipc_out_free(struct ipc_out *o)
{
	explicit_bzero(o->buf, o->len);
	free(o);
}

int
ipc_init(struct ipc_chan *c, int fd, int pass_fd)
{
	int fl, sz = 4 * (int)sizeof(c->rbuf);

	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->pass_fd = pass_fd;
	TAILQ_INIT(&c->outq);
	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
		return -1;
	/* A record larger than the send buffer fails with EMSGSIZE, so
	 * make room for the largest one (and a few behind it). */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz)) == -1)
		return -1;
	return 0;
}

void
ipc_clear(struct ipc_chan *c)
{
	struct ipc_out *o;

	while ((o = TAILQ_FIRST(&c->outq)) != NULL) {
		TAILQ_REMOVE(&c->outq, o, entry);
		if (o->fd != -1)
			close(o->fd);
		ipc_out_free(o);
	}
	if (c->rev != NULL)
		event_free(c->rev);
	if (c->wev != NULL)
		event_free(c->wev);
	c->rev = c->wev = NULL;
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	c->queued = 0;
}

int
ipc_compose(struct ipc_chan *c, uint16_t type, uint32_t peerid, uint32_t reqid,
    int fd, const void *data, size_t len)
{
	struct ipc_out *o;
	struct ipc_hdr h;

	if (len > IPC_MAX_PAYLOAD) {
		errno = EMSGSIZE;
		return -1;
	}
	if (fd != -1 && !c->pass_fd) {
		errno = EINVAL;
		return -1;
	}
	if ((o = malloc(sizeof(*o) + sizeof(h) + len)) == NULL)
		return -1;
	memset(&h, 0, sizeof(h));
	h.type = type;
	h.flags = fd != -1 ? IPC_FLAG_FD : 0;
	h.len = sizeof(h) + len;
	h.peerid = peerid;
	h.reqid = reqid;
	memcpy(o->buf, &h, sizeof(h));
	if (len > 0)
		memcpy(o->buf + sizeof(h), data, len);
	o->len = sizeof(h) + len;
	/* Our own copy, so the caller may close its descriptor at once. */
	o->fd = -1;
	if (fd != -1 && (o->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) == -1) {
		ipc_out_free(o);
		return -1;
	}
	TAILQ_INSERT_TAIL(&c->outq, o, entry);
	c->queued++;
	if (ipc_flush(c) == -1)
		return -1;
	return 0;
}

static int
ipc_send_one(struct ipc_chan *c, struct ipc_out *o)
{
	struct msghdr mh;
	struct iovec iov;
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct cmsghdr *cmp;

	memset(&mh, 0, sizeof(mh));
	iov.iov_base = o->buf;
	iov.iov_len = o->len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (o->fd != -1) {
		memset(&cm, 0, sizeof(cm));
		mh.msg_control = cm.buf;
		mh.msg_controllen = sizeof(cm.buf);
		cmp = CMSG_FIRSTHDR(&mh);
		cmp->cmsg_len = CMSG_LEN(sizeof(int));
		cmp->cmsg_level = SOL_SOCKET;
		cmp->cmsg_type = SCM_RIGHTS;
		memcpy(CMSG_DATA(cmp), &o->fd, sizeof(int));
	}
	return sendmsg(c->fd, &mh, MSG_NOSIGNAL) == -1 ? -1 : 0;
}

int
ipc_flush(struct ipc_chan *c)
{
	struct ipc_out *o;

	while ((o = TAILQ_FIRST(&c->outq)) != NULL) {
		if (ipc_send_one(c, o) == -1) {
			if (errno == EAGAIN || errno == EINTR ||
			    errno == ENOBUFS)
				break;
			return -1;
		}
		TAILQ_REMOVE(&c->outq, o, entry);
		c->queued--;
		if (o->fd != -1)
			close(o->fd);
		ipc_out_free(o);
	}
	if (c->wev != NULL) {
		if (c->queued > 0)
			event_add(c->wev, NULL);
		else
			event_del(c->wev);
	}
	return 0;
}

static void
ipc_close_rights(struct msghdr *mh)
{
	struct cmsghdr *cmp;
	size_t i, n;
	int fd;

	for (cmp = CMSG_FIRSTHDR(mh); cmp != NULL; cmp = CMSG_NXTHDR(mh, cmp)) {
		if (cmp->cmsg_level != SOL_SOCKET ||
		    cmp->cmsg_type != SCM_RIGHTS)
			continue;
		n = (cmp->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			memcpy(&fd, CMSG_DATA(cmp) + i * sizeof(int),
			    sizeof(int));
			close(fd);
		}
	}
}

int
ipc_read(struct ipc_chan *c, struct ipc_msg *msg)
{
	struct msghdr mh;
	struct iovec iov;
	union {
		struct cmsghdr hdr;
		/* Room for more than one fd so that extras can be closed. */
		char buf[CMSG_SPACE(4 * sizeof(int))];
	} cm;
	struct cmsghdr *cmp;
	ssize_t n;
	int fd = -1, nfds = 0;
	bool lost = false;

	/* The last record's payload is no longer the caller's: wipe it. */
	explicit_bzero(c->rbuf, c->rlen);
	c->rlen = 0;
	memset(&mh, 0, sizeof(mh));
	memset(&cm, 0, sizeof(cm));
	iov.iov_base = c->rbuf;
	iov.iov_len = sizeof(c->rbuf);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.buf;
	mh.msg_controllen = sizeof(cm.buf);

	do {
		n = recvmsg(c->fd, &mh, MSG_CMSG_CLOEXEC);
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	if (n == 0 && mh.msg_controllen == 0)
		return 0;
	c->rlen = (size_t)n < sizeof(c->rbuf) ? (size_t)n : sizeof(c->rbuf);

	for (cmp = CMSG_FIRSTHDR(&mh); cmp != NULL;
	     cmp = CMSG_NXTHDR(&mh, cmp)) {
		if (cmp->cmsg_level == SOL_SOCKET &&
		    cmp->cmsg_type == SCM_RIGHTS)
			nfds += (cmp->cmsg_len - CMSG_LEN(0)) / sizeof(int);
	}
	if (nfds == 1 && c->pass_fd && !(mh.msg_flags & MSG_CTRUNC)) {
		cmp = CMSG_FIRSTHDR(&mh);
		memcpy(&fd, CMSG_DATA(cmp), sizeof(int));
	} else if (nfds > 0) {
		ipc_close_rights(&mh);
		errno = EBADMSG;
		return -1;
	} else if ((mh.msg_flags & MSG_CTRUNC) && c->pass_fd) {
		/* A descriptor came and we had no slot for it (EMFILE):
		 * the kernel dropped it. The message itself is sound; the
		 * caller learns that its descriptor is lost. */
		lost = true;
	}

	memset(msg, 0, sizeof(*msg));
	msg->fd = -1;
	if ((mh.msg_flags & MSG_TRUNC) ||
	    ((mh.msg_flags & MSG_CTRUNC) && !lost) ||
	    (size_t)n < sizeof(struct ipc_hdr))
		goto bad;
	memcpy(&msg->hdr, c->rbuf, sizeof(msg->hdr));
	if (msg->hdr.len != (size_t)n || (msg->hdr.flags & ~IPC_FLAG_FD) != 0 ||
	    ((msg->hdr.flags & IPC_FLAG_FD) != 0) != (fd != -1 || lost))
		goto bad;
	msg->data = c->rbuf + sizeof(struct ipc_hdr);
	msg->datalen = n - sizeof(struct ipc_hdr);
	msg->fd = fd;
	msg->fd_lost = lost;
	return 1;
bad:
	if (fd != -1)
		close(fd);
	errno = EBADMSG;
	return -1;
}

int
ipc_get_exact(const struct ipc_msg *msg, void *out, size_t len)
{
	if (msg->datalen != len) {
		errno = EBADMSG;
		return -1;
	}
	if (len > 0)
		memcpy(out, msg->data, len);
	return 0;
}

static void
ipc_write_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct ipc_chan *c = arg;

	(void)fd;
	(void)ev;
	/* A write error shows up as EOF or an error on the read side. */
	ipc_flush(c);
}

static void
ipc_read_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct ipc_chan *c = arg;

	(void)fd;
	c->cb(c, ev, c->cbarg);
}

int
ipc_event_set(struct ipc_chan *c, struct event_base *base, ipc_cb cb, void *arg)
{
	c->cb = cb;
	c->cbarg = arg;
	c->rev = event_new(base, c->fd, EV_READ | EV_PERSIST, ipc_read_cb, c);
	c->wev = event_new(base, c->fd, EV_WRITE, ipc_write_cb, c);
	if (c->rev == NULL || c->wev == NULL || event_add(c->rev, NULL) == -1)
		return -1;
	if (c->queued > 0)
		event_add(c->wev, NULL);
	return 0;
}
