/*
 * The transition tables of the session and endpoint machines
 * (states.h), and what each way a session ends implies. Data only, so
 * that the unit tests and the coverage check link it alone.
 */
#include <stddef.h>

#include "states.h"

#define T(to) (1U << (to))

static const char *const sess_states[SESS_NSTATES] = {
	[SESS_WAIT_AUTH] = "wait-auth",
	[SESS_AUTHING] = "authing",
	[SESS_WAIT_TAP] = "wait-tap",
	[SESS_UP] = "up",
	[SESS_ENDED] = "ended",
};

static const char *const sess_events[SEV_NEVENTS] = {
	[SEV_HANDSHAKE] = "handshake",
	[SEV_AUTH] = "auth",
	[SEV_PASSWORD_OK] = "password ok",
	[SEV_TAP_READY] = "tap ready",
	[SEV_LOGGED_IN] = "logged in",
	[SEV_BYE_FROM_HUB] = "bye from the hub",
	[SEV_DEVICE_REFUSED] = "device refused",
	[SEV_END_FULL] = "hub full",
	[SEV_END_BUSY] = "too many logins at once",
	[SEV_END_BAD_TOKEN] = "unknown resume token",
	[SEV_END_RESUMED] = "resumed",
	[SEV_END_BYE] = "endpoint said bye",
	[SEV_END_REFUSED] = "login refused",
	[SEV_END_LOGGED_IN] = "already logged in",
	[SEV_END_REPLACED] = "replaced by a new login",
	[SEV_END_NO_FDS] = "no descriptors",
	[SEV_END_TAP_FAILED] = "no tap",
	[SEV_END_TAP_LOST] = "tap lost",
	[SEV_END_DEV_LOST] = "its tap is gone",
	[SEV_END_TIMEOUT] = "timeout",
	[SEV_END_HALF_OPEN] = "half-open too long",
	[SEV_END_EVICTED] = "half-open slot given to a newer handshake",
	[SEV_END_KICKED] = "kicked",
	[SEV_END_USER_GONE] = "ended by a change of the users file",
	[SEV_END_SHUTDOWN] = "hub stopping",
};

/*
 * Which end reasons say so in the log (once the user was logged in),
 * tell the endpoint, and give its address back. A session refused
 * before its tap says why in the line that refuses it, so its end is
 * silent; one replaced by a new login keeps the address for the new
 * one; one that never held an address has none to give back.
 */
static const struct sess_end sess_ends[SEV_NEVENTS] = {
	[SEV_END_FULL] = { NULL, false, false },
	[SEV_END_BUSY] = { NULL, false, false },
	[SEV_END_BAD_TOKEN] = { NULL, false, false },
	[SEV_END_RESUMED] = { NULL, false, false },
	[SEV_END_BYE] = { "endpoint said bye", false, true },
	[SEV_END_REFUSED] = { NULL, false, false },
	[SEV_END_LOGGED_IN] = { NULL, false, false },
	[SEV_END_REPLACED] = { "replaced by a new login", true, false },
	[SEV_END_NO_FDS] = { NULL, false, true },
	[SEV_END_TAP_FAILED] = { NULL, false, true },
	[SEV_END_TAP_LOST] = { NULL, false, true },
	[SEV_END_DEV_LOST] = { "its tap is gone", true, true },
	[SEV_END_TIMEOUT] = { "timeout", true, true },
	[SEV_END_HALF_OPEN] = { NULL, false, false },
	[SEV_END_EVICTED] = { NULL, false, false },
	[SEV_END_KICKED] = { "kicked", true, true },
	[SEV_END_USER_GONE] = { "ended by a change of the users file", true,
	    false },
	[SEV_END_SHUTDOWN] = { "hub stopping", true, true },
};

const struct sess_end *
sess_end_of(enum sess_event ev)
{
	static const struct sess_end none = { NULL, false, false };

	if (ev < SEV_END_FULL || ev >= SEV_NEVENTS)
		return &none;
	return &sess_ends[ev];
}

