/*
 * libFuzzer target: the control message decoder (the plaintext of
 * CONTROL transport messages). Every message has one exact encoding, so
 * whatever decodes must encode back to the same bytes; encoding into one
 * byte less must fail cleanly, without writing past the buffer.
 *
 * Input: the plaintext itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "peermsg.h"
#include "names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the decoder promises about the struct it filled. */
static void
check_fields(const struct pmsg *m)
{
	const struct pmsg_auth_ok *ok = &m->u.ok;
	static struct pmsg_auth_ok again;
	struct prefix ip6, back;
	struct pmsg_opt o;
	size_t off = 0, seen = 0, ulen;

	switch (m->op) {
	case PMSG_AUTH:
		ulen = strnlen(m->u.auth.user, sizeof m->u.auth.user);
		if (ulen == sizeof m->u.auth.user ||
		    !username_valid(m->u.auth.user, ulen))
			abort();
		if (m->u.auth.pwlen == 0 ||
		    m->u.auth.pwlen > PMSG_PASSWORD_MAX ||
		    strlen(m->u.auth.password) != m->u.auth.pwlen)
			abort();
		break;
	case PMSG_AUTH_OK:
		if (ok->routes.count > PMSG_ROUTES_MAX ||
		    ok->optslen > PMSG_OPTS_MAX)
			abort();
		while (pmsg_opt_next(ok, &off, &o))
			seen += 2 + (size_t)o.len;
		/* The TLV list was checked: it fills optslen exactly. */
		if (seen != ok->optslen || off != ok->optslen)
			abort();
		/* An IPv6 option the endpoint accepts is one the hub could
		 * have sent, and reads back the same. */
		if (pmsg_ok_ipv6(ok, &ip6) == 1) {
			memset(&again, 0, sizeof again);
			if (pmsg_ok_set_ipv6(&again, &ip6) != WIRE_OK ||
			    pmsg_ok_ipv6(&again, &back) != 1 ||
			    addr_cmp(&back.a, &ip6.a) != 0 ||
			    back.len != ip6.len)
				abort();
		}
		break;
	case PMSG_AUTH_FAIL:
		if (m->u.fail.reason == 0 ||
		    pmsg_fail_str(m->u.fail.reason) == NULL ||
		    (m->u.fail.reason == PMSG_FAIL_TRY_LATER) !=
			(m->u.fail.wait != 0) ||
		    m->u.fail.wait > PMSG_WAIT_MAX)
			abort();
		break;
	case PMSG_ROUTES:
		if (m->u.routes.count > PMSG_ROUTES_MAX)
			abort();
		break;
	case PMSG_DNS:
		/* What an endpoint may hand vland-ifmgr, which checks the
		 * same rules again. */
		if (!dns_set_valid(&m->u.dns.set))
			abort();
		break;
	case PMSG_ENDPOINT_INFO:
		if (m->u.info.n > PMSG_LOCAL_MAX)
			abort();
		break;
	case PMSG_PEER:
		/* What an endpoint sends to: a real port, and no more
		 * places than it keeps. */
		ulen = strnlen(m->u.peer.user, sizeof m->u.peer.user);
		if (m->u.peer.pair == 0 || m->u.peer.n == 0 ||
		    m->u.peer.n > PMSG_CAND_MAX ||
		    !username_valid(m->u.peer.user, ulen) ||
		    m->u.peer.c[m->u.peer.n - 1].port == 0)
			abort();
		break;
	case PMSG_PEER_GONE:
		if (m->u.pair == 0)
			abort();
		break;
	case PMSG_AUTH_RESUME:
	case PMSG_BYE:
		break;
	default:
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pmsg m;
	uint8_t *buf;
	size_t len = 0;

	if (pmsg_decode(data, size, &m) != WIRE_OK)
		return 0;
	/* Every message has an opcode (and size - 1 below stays sane). */
	if (size == 0)
		abort();
	check_fields(&m);
	/* Exact-size buffers, so ASan sees any write past cap. */
	if ((buf = malloc(size)) == NULL)
		abort();
	if (pmsg_encode(&m, buf, size, &len) != WIRE_OK || len != size ||
	    memcmp(buf, data, size) != 0)
		abort();
	free(buf);
	/* Never a null buffer: the encoder wipes what it wrote on failure. */
	if ((buf = malloc(size > 1 ? size - 1 : 1)) == NULL)
		abort();
	if (pmsg_encode(&m, buf, size - 1, &len) != WIRE_ESPACE)
		abort();
	free(buf);
	pmsg_clear(&m);
	return 0;
}
