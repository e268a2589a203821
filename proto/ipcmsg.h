/*
 * The IPC message catalogue between vland, vland-ifmgr and vland-auth,
 * in one place: IPCMSG_LIST below gives each message its number, who
 * sends it to whom, whether a descriptor comes with it and the shape of
 * its payload; the type enum, ipcmsg_type_name() and ipcmsg_desc() are
 * made from it. Payloads are fixed-size structs, except the few with a
 * head whose count says how many entries follow, and the configuration
 * text. Strings are NUL-padded fixed arrays.
 *
 * Nothing outside proto/ipcmsg*.c builds or picks apart a payload: a
 * sender calls ipcmsg_send_<message>() (ipcmsg_send.c), a receiver
 * passes what ipc_read gave it to the message's getter, which checks
 * it against the table (type, direction, descriptor, size) and then
 * its strings and ranges (ipcmsg.c).
 *
 * Every request carries the requester's id in hdr.reqid, echoed in the
 * reply (enum if_reqid, enum auth_reqid); hdr.peerid names the object
 * (a session) where one is meant.
 *
 * To add a message:
 *   1. one line in IPCMSG_LIST (a new number; a retired one stays
 *      unused), and its payload struct below if it is a new one;
 *   2. one sender in ipcmsg_send.c, and a getter in ipcmsg.c unless
 *      one for its payload exists (a shared getter tells messages apart
 *      by the table, so the direction check comes with it);
 *   3. the receiver's case, which calls the getter;
 *   4. run the proto tests: proto-ipcmsg-python names what
 *      tests/netns/vlipc.py must add (its number, and a packer or
 *      parser if a test sends or reads the payload); proto-ipcmsg and
 *      tests/fuzz/fuzz_ipc.c want the new getter too.
 */
#ifndef VLAND_IPCMSG_H
#define VLAND_IPCMSG_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "dnsset.h"
#include "names.h"

#define IPCMSG_PASSWORD_MAX 256
#define IPCMSG_ERRMSG_MAX   160
#define IPCMSG_ROUTES_MAX   256

/*
 * The catalogue, one line a message:
 *
 *   X(name, number, direction, fd, shape, payload, entry)
 *
 * direction: which process sends it to which (enum ipcmsg_dir, without
 * its IPCMSG_ prefix). fd: 1 if a descriptor comes with it. shape: NONE
 * (no payload), FIXED (exactly struct payload), VAR (struct payload,
 * then as many struct entry as its count says) or TEXT (bytes, any
 * length up to IPC_MAX_PAYLOAD). payload and entry name a struct, or
 * none where the shape has no such part.
 *
 * Type 1 (IF_INIT, the policy sent by vland) is retired: vland-ifmgr
 * reads its policy from the configuration file itself (vland-ifmgr(8)).
 * Its number stays unused, so that an old vland is refused.
 */
