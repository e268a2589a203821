/*
 * Which session an Ethernet frame is for, by its destination MAC
 * (l2switch.h).
 */
#include <string.h>

#include "l2switch.h"
#include "session.h"

void
l2switch_init(struct l2switch *sw, const struct session_table *sessions)
{
	memset(sw, 0, sizeof(*sw));
	sw->sessions = sessions;
	sw->on = true;
}

enum l2switch_verdict
l2switch_decide(const struct l2switch *sw, const struct session *from,
    const uint8_t *frame, size_t len, struct session **to)
{
	struct addr a;
	struct session *t;

	*to = NULL;
	if (!sw->on || len < 14)
		return L2SW_BRIDGE;
	if (frame[0] & 1)
		return sw->isolate ? L2SW_FLOOD : L2SW_BRIDGE;
	if (frame[0] != 0x62 || frame[1] != 0xe2)
		return L2SW_BRIDGE;
	/*
	 * A LAN bridged behind an endpoint (bridge-users) speaks with
	 * MACs of its own: those frames keep to the bridge, so that it
	 * learns where the LAN is and does not flood the answers to
	 * every port.
	 */
	if (memcmp(frame + 6, from->l2.mac, 6) != 0)
		return L2SW_BRIDGE;
	memset(&a, 0, sizeof(a));
	a.af = AF_INET;
	memcpy(&a.v4, frame + 2, 4);
	t = session_by_addr(sw->sessions, &a);
	/* Not up (no tap yet, or going): the bridge says what happens to
	 * a frame for a port that is not there. */
	if (t == NULL || t == from || t->state != SESS_UP)
		return L2SW_BRIDGE;
	if (!session_may_reach(from, t))
		return L2SW_DENY;
	*to = t;
	return L2SW_SESSION;
}

bool
l2switch_floods_to(const struct l2switch *sw, const struct session *from,
    const struct session *t)
{
	(void)sw;
	return t != from && t->state == SESS_UP && session_may_reach(from, t);
}
