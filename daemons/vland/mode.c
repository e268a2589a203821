/*
 * The tap and tun mode tables (mode.h).
 */
#include "config.h"
#include "direct_hub.h"
#include "hub.h"
#include "l2filter.h"
#include "l2switch.h"
#include "mode.h"
#include "session.h"
#include "transport.h"
#include "tunfwd.h"
#include "wire.h"

static const char *
bridge_of(const struct config *c)
{
	return c->bridge;
}

static const char *
interface_of(const struct config *c)
{
	return c->interface;
}

/* On the hub's bridge an endpoint speaks only for itself, unless it
 * bridges a LAN there (bridge-users). A frame for another endpoint is
 * switched by vland itself (switch: hub, l2switch.h); the rest goes to
 * the bridge through the sender's tap. */
static void
tap_hub_frame(struct session *s, const uint8_t *frame, size_t len)
{
	struct session *t;

	if (!s->may_bridge && l2_check(&s->l2, frame, len) != L2_OK) {
		transport_drop(s, DROP_SPOOF);
		return;
	}
	direct_hub_frame(s, frame, len);
	switch (l2switch_decide(vl.l2switch, s, frame, len, &t)) {
	case L2SW_SESSION:
		transport_rx_frames(s, 1, len);
		transport_forward(t, frame, len);
		return;
	case L2SW_DENY:
		transport_drop(s, DROP_ISOLATED);
		return;
	case L2SW_FLOOD:
		TAILQ_FOREACH (t, &vl.sessions->list, entry)
			if (l2switch_floods_to(vl.l2switch, s, t))
				transport_forward(t, frame, len);
		break;
	case L2SW_BRIDGE:
		break;
	}
	transport_to_device(s, frame, len);
}

/* Routed by its destination: to another session or into the hub's tun. */
static void
tun_hub_frame(struct session *s, const uint8_t *pkt, size_t len)
{
	transport_rx_frames(s, 1, len);
	tunfwd_from_session(vl.tunfwd, s, pkt, len);
	direct_hub_frame(s, pkt, len);
}

const struct mode_ops tap_mode = {
	.name = "tap",
	.wire_mode = WIRE_MODE_TAP,
	.ethernet = true,
	.session_devices = true,
	.route_multicast = true,
	.hub_device = bridge_of,
	.hub_frame = tap_hub_frame,
};

const struct mode_ops tun_mode = {
	.name = "tun",
	.wire_mode = WIRE_MODE_TUN,
	.ethernet = false,
	.session_devices = false,
	.route_multicast = false,
	.hub_device = interface_of,
	.hub_frame = tun_hub_frame,
};
