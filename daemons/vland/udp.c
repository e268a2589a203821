/*
 * UDP: the sockets (opened as root so that large buffers hold), batched
 * receive with recvmmsg and batched send with sendmmsg. The buffers are
 * in the caller's struct udp_tx and udp_rx: nothing is allocated per
 * packet, and no state is kept here.
 *
 * Segmentation offload both ways: a run of equal-sized datagrams to one
 * peer leaves as one message with UDP_SEGMENT (the kernel carries it as
 * one packet as far as it can), and with UDP_GRO one receive may return
 * several datagrams of one sender joined, cut apart here again.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <linux/udp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "udp.h"

/* Several MiB: on a 2-core machine buffer size alone moved OpenVPN and
 * tinc by 40-73 % in measurements before vland existed. */
#define UDP_BUFSZ (8 * 1024 * 1024)

static int
udp_socket(int af)
{
	int fd, sz = UDP_BUFSZ, one = 1;

	fd = socket(af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		fatal("socket");
	/* An IPv6 socket serves IPv6 only; 0.0.0.0 is its own socket. */
	if (af == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) == -1)
		fatal("IPV6_V6ONLY");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) == -1)
		log_warn("cannot enlarge the UDP buffers");
	if (setsockopt(fd, IPPROTO_UDP, UDP_GRO, &one, sizeof(one)) == -1)
		log_warn("no UDP_GRO: one datagram per receive");
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
	fd = udp_socket(a->af);
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
	int fd;

	/* A host without IPv6 (or IPv4) has no socket of that family. */
	if ((fd = socket(af, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		if (errno != EAFNOSUPPORT)
			fatal("socket");
		return -1;
	}
	close(fd);
	return udp_socket(af);
}

void
udp_rx_init(struct udp_rx *rx, const int *fds, struct counters *total)
{
	memset(rx, 0, sizeof(*rx));
	rx->per_msg = 1;
	rx->fds = fds;
	rx->total = total;
}

void
udp_events(struct udp_rx *rx, struct event_base *base, size_t nfds,
    struct event **ev, void (*cb)(int, short, void *))
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
	tx->msg[k].msg_hdr.msg_name = &tx->addr[k];
	tx->msg[k].msg_hdr.msg_namelen = to->len;
	tx->iov[k].iov_base = tx->buf[k];
	tx->iov[k].iov_len = len;
	tx->msg[k].msg_hdr.msg_iov = &tx->iov[k];
	tx->msg[k].msg_hdr.msg_iovlen = 1;
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

/* Whether datagram j may join the UDP_SEGMENT message starting at i. */
static bool
gso_joins(const struct udp_tx *tx, unsigned i, unsigned j, size_t total)
{
	size_t size = tx->iov[i].iov_len;
	socklen_t namelen = tx->msg[i].msg_hdr.msg_namelen;

	/* Equal sizes, the last one alone may be shorter: so the one
	 * before j must be full. */
	return j - i < UDP_GSO_SEGS && tx->iov[j - 1].iov_len == size &&
	    tx->iov[j].iov_len <= size &&
	    total + tx->iov[j].iov_len <= UDP_GSO_BYTES &&
	    tx->msg[j].msg_hdr.msg_namelen == namelen &&
	    memcmp(&tx->addr[j], &tx->addr[i], namelen) == 0;
}

unsigned
udp_gso_group(struct udp_tx *tx, unsigned start, unsigned end)
{
	struct mmsghdr *m;
	struct cmsghdr *cm;
	unsigned i = start, j, n = 0;
	size_t total;
	uint16_t seg;

	while (i < end) {
		total = tx->iov[i].iov_len;
		for (j = i + 1; j < end && gso_joins(tx, i, j, total); j++)
			total += tx->iov[j].iov_len;
		m = &tx->gsomsg[n];
		*m = tx->msg[i];
		m->msg_hdr.msg_iov = &tx->iov[i];
		m->msg_hdr.msg_iovlen = j - i;
		m->msg_hdr.msg_control = NULL;
		m->msg_hdr.msg_controllen = 0;
		if (j - i > 1) {
			seg = (uint16_t)tx->iov[i].iov_len;
			m->msg_hdr.msg_control = tx->gsoctl[n].buf;
			m->msg_hdr.msg_controllen = CMSG_SPACE(sizeof(seg));
			cm = CMSG_FIRSTHDR(&m->msg_hdr);
			cm->cmsg_level = IPPROTO_UDP;
			cm->cmsg_type = UDP_SEGMENT;
			cm->cmsg_len = CMSG_LEN(sizeof(seg));
			memcpy(CMSG_DATA(cm), &seg, sizeof(seg));
		}
		tx->gsofirst[n] = i;
		tx->gsocount[n] = j - i;
		n++;
		i = j;
	}
	return n;
}

/* Send runs of datagrams for the same socket with one sendmmsg each. */
void
udp_flush(struct udp_tx *tx)
{
	unsigned start = 0, end, sent, nmsg, k, cnt;
	int fd, n;

	while (start < tx->n) {
		for (end = start + 1;
		     end < tx->n && tx->sock[end] == tx->sock[start]; end++)
			;
		fd = tx->fds[tx->sock[start]];
		nmsg = udp_gso_group(tx, start, end);
		for (sent = 0; sent < nmsg; sent += (unsigned)n) {
			n = sendmmsg(fd, &tx->gsomsg[sent], nmsg - sent, 0);
			if (n > 0)
				continue;
			/* The message at sent failed. A joined one the
			 * route cannot segment (a path MTU below its
			 * datagrams) goes again one by one; otherwise a
			 * full socket buffer or an unreachable peer: the
			 * datagrams are dropped. */
			k = tx->gsofirst[sent];
			cnt = tx->gsocount[sent];
			if (cnt > 1 && (errno == EINVAL || errno == EIO) &&
			    sendmmsg(fd, &tx->msg[k], cnt, 0) == (int)cnt) {
				n = 1;
				continue;
			}
			tx->total->drops[DROP_SEND] += cnt;
			n = 1;
		}
		start = end;
	}
	tx->n = 0;
}

/* The size of the datagrams UDP_GRO joined in m, or len if it did not. */
static size_t
udp_gro_size(struct msghdr *m, size_t len)
{
	struct cmsghdr *cm;
	int seg;

	for (cm = CMSG_FIRSTHDR(m); cm != NULL; cm = CMSG_NXTHDR(m, cm)) {
		if (cm->cmsg_level != IPPROTO_UDP || cm->cmsg_type != UDP_GRO ||
		    cm->cmsg_len < CMSG_LEN(sizeof(seg)))
			continue;
		memcpy(&seg, CMSG_DATA(cm), sizeof(seg));
		if (seg > 0 && (size_t)seg < len)
			return (size_t)seg;
	}
	return len;
}

int
udp_receive(struct udp_rx *rx, int sock,
    void (*fn)(uint8_t *, size_t, struct peer_addr *))
{
	/*
	 * At most about BATCH datagrams per wake-up, as from a tap: with
	 * UDP_GRO one message may hold 64, and taking 64 such messages at
	 * once starved the taps under a flood of small packets (the hub
	 * forwarded into one tap what the next one then dropped). So ask
	 * for as many messages as recent ones say make BATCH datagrams.
	 */
	struct peer_addr from;
	struct msghdr *m;
	size_t len, off, seg;
	unsigned vlen = BATCH / rx->per_msg, most = 1, k;
	int i, n;

	rx->device_batches = 0;
	for (i = 0; i < BATCH; i++) {
		m = &rx->msg[i].msg_hdr;
		rx->iov[i].iov_base = rx->buf[i];
		rx->iov[i].iov_len = UDP_RXBUF_SZ;
		memset(m, 0, sizeof(*m));
		m->msg_iov = &rx->iov[i];
		m->msg_iovlen = 1;
		m->msg_name = &rx->addr[i];
		m->msg_namelen = sizeof(rx->addr[i]);
		m->msg_control = rx->ctl[i].buf;
		m->msg_controllen = sizeof(rx->ctl[i].buf);
	}
	n = recvmmsg(rx->fds[sock], rx->msg, vlen > 0 ? vlen : 1, MSG_DONTWAIT,
	    NULL);
	if (n <= 0)
		return 0;
	for (i = 0; i < n; i++) {
		m = &rx->msg[i].msg_hdr;
		len = rx->msg[i].msg_len;
		seg = udp_gro_size(m, len);
		if ((m->msg_flags & MSG_TRUNC) || seg > PKT_MAX) {
			rx->total->drops[DROP_TRUNC]++;
			continue;
		}
		memcpy(&from.ss, &rx->addr[i], m->msg_namelen);
		from.len = m->msg_namelen;
		from.sock = sock;
		/* Joined datagrams: all seg bytes long but the last. */
		for (off = 0, k = 0; off < len; off += seg, k++)
			fn(rx->buf[i] + off, len - off < seg ? len - off : seg,
			    &from);
		if (k > most)
			most = k;
	}
	/* The most joined in one message, not the average: a batch of
	 * messages that each join many would otherwise write thousands of
	 * frames into the taps at once, more than a tap's queue holds.
	 * Halved at most per batch, so it follows traffic down. */
	rx->per_msg = most > rx->per_msg / 2 ? most : rx->per_msg / 2;
	if (rx->per_msg < 1)
		rx->per_msg = 1;
	if (rx->per_msg > BATCH)
		rx->per_msg = BATCH;
	return n;
}
