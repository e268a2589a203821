/*
 * The bounds-checked cursors under the peer message codecs (peermsg.c,
 * peermsg_direct.c): a read past the end is false (WIRE_ESHORT to the
 * caller), a write past the capacity false (WIRE_ESPACE). Internal to
 * proto/.
 */
#ifndef VLAND_PMSG_IO_H
#define VLAND_PMSG_IO_H

#include <stdbool.h>
#include <string.h>

#include "addr.h"
#include "wire.h"

struct rd {
	const uint8_t *p;
	size_t len, off;
};

struct wr {
	uint8_t *p;
	size_t cap, off;
};

static inline bool
rd_bytes(struct rd *r, void *out, size_t n)
{
	if (r->len - r->off < n)
		return false;
	memcpy(out, r->p + r->off, n);
	r->off += n;
	return true;
}

static inline bool
rd_u8(struct rd *r, uint8_t *v)
{
	return rd_bytes(r, v, 1);
}

static inline bool
rd_u16(struct rd *r, uint16_t *v)
{
	uint8_t b[2];

	if (!rd_bytes(r, b, sizeof b))
		return false;
	*v = wire_get_u16(b);
	return true;
}

static inline bool
rd_u32(struct rd *r, uint32_t *v)
{
	uint8_t b[4];

	if (!rd_bytes(r, b, sizeof b))
		return false;
	*v = wire_get_u32(b);
	return true;
}

static inline bool
wr_bytes(struct wr *w, const void *in, size_t n)
{
	if (w->cap - w->off < n)
		return false;
	if (n > 0)
		memcpy(w->p + w->off, in, n);
	w->off += n;
	return true;
}

static inline bool
wr_u8(struct wr *w, uint8_t v)
{
	return wr_bytes(w, &v, 1);
}

static inline bool
wr_u16(struct wr *w, uint16_t v)
{
	uint8_t b[2];

	wire_put_u16(b, v);
	return wr_bytes(w, b, sizeof b);
}

static inline bool
wr_u32(struct wr *w, uint32_t v)
{
	uint8_t b[4];

	wire_put_u32(b, v);
	return wr_bytes(w, b, sizeof b);
}

/* Address family on the wire: 4 or 6 (0 = none where allowed). */
static inline uint8_t
pmsg_af_code(const struct addr *a)
{
	return a->af == AF_INET ? 4 : a->af == AF_INET6 ? 6 : 0;
}

static inline enum wire_err
pmsg_addr_get(struct rd *r, uint8_t code, struct addr *a)
{
	memset(a, 0, sizeof *a);
	if (code == 4)
		a->af = AF_INET;
	else if (code == 6)
		a->af = AF_INET6;
	else
		return WIRE_EVALUE;
	return rd_bytes(r, a->b, addr_bytes(a)) ? WIRE_OK : WIRE_ESHORT;
}

#endif
