/*
 * Peer messages (PROTOCOL.md: control messages), the plaintext of CONTROL
 * (type 5) transport messages between an endpoint and the hub, so always
 * encrypted and authenticated. Named pmsg_ so that they are never taken
 * for the socket control messages (CMSG_*) of sendmsg(2). Each starts with a
 * u8 opcode; integers are little-endian; every message has one exact
 * length (trailing bytes are an error).
 *
 * AUTH (endpoint -> hub, first message of a new login), always 292 bytes
 * so the ciphertext does not reveal the password's length:
 *	u8 op 1, u8 ulen (1..32), username[ulen], u16 pwlen (1..256),
 *	password[pwlen], zero padding to 292
 *   The username must pass username_valid(); the password may not
 *   contain NUL (it goes to crypt(3) as a C string).
 * AUTH_RESUME (endpoint -> hub, after a rekey): u8 op 2, token[32]
 * AUTH_OK (hub -> endpoint):
 *	u8 op 3, ipv4[4], u8 prefixlen (1..32), u16 mtu, u16 keepalive (s),
 *	token[32], u32 route-set version, u16 nroutes (<= 256),
 *	route[nroutes], u16 optlen, options[optlen]
 *   options: a TLV list {u8 type, u8 len, value[len]} filling optlen
 *   exactly; receivers skip types they do not know. Types are assigned
 *   in PROTOCOL.md: PMSG_OPT_IPV6 below.
 * AUTH_FAIL (hub -> endpoint): u8 op 4, u8 reason (PMSG_FAIL_*; an
 *   unknown nonzero reason decodes, for newer hubs); reason 7 (try
 *   later) alone is followed by u16 wait, the seconds to wait (1..3600)
 * ROUTES (hub -> endpoint): u8 op 5, u32 version, u16 nroutes,
 *   route[nroutes]
 * BYE (either way): u8 op 6
 * DNS (hub -> endpoint, after each AUTH_OK and at a reload that changes
 *   dns:): u8 op 7, u32 version, u16 optlen (<= 512), options[optlen]
 *   options: the TLV list of AUTH_OK, types of their own:
 *	PMSG_DNS_SERVER ipv4[4] or ipv6[16], a unicast name server, at most
 *	  3, in order; PMSG_DNS_SEARCH a domain (dns_name_valid, no NUL or
 *	  trailing dot), at most 6, 256 characters with a separator each.
 *   Types come in ascending order (type 0 is reserved), so that a
 *   message has one encoding. No option: no DNS settings (remove them).
 *   A receiver skips types it does not know (kept raw in extra, for the
 *   re-encoding); a known one with a bad value makes the message
 *   malformed. Older endpoints drop the whole message (unknown op).
 *
 * ENDPOINT_INFO (endpoint -> hub, after each AUTH_OK): u8 op 8, u8 flags
 *   (PMSG_INFO_DIRECT: it takes direct paths; other bits ignored), u16
 *   port (its UDP socket's own port; 0: not said), u8 n (0..4), then n
 *   local addresses {u8 family 4|6, address[4|16]}, unicast
 * PEER (hub -> endpoint): u8 op 9, u32 pair id (not 0), u8 flags
 *   (PMSG_PEER_INITIATE: this side starts the handshake; other bits
 *   ignored), u8 ulen, username, ipv4[4] (the peer's tunnel address),
 *   ipv6[16] (its IPv6 in the tunnel, or zeros), mac[6] (tap mode: its
 *   MAC; zeros in tun mode), secret[32], u8 n (1..5), then n places to
 *   reach it {u8 family 4|6, address[4|16], u16 port (not 0)}, the first
 *   the address the hub sees it from
 * PEER_GONE (hub -> endpoint): u8 op 10, u32 pair id (not 0)
 * route: u8 family (4 or 6), u8 prefixlen, address[4|16] (host bits
 *   zero), u8 nexthop family (0 = unknown, 4, 6), nexthop[0|4|16]
 *   An unknown nexthop is a user who is not logged in: the route is
 *   withdrawn.
 */
