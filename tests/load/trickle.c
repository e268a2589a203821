/* A held session's pings and ARP answers (trickle.h). */
#include <string.h>

#include <arpa/inet.h>

#include "trickle.h"

#define ETH_LEN	 14
#define IP_LEN	 20
#define ICMP_LEN 8
#define PAYLOAD	 56 /* as ping's default */

static void
mac_of(uint8_t mac[6], struct in_addr a)
{
	mac[0] = 0x62;
	mac[1] = 0xe2;
	memcpy(mac + 2, &a.s_addr, 4);
}

void
trickle_ids_init(struct trickle_ids *t, bool tap, struct in_addr ip,
    struct in_addr hub)
{
	memset(t, 0, sizeof(*t));
	t->tap = tap;
	t->ip = ip;
	t->hub = hub;
	mac_of(t->mac, ip);
	mac_of(t->hub_mac, hub);
}

/* The Internet checksum (RFC 1071) of len bytes. */
static uint16_t
csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static size_t
eth_header(const struct trickle_ids *t, const uint8_t *dst, uint16_t type,
    uint8_t *out)
{
	if (!t->tap)
		return 0;
	memcpy(out, dst, 6);
	memcpy(out + 6, t->mac, 6);
	put16(out + 12, type);
	return ETH_LEN;
}

size_t
trickle_ping(const struct trickle_ids *t, uint16_t id, uint16_t seq,
    uint8_t *out, size_t cap)
{
	size_t off = t->tap ? ETH_LEN : 0, i;
	uint8_t *ip, *icmp;

	if (cap < off + IP_LEN + ICMP_LEN + PAYLOAD)
		return 0;
	eth_header(t, t->hub_mac, 0x0800, out);
	ip = out + off;
	memset(ip, 0, IP_LEN);
	ip[0] = 0x45;
	put16(ip + 2, IP_LEN + ICMP_LEN + PAYLOAD);
	ip[8] = 64; /* TTL */
	ip[9] = 1;  /* ICMP */
	memcpy(ip + 12, &t->ip.s_addr, 4);
	memcpy(ip + 16, &t->hub.s_addr, 4);
	put16(ip + 10, csum(ip, IP_LEN));
	icmp = ip + IP_LEN;
	memset(icmp, 0, ICMP_LEN);
	icmp[0] = 8; /* echo request */
	put16(icmp + 4, id);
	put16(icmp + 6, seq);
	for (i = 0; i < PAYLOAD; i++)
		icmp[ICMP_LEN + i] = (uint8_t)i;
	put16(icmp + 2, csum(icmp, ICMP_LEN + PAYLOAD));
	return off + IP_LEN + ICMP_LEN + PAYLOAD;
}

/* An ARP request (Ethernet, IPv4) for the session's address: the
 * answer, from the session's MAC to the asker. */
static enum trickle_in
arp_input(const struct trickle_ids *t, const uint8_t *f, size_t len,
    uint8_t *reply, size_t *rlen)
{
	const uint8_t *a = f + ETH_LEN;
	uint8_t *r;

	if (len < ETH_LEN + 28 || a[0] != 0 || a[1] != 1 || a[2] != 8 ||
	    a[3] != 0 || a[4] != 6 || a[5] != 4 || a[6] != 0 || a[7] != 1 ||
	    memcmp(a + 24, &t->ip.s_addr, 4) != 0)
		return TRICKLE_OTHER;
	eth_header(t, a + 8, 0x0806, reply);
	r = reply + ETH_LEN;
	memcpy(r, a, 6); /* hardware and protocol types and sizes */
	r[6] = 0;
	r[7] = 2; /* reply */
	memcpy(r + 8, t->mac, 6);
	memcpy(r + 14, &t->ip.s_addr, 4);
	memcpy(r + 18, a + 8, 10); /* the asker's MAC and address */
	*rlen = ETH_LEN + 28;
	return TRICKLE_ARP;
}

enum trickle_in
trickle_input(const struct trickle_ids *t, const uint8_t *f, size_t len,
    uint8_t *reply, size_t *rlen)
{
	size_t off = 0;
	const uint8_t *ip;

	if (t->tap) {
		if (len < ETH_LEN)
			return TRICKLE_OTHER;
		if (f[12] == 0x08 && f[13] == 0x06)
			return arp_input(t, f, len, reply, rlen);
		if (f[12] != 0x08 || f[13] != 0x00)
			return TRICKLE_OTHER;
		off = ETH_LEN;
	}
	if (len < off + IP_LEN + ICMP_LEN)
		return TRICKLE_OTHER;
	ip = f + off;
	if ((ip[0] >> 4) != 4 || ip[9] != 1 ||
	    len < off + (size_t)(ip[0] & 0x0f) * 4 + ICMP_LEN ||
	    memcmp(ip + 12, &t->hub.s_addr, 4) != 0 ||
	    memcmp(ip + 16, &t->ip.s_addr, 4) != 0)
		return TRICKLE_OTHER;
	return ip[(ip[0] & 0x0f) * 4] == 0 ? TRICKLE_REPLY : TRICKLE_OTHER;
}
