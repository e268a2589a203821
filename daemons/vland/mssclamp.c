/*
 * TCP MSS clamping on a frame in place (mssclamp.h).
 */
#include "mssclamp.h"

static unsigned
get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/*
 * RFC 1624's incremental update of a one's complement checksum for a
 * 16-bit value changed from old to new. A value at an odd offset from
 * the start of the checksummed data straddles two words: its bytes are
 * swapped in the sum, so old and new are swapped too.
 */
static void
csum_replace(uint8_t *csum, unsigned old, unsigned new, bool odd)
{
	uint32_t sum;

	if (odd) {
		old = (old >> 8 | old << 8) & 0xffff;
		new = (new >> 8 | new << 8) & 0xffff;
	}
	sum = (~get16(csum) & 0xffff) + (~old & 0xffff) + new;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	csum[0] = (uint8_t)(sum >> 8);
	csum[1] = (uint8_t)sum;
}

/* The TCP header of a SYN whose IP header starts at ip, and the largest
 * MSS the mtu allows; NULL if there is nothing to clamp. */
static uint8_t *
syn_of(uint8_t *ip, size_t len, unsigned mtu, size_t *tcplen, unsigned *max)
{
	size_t ihl;

	if (len < 1)
		return NULL;
	switch (ip[0] >> 4) {
	case 4:
		if (len < 20 || ip[9] != 6)
			return NULL;
		ihl = (size_t)(ip[0] & 0xf) * 4;
		/* A later fragment has no TCP header. */
		if (ihl < 20 || (get16(ip + 6) & 0x1fff) != 0)
			return NULL;
		*max = mtu - 40;
		break;
	case 6:
		/* The next header straight after IPv6's own: a SYN behind
		 * extension headers is rare enough to pass unclamped. */
		if (len < 40 || ip[6] != 6)
			return NULL;
		ihl = 40;
		*max = mtu - 60;
		break;
	default:
		return NULL;
	}
	if (len < ihl + 20 || !(ip[ihl + 13] & 0x02))
		return NULL;
	*tcplen = len - ihl;
	return ip + ihl;
}

bool
mss_clamp(uint8_t *frame, size_t len, bool ethernet, unsigned mtu)
{
	uint8_t *tcp;
	size_t tcplen, thl, i, olen;
	unsigned max, mss, type;

	if (mtu < 100)
		return false;
	if (ethernet) {
		if (len < 14)
			return false;
		type = get16(frame + 12);
		if (type != 0x0800 && type != 0x86dd)
			return false;
		frame += 14;
		len -= 14;
	}
	if ((tcp = syn_of(frame, len, mtu, &tcplen, &max)) == NULL)
		return false;
	thl = (size_t)(tcp[12] >> 4) * 4;
	if (thl < 20 || thl > tcplen)
		return false;
	for (i = 20; i < thl;) {
		if (tcp[i] == 0) /* end of options */
			break;
		if (tcp[i] == 1) { /* no-op */
			i++;
			continue;
		}
		if (i + 1 >= thl || (olen = tcp[i + 1]) < 2 || i + olen > thl)
			return false;
		if (tcp[i] == 2 && olen == 4) {
			mss = get16(tcp + i + 2);
			if (mss <= max)
				return false;
			tcp[i + 2] = (uint8_t)(max >> 8);
			tcp[i + 3] = (uint8_t)max;
			csum_replace(tcp + 16, mss, max, (i + 2) % 2 == 1);
			return true;
		}
		i += olen;
	}
	return false;
}