#ifndef VLAND_PEERMSG_H
#define VLAND_PEERMSG_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "dnsset.h"
#include "names.h"
#include "wire.h"

#define PMSG_AUTH	   1
#define PMSG_AUTH_RESUME   2
#define PMSG_AUTH_OK	   3
#define PMSG_AUTH_FAIL	   4
#define PMSG_ROUTES	   5
#define PMSG_BYE	   6
#define PMSG_DNS	   7
#define PMSG_ENDPOINT_INFO 8
#define PMSG_PEER	   9
#define PMSG_PEER_GONE	   10

#define PMSG_FAIL_CREDENTIALS 1
#define PMSG_FAIL_LOGGED_IN   2
#define PMSG_FAIL_POOL	      3
#define PMSG_FAIL_INTERNAL    4
#define PMSG_FAIL_VERSION     5
#define PMSG_FAIL_MODE	      6
#define PMSG_FAIL_TRY_LATER   7 /* back-off or overload: carries a wait */

#define PMSG_WAIT_MAX 3600 /* seconds: the longest wait AUTH_FAIL may ask */

/* AUTH_OK option: ipv6[16], u8 prefixlen (16..96), the endpoint's IPv6. */
#define PMSG_OPT_IPV6	  1
#define PMSG_OPT_IPV6_LEN 17
/* AUTH_OK options: the hub's own addresses inside the tunnel. */
#define PMSG_OPT_HUB4	  2 /* ipv4[4] */
#define PMSG_OPT_HUB6	  3 /* ipv6[16] */
#define PMSG_IPV6_LEN_MIN 16
#define PMSG_IPV6_LEN_MAX 96

/* DNS options. */
#define PMSG_DNS_SERVER 1
#define PMSG_DNS_SEARCH 2

/* ENDPOINT_INFO and PEER (direct paths). */
#define PMSG_INFO_DIRECT   0x01
#define PMSG_PEER_INITIATE 0x01
#define PMSG_LOCAL_MAX	   4			/* local addresses reported */
#define PMSG_CAND_MAX	   (1 + PMSG_LOCAL_MAX) /* seen + local */
#define PMSG_SECRET_LEN	   32
#define PMSG_MAC_LEN	   6

#define PMSG_PASSWORD_MAX 256
#define PMSG_TOKEN_LEN	  32
#define PMSG_ROUTES_MAX	  256
#define PMSG_OPTS_MAX	  512
#define PMSG_AUTH_LEN	  (1 + 1 + USERNAME_MAX + 2 + PMSG_PASSWORD_MAX)
/* Room for a tap frame header with a VLAN tag in the largest payload. */
#define PMSG_MTU_MIN	  576
#define PMSG_MTU_MAX	  (WIRE_PAYLOAD_MAX - 18)
#define PMSG_ROUTE_MAXLEN (2 + 16 + 1 + 16)
#define PMSG_MAX_LEN                                  \
	(1 + 4 + 1 + 2 + 2 + PMSG_TOKEN_LEN + 4 + 2 + \
	    PMSG_ROUTES_MAX * PMSG_ROUTE_MAXLEN + 2 + PMSG_OPTS_MAX)

struct pmsg_route {
	struct prefix dst;
	struct addr nexthop; /* af 0: unknown */
};

struct pmsg_routes {
	uint32_t version;
	uint16_t count;
	struct pmsg_route r[PMSG_ROUTES_MAX];
};

struct pmsg_auth {
	char user[USERNAME_MAX + 1];	      /* NUL-terminated */
	char password[PMSG_PASSWORD_MAX + 1]; /* NUL-terminated */
	size_t pwlen;
};

struct pmsg_auth_ok {
	struct addr addr; /* AF_INET */
	uint8_t prefixlen;
	uint16_t mtu;
	uint16_t keepalive;
	uint8_t token[PMSG_TOKEN_LEN];
	struct pmsg_routes routes;
	uint8_t opts[PMSG_OPTS_MAX]; /* raw TLV list, checked */
	size_t optslen;
};

struct pmsg_dns {
	uint32_t version; /* the hub's: +1 at each change */
	struct dns_set set;
	uint8_t extra[PMSG_OPTS_MAX]; /* options of later types, raw */
	size_t extralen;
};

