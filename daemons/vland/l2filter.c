/*
 * The tap-mode source filter (l2filter.h). Frames are read as they come
 * from the endpoint: every offset is checked against the frame's length
 * before it is read, and anything too short to judge where a judgement
 * is due is refused.
 */
#include <stdbool.h>
#include <string.h>

#include "l2filter.h"

#define ETH_HLEN       14
#define ETHERTYPE_IP   0x0800
#define ETHERTYPE_ARP  0x0806
#define ETHERTYPE_IP6  0x86dd
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define IPPROTO_UDP_   17
#define IPPROTO_ICMP6_ 58

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

void
l2_identity_make(struct l2_identity *id, const struct addr *v4,
    const struct addr *v6)
{
	memset(id, 0, sizeof(*id));
	id->mac[0] = 0x62;
	id->mac[1] = 0xe2;
	memcpy(id->mac + 2, &v4->v4, 4);
	id->v4 = *v4;
	if (v6 != NULL && v6->af == AF_INET6)
		id->v6 = *v6;
	/* fe80:: + EUI-64 of the MAC, as the endpoint's kernel makes it. */
	id->ll6.af = AF_INET6;
	id->ll6.b[0] = 0xfe;
	id->ll6.b[1] = 0x80;
	id->ll6.b[8] = id->mac[0] ^ 0x02;
	id->ll6.b[9] = id->mac[1];
	id->ll6.b[10] = id->mac[2];
	id->ll6.b[11] = 0xff;
	id->ll6.b[12] = 0xfe;
	memcpy(id->ll6.b + 13, id->mac + 3, 3);
}

static bool
is_any6(const uint8_t *a)
{
	static const uint8_t any[16];

	return memcmp(a, any, 16) == 0;
}

static bool
own_v6(const struct l2_identity *id, const uint8_t *a)
{
	static const uint8_t any[16];

	return memcmp(a, id->ll6.b, 16) == 0 ||
	    (id->v6.af == AF_INET6 && memcmp(a, id->v6.b, 16) == 0) ||
	    memcmp(a, any, 16) == 0;
}

static enum l2_verdict
check_arp(const struct l2_identity *id, const uint8_t *p, size_t len)
{
	static const uint8_t zero[4];

	/* Ethernet/IPv4 ARP: sender MAC at 8, sender IPv4 at 14. */
	if (len < 28)
		return L2_ARP;
	if (be16(p) != 1 || be16(p + 2) != ETHERTYPE_IP || p[4] != 6 ||
	    p[5] != 4)
		return L2_ARP;
	if (memcmp(p + 8, id->mac, 6) != 0)
		return L2_ARP;
	/* Its own address, or none (an address probe). */
	if (memcmp(p + 14, &id->v4.v4, 4) != 0 && memcmp(p + 14, zero, 4) != 0)
		return L2_ARP;
	return L2_OK;
}

static enum l2_verdict
check_ip4(const uint8_t *p, size_t len)
{
	size_t ihl;

	if (len < 20 || (p[0] >> 4) != 4)
		return L2_OK; /* not for this filter to judge */
	ihl = (size_t)(p[0] & 0x0f) * 4;
	if (ihl < 20 || len < ihl + 4)
		return L2_OK;
	/* A fragment other than the first has no transport header. */
	if ((be16(p + 6) & 0x1fff) != 0)
		return L2_OK;
	/* ICMP redirect and router advertisement. */
	if (p[9] == 1 && (p[ihl] == 5 || p[ihl] == 9))
		return L2_ROUTER;
	/* From a DHCP server, or to a DHCP client from any port. */
	if (p[9] == IPPROTO_UDP_ &&
	    (be16(p + ihl) == 67 || be16(p + ihl + 2) == 68))
		return L2_DHCP_SERVER;
	return L2_OK;
}

/* The link-layer address options of an ND message must be its MAC. */
static bool
nd_options_ok(const struct l2_identity *id, const uint8_t *o, size_t len)
{
	size_t olen;

	while (len >= 8) {
		olen = (size_t)o[1] * 8;
		if (olen == 0 || olen > len)
			return false;
		if ((o[0] == 1 || o[0] == 2) &&
		    (olen < 8 || memcmp(o + 2, id->mac, 6) != 0))
			return false;
		o += olen;
		len -= olen;
	}
	return true;
}

/*
 * Walk the IPv6 extension headers to the upper-layer one: its number in
 * *nh, its offset in *off. -1 when a header is cut short, 0 for the
 * upper layer, 1 for a fragment other than the first (no upper-layer
 * header to judge). *fragmented tells whether a fragment header came.
 */
