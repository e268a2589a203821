/*
 * The hub role of vland (hub.c): reached through hub_role (role.h), but
 * for logins and the end of a session, which the helpers, reload and
 * kick call here; and transport.c's per-session sending, counting and
 * device functions, which both roles and tun forwarding share.
 */
#ifndef VLAND_HUB_H
#define VLAND_HUB_H

#include "ipcmsg.h"
#include "session.h"

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
void hub_shutdown(void);
/* End a session for a reason (states.h says whether it tells the peer,
 * gives its address back and logs): its tap is deleted, it is freed. */
void hub_session_end(struct session *, enum sess_event why);

/* Shared with endpoint.c: transport sends for one session. */
void sess_send_control(struct session *, const struct pmsg *);
void sess_send_keepalive(struct session *);
/* Seal the len bytes at slot + header as data for s and queue them. */
void sess_seal_data(struct session *, uint8_t *slot, size_t len);
void sess_tap_input(int fd, short ev, void *arg);
/* Attach the tap (or tun) fd of s and watch it; close it, after
 * writing what is pending for it. */
void sess_tap_attach(struct session *, int fd, const char *ifname);
void sess_tap_close(struct session *);
void sess_count_drop(struct session *, enum drop_reason);
void sess_count_drops(struct session *, enum drop_reason, unsigned n);
/* n frames of bytes in all written to s's tap. */
void sess_count_rx_frames(struct session *, unsigned n, size_t bytes);
void sess_data_input(struct session *, const uint8_t *payload, size_t len);
/* A frame for s's own device (tap or tun), coalesced with the next. */
void sess_frame_to_device(struct session *, const uint8_t *frame, size_t len);
/* The sender's keypair wants a rekey (only an endpoint acts on it). */
void session_rekey_due(struct session *);

#endif
