/*
 * UDP: the sockets (opened as root so that large buffers hold), batched
 * receive with recvmmsg and batched send with sendmmsg. Buffers are
 * static: nothing is allocated per packet.
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

#include "gro.h"
#include "log.h"
#include "vland.h"

/* Several MiB: on a 2-core machine buffer size alone moved OpenVPN and
 * tinc by 40-73 % in measurements before vland existed. */
#define UDP_BUFSZ (8 * 1024 * 1024)

/* A receive buffer holds what UDP_GRO may join: up to 64 KiB. */
#define RXBUF_SZ 65536
/* Datagrams in one UDP_SEGMENT message, and its payload at most. */
#define GSO_SEGS  64
#define GSO_BYTES 65000

union udp_ctl {
	struct cmsghdr align;
	uint8_t buf[CMSG_SPACE(sizeof(int))];
};

static uint8_t rxbuf[BATCH][RXBUF_SZ];
static struct mmsghdr rxmsg[BATCH];
static struct iovec rxiov[BATCH];
static struct sockaddr_storage rxaddr[BATCH];
static union udp_ctl rxctl[BATCH];

static uint8_t txbuf[BATCH][PKT_MAX];
static struct mmsghdr txmsg[BATCH];
static struct iovec txiov[BATCH];
static struct sockaddr_storage txaddr[BATCH];
static int txsock[BATCH];
static unsigned ntx;
/* The messages a flush sends: runs of txmsg joined with UDP_SEGMENT. */
static struct mmsghdr gsomsg[BATCH];
static union udp_ctl gsoctl[BATCH];
static unsigned gsofirst[BATCH], gsocount[BATCH];

