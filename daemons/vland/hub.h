/*
 * The hub role of vland (hub.c): reached through hub_role (role.h), but
 * for logins and the end of a session, which the helpers, reload and
 * kick call here.
 */
#ifndef VLAND_HUB_H
#define VLAND_HUB_H

#include "ipcmsg.h"
#include "session.h"
#include "transport.h"

void hub_init(void);
/* Whether handshakes are answered with cookies now (vlanctl show status). */
bool hub_under_load(void);
void hub_udp_input(uint8_t *buf, size_t len, struct peer_addr *from);
void hub_auth_result(uint32_t peerid, const struct auth_result *);
void hub_tap_ready(uint32_t peerid, const struct if_device *, int fd);
void hub_tap_failed(uint32_t peerid, const char *why);
/* The tap came without its descriptor (we had none left). */
void hub_tap_lost(uint32_t peerid, const char *ifname);
/* A session's tap fails (deleted under us): the session ends. */
void hub_dev_lost(struct session *, int err);
void hub_tick(void);
/* What the configuration says a session of its user may do (bridge-users,
 * isolate, groups and allow): at login and at each reload. */
void hub_session_policy(struct session *);
/* What the configuration sets for all sessions: at start and reload. */
void hub_apply_config(void);
void hub_shutdown(void);
/* End a session for a reason (states.h says whether it tells the peer,
 * gives its address back and logs): its tap is deleted, it is freed. */
void hub_session_end(struct session *, enum sess_event why);

#endif
