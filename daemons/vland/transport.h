/*
 * A session's transport (transport.c), shared by both roles and by tun
 * forwarding: sealing and sending on a session, reading its device and
 * handing frames to it, and counting what is sent, written and dropped.
 */
#ifndef VLAND_TRANSPORT_H
#define VLAND_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include <event2/util.h>

#include "ctlmsg.h"

struct pmsg;
struct session;

/* Seal a peer message for s and send it at once. */
void transport_send_control(struct session *, const struct pmsg *);
void transport_send_keepalive(struct session *);
/* Seal the len bytes at slot + header as data for s and queue them. */
void transport_seal_data(struct session *, uint8_t *slot, size_t len);
void transport_dev_input(evutil_socket_t fd, short ev, void *arg);
/* Attach the tap (or tun) fd of s and watch it; close it, after
 * writing what is pending for it. */
void transport_dev_attach(struct session *, int fd, const char *ifname);
void transport_dev_close(struct session *);
void transport_drop(struct session *, enum drop_reason);
void transport_drops(struct session *, enum drop_reason, unsigned n);
/* n frames of bytes in all written to s's tap. */
void transport_rx_frames(struct session *, unsigned n, size_t bytes);
/* A data message opened on s (in place: MSS clamping may change it). */
void transport_data_input(struct session *, uint8_t *payload, size_t len);
/* A frame (at most a tunnel's payload) forwarded by the hub to t: sealed
 * for t and counted as t's, as if t's device had read it. */
void transport_forward(struct session *t, const uint8_t *frame, size_t len);
/* A frame for s's own device (tap or tun), coalesced with the next. */
void transport_to_device(struct session *, const uint8_t *frame, size_t len);
/* The sender's keypair wants a rekey (only an endpoint acts on it). */
void transport_rekey_due(struct session *);

#endif
