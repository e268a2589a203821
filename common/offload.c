/*
 * Checksums are summed over the bytes as they lie in memory (native
 * 32-bit words, folded with end-around carry), so a folded sum can be
 * stored with memcpy as is, and pseudo-header fields are added in
 * network order (htons/htonl). RFC 1071 shows why this is the same sum.
 */
#include <arpa/inet.h>
#include <string.h>

#include "offload.h"

#define ETH_HLEN_ 14
#define ET_IPV4	  0x0800
#define ET_IPV6	  0x86dd
#define ET_VLAN	  0x8100
#define ET_QINQ	  0x88a8
#define PROTO_TCP 6
#define TH_FIN	  0x01
#define TH_PSH	  0x08
#define TH_ACK	  0x10
#define TH_CWR	  0x80

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
put16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

uint64_t
off_csum_add(uint64_t sum, const uint8_t *p, size_t len)
{
	uint32_t w;
	uint16_t h = 0;

	while (len >= 4) {
		memcpy(&w, p, 4);
		sum += w;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		memcpy(&h, p, 2);
		sum += h;
		p += 2;
		len -= 2;
	}
	if (len == 1) {
		/* The odd byte is the first of a word whose second is 0. */
		h = 0;
		memcpy(&h, p, 1);
		sum += h;
	}
	return sum;
}

