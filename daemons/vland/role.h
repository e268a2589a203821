/*
 * What a hub and an endpoint do differently, as one table each, chosen
 * once at start-up (vl.role). Shared modules (transport, helpers, ctl,
 * the main loop) call through it and never test the role themselves;
 * hub.c and endpoint.c fill it.
 */
#ifndef VLAND_ROLE_H
#define VLAND_ROLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct addr;
struct ctl_route;
struct ctl_status;
struct event_base;
struct fsm_def;
struct if_device;
struct peer_addr;
struct pmsg_routes;
struct session;

struct role_ops {
	const char *name; /* "hub", "endpoint": for the log */
	/* Serves logins: vland-auth, kick, reload, the web page. */
	bool serves_logins;
	/* Answers an empty DATA (a keepalive) with one of its own. */
	bool answers_keepalives;
	/* What its devices read is what the endpoint sends (counters are
	 * from the endpoint's point of view in both roles). */
	bool device_is_endpoint;

	/* Start-up, as root: before the helpers start; after they have
	 * (ask for the devices made at start); before privileges drop
	 * (whatever must still open files). Any may be NULL. */
	void (*prepare)(void);
	void (*devices_up)(void);
	void (*before_drop)(struct event_base *);
	void (*init)(void);	/* in the event loop, sandboxed */
	void (*shutdown)(void); /* the loop ended: say bye, free */

	void (*udp_input)(uint8_t *buf, size_t len, struct peer_addr *from);
	void (*tick)(void);
	/* A DATA message with a frame, opened on an UP session. */
	void (*data_input)(struct session *, const uint8_t *, size_t);
	/* Where a frame its device read goes: the device's session, or
	 * another (an endpoint's direct path to a peer; NULL: always the
	 * device's). */
	struct session *(*frame_target)(struct session *dev,
	    const uint8_t *frame, size_t len, uint64_t now);
	/* The sending keypair is old: start a handshake (NULL: the role
	 * never initiates one; PROTOCOL.md, "Timers"). */
	void (*rekey_due)(struct session *);

	/* vland-ifmgr's answers about devices; peerid names a session, 0
	 * the process's own device. */
	void (*dev_ready)(uint32_t peerid, const struct if_device *, int fd);
	void (*dev_failed)(uint32_t peerid, int error, const char *why);
	/* The device came without its descriptor (none to spare). */
	void (*dev_fd_lost)(uint32_t peerid, const char *ifname);
	/* Reading a session's device fails: it is gone. */
	void (*dev_lost)(struct session *, int err);

	/* Its sessions' state machine (states.h). */
	const struct fsm_def *session_fsm;
	/* vlanctl: the role's part of show status, and of show routes:
	 * the route set, and for row i what the role knows of it (false:
	 * no such row). */
	void (*status)(struct ctl_status *);
	const struct pmsg_routes *(*route_set)(void);
	/* Is a this host's address inside the tunnel (IPv4 or IPv6)? */
	bool (*is_self)(const struct addr *a);
	bool (*route_row)(size_t i, struct ctl_route *);
};

extern const struct role_ops hub_role, endpoint_role;

#endif
