/*
 * Links, addresses and routes on Linux: rtnetlink through libmnl (see
 * platform.h). Requests are synchronous: vland-ifmgr does one thing at
 * a time and must know whether it worked before it answers vland.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "platform.h"

/* libmnl's attribute iteration macros cast away const. */
#pragma GCC diagnostic ignored "-Wcast-qual"

static struct mnl_socket *nl;
static unsigned nl_portid;
static unsigned nl_seq;
/* Requests are small; answers to dumps come in pages of up to 32 KiB. */
#define NL_REQSZ 4096
static char nl_buf[32768];

int
plat_net_open(void)
{
	if ((nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC)) == NULL)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == -1) {
		int e = errno;

		mnl_socket_close(nl);
		nl = NULL;
		return -e;
	}
	nl_portid = mnl_socket_get_portid(nl);
	nl_seq = (unsigned)time(NULL);
	return 0;
}

void
plat_net_close(void)
{
	if (nl != NULL)
		mnl_socket_close(nl);
	nl = NULL;
}

/* Send one request and run cb over the answer until the ACK or DONE. */
static int
nl_talk_(struct nlmsghdr *h, mnl_cb_t cb, void *arg, bool dump)
{
	ssize_t n;
	int rc;

	/* No ACK on dumps: NLMSG_DONE ends them, and a late ACK would be
	 * read as the answer to the next request. */
	h->nlmsg_flags |= NLM_F_REQUEST;
	if (!dump)
		h->nlmsg_flags |= NLM_F_ACK;
	h->nlmsg_seq = ++nl_seq;
	if (mnl_socket_sendto(nl, h, h->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl, nl_buf, sizeof(nl_buf));
		if (n == -1)
			return -errno;
		rc = mnl_cb_run(nl_buf, (size_t)n, h->nlmsg_seq, nl_portid, cb,
		    arg);
	} while (rc == MNL_CB_OK);
	return rc == MNL_CB_ERROR ? -errno : 0;
}

static int
nl_talk(struct nlmsghdr *h, mnl_cb_t cb, void *arg)
{
	return nl_talk_(h, cb, arg, false);
}

/* A request's header in buf (nl_msg_of(buf) finds it again); returns
 * its family header of len bytes, zeroed, for the caller to fill. */
static void *
nl_msg_start(char *buf, uint16_t type, uint16_t flags, size_t len)
{
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);

	h->nlmsg_type = type;
	h->nlmsg_flags = flags;
	return mnl_nlmsg_put_extra_header(h, len);
}

static struct nlmsghdr *
nl_msg_of(char *buf)
{
	return (struct nlmsghdr *)(void *)buf;
}

