/*
 * The control socket between vlanctl and vland: requests, and the binary
 * records vland answers with. vland never formats text for vlanctl;
 * vlanctl turns records into text or JSON (bgpctl's rule). Each answer
 * ends with one CTL_R_END record carrying the result. The framing is
 * common/ipc.h over SOCK_SEQPACKET.
 */
#ifndef VLAND_CTLMSG_H
#define VLAND_CTLMSG_H

#include <net/if.h>
#include <stdint.h>

#include "addr.h"
#include "config.h"
#include "keyenc.h"
#include "names.h"

#define CTL_MSG_MAX 160

/*
 * Why vland drops a datagram, frame or packet: counted per session and
 * in total, and sent in ctl_status in this order. The one list of them:
 * it makes enum drop_reason and ctl_drop_names, and each name is what
 * vlanctl prints after "drops:", the key under "drops_by_reason" with
 * -j, and the reason label of vland_drops_total in /metrics. PROTOCOL.md
 * and vlanctl(8) say what each counts; a new one goes last.
 */
#define DROP_REASONS(X)                                                        \
	X(SHORT, "short")	  /* too short to be any message */            \
	X(TYPE, "type")		  /* unknown message type */                   \
	X(INDEX, "index")	  /* no session has that receiver index */     \
	X(AUTH, "auth")		  /* failed the tag, replay or key checks */   \
	X(HANDSHAKE, "handshake") /* handshake message refused */              \
	X(STATE, "state")	  /* valid, but not in this session state */   \
	X(CONTROL, "control")	  /* a CONTROL message that does not decode */ \
	X(TRUNC, "truncated")	  /* larger than our buffers */                \
	X(RATELIMIT, "ratelimit") /* handshake rate limit */                   \
	X(TAP, "tap")		  /* the tap device would not take it */       \
	X(SEND, "send")		  /* the UDP socket would not take it */       \
	X(SPOOF, "spoof")	  /* tun: source not the session's own */      \
	X(NOROUTE, "noroute")	  /* tun: to a VPN address nobody has */       \
	X(MALFORMED, "malformed") /* tun: not a well-formed IP packet */       \
	X(ISOLATED, "isolated")	  /* to an endpoint it may not reach */

enum drop_reason {
#define DROP_ENUM(e, name) DROP_##e,
	DROP_REASONS(DROP_ENUM) /* DROP_SHORT to DROP_ISOLATED */
#undef DROP_ENUM
	DROP_NREASONS
};

extern const char *const ctl_drop_names[DROP_NREASONS];

/* The room for them in a status record, fixed because it is a record. */
#define CTL_DROPS_MAX 16
_Static_assert(DROP_NREASONS <= CTL_DROPS_MAX,
    "ctl_status.drops_by_reason too small");

enum ctl_type {
	/* vlanctl -> vland */
	CTL_SHOW_ENDPOINTS = 1, /* none */
	CTL_SHOW_STATUS,	/* none */
	CTL_KICK,		/* struct ctl_user */
	CTL_RELOAD,		/* none */
	CTL_LOG_VERBOSE,	/* struct ctl_int: 1 verbose, 0 brief */
	CTL_SHOW_ROUTES,	/* none */
	CTL_SHOW_SESSIONS,	/* none */
	CTL_SHOW_PEERS,		/* none */
	/* vland -> vlanctl */
	CTL_R_ENDPOINT = 32, /* struct ctl_endpoint, one per session */
	CTL_R_STATUS,	     /* struct ctl_status */
	CTL_R_END,	     /* struct ctl_end: the last record */
	CTL_R_ROUTE,	     /* struct ctl_route, one per route */
	CTL_R_SESSION,	     /* struct ctl_session, one per session */
	CTL_R_PEER,	     /* struct ctl_peer, one per direct peer */
};

struct ctl_int {
	int32_t value;
};

struct ctl_user {
	char user[USERNAME_MAX + 1];
};

struct ctl_counters {
	uint64_t rx_packets, rx_bytes; /* from the endpoint's view */
	uint64_t tx_packets, tx_bytes;
	uint64_t drops;
};

