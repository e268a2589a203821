/*
 * ipc.h on Windows: the records of common/ipc.c over a connected
 * loopback TCP pair (libevent's evutil_socketpair), for the channel
 * between vland.exe and the vland-ifmgr code it runs in-process
 * (daemons/vland-ifmgr/inproc.c). Windows has no SOCK_SEQPACKET and
 * no descriptor passing, and vland.exe starts no helper process, so:
 *
 *   - a stream: records are read into rbuf and cut there by their
 *     header's length; a record is sent whole, across as many sends as
 *     the socket takes;
 *   - a descriptor is a socket of this same process: the sender's
 *     ipc_compose takes its own duplicate (WSADuplicateSocket, as
 *     SCM_RIGHTS gives the receiver one), and its number follows the
 *     record (4 bytes, when the header has IPC_FLAG_FD); the receiver
 *     owns it from then on, as on Linux.
 *
 * The checks on what is read are ipc.c's: a record shorter than its
 * header, longer than the largest, with unknown flags or with a
 * descriptor on a channel that takes none is EBADMSG.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "ipc.h"
#include "winapi.h"

static int
wsa_errno(void)
{
	switch (WSAGetLastError()) {
	case WSAEWOULDBLOCK:
		return EAGAIN;
	case WSAEINTR:
		return EINTR;
	case WSAENOBUFS:
		return ENOBUFS;
	default:
		return EIO;
	}
}

static void
ipc_out_free(struct ipc_out *o)
{
	explicit_bzero(o->buf, o->len);
	free(o);
}

/* A duplicate of socket fd in this process, not inherited; -1. */
static int
sock_dup(int fd)
{
	WSAPROTOCOL_INFOA info;
	SOCKET s;
	u_long one = 1;

	if (WSADuplicateSocketA((SOCKET)fd, GetCurrentProcessId(), &info) != 0)
		return -1;
	if ((s = WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO,
		 FROM_PROTOCOL_INFO, &info, 0, 0)) == INVALID_SOCKET)
		return -1;
	if (ioctlsocket(s, FIONBIO, &one) != 0 ||
	    !SetHandleInformation((HANDLE)s, HANDLE_FLAG_INHERIT, 0)) {
		closesocket(s);
		return -1;
	}
	return (int)s;
}

int
ipc_init(struct ipc_chan *c, int fd, int pass_fd)
{
	int sz = 4 * (int)sizeof(c->rbuf);
	u_long one = 1;

	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->pass_fd = pass_fd;
	TAILQ_INIT(&c->outq);
	if (ioctlsocket((SOCKET)fd, FIONBIO, &one) != 0 ||
	    !SetHandleInformation((HANDLE)(SOCKET)fd, HANDLE_FLAG_INHERIT, 0) ||
	    setsockopt((SOCKET)fd, SOL_SOCKET, SO_SNDBUF, (const char *)&sz,
		sizeof(sz)) != 0) {
		errno = wsa_errno();
		return -1;
	}
	return 0;
}

void
ipc_clear(struct ipc_chan *c)
{
	struct ipc_out *o;

	while ((o = TAILQ_FIRST(&c->outq)) != NULL) {
		TAILQ_REMOVE(&c->outq, o, entry);
		if (o->fd != -1)
			closesocket((SOCKET)o->fd);
		ipc_out_free(o);
	}
	if (c->rev != NULL)
		event_free(c->rev);
	if (c->wev != NULL)
		event_free(c->wev);
	c->rev = c->wev = NULL;
	if (c->fd != -1)
		closesocket((SOCKET)c->fd);
	c->fd = -1;
	c->queued = 0;
	explicit_bzero(c->rbuf, c->rfill);
	c->rfill = c->rlen = c->woff = 0;
}