static struct nlmsghdr *
nl_link_msg(char *buf, uint16_t type, uint16_t flags, int ifindex)
{
	struct nlmsghdr *h = nl_msg_of(buf);
	struct ifinfomsg *ifi = nl_msg_start(buf, type, flags, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return h;
}

int
plat_bridge_create(const char *name)
{
	char buf[NL_REQSZ];
	struct nlmsghdr *h;
	struct nlattr *li;

	h = nl_link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	mnl_attr_put_strz(h, IFLA_IFNAME, name);
	li = mnl_attr_nest_start(h, IFLA_LINKINFO);
	mnl_attr_put_strz(h, IFLA_INFO_KIND, "bridge");
	mnl_attr_nest_end(h, li);
	return nl_talk(h, NULL, NULL);
}

int
plat_veth_create(const char *name, const char *peer)
{
	char buf[NL_REQSZ];
	struct nlmsghdr *h;
	struct nlattr *li, *data, *pi;
	struct ifinfomsg *ifi;

	h = nl_link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	mnl_attr_put_strz(h, IFLA_IFNAME, name);
	li = mnl_attr_nest_start(h, IFLA_LINKINFO);
	mnl_attr_put_strz(h, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(h, IFLA_INFO_DATA);
	/* The peer: an ifinfomsg of its own, then its attributes. */
	pi = mnl_attr_nest_start(h, VETH_INFO_PEER);
	ifi = mnl_nlmsg_put_extra_header(h, sizeof(*ifi));
	memset(ifi, 0, sizeof(*ifi));
	mnl_attr_put_strz(h, IFLA_IFNAME, peer);
	mnl_attr_nest_end(h, pi);
	mnl_attr_nest_end(h, data);
	mnl_attr_nest_end(h, li);
	return nl_talk(h, NULL, NULL);
}

int
plat_link_delete(int ifindex)
{
	char buf[NL_REQSZ];

	return nl_talk(nl_link_msg(buf, RTM_DELLINK, 0, ifindex), NULL, NULL);
}

static struct nlmsghdr *
nl_neigh_msg(char *buf, uint16_t type, uint16_t flags, int ifindex,
    const struct addr *a)
{
	struct nlmsghdr *h = nl_msg_of(buf);
	struct ndmsg *nd = nl_msg_start(buf, type, flags, sizeof(*nd));

	nd->ndm_family = (uint8_t)a->af;
	nd->ndm_ifindex = ifindex;
	nd->ndm_state = NUD_PERMANENT;
	mnl_attr_put(h, NDA_DST, a->af == AF_INET ? 4 : 16, a->b);
	return h;
}

int
plat_neigh_set(int ifindex, const struct addr *a, const uint8_t mac[6])
{
	char buf[NL_REQSZ];
	struct nlmsghdr *h;

	if (a->af != AF_INET && a->af != AF_INET6)
		return -EAFNOSUPPORT;
	h = nl_neigh_msg(buf, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE,
	    ifindex, a);
	mnl_attr_put(h, NDA_LLADDR, 6, mac);
	return nl_talk(h, NULL, NULL);
}

int
plat_neigh_del(int ifindex, const struct addr *a)
{
	char buf[NL_REQSZ];

	if (a->af != AF_INET && a->af != AF_INET6)
		return -EAFNOSUPPORT;
	return nl_talk(nl_neigh_msg(buf, RTM_DELNEIGH, 0, ifindex, a), NULL,
	    NULL);
}

/* Groups this process may borrow for a deletion: far from 0 (every
 * link's default) and from small numbers an operator would pick. */
#define DEL_GROUP_BASE 0x766c0000u /* "vl" */
#define DEL_GROUP_SPAN 0x10000u

struct group_pick {
	uint32_t group;
	bool taken;
};

static int
group_taken(const struct plat_link *l, void *arg)
{
	struct group_pick *g = arg;

	if (l->group == g->group)
		g->taken = true;
	return g->taken;
}

/* A group no link is in now, so that deleting it deletes only ours. */
static int
nl_free_group(uint32_t *out)
{
	struct group_pick g;
	unsigned tries;
	int rc;

	/* Where to start: from the pid, which a test can predict to prove
	 * the check below. Two processes that pick one group (same pid in
	 * two PID namespaces) only delete links both were deleting. */
	g.group = DEL_GROUP_BASE + ((uint32_t)getpid() % DEL_GROUP_SPAN);
	for (tries = 0; tries < 16; tries++) {
		g.taken = false;
		if ((rc = plat_link_foreach(group_taken, &g)) != 0)
			return rc;
		if (!g.taken) {
			*out = g.group;
			return 0;
		}
		g.group = DEL_GROUP_BASE +
		    (g.group + 1 - DEL_GROUP_BASE) % DEL_GROUP_SPAN;
	}
	return -EBUSY;
}

static int
nl_link_set_group(int ifindex, uint32_t group)
{
	char buf[NL_REQSZ];
	struct nlmsghdr *h = nl_link_msg(buf, RTM_NEWLINK, 0, ifindex);

	mnl_attr_put_u32(h, IFLA_GROUP, group);
	return nl_talk(h, NULL, NULL);
}

static int
nl_links_delete_each(const int *ifindex, size_t n)
{
	int rc, first = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if ((rc = plat_link_delete(ifindex[i])) != 0 && rc != -ENODEV &&
		    first == 0)
			first = rc;
	return first;
}

int
plat_links_delete(const int *ifindex, size_t n)
{
	char buf[NL_REQSZ];
	struct nlmsghdr *h;
	uint32_t group;
	size_t i, moved = 0;
	int rc;

	if (n < 2 || nl_free_group(&group) != 0)
		return nl_links_delete_each(ifindex, n);
	/* Into a group of their own (cheap: no grace period), then the
	 * group in one RTM_DELLINK, which the kernel unregisters at once.
	 * Left in the group by a crash, they are still marked ours and
	 * the reaper or the next start removes them. */
	for (i = 0; i < n; i++) {
		rc = nl_link_set_group(ifindex[i], group);
		if (rc == 0)
			moved++;
		else if (rc != -ENODEV)
			return nl_links_delete_each(ifindex, n);
	}
	if (moved == 0)
		return 0;
	h = nl_link_msg(buf, RTM_DELLINK, 0, 0);
	mnl_attr_put_u32(h, IFLA_GROUP, group);
	if ((rc = nl_talk(h, NULL, NULL)) != 0 && rc != -ENODEV)
		return nl_links_delete_each(ifindex, n);
	return 0;
}

int
plat_link_set_up(int ifindex)
{
	char buf[NL_REQSZ];
	struct nlmsghdr *h = nl_link_msg(buf, RTM_NEWLINK, 0, ifindex);
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(h);

	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	return nl_talk(h, NULL, NULL);
}

int
plat_link_set_mtu(int ifindex, unsigned mtu)
{
	char buf[NL_REQSZ];
	struct nlmsghdr *h = nl_link_msg(buf, RTM_NEWLINK, 0, ifindex);

	mnl_attr_put_u32(h, IFLA_MTU, mtu);
	return nl_talk(h, NULL, NULL);
}

int
plat_link_set_mac(int ifindex, const uint8_t mac[6])
{
	char buf[NL_REQSZ];
	struct nlmsghdr *h = nl_link_msg(buf, RTM_NEWLINK, 0, ifindex);

	mnl_attr_put(h, IFLA_ADDRESS, 6, mac);
	return nl_talk(h, NULL, NULL);
}

int
plat_link_set_master(int ifindex, int master)
{
	char buf[NL_REQSZ];
	struct nlmsghdr *h = nl_link_msg(buf, RTM_NEWLINK, 0, ifindex);

	mnl_attr_put_u32(h, IFLA_MASTER, (uint32_t)master);
	return nl_talk(h, NULL, NULL);
}

/* A bridge port's flags are set with the bridge's own family, nested in
 * IFLA_PROTINFO (as bridge(8) "link set ... isolated on" does). */
int
plat_link_set_isolated(int ifindex, bool isolated)
{
	char buf[NL_REQSZ];
	struct nlmsghdr *h = nl_link_msg(buf, RTM_SETLINK, 0, ifindex);
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(h);
	struct nlattr *pi;

	ifi->ifi_family = AF_BRIDGE;
	pi = mnl_attr_nest_start(h, IFLA_PROTINFO);
	mnl_attr_put_u8(h, IFLA_BRPORT_ISOLATED, isolated ? 1 : 0);
	mnl_attr_nest_end(h, pi);
	return nl_talk(h, NULL, NULL);
}

int
plat_link_set_alias(int ifindex, const char *alias)
{
	char buf[NL_REQSZ];
	struct nlmsghdr *h = nl_link_msg(buf, RTM_NEWLINK, 0, ifindex);

	mnl_attr_put_strz(h, IFLA_IFALIAS, alias);
	return nl_talk(h, NULL, NULL);
}

struct link_walk {
	int (*fn)(const struct plat_link *, void *);
	void *arg;
	int stop;
};

static void
nl_parse_linkinfo(const struct nlattr *nest, struct plat_link *l)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest)
	{
		if (mnl_attr_get_type(a) == IFLA_INFO_KIND &&
		    mnl_attr_validate(a, MNL_TYPE_STRING) == 0)
			snprintf(l->kind, sizeof(l->kind), "%s",
			    mnl_attr_get_str(a));
	}
}