/* A hub's session: logged in through vland-auth, then (tap mode) its
 * tap; any state may end. */
static const uint32_t hub_sess_allowed[SESS_NSTATES] = {
	[SESS_WAIT_AUTH] = T(SESS_AUTHING) | T(SESS_ENDED),
	[SESS_AUTHING] = T(SESS_WAIT_TAP) | T(SESS_UP) | T(SESS_ENDED),
	[SESS_WAIT_TAP] = T(SESS_UP) | T(SESS_ENDED),
	[SESS_UP] = T(SESS_ENDED),
};
static uint32_t hub_sess_taken[SESS_NSTATES];

const struct fsm_def hub_session_fsm = { "session", sess_states, SESS_NSTATES,
	sess_events, SEV_NEVENTS, hub_sess_allowed, hub_sess_taken };

/* The endpoint's one session: up while logged in, and back to waiting
 * for a login when the hub ends it or the device is refused. It is
 * freed only at exit. */
static const uint32_t ep_sess_allowed[SESS_NSTATES] = {
	[SESS_WAIT_AUTH] = T(SESS_UP),
	[SESS_UP] = T(SESS_WAIT_AUTH),
};
static uint32_t ep_sess_taken[SESS_NSTATES];

const struct fsm_def endpoint_session_fsm = { "endpoint-session", sess_states,
	SESS_NSTATES, sess_events, SEV_NEVENTS, ep_sess_allowed,
	ep_sess_taken };

static const char *const ep_states[EP_NSTATES] = {
	[EP_IDLE] = "idle",
	[EP_RESOLVE] = "resolving",
	[EP_HANDSHAKE] = "handshake",
	[EP_AUTH] = "logging-in",
	[EP_UP] = "up",
	[EP_WAIT] = "waiting",
};

static const char *const ep_events[EEV_NEVENTS] = {
	[EEV_START] = "start",
	[EEV_WAIT_OVER] = "wait over",
	[EEV_RESOLVED] = "hub resolved",
	[EEV_RESOLVE_FAILED] = "cannot resolve the hub",
	[EEV_RESOLVE_TIMEOUT] = "no answer from the name servers",
	[EEV_HANDSHAKE] = "handshake done",
	[EEV_BUSY] = "hub busy",
	[EEV_NO_ANSWER] = "no answer from the hub",
	[EEV_LOGGED_IN] = "logged in",
	[EEV_REFUSED] = "login refused",
	[EEV_TRY_LATER] = "hub says try later",
	[EEV_AUTH_TIMEOUT] = "no answer to the login",
	[EEV_RESUME_REFUSED] = "session not resumed",
	[EEV_BYE] = "hub ended the session",
	[EEV_DEVICE_REFUSED] = "device refused",
};

/*
 * The connection: resolve, handshake, log in, up; a failure anywhere
 * waits and starts again from resolving. A BYE (under keys still held
 * from the last session) may come in any state but idle; a refused
 * resume, or silence during a rekey, starts again at once.
 */
static const uint32_t ep_allowed[EP_NSTATES] = {
	[EP_IDLE] = T(EP_RESOLVE),
	[EP_RESOLVE] = T(EP_HANDSHAKE) | T(EP_WAIT),
	[EP_HANDSHAKE] = T(EP_AUTH) | T(EP_WAIT) | T(EP_RESOLVE),
	[EP_AUTH] = T(EP_UP) | T(EP_WAIT) | T(EP_RESOLVE),
	[EP_UP] = T(EP_WAIT) | T(EP_RESOLVE),
	[EP_WAIT] = T(EP_RESOLVE),
};
static uint32_t ep_taken[EP_NSTATES];

const struct fsm_def endpoint_fsm = { "endpoint", ep_states, EP_NSTATES,
	ep_events, EEV_NEVENTS, ep_allowed, ep_taken };