#define IPCMSG_LIST(X)                                                       \
	/* vland -> vland-ifmgr */                                           \
	/* hub: bridge (tap mode: IF_RESULT) or tun (tun mode: IF_DEVICE) */ \
	X(IF_HUB_UP, 2, VLAND_TO_IFMGR, 0, NONE, none, none)                 \
	/* peerid = session */                                               \
	X(IF_TAP_CREATE, 3, VLAND_TO_IFMGR, 0, FIXED, if_tap_req, none)      \
	/* the endpoint's device */                                          \
	X(IF_DEV_CREATE, 4, VLAND_TO_IFMGR, 0, FIXED, if_dev_req, none)      \
	/* peerid = session (0: the endpoint's device) */                    \
	X(IF_DEV_DELETE, 5, VLAND_TO_IFMGR, 0, NONE, none, none)             \
	/* answered with IF_ROUTES_RESULT */                                 \
	X(IF_ROUTES, 6, VLAND_TO_IFMGR, 0, VAR, if_routes, if_route)         \
	/* re-read the file for its route prefixes (answered: IF_RESULT) */  \
	X(IF_RELOAD, 7, VLAND_TO_IFMGR, 0, NONE, none, none)                 \
	/* endpoint: the hub's DNS settings for its device (IF_RESULT) */    \
	X(IF_DNS, 8, VLAND_TO_IFMGR, 0, FIXED, if_dns, none)                 \
	/* vland-ifmgr -> vland */                                           \
	X(IF_RESULT, 32, IFMGR_TO_VLAND, 0, FIXED, ipc_result, none)         \
	X(IF_DEVICE, 33, IFMGR_TO_VLAND, 1, FIXED, if_device, none)          \
	X(IF_ROUTES_RESULT, 34, IFMGR_TO_VLAND, 0, VAR, if_routes_result,    \
	    if_route_refusal)                                                \
	/* vland -> vland-auth */                                            \
	/* peerid = session */                                               \
	X(AUTH_CHECK, 64, VLAND_TO_AUTH, 0, FIXED, auth_check, none)         \
	/* the user's address goes back to the pool */                       \
	X(AUTH_RELEASE, 65, VLAND_TO_AUTH, 0, FIXED, auth_user, none)        \
	/* re-read the users file */                                         \
	X(AUTH_RELOAD, 66, VLAND_TO_AUTH, 0, NONE, none, none)               \
	/* send the configuration file's text */                             \
	X(AUTH_CONFIG_GET, 67, VLAND_TO_AUTH, 0, NONE, none, none)           \
	/* vland-auth -> vland */                                            \
	X(AUTH_RESULT, 96, AUTH_TO_VLAND, 0, FIXED, auth_result, none)       \
	/* removed (or changed) by a reload */                               \
	X(AUTH_USER_GONE, 97, AUTH_TO_VLAND, 0, FIXED, auth_user, none)      \
	/* reload done or failed */                                          \
	X(AUTH_RELOADED, 98, AUTH_TO_VLAND, 0, FIXED, ipc_result, none)      \
	/* the configuration file */                                         \
	X(AUTH_CONFIG_TEXT, 99, AUTH_TO_VLAND, 0, TEXT, none, none)          \
	/* vland -> both helpers */                                          \
	X(LOG_VERBOSE, 128, VLAND_TO_HELPERS, 0, FIXED, ipc_int, none)

/* Who sends a message to whom: a bit for each way of each channel. */
enum ipcmsg_dir {
	IPCMSG_VLAND_TO_IFMGR = 0x1,
	IPCMSG_IFMGR_TO_VLAND = 0x2,
	IPCMSG_VLAND_TO_AUTH = 0x4,
	IPCMSG_AUTH_TO_VLAND = 0x8,
	IPCMSG_VLAND_TO_HELPERS = IPCMSG_VLAND_TO_IFMGR | IPCMSG_VLAND_TO_AUTH,
};

enum ipcmsg_shape {
	IPCMSG_SHAPE_NONE,  /* no payload */
	IPCMSG_SHAPE_FIXED, /* one struct, exactly */
	IPCMSG_SHAPE_VAR,   /* a head, then the entries its count says */
	IPCMSG_SHAPE_TEXT,  /* bytes, any length */
};

#define IPCMSG_ENUM(name, number, ...) IMSG_##name = number,
enum ipcmsg_type { IPCMSG_LIST(IPCMSG_ENUM) };
#undef IPCMSG_ENUM

/* Request ids vland uses towards vland-ifmgr, echoed in the replies. */
enum if_reqid {
	IFREQ_NONE = 0,	  /* a failure is only logged */
	IFREQ_SETUP = 1,  /* IF_HUB_UP, IF_DEV_CREATE, IF_TAP_CREATE */
	IFREQ_RELOAD = 2, /* IF_RELOAD */
	IFREQ_ROUTES = 3, /* IF_ROUTES */
	IFREQ_DNS = 4,	  /* IF_DNS */
};

/*
 * Request ids vland uses towards vland-auth, echoed in the replies.
 * AUTH_CHECK carries the session's id instead (as its peerid does);
 * vland tells the other replies apart by their type.
 */
enum auth_reqid {
	AUTHREQ_NONE = 0, /* AUTH_RELEASE, AUTH_RELOAD, AUTH_CONFIG_GET,
			   * LOG_VERBOSE */
};