static int
nl_link_cb(const struct nlmsghdr *h, void *arg)
{
	struct link_walk *w = arg;
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(h);
	const struct nlattr *a;
	struct plat_link l;

	if (w->stop)
		return MNL_CB_OK;
	memset(&l, 0, sizeof(l));
	l.ifindex = ifi->ifi_index;
	mnl_attr_for_each(a, h, sizeof(*ifi))
	{
		switch (mnl_attr_get_type(a)) {
		case IFLA_IFNAME:
			if (mnl_attr_validate(a, MNL_TYPE_STRING) == 0)
				snprintf(l.name, sizeof(l.name), "%s",
				    mnl_attr_get_str(a));
			break;
		case IFLA_IFALIAS:
			if (mnl_attr_validate(a, MNL_TYPE_STRING) == 0)
				snprintf(l.alias, sizeof(l.alias), "%s",
				    mnl_attr_get_str(a));
			break;
		case IFLA_MASTER:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				l.master = (int)mnl_attr_get_u32(a);
			break;
		case IFLA_GROUP:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				l.group = mnl_attr_get_u32(a);
			break;
		case IFLA_LINKINFO:
			nl_parse_linkinfo(a, &l);
			break;
		}
	}
	if (w->fn(&l, w->arg) != 0)
		w->stop = 1;
	return MNL_CB_OK;
}

