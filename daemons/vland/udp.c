/*
 * UDP: the sockets (opened as root so that large buffers hold), the
 * queue of datagrams to send, and the choice between the two ways of
 * sending and receiving them: batched (udp_mmsg.c, Linux) or one a
 * call (udp_single.c, every system). The buffers are in the caller's
 * struct udp_tx and udp_rx: nothing is allocated per packet, and no
 * state is kept here.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "udp.h"

/* Several MiB: on a 2-core machine buffer size alone moved OpenVPN and
 * tinc by 40-73 % in measurements before vland existed. */
#define UDP_BUFSZ (8 * 1024 * 1024)

/* A socket of family af, or -1 if may_fail and the host has none. */
static int
udp_socket(int af, bool may_fail)
{
	int fd, sz = UDP_BUFSZ, one = 1;

	fd = socket(af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1 && may_fail && errno == EAFNOSUPPORT)
		return -1;
	if (fd == -1)
		fatal("socket");
	/* An IPv6 socket serves IPv6 only; 0.0.0.0 is its own socket. */
	if (af == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, (const void *)&one,
		sizeof(one)) == -1)
		fatal("IPV6_V6ONLY");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, (const void *)&sz,
		sizeof(sz)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, (const void *)&sz,
		sizeof(sz)) == -1)
		log_warn("cannot enlarge the UDP buffers");
#if UDP_HAVE_MMSG
	udp_socket_offload(fd);
#endif
	return fd;
}

static int
udp_open(const struct addr *a, uint16_t port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	char buf[ADDR_STRLEN];
	socklen_t len;
	int fd;

	memset(&ss, 0, sizeof(ss));
	if (a->af == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr = a->v4;
		len = sizeof(*sin);
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sin6->sin6_addr = a->v6;
		len = sizeof(*sin6);
	}
	fd = udp_socket(a->af, false);
	if (bind(fd, (struct sockaddr *)&ss, len) == -1)
		fatal("bind %s port %u", addr_fmt(a, buf, sizeof(buf)), port);
	log_info("listening on %s port %u", addr_fmt(a, buf, sizeof(buf)),
	    port);
	return fd;
}

void
udp_open_all(const struct addr *listen, size_t n, uint16_t port, int *fds)
{
	size_t i;

	for (i = 0; i < n; i++)
		fds[i] = udp_open(&listen[i], port);
}

int
udp_socket_unbound(int af)
{
	/* A host without IPv6 (or IPv4) has no socket of that family. */
	return udp_socket(af, true);
}

void
udp_rx_init(struct udp_rx *rx, const int *fds, struct counters *total)
{
	memset(rx, 0, sizeof(*rx));
	rx->per_msg = 1;
	rx->single = !UDP_HAVE_MMSG;
	rx->fds = fds;
	rx->total = total;
}

void
udp_events(struct udp_rx *rx, struct event_base *base, size_t nfds,
    struct event **ev, void (*cb)(evutil_socket_t, short, void *))
{
	size_t i;

	rx->cb = cb;
	rx->nfds = nfds;
	for (i = 0; i < nfds; i++) {
		ev[i] = event_new(base, rx->fds[i], EV_READ | EV_PERSIST, cb,
		    (void *)(intptr_t)i);
		if (ev[i] == NULL ||
		    event_priority_set(ev[i], PRIO_UDP) == -1 ||
		    event_add(ev[i], NULL) == -1)
			fatalx("udp event");
	}
}

void
udp_device_batch(struct udp_rx *rx)
{
	size_t i;

	if (++rx->device_batches < UDP_STARVE_MAX || rx->cb == NULL)
		return;
	/* Not event_active: UDP's priority would keep it waiting. */
	for (i = 0; i < rx->nfds; i++)
		rx->cb(rx->fds[i], EV_READ, (void *)(intptr_t)i);
}

const char *
peer_fmt(const struct peer_addr *p, char *buf, size_t len)
{
	struct addr a;
	char s[ADDR_STRLEN];
	uint16_t port;

	peer_to_addr(p, &a, &port);
	snprintf(buf, len, a.af == AF_INET6 ? "[%s]:%u" : "%s:%u",
	    addr_fmt(&a, s, sizeof(s)), port);
	return buf;
}

void
peer_to_addr(const struct peer_addr *p, struct addr *a, uint16_t *port)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)&p->ss;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&p->ss;

	memset(a, 0, sizeof(*a));
	*port = 0;
	if (p->ss.ss_family == AF_INET) {
		a->af = AF_INET;
		a->v4 = sin->sin_addr;
		*port = ntohs(sin->sin_port);
	} else if (p->ss.ss_family == AF_INET6) {
		a->af = AF_INET6;
		a->v6 = sin6->sin6_addr;
		*port = ntohs(sin6->sin6_port);
	}
}

bool
peer_equal(const struct peer_addr *x, const struct peer_addr *y)
{
	return x->sock == y->sock && x->len == y->len &&
	    memcmp(&x->ss, &y->ss, x->len) == 0;
}

void
udp_tx_init(struct udp_tx *tx, const int *fds, struct counters *total)
{
	memset(tx, 0, sizeof(*tx));
	tx->single = !UDP_HAVE_MMSG;
	tx->fds = fds;
	tx->total = total;
}

uint8_t *
udp_tx_slot(struct udp_tx *tx)
{
	if (tx->n == BATCH)
		udp_flush(tx);
	return tx->buf[tx->n];
}

void
udp_tx_commit(struct udp_tx *tx, const struct peer_addr *to, size_t len)
{
	unsigned k = tx->n;

	memcpy(&tx->addr[k], &to->ss, to->len);
	tx->addrlen[k] = to->len;
	tx->iov[k].iov_base = tx->buf[k];
	tx->iov[k].iov_len = len;
	tx->sock[k] = to->sock;
	tx->n++;
	if (tx->n == BATCH)
		udp_flush(tx);
}

void
udp_queue(struct udp_tx *tx, const struct peer_addr *to, const uint8_t *buf,
    size_t len)
{
	uint8_t *slot = udp_tx_slot(tx);

	memcpy(slot, buf, len);
	udp_tx_commit(tx, to, len);
}

void
udp_flush(struct udp_tx *tx)
{
#if UDP_HAVE_MMSG
	if (!tx->single) {
		udp_flush_mmsg(tx);
		return;
	}
#endif
	udp_flush_single(tx);
}

int
udp_receive(struct udp_rx *rx, int sock,
    void (*fn)(uint8_t *, size_t, struct peer_addr *))
{
	rx->device_batches = 0;
#if UDP_HAVE_MMSG
	if (!rx->single)
		return udp_receive_mmsg(rx, sock, fn);
#endif
	return udp_receive_single(rx, sock, fn);
}