uint16_t
off_csum_fold(uint64_t sum)
{
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static void
csum_store(uint8_t *p, uint16_t c)
{
	memcpy(p, &c, 2);
}

/* The sum of a TCP pseudo-header (the L4 length included). */
static uint64_t
pseudo_sum(const uint8_t *ip, bool v6, size_t tcplen)
{
	if (v6)
		return off_csum_add(0, ip + 8, 32) + htonl((uint32_t)tcplen) +
		    htonl(PROTO_TCP);
	return off_csum_add(0, ip + 12, 8) + htons(PROTO_TCP) +
	    htons((uint16_t)tcplen);
}

static void
ipv4_csum(uint8_t *ip, size_t ihl)
{
	ip[10] = ip[11] = 0;
	csum_store(ip + 10, (uint16_t)~off_csum_fold(off_csum_add(0, ip, ihl)));
}

int
off_csum_complete(const struct virtio_net_hdr *h, uint8_t *frame, size_t len)
{
	size_t start = h->csum_start, off = h->csum_offset;
	uint16_t c;

	if (start > len || off > len - start || len - start - off < 2)
		return -1;
	c = (uint16_t)~off_csum_fold(
	    off_csum_add(0, frame + start, len - start));
	/* 0 means "no checksum" to UDP; 0xffff is the same sum. */
	csum_store(frame + start + off, c == 0 ? 0xffff : c);
	return 0;
}

/*
 * Where the IP header starts, and its ethertype; one VLAN tag allowed.
 * A tun's packets start with the IP header: its version gives the type.
 */
static int
eth_l3(const uint8_t *f, size_t len, bool eth, size_t *l3, uint16_t *etype)
{
	if (!eth) {
		if (len < 1)
			return -1;
		*l3 = 0;
		*etype = f[0] >> 4 == 6 ? ET_IPV6 : ET_IPV4;
		return 0;
	}
	if (len < ETH_HLEN_)
		return -1;
	*etype = get16(f + 12);
	*l3 = ETH_HLEN_;
	if (*etype == ET_VLAN || *etype == ET_QINQ) {
		if (len < ETH_HLEN_ + 4)
			return -1;
		*etype = get16(f + 16);
		*l3 = ETH_HLEN_ + 4;
	}
	return 0;
}

int
off_seg_plan(const struct virtio_net_hdr *h, const uint8_t *f, size_t len,
    bool eth, struct off_seg *p)
{
	uint8_t gt = h->gso_type & (uint8_t)~VIRTIO_NET_HDR_GSO_ECN;
	uint16_t etype;
	size_t ihl, doff;

	memset(p, 0, sizeof(*p));
	if (eth_l3(f, len, eth, &p->l3, &etype) == -1)
		return -1;
	if (gt == VIRTIO_NET_HDR_GSO_TCPV4) {
		if (etype != ET_IPV4 || len < p->l3 + 20 ||
		    f[p->l3] >> 4 != 4 || f[p->l3 + 9] != PROTO_TCP)
			return -1;
		ihl = (size_t)(f[p->l3] & 0xf) * 4;
		if (ihl < 20 || len < p->l3 + ihl)
			return -1;
		p->ip_id = get16(f + p->l3 + 4);
		p->l4 = p->l3 + ihl;
	} else if (gt == VIRTIO_NET_HDR_GSO_TCPV6) {
		/* Extension headers would need walking: the kernel rarely
		 * sends them with TSO, and such frames are refused. */
		if (etype != ET_IPV6 || len < p->l3 + 40 ||
		    f[p->l3] >> 4 != 6 || f[p->l3 + 6] != PROTO_TCP)
			return -1;
		p->v6 = true;
		p->l4 = p->l3 + 40;
	} else {
		return -1;
	}
	if (len < p->l4 + 20)
		return -1;
	doff = (size_t)(f[p->l4 + 12] >> 4) * 4;
	if (doff < 20 || len < p->l4 + doff)
		return -1;
	p->hlen = p->l4 + doff;
	p->mss = h->gso_size;
	p->paylen = len - p->hlen;
	if (p->mss == 0 || p->paylen == 0)
		return -1;
	p->nseg = (unsigned)((p->paylen + p->mss - 1) / p->mss);
	if (p->nseg > OFF_SEGS_MAX)
		return -1;
	p->seq = get32(f + p->l4 + 4);
	return 0;
}

size_t
off_seg_build(const struct off_seg *p, const uint8_t *f, unsigned i,
    uint8_t *out)
{
	size_t off = (size_t)i * p->mss;
	size_t n = p->paylen - off < p->mss ? p->paylen - off : p->mss;
	size_t tcplen = p->hlen - p->l4 + n;
	uint8_t *ip = out + p->l3, *th = out + p->l4;

	memcpy(out, f, p->hlen);
	memcpy(out + p->hlen, f + p->hlen + off, n);
	if (p->v6) {
		put16(ip + 4, tcplen);
	} else {
		put16(ip + 2, p->l4 - p->l3 + tcplen);
		put16(ip + 4, (uint16_t)(p->ip_id + i));
		ipv4_csum(ip, p->l4 - p->l3);
	}
	put32(th + 4, p->seq + (uint32_t)off);
	/* FIN and PSH end the burst: the last segment's; CWR starts it. */
	if (i + 1 != p->nseg)
		th[13] &= (uint8_t) ~(TH_FIN | TH_PSH);
	if (i != 0)
		th[13] &= (uint8_t)~TH_CWR;
	th[16] = th[17] = 0;
	csum_store(th + 16,
	    (uint16_t)~off_csum_fold(
		pseudo_sum(ip, p->v6, tcplen) + off_csum_add(0, th, tcplen)));
	return p->hlen + n;
}

/* A segment that may be joined: the offsets of its headers. */
static bool
gro_parse(const uint8_t *f, size_t len, bool eth, size_t *l4, size_t *hlen,
    bool *v6)
{
	size_t l3 = eth ? ETH_HLEN_ : 0, doff;
	const uint8_t *ip = f + l3;
	uint8_t flags;

	if (len < l3 + 1)
		return false;
	switch (eth ? get16(f + 12) : ip[0] >> 4 == 6 ? ET_IPV6 : ET_IPV4) {
	case ET_IPV4:
		/* No options, the whole frame (no Ethernet padding), not a
		 * fragment. */
		if (len < l3 + 20 || ip[0] != 0x45 ||
		    get16(ip + 2) != len - l3 ||
		    (get16(ip + 6) & 0x3fff) != 0 || ip[9] != PROTO_TCP)
			return false;
		*v6 = false;
		*l4 = l3 + 20;
		break;
	case ET_IPV6:
		if (len < l3 + 40 || ip[0] >> 4 != 6 || ip[6] != PROTO_TCP ||
		    get16(ip + 4) != len - l3 - 40)
			return false;
		*v6 = true;
		*l4 = l3 + 40;
		break;
	default:
		return false;
	}
	if (len < *l4 + 20)
		return false;
	doff = (size_t)(f[*l4 + 12] >> 4) * 4;
	if (doff < 20 || len <= *l4 + doff)
		return false;
	*hlen = *l4 + doff;
	flags = f[*l4 + 13];
	return (flags & TH_ACK) && (flags & ~(TH_ACK | TH_PSH)) == 0;
}

bool
off_gro_start(struct off_gro *g, const uint8_t *f, size_t len, bool eth)
{
	if (len > sizeof(g->buf) ||
	    !gro_parse(f, len, eth, &g->l4, &g->hlen, &g->v6))
		return false;
	memcpy(g->buf, f, len);
	g->len = len;
	g->eth = eth;
	g->l3 = eth ? ETH_HLEN_ : 0;
	g->mss = (uint16_t)(len - g->hlen);
	g->next_seq = get32(f + g->l4 + 4) + g->mss;
	g->nseg = 1;
	g->closed = (f[g->l4 + 13] & TH_PSH) != 0;
	return true;
}

bool
off_gro_same_flow(const struct off_gro *g, const uint8_t *f, size_t len)
{
	size_t l3 = g->l3, l4, hlen;
	bool v6;

	if (!gro_parse(f, len, g->eth, &l4, &hlen, &v6) || v6 != g->v6)
		return false;
	/* Addresses, then ports. */
	if (v6 ? memcmp(f + l3 + 8, g->buf + l3 + 8, 32) != 0
	       : memcmp(f + l3 + 12, g->buf + l3 + 12, 8) != 0)
		return false;
	return memcmp(f + l4, g->buf + g->l4, 4) == 0;
}

bool
off_gro_append(struct off_gro *g, const uint8_t *f, size_t len)
{
	size_t l3 = g->l3, l4, hlen, n, iplen;
	const uint8_t *a = g->buf, *ip = f + l3, *aip = a + l3;
	bool v6;

	if (g->closed || !gro_parse(f, len, g->eth, &l4, &hlen, &v6) ||
	    v6 != g->v6 || hlen != g->hlen)
		return false;
	/* Every header byte equal but lengths, IPv4 id and checksum, TCP
	 * sequence, PSH and checksum. */
	if (memcmp(f, a, l3) != 0)
		return false;
	if (v6 ? memcmp(ip, aip, 4) != 0 || memcmp(ip + 6, aip + 6, 34) != 0
	       : memcmp(ip, aip, 2) != 0 || memcmp(ip + 6, aip + 6, 4) != 0 ||
		    memcmp(ip + 12, aip + 12, 8) != 0)
		return false;
	if (memcmp(f + l4, a + l4, 4) != 0 ||
	    memcmp(f + l4 + 8, a + l4 + 8, 5) != 0 ||
	    (f[l4 + 13] & ~TH_PSH) != (a[l4 + 13] & ~TH_PSH) ||
	    memcmp(f + l4 + 14, a + l4 + 14, 2) != 0 ||
	    memcmp(f + l4 + 18, a + l4 + 18, hlen - l4 - 18) != 0)
		return false;
	n = len - hlen;
	iplen = g->len - g->l3 - (v6 ? 40 : 0);
	if (get32(f + l4 + 4) != g->next_seq || n > g->mss ||
	    iplen + n > 65535 || g->len + n > sizeof(g->buf) ||
	    g->nseg >= OFF_SEGS_MAX)
		return false;
	memcpy(g->buf + g->len, f + hlen, n);
	g->len += n;
	g->next_seq += (uint32_t)n;
	g->nseg++;
	if (n < g->mss || (f[l4 + 13] & TH_PSH)) {
		g->closed = true;
		g->buf[l4 + 13] |= f[l4 + 13] & TH_PSH;
	}
	return true;
}

void
off_gro_finish(struct off_gro *g, struct virtio_net_hdr *h)
{
	uint8_t *ip = g->buf + g->l3, *th = g->buf + g->l4;
	size_t tcplen = g->len - g->l4;

	memset(h, 0, sizeof(*h));
	if (g->nseg == 1)
		return;
	if (g->v6) {
		put16(ip + 4, tcplen);
		h->gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
	} else {
		put16(ip + 2, g->len - g->l3);
		ipv4_csum(ip, g->l4 - g->l3);
		h->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	}
	/* The kernel finishes each segment's checksum from the
	 * pseudo-header sum (folded, not inverted). */
	csum_store(th + 16, off_csum_fold(pseudo_sum(ip, g->v6, tcplen)));
	h->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h->hdr_len = (uint16_t)g->hlen;
	h->gso_size = g->mss;
	h->csum_start = (uint16_t)g->l4;
	h->csum_offset = 16;
}
