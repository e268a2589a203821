/*
 * The daemon's one instance of each module's state. The modules take
 * their state as a parameter and keep none of their own, so that a unit
 * test makes its own instances; the daemon reaches these through vl.
 * Static, not allocated: some are large (buffers, hash tables) and all
 * live as long as the process.
 */
#include "devio.h"
#include "gro.h"
#include "hub.h"
#include "l2switch.h"
#include "mode.h"
#include "ratelimit.h"
#include "role.h"
#include "routes.h"
#include "session.h"
#include "transport.h"
#include "tunfwd.h"
#include "udp.h"
#include "vland.h"
#include "wheel.h"

static struct ratelimit rl;
static struct session_table sessions;
static struct routes routes;
static struct tunfwd tunfwd;
static struct l2switch l2switch;
static struct gro gro;
static struct udp_tx tx;
static struct udp_rx rx;
static struct wheel timers;

/* A session freed, however: its tap closed, its timer gone. */
static void
session_release(struct session *s)
{
	wheel_del(&timers, &s->timer);
	transport_dev_close(s);
}

/* A module with an init of its own, which the daemon calls where it
 * starts using it (ratelimit and routes: hub_init), is only wired here. */
void
modules_init(void)
{
	vl.rl = &rl;
	session_table_init(&sessions, session_release);
	wheel_init(&timers, now_ms());
	vl.timers = &timers;
	vl.sessions = &sessions;
	vl.routes = &routes;
	tunfwd_init(&tunfwd, &sessions, routes_current(&routes), &vl.cfg->ip,
	    &vl.cfg->ip6);
	vl.tunfwd = &tunfwd;
	l2switch_init(&l2switch, &sessions);
	l2switch.on = vl.cfg->l2switch == CFG_SWITCH_HUB;
	l2switch.isolate = vl.cfg->isolate;
	vl.l2switch = &l2switch;
	/* Frames written to a device are the endpoint's sends where the
	 * device's reads are not (a hub; role.h). */
	gro_init(&gro, vl.mode->ethernet, !vl.role->device_is_endpoint,
	    &vl.total);
	vl.dev_plain = vl.cfg->connect.udp_dev.af != 0 || !plat_dev_vnet_hdr;
	gro.plain = vl.dev_plain;
	vl.gro = &gro;
	/* The sockets by number are vl.udp's, opened later. */
	udp_tx_init(&tx, vl.udp, &vl.total);
	vl.tx = &tx;
	udp_rx_init(&rx, vl.udp, &vl.total);
	vl.rx = &rx;
}
