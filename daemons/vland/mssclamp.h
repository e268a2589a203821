/*
 * MSS clamping (mss-clamp, vland.yaml(5)): the maximum segment size a
 * TCP SYN or SYN-ACK announces is lowered, where it is larger, to what
 * fits the tunnel's MTU, so that hosts whose own MTU is larger (a LAN
 * behind an endpoint, the hub's side) never send segments the tunnel
 * cannot carry, even where ICMP "fragmentation needed" is lost. Applied
 * to frames entering and leaving the tunnel, so that both directions of
 * a handshake are seen. Pure: a unit test hands it frames.
 */
#ifndef VLAND_MSSCLAMP_H
#define VLAND_MSSCLAMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Clamp the MSS option of a TCP SYN in frame (an Ethernet frame when
 * ethernet, else an IP packet) to mtu - 40 (IPv4) or mtu - 60 (IPv6),
 * fixing the TCP checksum. Returns true if the frame changed. Anything
 * else (not TCP, not a SYN, no MSS option, a later fragment, VLAN tags,
 * IPv6 extension headers, malformed) is left as it is.
 */
bool mss_clamp(uint8_t *frame, size_t len, bool ethernet, unsigned mtu);

#endif
