/*
 * Sessions: one per endpoint on a hub (and the one on an endpoint), with
 * their keypairs, peer address, tap, counters and timers. Sessions are
 * found by the receiver index of incoming messages.
 */
#ifndef VLAND_SESSION_H
#define VLAND_SESSION_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>
#include <time.h>

#include "addr.h"
#include "peermsg.h"
#include "keypair.h"
#include "l2filter.h"
#include "names.h"
#include "states.h"
#include "wheel.h"
#include "vland.h"

struct dpair_link;
struct dpeer;
LIST_HEAD(dpair_list, dpair_link);

/* Indices a session has handed out (the kp_set keeps at most 3 live). */
#define SESS_NIDX 4

struct session {
	TAILQ_ENTRY(session) entry;
	TAILQ_ENTRY(session) wait_entry; /* while SESS_WAIT_AUTH */
	uint32_t id;			 /* names the session in IPC (peerid) */
	enum sess_state state; /* changed only through the state machine */
	enum sess_event event; /* of the last change (vlanctl, the log) */
	struct kp_set kps;
	uint32_t idx[SESS_NIDX];
	unsigned nidx;
	struct peer_addr peer;

	char user[USERNAME_MAX + 1];
	struct addr addr; /* assigned by vland-auth; af 0 before */
	uint8_t prefixlen;
	struct l2_identity l2; /* hub, tap mode: who it may speak for */
	bool may_bridge;       /* its user is in bridge-users */
	/* isolate: its groups, and the groups it may reach (allow); all
	 * bits when the hub does not isolate (session_may_reach) */
	uint64_t groups, reach;
	uint8_t token[PMSG_TOKEN_LEN];
	bool has_token;

	int tapfd;
	char ifname[IFNAMSIZ];
	struct event *tapev;

	uint64_t created_ms, last_rx_ms, last_tx_ms;
	struct wheel_entry timer; /* hub: when to look at it next (hub.c) */
	time_t login_time;
	struct counters c;
	/* direct paths. Hub (direct_hub.c): what the endpoint reported
	 * (ENDPOINT_INFO), and the pairs it is in. Endpoint (direct.c):
	 * the peer a direct session reaches; NULL for the hub's. */
	bool direct_ok;
	struct pmsg_info info;
	struct dpair_list pairs;
	unsigned npairs;
	struct dpeer *dp;
};

TAILQ_HEAD(session_list, session);

/* May a's frames go to b (isolate and allow, vland.yaml(5))? Both ways
 * are the same: allow names pairs. */
static inline bool
session_may_reach(const struct session *a, const struct session *b)
{
	return (a->reach & b->groups) != 0;
}

/* n drops counted on s (NULL: none) and in total. */
static inline void
session_count_drops(struct counters *total, struct session *s,
    enum drop_reason r, unsigned n)
{
	total->drops[r] += n;
	if (s != NULL)
		s->c.drops[r] += n;
}

/*
 * n frames of bytes in all, counted on s and in total from the
 * endpoint's point of view (vland.h): sent by the endpoint, or received.
 */
static inline void
session_count_frames(struct counters *total, struct session *s, unsigned n,
    size_t bytes, bool endpoint_sent)
{
	if (endpoint_sent) {
		s->c.tx_packets += n;
		s->c.tx_bytes += bytes;
		total->tx_packets += n;
		total->tx_bytes += bytes;
	} else {
		s->c.rx_packets += n;
		s->c.rx_bytes += bytes;
		total->rx_packets += n;
		total->rx_bytes += bytes;
	}
}

/* A slot of the index table or of the address table. */
struct idx_slot {
	uint32_t idx;
	struct session *s; /* NULL: empty; else a session or deleted */
};
struct addr_slot {
	uint32_t a; /* IPv4, network order */
	struct session *s;
};

/*
 * All sessions, and the hash tables that find them by receiver index
 * and (tun mode) by address. The daemon has one (modules.c); a unit
 * test makes its own.
 */
/* An open-addressing table of 32-bit keys (session.c). */
struct idx_table {
	struct idx_slot *slot; /* NULL until the first key */
	uint32_t cap;	       /* slots; a power of two */
	unsigned live, dead;   /* entries, deleted slots */
};

struct session_table {
	struct session_list list; /* in order of creation */
	/* The half-open ones (SESS_WAIT_AUTH), oldest first: the hub gives
	 * the oldest's slot to a new handshake when all are taken. */
	struct session_list waiting;
	struct idx_table idx; /* receiver indices */
	/* Resume tokens, by their first 4 bytes: an AUTH_RESUME finds its
	 * session without a walk of them all (one per rekey). */
	struct idx_table tok;
	struct addr_slot *addr; /* NULL until the first address */
	uint32_t addr_cap;
	unsigned addr_used; /* live and deleted slots */
	uint32_t next_id;
	/* Sessions in each state, kept by session_set_state: the hub asks
	 * at every INIT and AUTH, which must not cost a walk of them all. */
	size_t nstate[SESS_NSTATES];
	/* Called by session_free first: the daemon closes the session's
	 * tap (transport_dev_close). NULL: nothing. */
	void (*release)(struct session *);
	/* Where random indices come from; NULL: RAND_bytes. */
	uint32_t (*random)(void);
};

void session_table_init(struct session_table *,
    void (*release)(struct session *));
/* Free every session (session_free, its release hook included), then
 * the tables. */
void session_table_clear(struct session_table *);

struct session *session_new(struct session_table *, const struct peer_addr *);
/* Register the local index of a keypair that belongs to s. */
void session_add_index(struct session_table *, struct session *, uint32_t idx);
/* A fresh random index that no session uses. */
uint32_t session_new_index(struct session_table *);
struct session *session_by_index(const struct session_table *, uint32_t idx);
struct session *session_by_id(const struct session_table *, uint32_t id);
/*
 * The logged-in session of user (its password was checked: WAIT_TAP or
 * UP), other than except. Logins still being checked do not count: anyone
 * can send an AUTH for any name, and one must not stand in for the
 * user (as "already logged in") or hide the user's live session.
 */
struct session *session_by_user(const struct session_table *, const char *user,
    const struct session *except);
/*
 * Any session of user past its AUTH (checked or being checked), other
 * than except: while one is being checked, the user's address must stay
 * leased, since vland-auth may be handing that same address to it.
 */
struct session *session_of_user(const struct session_table *, const char *user,
    const struct session *except);
/* Unlink and free: tap, keys, indices. The caller did the IPC. */
void session_free(struct session_table *, struct session *);
/* The half-open session made longest ago, or NULL. */
struct session *session_oldest_waiting(const struct session_table *);
/* How many sessions are in st (a counter, not a walk). */
size_t session_count(const struct session_table *, enum sess_state);
/* The one way a session's state is written, so that the counts stay
 * right (the state machines, fsm.h, decide whether it may change). */
void session_set_state(struct session_table *, struct session *,
    enum sess_state);
/* The address table (tun mode): the UP session that has an address. */
void session_addr_set(struct session_table *, struct session *);
struct session *session_by_addr(const struct session_table *,
    const struct addr *);
/* A new random resume token for s (AUTH_OK carries it), replacing its
 * last one. */
void session_new_token(struct session_table *, struct session *);
/* The session whose token this is (compared in constant time), else
 * NULL. */
struct session *session_by_token(const struct session_table *,
    const uint8_t token[PMSG_TOKEN_LEN]);

#endif
