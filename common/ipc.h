/*
 * IPC framing between the vland processes over SOCK_SEQPACKET
 * socketpairs, in the spirit of OpenBSD's imsg: one record per message,
 * a fixed header, a bounded payload and an optional descriptor. The
 * message catalogue (types and payloads) lives in proto/; this file only
 * moves records and checks their shape. common/ipc.c is Linux's;
 * platform/windows/ipcwin.c carries the same records over a loopback
 * TCP pair inside vland.exe (its head comment says why).
 */
#ifndef VLAND_IPC_H
#define VLAND_IPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#define IPC_MAX_PAYLOAD (64 * 1024)
#define IPC_FLAG_FD	0x1

struct ipc_hdr {
	uint16_t type;
	uint16_t flags;
	uint32_t len;	 /* header included */
	uint32_t peerid; /* object the message is about (session, device) */
	uint32_t reqid;	 /* requester's id, echoed in the reply */
};

struct ipc_msg {
	struct ipc_hdr hdr;
	const uint8_t
	    *data; /* points into the channel; valid until next read */
	size_t datalen;
	int fd; /* -1 if none; the receiver owns it */
	/* One was sent, but the receiver had no descriptor slot for it
	 * (EMFILE): the kernel dropped it, fd is -1. */
	bool fd_lost;
};

struct ipc_out {
	TAILQ_ENTRY(ipc_out) entry;
	int fd;
	size_t len;
	uint8_t buf[];
};

struct event;
struct event_base;
struct ipc_chan;
typedef void (*ipc_cb)(struct ipc_chan *, short events, void *arg);

struct ipc_chan {
	int fd;
	int pass_fd; /* 1 if descriptors may cross this channel */
	TAILQ_HEAD(, ipc_out) outq;
	size_t queued;
	struct event *rev, *wev;
	ipc_cb cb;
	void *cbarg;
	size_t
	    rlen; /* bytes of the last record in rbuf, wiped at the next read */
	/* A stream (ipcwin.c): bytes in rbuf, and of the first queued
	 * record sent. SOCK_SEQPACKET needs neither. */
	size_t rfill, woff;
	uint8_t rbuf[sizeof(struct ipc_hdr) + IPC_MAX_PAYLOAD];
};

/* Channel set-up; fd is made non-blocking and close-on-exec. */
int ipc_init(struct ipc_chan *, int fd, int pass_fd);
void ipc_clear(struct ipc_chan *);

/*
 * Queue one message and try to send it. fd (or -1) is sent with
 * SCM_RIGHTS and stays owned by the caller. Returns 0, or -1 with errno
 * EMSGSIZE (payload too large) or EINVAL (fd on a channel without fd
 * passing).
 */
int ipc_compose(struct ipc_chan *, uint16_t type, uint32_t peerid,
    uint32_t reqid, int fd, const void *data, size_t len);

/* Send what is queued. Returns 0 (possibly with data left), -1 on error. */
int ipc_flush(struct ipc_chan *);

/*
 * Read one message. Returns 1 with *msg filled, 0 when the peer has
 * closed, -1 with errno EAGAIN (nothing to read) or EBADMSG (a malformed
 * record: truncated, oversize, length mismatch, unexpected descriptor).
 */
int ipc_read(struct ipc_chan *, struct ipc_msg *msg);

/* Copy the payload only if its size is exactly len; else -1 (EBADMSG). */
int ipc_get_exact(const struct ipc_msg *, void *out, size_t len);

/*
 * libevent glue: cb runs with EV_READ when records can be read; queued
 * output is flushed by an internal write event. Returns 0 or -1.
 */
int ipc_event_set(struct ipc_chan *, struct event_base *, ipc_cb, void *arg);

#endif
