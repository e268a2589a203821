/*
 * The hub's DNS settings at work (hubdns.h). The version lets an
 * endpoint tell a late message from the current one; the set is resent
 * after every AUTH_OK, so one lost in transit is repaired at the next
 * rekey without a retransmission scheme of its own.
 */
#include <stdlib.h>

#include "hub.h"
#include "hubdns.h"
#include "log.h"
#include "session.h"
#include "transport.h"

static uint32_t version = 1;
/* A hub that has ever had dns: keeps saying it, even empty, so that an
 * endpoint that missed the removal removes at its next rekey. */
static bool said;

static void
send_to(struct session *s)
{
	struct pmsg *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		fatal("calloc");
	m->op = PMSG_DNS;
	m->u.dns.version = version;
	m->u.dns.set = vl.cfg->dns;
	transport_send_control(s, m);
	free(m);
}

void
hubdns_send(struct session *s)
{
	if (vl.cfg->dns.nservers > 0 || vl.cfg->dns.nsearch > 0)
		said = true;
	if (said)
		send_to(s);
}

void
hubdns_reloaded(const struct config *old)
{
	struct session *s;

	if (dns_set_equal(&old->dns, &vl.cfg->dns))
		return;
	version++;
	said = true;
	log_info("DNS set %u", version);
	TAILQ_FOREACH (s, &vl.sessions->list, entry)
		if (s->state == SESS_UP)
			send_to(s);
}
