/*
 * What all of vland's network process shares: the one global state (vl),
 * its counters and limits, and the few functions that have no header of
 * their own: the clock and peer addresses, which every module uses, and
 * the helpers and modules_init, which main calls.
 */
#ifndef VLAND_H
#define VLAND_H

#include <stdbool.h>
#include <limits.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "config.h"
#include "ctlmsg.h"
#include "handshake.h"
#include "ipc.h"
#include "keyenc.h"

struct event;
struct event_base;
struct gro;
struct ratelimit;
struct routes;
struct session;
struct session_table;
struct tunfwd;
struct l2switch;
struct udp_rx;
struct udp_tx;
struct wheel;

/* A helper process and its channel. */
struct helper {
	const char *name;
	pid_t pid;
	struct ipc_chan chan;
	bool up;
};

/* Where a peer is: its address and the socket that reaches it. */
struct peer_addr {
	struct sockaddr_storage ss;
	socklen_t len;
	int sock;
};

#define UDP_MAX_SOCKETS CFG_MAX_LISTEN
#define BATCH		64

/*
 * Event priorities (libevent runs only the most urgent ones that are
 * ready). Devices (taps, tuns) and everything else, timers and helper
 * channels included, come before the UDP sockets: what the hub wrote
 * into one tap and its bridge passed to another is read before more is
 * taken from the network, so under overload the excess stays in the
 * UDP socket, dropped there early and cheaply, not in a tap's queue
 * after all the work was done. udp_device_batch keeps UDP from being
 * starved by a device that never runs dry.
 */
#define PRIO_COUNT  3
#define PRIO_DEVICE 1 /* also libevent's default: everything else */
#define PRIO_UDP    2
/* Device batches in a row after which UDP is read all the same. */
#define UDP_STARVE_MAX 4
/* One datagram: the largest frame (MTU 9000 + Ethernet header) and the
 * transport overhead fit, with room to spare. */
#define PKT_MAX (9216 + 64)

/* From the endpoint's point of view, in both roles. */
struct counters {
	uint64_t rx_packets, rx_bytes; /* the endpoint received */
	uint64_t tx_packets, tx_bytes; /* the endpoint sent */
	uint64_t drops[DROP_NREASONS];
};

/*
 * An endpoint's exit status when the hub refuses its username or
 * password: no restart can help, so units list it in
 * RestartPreventExitStatus= (EX_NOPERM of sysexits.h).
 */
#define VLAND_EXIT_CREDENTIALS 77

/*
 * Refused logins, by reason: one list makes the enum and the names
 * /metrics labels them with. BUSY: too many checks queued, at
 * vland-auth or here.
 */
#define AUTH_FAIL_REASONS(X)          \
	X(CREDENTIALS, "credentials") \
	X(BACKOFF, "backoff")         \
	X(LOGGED_IN, "logged_in")     \
	X(POOL, "pool_exhausted")     \
	X(INTERNAL, "internal")       \
	X(BUSY, "busy")

enum auth_fail_reason {
#define AUTH_FAIL_ENUM(id, name) AF_##id,
	AUTH_FAIL_REASONS(AUTH_FAIL_ENUM)
#undef AUTH_FAIL_ENUM
	    AUTH_FAIL_NREASONS
};
extern const char *const auth_fail_names[AUTH_FAIL_NREASONS];

struct stats {
	uint64_t handshakes;
	uint64_t cookie_replies; /* INITs answered with a cookie, under load */
	/* Half-open sessions ended to give their slot to a newer handshake
	 * (all HALF_OPEN_MAX taken). */
	uint64_t half_open_evicted;
	uint64_t auth_failures[AUTH_FAIL_NREASONS];
};

struct mode_ops;
struct role_ops;

struct vland {
	struct config *cfg;
	const struct role_ops *role; /* hub or endpoint (role.h) */
	const struct mode_ops *mode; /* tap or tun (mode.h) */
	const char *cfgfile;
	char cfgreal[PATH_MAX]; /* its real path, taken before chroot */
	struct event_base *base;
	struct helper ifmgr, auth;
	int udp[UDP_MAX_SOCKETS];
	struct event *udpev[UDP_MAX_SOCKETS];
	size_t nudp;
	uint64_t started_ms;
	struct counters total;
	struct stats stats;
	bool stopping;
	int exitcode; /* of vland, once the event loop ends */
	/* hub */
	uint8_t privkey[KEY_LEN], pubkey[KEY_LEN];
	struct hs_hub hub;
	/* endpoint */
	uint64_t rekey_ms; /* 0: the protocol's 120 s (see vland(8)) */
	struct peer_addr server;
	struct hs_hub_pub hubpub;
	char password[CFG_PASSWORD_MAX + 1];
	/* The modules' state: each takes it as a parameter, and the
	 * daemon has one instance of each (modules.c). */
	struct ratelimit *rl; /* hub */
	struct session_table *sessions;
	struct routes *routes; /* hub */
	struct tunfwd *tunfwd; /* hub, tun mode */
	unsigned
	    mss_mtu; /* mss-clamp: the MTU TCP SYNs are clamped to; 0: off */
	struct l2switch *l2switch; /* hub, tap mode */
	struct gro *gro;
	/* The device has no virtio-net header and no offloads: plain
	 * frames, one a read or write (the test-only UDP device). */
	bool dev_plain;
	struct wheel *timers; /* hub: when to look at each session */
	struct udp_tx *tx;
	struct udp_rx *rx;
};

extern struct vland vl;

/* clock.c */
uint64_t now_ms(void);
uint64_t now_us(void);

/* modules.c: point vl at the daemon's instances, made ready; once the
 * configuration is loaded. */
void modules_init(void);

/* helpers.c; helpers_start and helpers_local_events (the loop's part
 * of helpers that run in-process) are helpers_spawn.c's on Linux and
 * helpers_inproc.c's on Windows. */
void helpers_start(int foreground, int verbose);
void helpers_local_events(void);
/* Hub: ask vland-ifmgr for the bridge or the tun. */
void helpers_hub_up(void);
void helpers_events(void);

/* vland.c: the daemon, from its command line to its exit status. The
 * program's main is main.c's on Linux; on Windows service_win.c's,
 * which also runs it as a service. */
int vland_main(int argc, char *argv[]);

/* udp.c (the rest of it: udp.h) */
const char *peer_fmt(const struct peer_addr *, char *buf, size_t len);
bool peer_equal(const struct peer_addr *, const struct peer_addr *);
void peer_to_addr(const struct peer_addr *, struct addr *, uint16_t *port);

#endif
