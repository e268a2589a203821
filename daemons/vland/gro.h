#ifndef VLAND_GRO_H
#define VLAND_GRO_H

#include <stddef.h>
#include <stdint.h>

struct session;

/* A frame opened on s, for its tap (one opened with IFF_VNET_HDR). */
void gro_add(struct session *s, const uint8_t *frame, size_t len);
/* Write everything pending: at the end of each UDP batch. */
void gro_flush(void);
/* s is going away: write what is pending for it first. */
void gro_session_gone(struct session *s);

#endif
