/*
 * TCP segmentation and coalescing for taps opened with IFF_VNET_HDR,
 * so that one tap read or write moves up to 64 KiB of TCP instead of
 * one frame. Each frame on such a tap follows a struct virtio_net_hdr.
 *
 * Reading: the kernel hands over large TCP frames (TSO) and frames whose
 * checksum it left to us. off_seg_plan/off_seg_build cut a large frame
 * into the MSS-sized frames the tunnel carries, with their IP and TCP
 * headers and checksums made whole; off_csum_complete finishes a single
 * frame's checksum.
 *
 * Writing: off_gro_* join consecutive in-order segments of one TCP flow
 * into one large frame and give the virtio header that asks the kernel
 * to treat it as those segments (GSO), as its own GRO would.
 *
 * Pure functions on caller buffers: no I/O, no allocation. Frames are
 * Ethernet (eth true: a tap) or IP packets (a tun); every length and
 * offset is checked, since the frames being joined come from a peer.
 */
#ifndef VLAND_OFFLOAD_H
#define VLAND_OFFLOAD_H

#include <linux/virtio_net.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OFF_VNET_HDR_LEN sizeof(struct virtio_net_hdr)
/* The largest frame a tap hands over or takes: 64 KiB of IP plus the
 * Ethernet header and a VLAN tag. */
#define OFF_FRAME_MAX (65535 + 18)
/* Segments of one large frame at most (64 KiB at the smallest MSS the
 * kernel uses, 88 bytes, would be more: such frames are refused). */
#define OFF_SEGS_MAX 256

/* One's complement sum of len bytes, not folded, added to sum. */
uint64_t off_csum_add(uint64_t sum, const uint8_t *p, size_t len);
/* Fold a sum to 16 bits (not inverted). */
uint16_t off_csum_fold(uint64_t sum);

/*
 * A frame with VIRTIO_NET_HDR_F_NEEDS_CSUM and no GSO: the checksum
 * field at csum_start + csum_offset holds the pseudo-header sum; make it
 * whole. Returns 0, or -1 if the offsets do not fit the frame.
 */
int off_csum_complete(const struct virtio_net_hdr *h, uint8_t *frame,
    size_t len);

struct off_seg {
	size_t l3, l4, hlen; /* offsets of IP, TCP, payload */
	size_t paylen;	     /* TCP payload bytes in the large frame */
	uint16_t mss;
	unsigned nseg;
	bool v6;
	uint16_t ip_id;
	uint32_t seq;
};

/*
 * Plan the cutting of a large TCP frame (gso_type TCPV4 or TCPV6).
 * Returns 0, or -1 if the frame is not one we can cut (not TCP over
 * IPv4/IPv6, IPv6 extension headers, bad lengths, too many segments).
 */
int off_seg_plan(const struct virtio_net_hdr *h, const uint8_t *frame,
    size_t len, bool eth, struct off_seg *p);
/* Build segment i (< p->nseg) into out; returns its length. out must
 * hold p->hlen + p->mss bytes. */
size_t off_seg_build(const struct off_seg *p, const uint8_t *frame, unsigned i,
    uint8_t *out);

/* A large frame being joined from segments. */
struct off_gro {
	uint8_t buf[OFF_FRAME_MAX];
	size_t len;	     /* bytes in buf */
	size_t l3, l4, hlen; /* offsets of IP, TCP, payload */
	bool eth, v6;
	uint16_t mss;	   /* payload bytes of the first segment */
	uint32_t next_seq; /* of the segment that may follow */
	unsigned nseg;
	bool closed; /* a short or PSH segment ended it */
};

/*
 * Start g with frame if it is a segment that could be joined: TCP over
 * IPv4 (no options, not a fragment) or IPv6 (no extension headers),
 * untagged, with payload, only ACK (and PSH) set. false: write frame as
 * it is.
 */
bool off_gro_start(struct off_gro *g, const uint8_t *frame, size_t len,
    bool eth);
/* Append frame to g if it is the next segment of the same flow. */
bool off_gro_append(struct off_gro *g, const uint8_t *frame, size_t len);
/* Whether frame belongs to g's flow (same addresses and ports). */
bool off_gro_same_flow(const struct off_gro *g, const uint8_t *frame,
    size_t len);
/*
 * Make g's headers describe the whole frame and fill h: no GSO for one
 * segment, else TCPV4/TCPV6 with the first segment's size and a partial
 * checksum for the kernel to finish per segment.
 */
void off_gro_finish(struct off_gro *g, struct virtio_net_hdr *h);

#endif