struct ipc_result {
	int32_t error; /* 0 or an errno value */
	char msg[IPCMSG_ERRMSG_MAX];
};

struct ipc_int {
	int32_t value;
};

struct if_tap_req {
	char user[USERNAME_MAX + 1];
	/* Its IPv4 address in the VPN (af 0: none): the hub's bridge gets
	 * a static neighbour entry for it, its MAC being 62:e2 and it. */
	struct addr addr;
};

struct if_dev_req {
	struct prefix ip;     /* the endpoint's address and VPN prefix */
	struct addr underlay; /* the hub's address outside the tunnel */
	struct prefix ip6;    /* its IPv6 address and prefix; af 0: none */
	uint16_t mtu;
	uint8_t mac[6]; /* tap mode: 62:e2 + the address */
};

struct if_device {
	char ifname[IFNAMSIZ];
	int32_t ifindex;
};

/* The set to apply (none: remove what was applied), checked by the
 * getter for its strings and counts, by vland-ifmgr for the rest. */
struct if_dns {
	struct dns_set set;
};

struct if_route {
	struct prefix cidr;
	struct addr nexthop; /* af 0: unknown, the route is withdrawn */
};

struct if_routes {
	uint32_t version;
	uint32_t count;	      /* if_route entries that follow */
	struct addr underlay; /* endpoint: the hub's address outside the
			       * tunnel, which no route may capture */
};

/* Why vland-ifmgr did not install a route (vland-ifmgr(8)). */
enum route_refusal {
	RR_FAMILY = 1,	   /* not a network prefix, a nexthop of the other
			    * family, or IPv6 without IPv6 in the tunnel */
	RR_NEXTHOP,	   /* nexthop outside the VPN subnet */
	RR_NOT_CONFIGURED, /* hub: not a prefix of the configuration */
	RR_DEFAULT,	   /* the default route, or with the others
			     * covering it */
	RR_VPN,		   /* inside the VPN subnet */
	RR_UNDERLAY,	   /* covers the hub's address outside the tunnel */
	RR_COLLISION,	   /* the host has a route there of another
			     * protocol */
	RR_KERNEL,	   /* the kernel refused it */
};

struct if_route_refusal {
	struct prefix cidr;
	uint32_t reason;	     /* enum route_refusal */
	char why[IPCMSG_ERRMSG_MAX]; /* one line, for the log and vlanctl */
};

struct if_routes_result {
	uint32_t version;   /* of the route set answered */
	uint32_t installed; /* routes now in the kernel */
	uint32_t count;	    /* if_route_refusal entries that follow */
};

struct auth_user {
	char user[USERNAME_MAX + 1];
};

struct auth_check {
	char user[USERNAME_MAX + 1];
	char password[IPCMSG_PASSWORD_MAX + 1];
	struct addr source; /* for per-source back-off */
};

enum auth_status {
	AUTH_S_OK = 0,
	AUTH_S_BAD_CREDENTIALS,
	AUTH_S_POOL_EXHAUSTED,
	AUTH_S_BACKOFF, /* too many failures: refused without a check */
	AUTH_S_INTERNAL,
	AUTH_S_BUSY, /* too many checks queued: refused without a check */
};

struct auth_result {
	int32_t status; /* enum auth_status */
	struct addr address;
	uint8_t prefixlen;
	uint8_t fixed; /* the address is the user's fixed one */
	uint32_t wait; /* seconds to wait: BACKOFF and BUSY */
};

/* true if s (a fixed array of size n) holds a NUL-terminated string. */
bool ipcmsg_str_ok(const char *s, size_t n);
#define IPCMSG_STR_OK(field) ipcmsg_str_ok((field), sizeof(field))

/* Sizes of an IF_ROUTES payload holding count routes, and of an
 * IF_ROUTES_RESULT holding count refusals. */
size_t ipcmsg_routes_size(uint32_t count);
size_t ipcmsg_routes_result_size(uint32_t count);

struct ipc_chan;
struct ipc_msg;
struct pmsg_routes;

