/*
 * The hub's route set at work: this is where the daemon's state (vl)
 * meets routes.c, which computes the set from what it is given.
 */
#include <stdlib.h>

#include "hub.h"
#include "hubroutes.h"
#include "ipcmsg.h"
#include "log.h"
#include "mode.h"
#include "routes.h"
#include "session.h"
#include "transport.h"

static struct route_conf
conf_now(void)
{
	struct route_conf c = { vl.cfg->routes, vl.cfg->nroutes, vl.cfg->ip.a,
		vl.cfg->ip6 };

	return c;
}

static void
install(const struct pmsg_routes *cur)
{
	/* A hub's routes need no underlay: it is no endpoint's. */
	if (ipcmsg_send_if_routes(&vl.ifmgr.chan, 0, IFREQ_ROUTES, cur, NULL) ==
	    -1)
		fatal("IF_ROUTES");
}

static void
push(const struct pmsg_routes *cur)
{
	struct session *s;
	struct pmsg *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		fatal("calloc");
	m->op = PMSG_ROUTES;
	m->u.routes = *cur;
	TAILQ_FOREACH (s, &vl.sessions->list, entry)
		if (s->state == SESS_UP)
			transport_send_control(s, m);
	free(m);
}

void
hubroutes_init(void)
{
	struct route_conf c = conf_now();

	routes_init(vl.routes, &c, vl.sessions);
	if (vl.cfg->nroutes > 0)
		install(routes_current(vl.routes));
	if (vl.cfg->route_multicast && vl.mode->route_multicast)
		routes_multicast_open(vl.routes, now_ms());
}

void
hubroutes_update(void)
{
	struct route_conf c = conf_now();
	const struct pmsg_routes *cur = routes_current(vl.routes);

	if (!routes_update(vl.routes, &c, vl.sessions, now_ms()))
		return;
	log_info("route set %u", cur->version);
	install(cur);
	push(cur);
}

void
hubroutes_tick(void)
{
	if (routes_multicast_due(vl.routes, now_ms()))
		routes_multicast_send(vl.routes, &vl.cfg->ip.a, vl.cfg->bridge);
}
