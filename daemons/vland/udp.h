/*
 * UDP: the sockets, batched receive with recvmmsg and batched send with
 * sendmmsg, with segmentation offload both ways (udp.c, udp_mmsg.c), or
 * one datagram a call with sendto and recvfrom (udp_single.c): Linux
 * has both (the single one for the tests, tx.single and rx.single),
 * Windows only the single one. The buffers are the caller's: a struct
 * udp_tx and a struct udp_rx (large, so static instances), and nothing
 * is allocated per packet.
 */
#ifndef VLAND_UDP_H
#define VLAND_UDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <event2/util.h>

#include "vland.h"

/* recvmmsg, sendmmsg, UDP_SEGMENT and UDP_GRO: Linux's. */
#ifdef __linux__
#define UDP_HAVE_MMSG 1
#else
#define UDP_HAVE_MMSG 0
#endif

/* A receive buffer holds what UDP_GRO may join: up to 64 KiB. */
#define UDP_RXBUF_SZ 65536
/* Datagrams in one UDP_SEGMENT message, and its payload at most. */
#define UDP_GSO_SEGS  64
#define UDP_GSO_BYTES 65000

#if UDP_HAVE_MMSG
union udp_ctl {
	struct cmsghdr align;
	uint8_t buf[CMSG_SPACE(sizeof(int))];
};
#endif

/* Datagrams queued for a batched send: at most BATCH, then sent. */
struct udp_tx {
	uint8_t buf[BATCH][PKT_MAX];
	struct iovec iov[BATCH];
	struct sockaddr_storage addr[BATCH];
	socklen_t addrlen[BATCH];
	int sock[BATCH]; /* which socket (peer_addr.sock) */
	unsigned n;
#if UDP_HAVE_MMSG
	/* The batch as messages; the messages a flush sends: runs of msg
	 * joined with UDP_SEGMENT, each from gsofirst and gsocount
	 * long. */
	struct mmsghdr msg[BATCH];
	struct mmsghdr gsomsg[BATCH];
	union udp_ctl gsoctl[BATCH];
	unsigned gsofirst[BATCH], gsocount[BATCH];
#endif
	bool single;		/* sendto, one a call (udp_single.c) */
	const int *fds;		/* the sockets, by number */
	struct counters *total; /* datagrams the sockets refused */
};

struct udp_rx {
	uint8_t buf[BATCH][UDP_RXBUF_SZ];
#if UDP_HAVE_MMSG
	struct mmsghdr msg[BATCH];
	struct iovec iov[BATCH];
	union udp_ctl ctl[BATCH];
#endif
	struct sockaddr_storage addr[BATCH];
	bool single;	  /* recvfrom, one a call (udp_single.c) */
	unsigned per_msg; /* datagrams per message lately, at most */
	const int *fds;
	size_t nfds;		/* watched by udp_events */
	struct counters *total; /* datagrams too large */
	/* The sockets' event callback, and device batches since the
	 * sockets were last read (udp_device_batch). */
	void (*cb)(evutil_socket_t, short, void *);
	unsigned device_batches;
};

/* Bind a socket to each of n addresses at port: their descriptors in
 * fds, in order. */
void udp_open_all(const struct addr *listen, size_t n, uint16_t port, int *fds);
/* An endpoint's socket of family af, or -1 if the host has none. */
int udp_socket_unbound(int af);

/* fds are the sockets by number (vl.udp), total takes the drops. The
 * batched path where there is one (single false). */
void udp_tx_init(struct udp_tx *, const int *fds, struct counters *total);
/* Queue a datagram for a batched send; udp_flush sends the batch. */
void udp_queue(struct udp_tx *, const struct peer_addr *, const uint8_t *buf,
    size_t len);
/* Zero-copy: fill the slot (PKT_MAX bytes), then commit it. A full
 * batch is sent at once. */
uint8_t *udp_tx_slot(struct udp_tx *);
void udp_tx_commit(struct udp_tx *, const struct peer_addr *, size_t len);
void udp_flush(struct udp_tx *);
#if UDP_HAVE_MMSG
/* Join queued datagrams [start, end) (one socket's) into the messages
 * a flush sends (gsomsg); how many. */
unsigned udp_gso_group(struct udp_tx *, unsigned start, unsigned end);
#endif

void udp_rx_init(struct udp_rx *, const int *fds, struct counters *total);
/* Watch the first nfds sockets, with cb (its argument: the socket's
 * number); their events in ev. */
void udp_events(struct udp_rx *, struct event_base *, size_t nfds,
    struct event **ev, void (*cb)(evutil_socket_t, short, void *));
/* Receive up to BATCH datagrams from socket number sock; fn gets each.
 * How many messages came (the caller then writes and sends what they
 * made: gro_flush, udp_flush). */
int udp_receive(struct udp_rx *, int sock,
    void (*fn)(uint8_t *, size_t, struct peer_addr *));
/* A device's batch is done: after UDP_STARVE_MAX of them in a row, the
 * UDP sockets are read from here. */
void udp_device_batch(struct udp_rx *);

/* The two ways of sending and receiving, which udp_flush and
 * udp_receive choose between (udp_mmsg.c, udp_single.c), and the
 * socket option the batched one needs (UDP_GRO). */
void udp_flush_mmsg(struct udp_tx *);
void udp_flush_single(struct udp_tx *);
int udp_receive_mmsg(struct udp_rx *, int sock,
    void (*fn)(uint8_t *, size_t, struct peer_addr *));
int udp_receive_single(struct udp_rx *, int sock,
    void (*fn)(uint8_t *, size_t, struct peer_addr *));
void udp_socket_offload(int fd);

#endif