int
plat_link_foreach(int (*fn)(const struct plat_link *, void *), void *arg)
{
	char buf[NL_REQSZ];
	struct link_walk w = { fn, arg, 0 };
	struct nlmsghdr *h = nl_link_msg(buf, RTM_GETLINK, NLM_F_DUMP, 0);

	return nl_talk_(h, nl_link_cb, &w, true);
}

static int
nl_link_get_one(const struct plat_link *l, void *arg)
{
	*(struct plat_link *)arg = *l;
	return 1;
}

int
plat_link_get(const char *name, struct plat_link *out)
{
	char buf[NL_REQSZ];
	struct link_walk w = { nl_link_get_one, out, 0 };
	struct nlmsghdr *h = nl_link_msg(buf, RTM_GETLINK, 0, 0);

	memset(out, 0, sizeof(*out));
	mnl_attr_put_strz(h, IFLA_IFNAME, name);
	mnl_attr_put_u32(h, IFLA_EXT_MASK, RTEXT_FILTER_VF);
	return nl_talk(h, nl_link_cb, &w);
}

/* Linux makes the device under the name it was given. */
int
plat_dev_link(int fd, const char *name, struct plat_link *out)
{
	(void)fd;
	return plat_link_get(name, out);
}

const bool plat_devices_installed = false;

static struct nlmsghdr *
nl_addr_msg(char *buf, uint16_t type, uint16_t flags, int ifindex,
    const struct prefix *p)
{
	struct nlmsghdr *h = nl_msg_of(buf);
	struct ifaddrmsg *ifa = nl_msg_start(buf, type, flags, sizeof(*ifa));

	ifa->ifa_family = p->a.af;
	ifa->ifa_prefixlen = p->len;
	ifa->ifa_index = (unsigned)ifindex;
	/* Usable at once: the hub hands out the IPv6 addresses, so
	 * duplicate address detection has nothing to find. */
	if (p->a.af == AF_INET6)
		ifa->ifa_flags = IFA_F_NODAD;
	mnl_attr_put(h, IFA_LOCAL, addr_bytes(&p->a), p->a.b);
	mnl_attr_put(h, IFA_ADDRESS, addr_bytes(&p->a), p->a.b);
	return h;
}

int
plat_addr_add(int ifindex, const struct prefix *p, bool *exists)
{
	char buf[NL_REQSZ];
	int rc;

	*exists = false;
	rc = nl_talk(nl_addr_msg(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL,
			 ifindex, p),
	    NULL, NULL);
	if (rc == -EEXIST) {
		*exists = true;
		rc = 0;
	}
	return rc;
}

int
plat_addr_del(int ifindex, const struct prefix *p)
{
	char buf[NL_REQSZ];

	return nl_talk(nl_addr_msg(buf, RTM_DELADDR, 0, ifindex, p), NULL,
	    NULL);
}

static struct nlmsghdr *
nl_route_msg(char *buf, uint16_t type, uint16_t flags, int ifindex,
    const struct prefix *dst)
{
	struct nlmsghdr *h = nl_msg_of(buf);
	struct rtmsg *rtm = nl_msg_start(buf, type, flags, sizeof(*rtm));

	rtm->rtm_family = dst->a.af;
	rtm->rtm_dst_len = dst->len;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = PLAT_RTPROT_VLAND;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	if (dst->len > 0)
		mnl_attr_put(h, RTA_DST, addr_bytes(&dst->a), dst->a.b);
	mnl_attr_put_u32(h, RTA_OIF, (uint32_t)ifindex);
	return h;
}

int
plat_route_install(int ifindex, const struct prefix *dst, const struct addr *gw,
    bool replace)
{
	char buf[NL_REQSZ];
	struct nlmsghdr *h;

	/* Only a route of ours is ever replaced; a new one must not take
	 * the place of a route that another protocol installed. */
	h = nl_route_msg(buf, RTM_NEWROUTE,
	    NLM_F_CREATE | (replace ? NLM_F_REPLACE : NLM_F_EXCL), ifindex,
	    dst);
	if (gw != NULL && gw->af != 0)
		mnl_attr_put(h, RTA_GATEWAY, addr_bytes(gw), gw->b);
	else
		((struct rtmsg *)mnl_nlmsg_get_payload(h))->rtm_scope =
		    RT_SCOPE_LINK;
	return nl_talk(h, NULL, NULL);
}

int
plat_route_del(int ifindex, const struct prefix *dst)
{
	char buf[NL_REQSZ];
	struct nlmsghdr *h = nl_route_msg(buf, RTM_DELROUTE, 0, ifindex, dst);

	((struct rtmsg *)mnl_nlmsg_get_payload(h))->rtm_scope =
	    RT_SCOPE_NOWHERE;
	return nl_talk(h, NULL, NULL);
}

