/*
 * UDP's portable path (udp.h): one datagram a call, with sendto and
 * recvfrom, for a system without recvmmsg, sendmmsg and UDP's
 * segmentation offloads (Windows). Linux builds it too, and its unit
 * test runs both paths over the same queue (tx.single, rx.single). Its
 * sockets must not have UDP_GRO on: a receive here is one datagram.
 */
#include <string.h>
#include <sys/socket.h>

#include "udp.h"

void
udp_flush_single(struct udp_tx *tx)
{
	unsigned k;

	/* A full socket buffer or an unreachable peer: dropped. */
	for (k = 0; k < tx->n; k++)
		if (sendto(tx->fds[tx->sock[k]], (const void *)tx->buf[k],
			tx->iov[k].iov_len, 0,
			(const struct sockaddr *)&tx->addr[k],
			tx->addrlen[k]) < 0)
			tx->total->drops[DROP_SEND]++;
	tx->n = 0;
}

int
udp_receive_single(struct udp_rx *rx, int sock,
    void (*fn)(uint8_t *, size_t, struct peer_addr *))
{
	struct peer_addr from;
	socklen_t alen;
	int i, n;

	/*
	 * At most BATCH datagrams a wake-up, as the batched path. Any
	 * error ends the batch: nothing more to read, or (Windows) a
	 * datagram too large for the buffer or an earlier send refused;
	 * the socket's event comes back while anything is left.
	 */
	for (i = 0; i < BATCH; i++) {
		alen = sizeof(rx->addr[i]);
		n = (int)recvfrom(rx->fds[sock], (void *)rx->buf[i],
		    UDP_RXBUF_SZ, 0, (struct sockaddr *)&rx->addr[i], &alen);
		if (n < 0)
			break;
		if ((size_t)n > PKT_MAX) {
			rx->total->drops[DROP_TRUNC]++;
			continue;
		}
		memcpy(&from.ss, &rx->addr[i], (size_t)alen);
		from.len = alen;
		from.sock = sock;
		fn(rx->buf[i], (size_t)n, &from);
	}
	return i;
}