static int
ip6_upper(const uint8_t *p, size_t len, uint8_t *nh, size_t *off,
    bool *fragmented)
{
	size_t o = 40, hl;
	uint8_t n = p[6];
	int i;

	*fragmented = false;
	for (i = 0; i < 8; i++) {
		switch (n) {
		case 0:	 /* hop-by-hop options */
		case 43: /* routing */
		case 60: /* destination options */
			if (len < o + 8)
				return -1;
			hl = ((size_t)p[o + 1] + 1) * 8;
			if (len < o + hl)
				return -1;
			n = p[o];
			o += hl;
			break;
		case 44: /* fragment */
			if (len < o + 8)
				return -1;
			*fragmented = true;
			if ((be16(p + o + 2) & 0xfff8) != 0)
				return 1;
			n = p[o];
			o += 8;
			break;
		default:
			*nh = n;
			*off = o;
			return 0;
		}
	}
	return -1;
}

static enum l2_verdict
check_ip6(const struct l2_identity *id, const uint8_t *p, size_t len)
{
	const uint8_t *l4;
	size_t l4len, off;
	uint8_t nh;
	bool frag;
	int r;

	if (len < 40 || (p[0] >> 4) != 6)
		return L2_OK;
	/* Behind extension headers, or fragmented, an ND message, a router
	 * advertisement or a DHCPv6 answer is still one. A chain too long
	 * or cut short cannot be judged: refused. */
	if ((r = ip6_upper(p, len, &nh, &off, &frag)) == -1)
		return L2_ND;
	if (r == 1)
		return L2_OK;
	l4 = p + off;
	l4len = len - off;
	if (nh == IPPROTO_UDP_ &&
	    (l4len < 4 || be16(l4) == 547 || be16(l4 + 2) == 546))
		return l4len < 4 ? L2_ND : L2_DHCP_SERVER;
	if (nh != IPPROTO_ICMP6_)
		return L2_OK;
	if (l4len < 1)
		return L2_ND;
	/* Neighbour discovery is never fragmented (RFC 6980). */
	if (frag && l4[0] >= 133 && l4[0] <= 137)
		return L2_ND;
	switch (l4[0]) {
	case 134: /* router advertisement */
	case 137: /* redirect */
		return L2_ROUTER;
	case 133: /* router solicitation */
	case 135: /* neighbour solicitation */
	case 136: /* neighbour advertisement */
		if (!own_v6(id, p + 8))
			return L2_ND;
		if (l4[0] == 133)
			return l4len >= 8 &&
				nd_options_ok(id, l4 + 8, l4len - 8)
			    ? L2_OK
			    : L2_ND;
		if (l4len < 24)
			return L2_ND;
		/* An advertisement speaks for its target; so does a
		 * duplicate address probe (from ::), which could otherwise
		 * make another host give up its address. */
		if ((l4[0] == 136 || is_any6(p + 8)) &&
		    (!own_v6(id, l4 + 8) || is_any6(l4 + 8)))
			return L2_ND;
		return nd_options_ok(id, l4 + 24, l4len - 24) ? L2_OK : L2_ND;
	}
	return L2_OK;
}

enum l2_verdict
l2_check(const struct l2_identity *id, const uint8_t *f, size_t len)
{
	uint16_t type;

	if (len < ETH_HLEN)
		return L2_SHORT;
	if (memcmp(f + 6, id->mac, 6) != 0)
		return L2_SRC_MAC;
	type = be16(f + 12);
	switch (type) {
	case ETHERTYPE_VLAN:
	case ETHERTYPE_QINQ:
		return L2_VLAN;
	case ETHERTYPE_ARP:
		return check_arp(id, f + ETH_HLEN, len - ETH_HLEN);
	case ETHERTYPE_IP:
		return check_ip4(f + ETH_HLEN, len - ETH_HLEN);
	case ETHERTYPE_IP6:
		return check_ip6(id, f + ETH_HLEN, len - ETH_HLEN);
	case 0x88cc: /* LLDP */
	case 0x888e: /* EAPOL */
	case 0x8808: /* Ethernet flow control */
		return L2_LINK;
	default:
		/* 802.3 lengths: LLC, spanning tree BPDUs among them. */
		return type < 0x0600 ? L2_LINK : L2_OK;
	}
}

const char *
l2_verdict_name(enum l2_verdict v)
{
	static const char *names[] = { "ok", "short", "source MAC", "VLAN tag",
		"ARP", "neighbour discovery", "router advertisement",
		"DHCP server", "link control" };

	return (size_t)v < sizeof(names) / sizeof(names[0]) ? names[v] : "?";
}