/* What the catalogue says of one message type (IPCMSG_LIST). */
struct ipcmsg_desc {
	const char *name; /* "IF_HUB_UP" */
	uint16_t type;
	unsigned dir; /* enum ipcmsg_dir: who may send it to whom */
	enum ipcmsg_shape shape;
	bool fd;	     /* a descriptor comes with it */
	const char *payload; /* struct of the fixed part or head, or NULL */
	size_t size;	     /* its size: 0 for NONE and TEXT */
	const char *entry;   /* VAR: struct of the entries, else NULL */
	size_t entry_size;
};

/* The catalogue's line for type, or NULL for a type it does not list. */
const struct ipcmsg_desc *ipcmsg_desc(uint16_t type);
/* Its name, or "unknown". */
const char *ipcmsg_type_name(uint16_t type);

/*
 * Getters: decode and check a received message before anything trusts
 * it. dir is the way it came (IPCMSG_IFMGR_TO_VLAND in vland's reader
 * of vland-ifmgr, and so on). Each returns IPCMSG_OK and fills its
 * output, or says what is wrong (and the output means nothing). Pointer
 * outputs point into the message, valid until the channel's next read.
 */
enum ipcmsg_err {
	IPCMSG_OK = 0,
	IPCMSG_E_TYPE,	/* unknown, not sent this way, or another payload */
	IPCMSG_E_FD,	/* a descriptor where none belongs, or none
			 * (not even a lost one: fd_lost) where one must */
	IPCMSG_E_SIZE,	/* not the size the table (and a count) gives */
	IPCMSG_E_STR,	/* a fixed string without its NUL */
	IPCMSG_E_RANGE, /* a count, family or prefix length out of range */
};

/* IF_HUB_UP, IF_DEV_DELETE, IF_RELOAD, AUTH_RELOAD, AUTH_CONFIG_GET */
enum ipcmsg_err ipcmsg_get_none(const struct ipc_msg *, enum ipcmsg_dir);
/* LOG_VERBOSE */
enum ipcmsg_err ipcmsg_get_int(const struct ipc_msg *, enum ipcmsg_dir,
    struct ipc_int *);
/* IF_RESULT, AUTH_RELOADED: msg is a string */
enum ipcmsg_err ipcmsg_get_result(const struct ipc_msg *, enum ipcmsg_dir,
    struct ipc_result *);
/* IF_TAP_CREATE: user is a string (what name it is, is ifmgr's check) */
enum ipcmsg_err ipcmsg_get_tap_req(const struct ipc_msg *, enum ipcmsg_dir,
    struct if_tap_req *);
/* IF_DEV_CREATE: the size only; vland-ifmgr checks the addresses */
enum ipcmsg_err ipcmsg_get_dns(const struct ipc_msg *, enum ipcmsg_dir,
    struct if_dns *);
enum ipcmsg_err ipcmsg_get_dev_req(const struct ipc_msg *, enum ipcmsg_dir,
    struct if_dev_req *);
/* IF_DEVICE: ifname is a string; m->fd or m->fd_lost is the caller's */
enum ipcmsg_err ipcmsg_get_device(const struct ipc_msg *, enum ipcmsg_dir,
    struct if_device *);
/* IF_ROUTES: at most IPCMSG_ROUTES_MAX routes, the size their count's */
enum ipcmsg_err ipcmsg_get_routes(const struct ipc_msg *, enum ipcmsg_dir,
    const struct if_routes **, const struct if_route **);
/* IF_ROUTES_RESULT: counts at most IPCMSG_ROUTES_MAX, each why a
 * string */
enum ipcmsg_err ipcmsg_get_routes_result(const struct ipc_msg *,
    enum ipcmsg_dir, const struct if_routes_result **,
    const struct if_route_refusal **);
/* AUTH_CHECK: strings, source IPv4 or IPv6. out holds the password
 * whatever the answer: the caller wipes it */
enum ipcmsg_err ipcmsg_get_auth_check(const struct ipc_msg *, enum ipcmsg_dir,
    struct auth_check *);
/* AUTH_RELEASE, AUTH_USER_GONE: user is a string */
enum ipcmsg_err ipcmsg_get_auth_user(const struct ipc_msg *, enum ipcmsg_dir,
    struct auth_user *);
