/*
 * The hub's masquerade (nat.h). The commands are nft's language, run as
 * one transaction by libnftables: the table is replaced whole, never
 * half made, and a table of another name (the host's firewall) is not
 * looked at.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nftables/libnftables.h>

#include "log.h"
#include "nat.h"

void
nat_table_name(const char *dev, char *buf, size_t len)
{
	snprintf(buf, len, "vland_%s", dev);
}

/* Run cmds; on failure, the first line of nftables' error in err. */
static int
nat_run(const char *cmds, char *err, size_t errlen)
{
	struct nft_ctx *nft;
	const char *e;
	int rc;

	if ((nft = nft_ctx_new(NFT_CTX_DEFAULT)) == NULL) {
		snprintf(err, errlen, "cannot start libnftables");
		return -1;
	}
	/* Errors into a buffer, for one log line, not onto stderr. */
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	rc = nft_run_cmd_from_buffer(nft, cmds);
	if (rc != 0 && err != NULL) {
		e = nft_ctx_get_error_buffer(nft);
		snprintf(err, errlen, "%.*s", (int)strcspn(e, "\n"), e);
	}
	nft_ctx_free(nft);
	return rc == 0 ? 0 : -1;
}

int
nat_setup(const struct ifmgr_policy *pol, const char *dev, char *err,
    size_t errlen)
{
	char table[32], net4[PREFIX_STRLEN], net6[PREFIX_STRLEN + 64] = "";
	char cmds[1024];
	struct prefix p;

	nat_table_name(dev, table, sizeof(table));
	prefix_network(&pol->ip, &p);
	prefix_fmt(&p, net4, sizeof(net4));
	if (pol->ip6.a.af == AF_INET6) {
		char n6[PREFIX_STRLEN];

		prefix_network(&pol->ip6, &p);
		snprintf(net6, sizeof(net6),
		    "ip6 saddr %s oifname \"%s\" counter masquerade\n",
		    prefix_fmt(&p, n6, sizeof(n6)), pol->nat);
	}
	/* add then delete: no error when there is none to replace. */
	snprintf(cmds, sizeof(cmds),
	    "add table inet %s\n"
	    "delete table inet %s\n"
	    "table inet %s {\n"
	    "chain postrouting {\n"
	    "type nat hook postrouting priority srcnat; policy accept;\n"
	    "ip saddr %s oifname \"%s\" counter masquerade\n"
	    "%s"
	    "}\n"
	    "}\n",
	    table, table, table, net4, pol->nat, net6);
	if (nat_run(cmds, err, errlen) == -1)
		return -1;
	log_info("nat: masquerading %s%s%s out of %s (nftables table inet %s)",
	    net4, pol->ip6.a.af == AF_INET6 ? " and " : "",
	    pol->ip6.a.af == AF_INET6 ? prefix_fmt(&p, net6, sizeof(net6)) : "",
	    pol->nat, table);
	return 0;
}

void
nat_remove(const char *dev)
{
	char table[32], cmds[128], err[256];

	nat_table_name(dev, table, sizeof(table));
	snprintf(cmds, sizeof(cmds),
	    "add table inet %s\ndelete table inet %s\n", table, table);
	if (nat_run(cmds, err, sizeof(err)) == -1)
		log_warnx("nat: cannot delete table inet %s: %s", table, err);
	else
		log_debug("nat: table inet %s deleted", table);
}
