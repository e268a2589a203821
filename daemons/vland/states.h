/*
 * The states of a session and of the endpoint's connection, the events
 * that move them and the transitions each machine allows (fsm.h). A
 * session ends for one of the reasons below; what ending it means (a BYE
 * to the peer, the address back to the pool, a line in the log) is a
 * property of the reason, in one table, not of each caller.
 */
#ifndef VLAND_STATES_H
#define VLAND_STATES_H

#include <stdbool.h>

#include "fsm.h"

enum sess_state {
	SESS_WAIT_AUTH, /* handshake done, waiting for AUTH or AUTH_RESUME */
	SESS_AUTHING,	/* vland-auth is checking the password */
	SESS_WAIT_TAP,	/* vland-ifmgr is making the tap */
	SESS_UP,	/* frames flow */
	SESS_ENDED,	/* gone: freed right after the transition */
	SESS_NSTATES
};

enum sess_event {
	SEV_HANDSHAKE,	  /* made by a handshake (hub) or at start (endpoint) */
	SEV_AUTH,	  /* hub: AUTH received, password sent to vland-auth */
	SEV_PASSWORD_OK,  /* hub: vland-auth accepted it */
	SEV_TAP_READY,	  /* hub: vland-ifmgr made the tap */
	SEV_LOGGED_IN,	  /* endpoint: AUTH_OK */
	SEV_BYE_FROM_HUB, /* endpoint: the hub ended the session */
	SEV_DEVICE_REFUSED, /* endpoint: vland-ifmgr refused the address */
	/* Why a hub's session ends (sess_end_of() says what it implies). */
	SEV_END_FULL,	    /* max-sessions reached */
	SEV_END_BUSY,	    /* too many logins being checked */
	SEV_END_BAD_TOKEN,  /* AUTH_RESUME with a token no session has */
	SEV_END_RESUMED,    /* its keypair moved to the session it resumes */
	SEV_END_BYE,	    /* the endpoint said bye */
	SEV_END_REFUSED,    /* vland-auth refused the login */
	SEV_END_LOGGED_IN,  /* the user is logged in from elsewhere */
	SEV_END_REPLACED,   /* a new login of the same user won */
	SEV_END_NO_FDS,	    /* no descriptor to spare for its tap */
	SEV_END_TAP_FAILED, /* vland-ifmgr could not make its tap */
	SEV_END_TAP_LOST,   /* its tap came without its descriptor */
	SEV_END_DEV_LOST,   /* its tap was deleted under the hub */
	SEV_END_TIMEOUT,    /* silent longer than timeout */
	SEV_END_HALF_OPEN,  /* no AUTH within the half-open time */
	SEV_END_EVICTED,    /* its half-open slot went to a newer handshake */
	SEV_END_KICKED,	    /* vlanctl kick */
	SEV_END_USER_GONE,  /* the users file no longer has the user */
	SEV_END_SHUTDOWN,   /* the hub stops */
	SEV_NEVENTS
};

/* What ending a session for a reason implies. */
struct sess_end {
	const char *why; /* "logged out: why" once logged in; NULL: silent */
	bool bye;	 /* tell the endpoint */
	bool release;	 /* give the address back to the pool */
};
const struct sess_end *sess_end_of(enum sess_event);

/* Its password was checked: it holds the user's login. */
static inline bool
sess_logged_in(enum sess_state st)
{
	return st == SESS_WAIT_TAP || st == SESS_UP;
}

/* Past its AUTH: checked or being checked, so it may hold an address. */
static inline bool
sess_past_auth(enum sess_state st)
{
	return st == SESS_AUTHING || sess_logged_in(st);
}

enum ep_state {
	EP_IDLE,      /* not started */
	EP_RESOLVE,   /* looking up the hub's name */
	EP_HANDSHAKE, /* INIT sent, waiting for RESP */
	EP_AUTH,      /* AUTH or AUTH_RESUME sent */
	EP_UP,	      /* logged in */
	EP_WAIT,      /* backing off before the next attempt */
	EP_NSTATES
};

enum ep_event {
	EEV_START,	     /* the endpoint starts */
	EEV_WAIT_OVER,	     /* the back-off ended */
	EEV_RESOLVED,	     /* the hub's address is known */
	EEV_RESOLVE_FAILED,  /* the name does not resolve */
	EEV_RESOLVE_TIMEOUT, /* the name servers do not answer */
	EEV_HANDSHAKE,	     /* RESP received */
	EEV_BUSY,	     /* the hub refused the handshake: busy */
	EEV_NO_ANSWER,	     /* INITs unanswered: the next server */
	EEV_LOGGED_IN,	     /* AUTH_OK */
	EEV_REFUSED,	     /* AUTH_FAIL */
	EEV_TRY_LATER,	     /* AUTH_FAIL asking to wait */
	EEV_AUTH_TIMEOUT,    /* no answer to AUTH */
	EEV_RESUME_REFUSED,  /* AUTH_FAIL to AUTH_RESUME: log in afresh */
	EEV_BYE,	     /* the hub ended the session */
	EEV_DEVICE_REFUSED,  /* vland-ifmgr refused the hub's address */
	EEV_NEVENTS
};

extern const struct fsm_def hub_session_fsm;	  /* a hub's sessions */
extern const struct fsm_def endpoint_session_fsm; /* the endpoint's one */
extern const struct fsm_def endpoint_fsm;	  /* its connection */

#endif