struct ctl_endpoint {
	char user[USERNAME_MAX + 1];
	char ifname[IFNAMSIZ];
	struct addr addr;
	uint8_t prefixlen;
	struct prefix addr6; /* IPv6 inside the tunnel; af 0: none */
	uint8_t state;	     /* 0 logging in, 1 up */
	struct addr remote;
	uint16_t remote_port;
	int64_t login_time;  /* seconds since the epoch */
	uint64_t last_rx_ms; /* age of the last packet */
	struct ctl_counters c;
	uint32_t peers; /* endpoints it was introduced to (direct:) */
};

/* An endpoint's peer (direct paths): how its traffic goes now. */
#define CTL_PATH_RELAYED 0
#define CTL_PATH_DIRECT	 1
struct ctl_peer {
	char user[USERNAME_MAX + 1];
	struct addr addr; /* its IPv4 address in the tunnel */
	uint8_t path;	  /* CTL_PATH_* */
	uint8_t initiator;
	struct addr remote; /* where the direct path goes; af 0: none yet */
	uint16_t remote_port;
	uint64_t last_handshake_ms; /* age; UINT64_MAX: never */
	uint32_t rtt_us;	    /* of the last handshake; 0: unknown */
	uint64_t handshakes;	    /* completed since the hub's PEER */
	uint64_t fallbacks;	    /* direct paths lost since then */
	struct ctl_counters c;	    /* over the direct path */
};

struct ctl_status {
	uint8_t role; /* CFG_HUB, CFG_ENDPOINT */
	uint8_t mode; /* CFG_TAP, CFG_TUN */
	uint8_t up;   /* endpoint: logged in */
	uint64_t uptime_s;
	uint32_t sessions, pending;
	char pubkey[KEY_B64LEN + 1]; /* hub: its key; endpoint: the hub's */
	uint16_t port;
	uint32_t nlisten;
	struct addr listen[8];
	uint64_t handshakes;	    /* hub: completed */
	uint64_t cookie_replies;    /* hub: INITs answered with a cookie */
	uint64_t half_open_evicted; /* hub: half-open slots given up */
	uint8_t under_load;	    /* hub: answering with cookies now */
	/* endpoint */
	char server[CFG_HOST_MAX + 8]; /* host:port */
	char ifname[IFNAMSIZ];
	struct addr addr;
	uint8_t prefixlen;
	struct prefix addr6;
	uint64_t session_age_s;
	uint32_t routes; /* routes of the set vland-ifmgr installed */
	uint32_t routes_version;
	uint32_t routes_refused; /* in the last set */
	uint64_t route_refusals; /* logged since start */
	struct ctl_counters c;
	uint64_t drops_by_reason[CTL_DROPS_MAX]; /* by enum drop_reason */
	/* endpoint: its connection's state and the event that led there,
	 * named as in daemons/vland/states.c */
	char conn_state[16];
	char conn_event[48];
	uint64_t illegal_transitions; /* refused since start: a bug */
	/* direct paths: an endpoint's peers and how many go direct now; a
	 * hub's pairs introduced (peers_direct unused) */
	uint32_t peers, peers_direct;
};

struct ctl_route {
	struct prefix cidr;
	char nexthop[USERNAME_MAX + 1]; /* a user, or "SERVER" */
	struct addr via;		/* resolved address; af 0: unknown */
	uint32_t version;		/* of the route set */
	uint8_t installed;		/* in this host's routing table */
	char where[IFNAMSIZ];		/* the device it is bound to */
	char refused[CTL_MSG_MAX]; /* why vland-ifmgr refused it; "": not */
};

/* Any session, logging in or logged in, with its state machine's view
 * (daemons/vland/states.c names them). */
struct ctl_session {
	uint32_t id;		     /* as in the log: "session 12" */
	char user[USERNAME_MAX + 1]; /* "" until its AUTH */
	char state[16];
	char event[48]; /* of its last change of state */
	struct addr remote;
	uint16_t remote_port;
	uint64_t age_ms;     /* since its handshake */
	uint64_t last_rx_ms; /* age of the last packet */
};

struct ctl_end {
	int32_t error; /* 0 or an errno value */
	char msg[CTL_MSG_MAX];
};

#endif
