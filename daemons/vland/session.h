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
#include "vland.h"

/* Indices a session has handed out (the kp_set keeps at most 3 live). */
#define SESS_NIDX 4

struct session {
	TAILQ_ENTRY(session) entry;
	uint32_t id;	       /* names the session in IPC (peerid) */
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
	uint8_t token[PMSG_TOKEN_LEN];
	bool has_token;

	int tapfd;
	char ifname[IFNAMSIZ];
	struct event *tapev;

	uint64_t created_ms, last_rx_ms, last_tx_ms;
	time_t login_time;
	struct counters c;
};

TAILQ_HEAD(session_list, session);
extern struct session_list sessions;

struct session *session_new(const struct peer_addr *);
/* Register the local index of a keypair that belongs to s. */
void session_add_index(struct session *, uint32_t idx);
/* A fresh random index that no session uses. */
uint32_t session_new_index(void);
struct session *session_by_index(uint32_t idx);
struct session *session_by_id(uint32_t id);
/*
 * The logged-in session of user (its password was checked: WAIT_TAP or
 * UP), other than except. Logins still being checked do not count: anyone
 * can send an AUTH for any name, and one must not stand in for the
 * user (as "already logged in") or hide the user's live session.
 */
struct session *session_by_user(const char *user, const struct session *except);
/*
 * Any session of user past its AUTH (checked or being checked), other
 * than except: while one is being checked, the user's address must stay
 * leased, since vland-auth may be handing that same address to it.
 */
struct session *session_of_user(const char *user, const struct session *except);
/* Unlink and free: tap, keys, indices. The caller did the IPC. */
void session_free(struct session *);
size_t session_count(enum sess_state);
/* The address table (tun mode): the UP session that has an address. */
void session_addr_set(struct session *);
struct session *session_by_addr(const struct addr *);

#endif
