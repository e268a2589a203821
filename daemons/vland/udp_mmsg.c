/*
 * UDP's batched path, Linux's (udp.h): receive with recvmmsg and send
 * with sendmmsg, with segmentation offload both ways: a run of
 * equal-sized datagrams to one peer leaves as one message with
 * UDP_SEGMENT (the kernel carries it as one packet as far as it can),
 * and with UDP_GRO one receive may return several datagrams of one
 * sender joined, cut apart here again.
 */
#include <errno.h>
#include <string.h>
#include <linux/udp.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "log.h"
#include "udp.h"

void
udp_socket_offload(int fd)
{
	int one = 1;

	if (setsockopt(fd, IPPROTO_UDP, UDP_GRO, &one, sizeof(one)) == -1)
		log_warn("no UDP_GRO: one datagram per receive");
}

/* Queued datagram k as a message of its own. */
static void
udp_msg(struct udp_tx *tx, unsigned k)
{
	struct msghdr *m = &tx->msg[k].msg_hdr;

	memset(m, 0, sizeof(*m));
	m->msg_name = &tx->addr[k];
	m->msg_namelen = tx->addrlen[k];
	m->msg_iov = &tx->iov[k];
	m->msg_iovlen = 1;
}

/* Whether datagram j may join the UDP_SEGMENT message starting at i. */
static bool
gso_joins(const struct udp_tx *tx, unsigned i, unsigned j, size_t total)
{
	size_t size = tx->iov[i].iov_len;
	socklen_t namelen = tx->addrlen[i];

	/* Equal sizes, the last one alone may be shorter: so the one
	 * before j must be full. */
	return j - i < UDP_GSO_SEGS && tx->iov[j - 1].iov_len == size &&
	    tx->iov[j].iov_len <= size &&
	    total + tx->iov[j].iov_len <= UDP_GSO_BYTES &&
	    tx->addrlen[j] == namelen &&
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
		udp_msg(tx, i);
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
udp_flush_mmsg(struct udp_tx *tx)
{
	unsigned start = 0, end, sent, nmsg, k, cnt, i;
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
			for (i = k; i < k + cnt; i++)
				udp_msg(tx, i);
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
udp_receive_mmsg(struct udp_rx *rx, int sock,
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