int
ipc_compose(struct ipc_chan *c, uint16_t type, uint32_t peerid, uint32_t reqid,
    int fd, const void *data, size_t len)
{
	struct ipc_out *o;
	struct ipc_hdr h;
	int32_t num;

	if (len > IPC_MAX_PAYLOAD) {
		errno = EMSGSIZE;
		return -1;
	}
	if (fd != -1 && !c->pass_fd) {
		errno = EINVAL;
		return -1;
	}
	if ((o = malloc(sizeof(*o) + sizeof(h) + len + sizeof(num))) == NULL)
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
	o->fd = -1;
	if (fd != -1) {
		/* Our own copy, so the caller may close its one at once. */
		if ((o->fd = sock_dup(fd)) == -1) {
			ipc_out_free(o);
			errno = EMFILE;
			return -1;
		}
		num = o->fd;
		memcpy(o->buf + o->len, &num, sizeof(num));
		o->len += sizeof(num);
	}
	TAILQ_INSERT_TAIL(&c->outq, o, entry);
	c->queued++;
	if (ipc_flush(c) == -1)
		return -1;
	return 0;
}

int
ipc_flush(struct ipc_chan *c)
{
	struct ipc_out *o;
	int n;

	while ((o = TAILQ_FIRST(&c->outq)) != NULL) {
		n = send((SOCKET)c->fd, (const char *)o->buf + c->woff,
		    (int)(o->len - c->woff), 0);
		if (n == SOCKET_ERROR) {
			errno = wsa_errno();
			if (errno == EAGAIN || errno == EINTR ||
			    errno == ENOBUFS)
				break;
			return -1;
		}
		c->woff += (size_t)n;
		if (c->woff < o->len)
			continue;
		/* Sent whole: the descriptor is the receiver's now. */
		c->woff = 0;
		TAILQ_REMOVE(&c->outq, o, entry);
		c->queued--;
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

/* A whole record at the start of rbuf: its length with the descriptor's
 * number, 0 if more must be read, -1 if it is malformed. */
static int
record_len(const struct ipc_chan *c, size_t *need)
{
	struct ipc_hdr h;

	if (c->rfill < sizeof(h))
		return 0;
	memcpy(&h, c->rbuf, sizeof(h));
	if (h.len < sizeof(h) || h.len > sizeof(h) + IPC_MAX_PAYLOAD ||
	    (h.flags & ~IPC_FLAG_FD) != 0)
		return -1;
	*need = h.len + ((h.flags & IPC_FLAG_FD) ? sizeof(int32_t) : 0);
	if (*need > sizeof(c->rbuf))
		return -1;
	return c->rfill >= *need ? 1 : 0;
}

int
ipc_read(struct ipc_chan *c, struct ipc_msg *msg)
{
	size_t need = 0;
	int32_t num;
	int n, rc;

	/* The last record is no longer the caller's: what follows it moves
	 * up, and its bytes are wiped. */
	if (c->rlen > 0) {
		memmove(c->rbuf, c->rbuf + c->rlen, c->rfill - c->rlen);
		explicit_bzero(c->rbuf + c->rfill - c->rlen, c->rlen);
		c->rfill -= c->rlen;
		c->rlen = 0;
	}
	while ((rc = record_len(c, &need)) == 0) {
		n = recv((SOCKET)c->fd, (char *)c->rbuf + c->rfill,
		    (int)(sizeof(c->rbuf) - c->rfill), 0);
		if (n == 0)
			return 0;
		if (n == SOCKET_ERROR) {
			errno = wsa_errno();
			return -1;
		}
		c->rfill += (size_t)n;
	}
	if (rc == -1) {
		/* The stream cannot be cut after a bad header: the channel
		 * is lost, as on Linux a malformed record ends it. */
		errno = EBADMSG;
		return -1;
	}
	memset(msg, 0, sizeof(*msg));
	memcpy(&msg->hdr, c->rbuf, sizeof(msg->hdr));
	msg->fd = -1;
	c->rlen = need;
	if (msg->hdr.flags & IPC_FLAG_FD) {
		memcpy(&num, c->rbuf + msg->hdr.len, sizeof(num));
		if (!c->pass_fd) {
			closesocket((SOCKET)num);
			errno = EBADMSG;
			return -1;
		}
		msg->fd = num;
	}
	msg->data = c->rbuf + sizeof(struct ipc_hdr);
	msg->datalen = msg->hdr.len - sizeof(struct ipc_hdr);
	return 1;
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
	(void)fd;
	(void)ev;
	ipc_flush(arg);
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