struct pmsg_fail {
	uint8_t reason;
	uint16_t wait; /* seconds, reason PMSG_FAIL_TRY_LATER only */
};

struct pmsg_info {
	uint8_t flags;
	uint16_t port;
	uint8_t n;
	struct addr a[PMSG_LOCAL_MAX];
};

/* A place where a peer may be reached. */
struct pmsg_cand {
	struct addr a;
	uint16_t port; /* host order */
};

struct pmsg_peer {
	uint32_t pair;
	uint8_t flags;
	char user[USERNAME_MAX + 1];
	struct addr v4; /* AF_INET */
	struct addr v6; /* af 0: none */
	uint8_t mac[PMSG_MAC_LEN];
	uint8_t secret[PMSG_SECRET_LEN];
	uint8_t n;
	struct pmsg_cand c[PMSG_CAND_MAX];
};

struct pmsg {
	uint8_t op;
	union {
		struct pmsg_auth auth;
		uint8_t token[PMSG_TOKEN_LEN]; /* AUTH_RESUME */
		struct pmsg_auth_ok ok;
		struct pmsg_fail fail;
		struct pmsg_routes routes;
		struct pmsg_dns dns;
		struct pmsg_info info;
		struct pmsg_peer peer;
		uint32_t pair; /* PEER_GONE */
	} u;
};

struct pmsg_opt {
	uint8_t type;
	uint8_t len;
	const uint8_t *val;
};

/*
 * Encode m into buf; *len gets the length. The encoder applies the
 * decoder's rules, so it never produces what the peer would refuse.
 */
enum wire_err pmsg_encode(const struct pmsg *m, uint8_t *buf, size_t cap,
    size_t *len);
/* Decode exactly len bytes. m may hold a password: pmsg_clear() it. */
enum wire_err pmsg_decode(const uint8_t *buf, size_t len, struct pmsg *m);
/* Wipe m (passwords and tokens). */
void pmsg_clear(struct pmsg *m);

/* Fill AUTH from a username and password (lengths checked). */
enum wire_err pmsg_auth_set(struct pmsg *m, const char *user,
    const char *password);

/* Append an option to an AUTH_OK's TLV list. */
enum wire_err pmsg_opt_add(struct pmsg_auth_ok *, uint8_t type, const void *val,
    uint8_t len);
/* Iterate the options: 1 and *o filled, or 0 at the end. */
int pmsg_opt_next(const struct pmsg_auth_ok *, size_t *off, struct pmsg_opt *o);

/* Add the IPv6 option (p: AF_INET6, length 16..96). */
enum wire_err pmsg_ok_set_ipv6(struct pmsg_auth_ok *, const struct prefix *p);
/*
 * The IPv6 option of a decoded AUTH_OK: 1 with *p set, 0 if there is
 * none, -1 if it is malformed (bad length or value, or twice).
 */
int pmsg_ok_ipv6(const struct pmsg_auth_ok *, struct prefix *p);
/* Add the hub's tunnel addresses (v6 may be NULL or unset). */
enum wire_err pmsg_ok_set_hub(struct pmsg_auth_ok *, const struct addr *v4,
    const struct addr *v6);
/*
 * The hub's tunnel addresses, each zeroed if absent (an older hub).
 * 0, or -1 when an option is malformed (wrong length, repeated, not a
 * unicast address).
 */
int pmsg_ok_hub(const struct pmsg_auth_ok *, struct addr *v4, struct addr *v6);

/* The codecs of ENDPOINT_INFO and PEER (peermsg_direct.c). */
struct wr;
struct rd;
enum wire_err pmsg_info_put(struct wr *, const struct pmsg_info *);
enum wire_err pmsg_info_get(struct rd *, struct pmsg_info *);
enum wire_err pmsg_peer_put(struct wr *, const struct pmsg_peer *);
enum wire_err pmsg_peer_get(struct rd *, struct pmsg_peer *);

/* Text for an AUTH_FAIL reason (for logs and the endpoint's user). */
const char *pmsg_fail_str(uint8_t reason);

#endif
