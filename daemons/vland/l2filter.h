/*
 * What an endpoint may put on the hub's bridge (tap mode): frames from
 * its own MAC (62:e2 and its address), ARP and neighbour discovery that
 * speak only for its own addresses, and no DHCP or router service. Pure:
 * tests/unit/vland drives it with hand-made frames.
 */
#ifndef VLAND_L2FILTER_H
#define VLAND_L2FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/* Who the endpoint is on the LAN. */
struct l2_identity {
	uint8_t mac[6];	 /* 62:e2 + its IPv4 address */
	struct addr v4;	 /* its IPv4 address */
	struct addr v6;	 /* its IPv6 address from ip6; af 0: none */
	struct addr ll6; /* its link-local address (EUI-64 of mac) */
};

enum l2_verdict {
	L2_OK = 0,
	L2_SHORT,   /* not even an Ethernet header */
	L2_SRC_MAC, /* another source MAC */
	L2_VLAN,    /* 802.1Q/802.1ad tagged: its contents cannot be judged */
	L2_ARP,	    /* ARP speaking for another MAC or address */
	L2_ND,	    /* neighbour discovery for another address or MAC */
	L2_ROUTER,  /* router advertisement or redirect */
	L2_DHCP_SERVER, /* DHCP or DHCPv6 server message */
	L2_LINK,	/* spanning tree and other LLC, LLDP, EAPOL, pause */
};

void l2_identity_make(struct l2_identity *, const struct addr *v4,
    const struct addr *v6);
enum l2_verdict l2_check(const struct l2_identity *, const uint8_t *frame,
    size_t len);
const char *l2_verdict_name(enum l2_verdict);

#endif