static void (*udp_cb)(int, short, void *);
/* Device batches since the UDP sockets were last read. */
static unsigned device_batches;

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
udp_open_all(void)
{
	size_t i;

	for (i = 0; i < vl.cfg->nlisten; i++)
		vl.udp[vl.nudp++] = udp_open(&vl.cfg->listen[i], vl.cfg->port);
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
udp_events(void (*cb)(int, short, void *))
{
	size_t i;

	udp_cb = cb;
	for (i = 0; i < vl.nudp; i++) {
		vl.udpev[i] = event_new(vl.base, vl.udp[i],
		    EV_READ | EV_PERSIST, cb, (void *)(intptr_t)i);
		if (vl.udpev[i] == NULL ||
		    event_priority_set(vl.udpev[i], PRIO_UDP) == -1 ||
		    event_add(vl.udpev[i], NULL) == -1)
			fatalx("udp event");
	}
}

void
udp_device_batch(void)
{
	size_t i;

	if (++device_batches < UDP_STARVE_MAX || udp_cb == NULL)
		return;
	/* Not event_active: UDP's priority would keep it waiting. */
	for (i = 0; i < vl.nudp; i++)
		udp_cb(vl.udp[i], EV_READ, (void *)(intptr_t)i);
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

uint8_t *
udp_tx_slot(void)
{
	if (ntx == BATCH)
		udp_flush();
	return txbuf[ntx];
}

void
udp_tx_commit(const struct peer_addr *to, size_t len)
{
	memcpy(&txaddr[ntx], &to->ss, to->len);
	txmsg[ntx].msg_hdr.msg_name = &txaddr[ntx];
	txmsg[ntx].msg_hdr.msg_namelen = to->len;
	txiov[ntx].iov_base = txbuf[ntx];
	txiov[ntx].iov_len = len;
	txmsg[ntx].msg_hdr.msg_iov = &txiov[ntx];
	txmsg[ntx].msg_hdr.msg_iovlen = 1;
	txsock[ntx] = to->sock;
	ntx++;
	if (ntx == BATCH)
		udp_flush();
}

void
udp_queue(const struct peer_addr *to, const uint8_t *buf, size_t len)
{
	uint8_t *slot = udp_tx_slot();

	memcpy(slot, buf, len);
	udp_tx_commit(to, len);
}

/* Whether datagram j may join the UDP_SEGMENT message starting at i. */
static bool
gso_joins(unsigned i, unsigned j, size_t total)
{
	size_t size = txiov[i].iov_len;

	/* Equal sizes, the last one alone may be shorter: so the one
	 * before j must be full. */
	return j - i < GSO_SEGS && txiov[j - 1].iov_len == size &&
	    txiov[j].iov_len <= size && total + txiov[j].iov_len <= GSO_BYTES &&
	    txmsg[j].msg_hdr.msg_namelen == txmsg[i].msg_hdr.msg_namelen &&
	    memcmp(&txaddr[j], &txaddr[i], txmsg[i].msg_hdr.msg_namelen) == 0;
}

/* Join datagrams [start, end) (one socket) into messages; how many. */
static unsigned
gso_group(unsigned start, unsigned end)
{
	struct cmsghdr *cm;
	unsigned i = start, j, n = 0;
	size_t total;
	uint16_t seg;

	while (i < end) {
		total = txiov[i].iov_len;
		for (j = i + 1; j < end && gso_joins(i, j, total); j++)
			total += txiov[j].iov_len;
		gsomsg[n] = txmsg[i];
		gsomsg[n].msg_hdr.msg_iov = &txiov[i];
		gsomsg[n].msg_hdr.msg_iovlen = j - i;
		gsomsg[n].msg_hdr.msg_control = NULL;
		gsomsg[n].msg_hdr.msg_controllen = 0;
		if (j - i > 1) {
			seg = (uint16_t)txiov[i].iov_len;
			gsomsg[n].msg_hdr.msg_control = gsoctl[n].buf;
			gsomsg[n].msg_hdr.msg_controllen =
			    CMSG_SPACE(sizeof(seg));
			cm = CMSG_FIRSTHDR(&gsomsg[n].msg_hdr);
			cm->cmsg_level = IPPROTO_UDP;
			cm->cmsg_type = UDP_SEGMENT;
			cm->cmsg_len = CMSG_LEN(sizeof(seg));
			memcpy(CMSG_DATA(cm), &seg, sizeof(seg));
		}
		gsofirst[n] = i;
		gsocount[n] = j - i;
		n++;
		i = j;
	}
	return n;
}

/* Send runs of datagrams for the same socket with one sendmmsg each. */
void
udp_flush(void)
{
	unsigned start = 0, end, sent, nmsg, k;
	int fd, n;

	while (start < ntx) {
		for (end = start + 1; end < ntx && txsock[end] == txsock[start];
		     end++)
			;
		fd = vl.udp[txsock[start]];
		nmsg = gso_group(start, end);
		for (sent = 0; sent < nmsg; sent += (unsigned)n) {
			n = sendmmsg(fd, &gsomsg[sent], nmsg - sent, 0);
			if (n > 0)
				continue;
			/* The message at sent failed. A joined one the
			 * route cannot segment (a path MTU below its
			 * datagrams) goes again one by one; otherwise a
			 * full socket buffer or an unreachable peer: the
			 * datagrams are dropped. */
			k = gsofirst[sent];
			if (gsocount[sent] > 1 &&
			    (errno == EINVAL || errno == EIO) &&
			    sendmmsg(fd, &txmsg[k], gsocount[sent], 0) ==
				(int)gsocount[sent]) {
				n = 1;
				continue;
			}
			vl.total.drops[DROP_SEND] += gsocount[sent];
			n = 1;
		}
		start = end;
	}
	ntx = 0;
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

void
udp_receive(int sock, void (*fn)(uint8_t *, size_t, struct peer_addr *))
{
	/*
	 * At most about BATCH datagrams per wake-up, as from a tap: with
	 * UDP_GRO one message may hold 64, and taking 64 such messages at
	 * once starved the taps under a flood of small packets (the hub
	 * forwarded into one tap what the next one then dropped). So ask
	 * for as many messages as recent ones say make BATCH datagrams.
	 */
	static unsigned per_msg = 1;
	struct peer_addr from;
	size_t len, off, seg;
	unsigned vlen = BATCH / per_msg, most = 1, k;
	int i, n;

	device_batches = 0;
	for (i = 0; i < BATCH; i++) {
		rxiov[i].iov_base = rxbuf[i];
		rxiov[i].iov_len = RXBUF_SZ;
		memset(&rxmsg[i].msg_hdr, 0, sizeof(rxmsg[i].msg_hdr));
		rxmsg[i].msg_hdr.msg_iov = &rxiov[i];
		rxmsg[i].msg_hdr.msg_iovlen = 1;
		rxmsg[i].msg_hdr.msg_name = &rxaddr[i];
		rxmsg[i].msg_hdr.msg_namelen = sizeof(rxaddr[i]);
		rxmsg[i].msg_hdr.msg_control = rxctl[i].buf;
		rxmsg[i].msg_hdr.msg_controllen = sizeof(rxctl[i].buf);
	}
	n = recvmmsg(vl.udp[sock], rxmsg, vlen > 0 ? vlen : 1, MSG_DONTWAIT,
	    NULL);
	if (n <= 0)
		return;
	for (i = 0; i < n; i++) {
		len = rxmsg[i].msg_len;
		seg = udp_gro_size(&rxmsg[i].msg_hdr, len);
		if ((rxmsg[i].msg_hdr.msg_flags & MSG_TRUNC) || seg > PKT_MAX) {
			vl.total.drops[DROP_TRUNC]++;
			continue;
		}
		memcpy(&from.ss, &rxaddr[i], rxmsg[i].msg_hdr.msg_namelen);
		from.len = rxmsg[i].msg_hdr.msg_namelen;
		from.sock = sock;
		/* Joined datagrams: all seg bytes long but the last. */
		for (off = 0, k = 0; off < len; off += seg, k++)
			fn(rxbuf[i] + off, len - off < seg ? len - off : seg,
			    &from);
		if (k > most)
			most = k;
	}
	/* The most joined in one message, not the average: a batch of
	 * messages that each join many would otherwise write thousands of
	 * frames into the taps at once, more than a tap's queue holds.
	 * Halved at most per batch, so it follows traffic down. */
	per_msg = most > per_msg / 2 ? most : per_msg / 2;
	if (per_msg < 1)
		per_msg = 1;
	if (per_msg > BATCH)
		per_msg = BATCH;
	gro_flush(vl.gro);
	udp_flush();
}