struct route_walk {
	struct host_routes *out;
	size_t cap;
	int err;
};

/* A route message's destination, gateway, device and protocol. */
static void
nl_route_parse(const struct nlmsghdr *h, struct host_route *out)
{
	struct rtmsg *rtm = mnl_nlmsg_get_payload(h);
	const struct nlattr *a;
	struct host_route r;
	size_t alen;

	memset(&r, 0, sizeof(r));
	r.dst.a.af = rtm->rtm_family;
	r.dst.len = rtm->rtm_dst_len;
	r.protocol = rtm->rtm_protocol;
	alen = addr_bytes(&r.dst.a);
	mnl_attr_for_each(a, h, sizeof(*rtm))
	{
		switch (mnl_attr_get_type(a)) {
		case RTA_OIF:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				r.oif = (int)mnl_attr_get_u32(a);
			break;
		case RTA_PRIORITY:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				r.metric = mnl_attr_get_u32(a);
			break;
		case RTA_DST:
			if (mnl_attr_get_payload_len(a) == alen)
				memcpy(r.dst.a.b, mnl_attr_get_payload(a),
				    alen);
			break;
		case RTA_GATEWAY:
			if (mnl_attr_get_payload_len(a) == alen) {
				r.gw.af = r.dst.a.af;
				memcpy(r.gw.b, mnl_attr_get_payload(a), alen);
			}
			break;
		}
	}
	*out = r;
}

static int
nl_route_cb(const struct nlmsghdr *h, void *arg)
{
	struct route_walk *w = arg;
	struct rtmsg *rtm = mnl_nlmsg_get_payload(h);
	struct host_route r, *grown;

	if (rtm->rtm_table != RT_TABLE_MAIN ||
	    (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6))
		return MNL_CB_OK;
	nl_route_parse(h, &r);
	if (w->out->n == w->cap) {
		w->cap = w->cap == 0 ? 64 : w->cap * 2;
		grown = reallocarray(w->out->r, w->cap, sizeof(r));
		if (grown == NULL) {
			w->err = -ENOMEM;
			return MNL_CB_ERROR;
		}
		w->out->r = grown;
	}
	w->out->r[w->out->n++] = r;
	return MNL_CB_OK;
}

static int
nl_route_get_cb(const struct nlmsghdr *h, void *arg)
{
	if (h->nlmsg_type == RTM_NEWROUTE)
		nl_route_parse(h, arg);
	return MNL_CB_OK;
}

int
plat_route_get(const struct addr *dst, struct host_route *out)
{
	char buf[NL_REQSZ];
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;

	memset(out, 0, sizeof(*out));
	h->nlmsg_type = RTM_GETROUTE;
	rtm = mnl_nlmsg_put_extra_header(h, sizeof(*rtm));
	rtm->rtm_family = dst->af;
	rtm->rtm_dst_len = (unsigned char)(addr_bytes(dst) * 8);
	mnl_attr_put(h, RTA_DST, addr_bytes(dst), dst->b);
	return nl_talk(h, nl_route_get_cb, out);
}

int
plat_route_dump(struct host_routes *out)
{
	char buf[NL_REQSZ];
	struct route_walk w;
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;
	int rc;

	out->r = NULL;
	out->n = 0;
	memset(&w, 0, sizeof(w));
	w.out = out;
	h->nlmsg_type = RTM_GETROUTE;
	h->nlmsg_flags = NLM_F_DUMP;
	rtm = mnl_nlmsg_put_extra_header(h, sizeof(*rtm));
	/* Both families in one dump: vland routes IPv6 too. */
	rtm->rtm_family = AF_UNSPEC;
	rc = nl_talk_(h, nl_route_cb, &w, true);
	if (rc == 0 && w.err != 0)
		rc = w.err;
	if (rc != 0) {
		free(out->r);
		out->r = NULL;
		out->n = 0;
	}
	return rc;
}

int
plat_route_flush_ours(int ifindex)
{
	struct host_routes all;
	size_t i;
	int rc;

	/* Collect first: no other request may run inside a dump. */
	if ((rc = plat_route_dump(&all)) != 0)
		return rc;
	for (i = 0; i < all.n; i++)
		if (all.r[i].protocol == PLAT_RTPROT_VLAND &&
		    all.r[i].oif == ifindex)
			plat_route_del(ifindex, &all.r[i].dst);
	free(all.r);
	return 0;
}