/* AUTH_RESULT: AUTH_S_OK comes with an IPv4 address and a prefix length
 * of 8 to 30; any other status is a refusal, whatever its number */
enum ipcmsg_err ipcmsg_get_auth_result(const struct ipc_msg *, enum ipcmsg_dir,
    struct auth_result *);
/* AUTH_CONFIG_TEXT: any bytes */
enum ipcmsg_err ipcmsg_get_text(const struct ipc_msg *, enum ipcmsg_dir,
    const uint8_t **text, size_t *len);

/*
 * Senders: one a message, the payload made from the arguments. Each
 * returns ipc_compose's answer: 0, or -1 with errno (EINVAL also for
 * arguments the message cannot carry). peerid and reqid go in the
 * header as they are (enum if_reqid, enum auth_reqid, or the request's
 * own, echoed). Strings longer than their field are cut.
 */
int ipcmsg_send_if_hub_up(struct ipc_chan *, uint32_t peerid, uint32_t reqid);
int ipcmsg_send_if_tap_create(struct ipc_chan *, uint32_t peerid,
    uint32_t reqid, const char *user, const struct addr *addr);
int ipcmsg_send_if_dev_create(struct ipc_chan *, uint32_t peerid,
    uint32_t reqid, const struct prefix *ip, const struct prefix *ip6,
    const struct addr *underlay, uint16_t mtu, const uint8_t mac[6]);
int ipcmsg_send_if_dev_delete(struct ipc_chan *, uint32_t peerid,
    uint32_t reqid);
/* The route set; underlay NULL: none (a hub's) */
int ipcmsg_send_if_routes(struct ipc_chan *, uint32_t peerid, uint32_t reqid,
    const struct pmsg_routes *, const struct addr *underlay);
int ipcmsg_send_if_reload(struct ipc_chan *, uint32_t peerid, uint32_t reqid);
int ipcmsg_send_if_dns(struct ipc_chan *, uint32_t peerid, uint32_t reqid,
    const struct dns_set *);
/* msg NULL: none */
int ipcmsg_send_if_result(struct ipc_chan *, uint32_t peerid, uint32_t reqid,
    int32_t error, const char *msg);
/* fd stays the caller's (ipc_compose sends its own copy) */
int ipcmsg_send_if_device(struct ipc_chan *, uint32_t peerid, uint32_t reqid,
    int fd, const char *ifname, int32_t ifindex);
/* res is followed by its res->count refusals, laid out as
 * ipcmsg_routes_result_size says */
int ipcmsg_send_if_routes_result(struct ipc_chan *, uint32_t peerid,
    uint32_t reqid, const struct if_routes_result *res);
/* pwlen bytes of password, at most IPCMSG_PASSWORD_MAX; the copy made
 * here is wiped */
int ipcmsg_send_auth_check(struct ipc_chan *, uint32_t peerid, uint32_t reqid,
    const char *user, const char *password, size_t pwlen,
    const struct addr *source);
int ipcmsg_send_auth_release(struct ipc_chan *, uint32_t peerid, uint32_t reqid,
    const char *user);
int ipcmsg_send_auth_reload(struct ipc_chan *, uint32_t peerid, uint32_t reqid);
int ipcmsg_send_auth_config_get(struct ipc_chan *, uint32_t peerid,
    uint32_t reqid);
int ipcmsg_send_auth_result(struct ipc_chan *, uint32_t peerid, uint32_t reqid,
    const struct auth_result *);
int ipcmsg_send_auth_user_gone(struct ipc_chan *, uint32_t peerid,
    uint32_t reqid, const char *user);
/* msg NULL: none */
int ipcmsg_send_auth_reloaded(struct ipc_chan *, uint32_t peerid,
    uint32_t reqid, int32_t error, const char *msg);
int ipcmsg_send_auth_config_text(struct ipc_chan *, uint32_t peerid,
    uint32_t reqid, const void *text, size_t len);
/* to either helper */
int ipcmsg_send_log_verbose(struct ipc_chan *, uint32_t peerid, uint32_t reqid,
    int32_t value);

#endif
