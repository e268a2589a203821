/*
 * What tap and tun mode do differently in vland, as one table each,
 * chosen once at start-up (vl.mode) from the configuration: the mode
 * said in the handshake, whether frames carry Ethernet headers, and how
 * a hub forwards a session's frames (its own tap on the bridge, or
 * routed by address through the hub's tun). Shared code asks the table
 * instead of testing the mode. The devices themselves are vland-ifmgr's
 * (its device kinds) and the platform's.
 */
#ifndef VLAND_MODE_H
#define VLAND_MODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct config;
struct session;

struct mode_ops {
	const char *name;  /* "tap", "tun" */
	uint8_t wire_mode; /* WIRE_MODE_*, said in the handshake's hello */
	/* Frames carry an Ethernet header (offloads and coalescing read
	 * past it); else they are IP packets. */
	bool ethernet;
	/* A hub makes a device per session (a tap on its bridge); else
	 * one device (its tun) serves every session. */
	bool session_devices;
	/* route-multicast applies: the hub's sessions meet on a bridge,
	 * where hosts may hear route announcements. */
	bool route_multicast;
	/* The hub's device that routes are bound to. */
	const char *(*hub_device)(const struct config *);
	/* A hub: a frame from an UP session, on its way. */
	void (*hub_frame)(struct session *, const uint8_t *, size_t);
};

extern const struct mode_ops tap_mode, tun_mode;

#endif
