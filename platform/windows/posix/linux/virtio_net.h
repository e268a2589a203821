/*
 * The virtio-net header of Linux's <linux/virtio_net.h>, for the win64
 * build of common/offload.c (doc/PORTING.md: "a port needs its own copy
 * of those 10 bytes"). Windows devices give plain frames and the
 * Windows data path will not use it; the segmentation and coalescing
 * code is pure and builds and is tested all the same. The layout and
 * values are Linux's (virtio 1.0, section 5.1.6).
 */
#ifndef VLAND_WIN_VIRTIO_NET_H
#define VLAND_WIN_VIRTIO_NET_H

#include <stdint.h>

#define VIRTIO_NET_HDR_F_NEEDS_CSUM 1
#define VIRTIO_NET_HDR_F_DATA_VALID 2
#define VIRTIO_NET_HDR_GSO_NONE	    0
#define VIRTIO_NET_HDR_GSO_TCPV4    1
#define VIRTIO_NET_HDR_GSO_UDP	    3
#define VIRTIO_NET_HDR_GSO_TCPV6    4
#define VIRTIO_NET_HDR_GSO_ECN	    0x80

struct virtio_net_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
};

_Static_assert(sizeof(struct virtio_net_hdr) == 10,
    "the virtio-net header is 10 bytes");

#endif
