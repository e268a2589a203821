/*
 * The traffic a held vlogin session sends (vlogin -D): pings to the
 * hub's tunnel address, from the session's own address (and in tap
 * mode its own MAC, 62:e2 and the address, to the hub's), which the
 * hub's filters take as the endpoint's own; and in tap mode answers to
 * the hub's ARP requests for the session's address, so that the hub's
 * kernel can answer without asking every session.
 */
#ifndef TRICKLE_H
#define TRICKLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netinet/in.h>

struct trickle_ids {
	bool tap;		    /* frames with an Ethernet header */
	struct in_addr ip, hub;	    /* the session's and the hub's */
	uint8_t mac[6], hub_mac[6]; /* tap: 62:e2 and the address */
};

/* Fill the MACs from the addresses. */
void trickle_ids_init(struct trickle_ids *, bool tap, struct in_addr ip,
    struct in_addr hub);
/* An ICMP echo request to the hub (id, seq) into out; its length, or 0
 * if cap is too small. */
size_t trickle_ping(const struct trickle_ids *, uint16_t id, uint16_t seq,
    uint8_t *out, size_t cap);

enum trickle_in {
	TRICKLE_OTHER, /* anything else: ignored */
	TRICKLE_REPLY, /* the hub's echo reply to the session */
	TRICKLE_ARP,   /* an ARP request for the session: *reply to send */
};
/* What a frame from the hub is; for TRICKLE_ARP, the answer in reply
 * (at least 42 bytes) and its length in *rlen. */
enum trickle_in trickle_input(const struct trickle_ids *, const uint8_t *f,
    size_t len, uint8_t *reply, size_t *rlen);

#endif
