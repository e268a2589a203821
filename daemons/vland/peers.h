/*
 * The endpoint's side of direct paths (PROTOCOL.md, "Direct paths"):
 * the peers the hub introduced (PEER), a session of its own with each
 * (the direct handshake of proto/direct.h, over the endpoint's UDP
 * socket, so that the NAT mapping the hub sees is the one the peer is
 * told), and the choice, frame by frame, of the direct path or the hub.
 * Broadcast and multicast, frames of a LAN bridged behind us, and
 * everything while a path is not confirmed go through the hub.
 */
#ifndef VLAND_PEERS_H
#define VLAND_PEERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ctl_peer;
struct event_base;
struct peer_addr;
struct pmsg_peer;
struct session;

/* Before privileges drop: the local addresses to report (getifaddrs
 * needs a netlink socket, which the sandbox refuses later). */
void direct_before_drop(void);
/* After each AUTH_OK: a new login (not a rekey) forgets the peers of
 * the last one; then ENDPOINT_INFO, if connect: direct allows it. */
void direct_logged_in(struct session *hub, bool resumed);
/* The hub's PEER and PEER_GONE. */
void direct_peer(const struct pmsg_peer *);
void direct_peer_gone(uint32_t pair);
/* Forget every peer (the hub session ended). */
void direct_reset(void);
/* A datagram not from the hub: true if it was a direct path's (taken
 * or dropped and counted here), false to count it as the caller does. */
bool direct_udp_input(uint8_t *buf, size_t len, const struct peer_addr *from);
/* The session a frame read from our device goes to: a peer's when its
 * direct path is up and the frame is ours for that peer, else dev. */
struct session *direct_frame_target(struct session *dev, const uint8_t *frame,
    size_t len, uint64_t now);
/* Timers: handshakes, probes, keepalives, loss; every tick. */
void direct_tick(uint64_t now);
/* A direct session's keypair wants a rekey. */
void direct_rekey_due(struct session *);
/* How many peers, and row i for vlanctl show peers (false: no such). */
size_t direct_npeers(void);
size_t direct_ndirect(void);
bool direct_peer_row(size_t i, struct ctl_peer *);
void direct_shutdown(void);

#endif
