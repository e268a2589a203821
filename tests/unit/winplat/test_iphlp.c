/*
 * platform/windows/iphlp.c against fakes of the IP Helper API (win64
 * build, run under wine): which calls it makes for each platform.h call,
 * with which interface, addresses, prefix lengths, next hops and
 * protocol, in which order, how Windows' errors come back as the errnos
 * vland-ifmgr expects, that every table read is freed, and the record
 * of vland's routes (routerec.h) that stands for Linux's route mark:
 * written on install, read back by dump, and what flush deletes, a
 * crashed run's routes included. The real
 * calls' effects need a Windows with an adapter (README, "Windows
 * endpoint").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "platform.h"
#include "routerec.h"
#include "winapi.h"

/* What the fakes saw, in order: one letter per call. */
static char calls[64];
static size_t ncalls;
/* The last rows they were given. */
static MIB_IPINTERFACE_ROW set_if[2];
static size_t nset_if;
static MIB_UNICASTIPADDRESS_ROW uni;
static MIB_IPFORWARD_ROW2 created, deleted;
/* What they answer. */
static NETIO_STATUS ret_get_if_v6, ret_get_uni, ret_create, ret_delete,
    ret_best;
static MIB_IPFORWARD_ROW2 table[4], best;
static ULONG ntable;
static int tables_out; /* read and not yet freed */

static void
note(char c)
{
	assert_true(ncalls < sizeof(calls) - 1);
	calls[ncalls++] = c;
}

static VOID WINAPI
f_init_if(MIB_IPINTERFACE_ROW *r)
{
	memset(r, 0, sizeof(*r));
	r->SitePrefixLength = 64; /* Get may leave it set */
	note('i');
}

static VOID WINAPI
f_init_uni(MIB_UNICASTIPADDRESS_ROW *r)
{
	memset(r, 0, sizeof(*r));
	note('u');
}

static VOID WINAPI
f_init_route(MIB_IPFORWARD_ROW2 *r)
{
	memset(r, 0, sizeof(*r));
	note('r');
}

static NETIO_STATUS WINAPI
f_get_if(MIB_IPINTERFACE_ROW *r)
{
	note('g');
	r->NlMtu = 1500;
	return r->Family == AF_INET6 ? ret_get_if_v6 : NO_ERROR;
}

static NETIO_STATUS WINAPI
f_set_if(MIB_IPINTERFACE_ROW *r)
{
	note('s');
	assert_true(nset_if < 2);
	set_if[nset_if++] = *r;
	return NO_ERROR;
}

/* Whether the address is there already (ret_get_uni: no by default). */
static NETIO_STATUS WINAPI
f_get_uni(MIB_UNICASTIPADDRESS_ROW *r)
{
	note('G');
	uni = *r;
	return ret_get_uni;
}

static NETIO_STATUS WINAPI
f_create_uni(const MIB_UNICASTIPADDRESS_ROW *r)
{
	note('C');
	uni = *r;
	return ret_create;
}

static NETIO_STATUS WINAPI
f_delete_uni(const MIB_UNICASTIPADDRESS_ROW *r)
{
	note('D');
	uni = *r;
	return ret_delete;
}

static NETIO_STATUS WINAPI
f_create_route(const MIB_IPFORWARD_ROW2 *r)
{
	note('A');
	created = *r;
	return ret_create;
}

static NETIO_STATUS WINAPI
f_delete_route(const MIB_IPFORWARD_ROW2 *r)
{
	note('X');
	deleted = *r;
	return ret_delete;
}

static NETIO_STATUS WINAPI
f_get_routes(ADDRESS_FAMILY af, MIB_IPFORWARD_TABLE2 **out)
{
	MIB_IPFORWARD_TABLE2 *t;

	note('T');
	(void)af;
	t = calloc(1, sizeof(*t) + sizeof(table));
	assert_non_null(t);
	t->NumEntries = ntable;
	memcpy(t->Table, table, ntable * sizeof(table[0]));
	*out = t;
	tables_out++;
	return NO_ERROR;
}

static VOID WINAPI
f_free(PVOID p)
{
	note('F');
	free(p);
	tables_out--;
}

/* Each interface's LUID is its index + 1000 here. */
static NETIO_STATUS WINAPI
f_index_to_luid(NET_IFINDEX i, NET_LUID *l)
{
	note('L');
	if (i == 99)
		return ERROR_FILE_NOT_FOUND;
	l->Value = i + 1000;
	return NO_ERROR;
}

static NETIO_STATUS WINAPI
f_best(NET_LUID *luid, NET_IFINDEX ifx, const SOCKADDR_INET *src,
    const SOCKADDR_INET *dst, ULONG opt, MIB_IPFORWARD_ROW2 *row,
    SOCKADDR_INET *bsrc)
{
	note('B');
	(void)luid;
	(void)ifx;
	(void)src;
	(void)opt;
	(void)bsrc;
	assert_int_equal(dst->si_family, AF_INET);
	*row = best;
	return ret_best;
}

static const struct plat_winapi fake = {
	.init_ip_interface = f_init_if,
	.init_unicast = f_init_uni,
	.init_route = f_init_route,
	.get_ip_interface = f_get_if,
	.set_ip_interface = f_set_if,
	.get_unicast = f_get_uni,
	.create_unicast = f_create_uni,
	.delete_unicast = f_delete_uni,
	.create_route = f_create_route,
	.delete_route = f_delete_route,
	.get_routes = f_get_routes,
	.free_table = f_free,
	.index_to_luid = f_index_to_luid,
	.best_route = f_best,
};

static int
setup(void **state)
{
	(void)state;
	plat_winapi = &fake;
	memset(calls, 0, sizeof(calls));
	ncalls = nset_if = 0;
	ret_get_if_v6 = ret_create = ret_delete = ret_best = NO_ERROR;
	ret_get_uni = ERROR_NOT_FOUND;
	ntable = 0;
	tables_out = 0;
	routerec_set_path(NULL);
	return 0;
}

#define RECORD "test_iphlp.routes"

static int
setup_record(void **state)
{
	setup(state);
	remove(RECORD);
	routerec_set_path(RECORD);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	assert_int_equal(tables_out, 0);
	remove("test_iphlp.routes");
	return 0;
}

static struct prefix
pfx(const char *s)
{
	struct prefix p;

	assert_int_equal(prefix_parse(s, &p), 0);
	return p;
}

static struct addr
adr(const char *s)
{
	struct addr a;

	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

static void
assert_sa(const SOCKADDR_INET *s, const char *want)
{
	struct addr a = adr(want);

	if (a.af == AF_INET) {
		assert_int_equal(s->si_family, AF_INET);
		assert_memory_equal(&s->Ipv4.sin_addr, &a.v4, 4);
	} else {
		assert_int_equal(s->si_family, AF_INET6);
		assert_memory_equal(&s->Ipv6.sin6_addr, &a.v6, 16);
	}
}

static MIB_IPFORWARD_ROW2
route_row(int ifindex, const char *dst, const char *gw)
{
	MIB_IPFORWARD_ROW2 r;
	struct prefix p = pfx(dst);
	struct addr g = adr(gw);

	memset(&r, 0, sizeof(r));
	r.InterfaceIndex = (NET_IFINDEX)ifindex;
	r.InterfaceLuid.Value = (ULONG64)ifindex + 1000;
	r.DestinationPrefix.Prefix.Ipv4.sin_family = AF_INET;
	memcpy(&r.DestinationPrefix.Prefix.Ipv4.sin_addr, &p.a.v4, 4);
	r.DestinationPrefix.PrefixLength = p.len;
	r.NextHop.Ipv4.sin_family = AF_INET;
	memcpy(&r.NextHop.Ipv4.sin_addr, &g.v4, 4);
	r.Protocol = MIB_IPPROTO_NETMGMT;
	return r;
}

static void
test_addr_add(void **state)
{
	struct prefix p = pfx("192.168.123.117/24");
	bool exists = true;

	(void)state;
	assert_int_equal(plat_addr_add(7, &p, &exists), 0);
	assert_false(exists);
	/* Looked for first (not there), then made. */
	assert_string_equal(calls, "LuGuC");
	assert_int_equal(uni.InterfaceIndex, 7);
	assert_sa(&uni.Address, "192.168.123.117");
	assert_int_equal(uni.OnLinkPrefixLength, 24);
	assert_int_equal(uni.DadState, IpDadStatePreferred);
}

static void
test_addr_add_v6_and_exists(void **state)
{
	struct prefix p = pfx("fd00:7b::c0a8:7b75/64");
	bool exists = false;

	(void)state;
	/* There already: someone else's, left alone. */
	ret_get_uni = NO_ERROR;
	assert_int_equal(plat_addr_add(7, &p, &exists), 0);
	assert_true(exists);
	assert_string_equal(calls, "LuG");
	/* Made meanwhile by someone else: the same. */
	ret_get_uni = ERROR_NOT_FOUND;
	ret_create = ERROR_OBJECT_ALREADY_EXISTS;
	exists = false;
	assert_int_equal(plat_addr_add(7, &p, &exists), 0);
	assert_true(exists);
	assert_sa(&uni.Address, "fd00:7b::c0a8:7b75");
	assert_int_equal(uni.OnLinkPrefixLength, 64);
	ret_create = ERROR_ACCESS_DENIED;
	assert_int_equal(plat_addr_add(7, &p, &exists), -EPERM);
	assert_false(exists);
}

static void
test_addr_del(void **state)
{
	struct prefix p = pfx("192.168.123.117/24");

	(void)state;
	assert_int_equal(plat_addr_del(7, &p), 0);
	assert_string_equal(calls, "LuD");
	assert_int_equal(uni.InterfaceIndex, 7);
	ret_delete = ERROR_NOT_FOUND;
	assert_int_equal(plat_addr_del(7, &p), -EADDRNOTAVAIL);
}

static void
test_mtu(void **state)
{
	(void)state;
	/* No IPv6 on the interface: IPv4 only, and no error. */
	ret_get_if_v6 = ERROR_NOT_FOUND;
	assert_int_equal(plat_link_set_mtu(7, 1400), 0);
	assert_string_equal(calls, "Ligsig");
	assert_int_equal(nset_if, 1);
	assert_int_equal(set_if[0].Family, AF_INET);
	assert_int_equal(set_if[0].InterfaceIndex, 7);
	assert_int_equal(set_if[0].NlMtu, 1400);
	assert_int_equal(set_if[0].SitePrefixLength, 0);
	/* Both families. */
	setup(NULL);
	assert_int_equal(plat_link_set_mtu(7, 1400), 0);
	assert_string_equal(calls, "Ligsigs");
	assert_int_equal(set_if[1].Family, AF_INET6);
	assert_int_equal(set_if[1].NlMtu, 1400);
}

static void
test_route_install(void **state)
{
	struct prefix dst = pfx("10.68.0.0/24");
	struct addr gw = adr("192.168.123.1");

	(void)state;
	assert_int_equal(plat_route_install(7, &dst, &gw, false), 0);
	/* The table read for a route to dst (none), then the new one. */
	assert_string_equal(calls, "LTFrA");
	assert_int_equal(created.InterfaceIndex, 7);
	assert_sa(&created.DestinationPrefix.Prefix, "10.68.0.0");
	assert_int_equal(created.DestinationPrefix.PrefixLength, 24);
	assert_sa(&created.NextHop, "192.168.123.1");
	assert_int_equal(created.Protocol, MIB_IPPROTO_NETMGMT);
	/* On the link: a zero next hop of the destination's family. */
	assert_int_equal(plat_route_install(7, &dst, NULL, false), 0);
	assert_sa(&created.NextHop, "0.0.0.0");
	ret_create = ERROR_OBJECT_ALREADY_EXISTS;
	assert_int_equal(plat_route_install(7, &dst, &gw, false), -EEXIST);
}

static void
test_route_replace(void **state)
{
	struct prefix dst = pfx("10.68.0.0/24");
	struct addr gw = adr("192.168.123.9");

	struct addr old = adr("192.168.123.1");

	(void)state;
	table[0] = route_row(3, "0.0.0.0/0", "10.0.0.1");
	table[1] = route_row(7, "10.68.0.0/24", "192.168.123.1");
	ntable = 2;
	/* Not in the record: someone else's, not replaced. */
	assert_int_equal(plat_route_install(7, &dst, &gw, true), -EEXIST);
	assert_string_equal(calls, "LTF");
	/* Ours by the record: read, freed, the old one deleted, then the
	 * new one made, and recorded in its place. */
	assert_int_equal(routerec_add(1007, &dst, &old), 0);
	memset(calls, 0, sizeof(calls));
	ncalls = 0;
	assert_int_equal(plat_route_install(7, &dst, &gw, true), 0);
	assert_string_equal(calls, "LTFXrA");
	assert_sa(&deleted.NextHop, "192.168.123.1");
	assert_sa(&created.NextHop, "192.168.123.9");
	assert_true(routerec_has(1007, &dst, &gw));
	assert_false(routerec_has(1007, &dst, &old));
	/* Without replace, a route there is -EEXIST. */
	assert_int_equal(plat_route_install(7, &dst, &gw, false), -EEXIST);
	/* None there: replace makes it. */
	setup(NULL);
	ntable = 1;
	assert_int_equal(plat_route_install(7, &dst, &gw, true), 0);
	assert_string_equal(calls, "LTFrA");
}

static void
test_route_del(void **state)
{
	struct prefix dst = pfx("10.68.0.0/24");

	(void)state;
	table[0] = route_row(3, "10.68.0.0/24", "10.0.0.1");
	table[1] = route_row(7, "10.68.0.0/24", "192.168.123.1");
	ntable = 2;
	assert_int_equal(plat_route_del(7, &dst), 0);
	assert_string_equal(calls, "TFX");
	/* The route on interface 7, not the one on 3. */
	assert_int_equal(deleted.InterfaceIndex, 7);
	assert_int_equal(plat_route_del(9, &dst), -ESRCH);
}

static void
test_route_get(void **state)
{
	struct addr dst = adr("203.0.113.5"), gw;
	struct host_route r;

	(void)state;
	best = route_row(3, "0.0.0.0/0", "10.0.0.1");
	assert_int_equal(plat_route_get(&dst, &r), 0);
	assert_int_equal(r.oif, 3);
	gw = adr("10.0.0.1");
	assert_int_equal(addr_cmp(&r.gw, &gw), 0);
	best = route_row(4, "10.0.0.0/8", "0.0.0.0");
	assert_int_equal(plat_route_get(&dst, &r), 0);
	assert_int_equal(r.gw.af, 0); /* on the link */
	ret_best = ERROR_NOT_FOUND;
	assert_int_equal(plat_route_get(&dst, &r), -ENETUNREACH);
}

static void
test_route_dump(void **state)
{
	struct host_routes hr;

	(void)state;
	table[0] = route_row(3, "0.0.0.0/0", "10.0.0.1");
	table[1] = route_row(7, "10.68.0.0/24", "192.168.123.1");
	ntable = 2;
	assert_int_equal(plat_route_dump(&hr), 0);
	assert_int_equal(hr.n, 2);
	assert_int_equal(hr.r[1].oif, 7);
	assert_int_equal(hr.r[1].dst.len, 24);
	/* Windows' routes cannot carry vland's mark, and without a
	 * record none is ours. */
	assert_int_not_equal(hr.r[1].protocol, PLAT_RTPROT_VLAND);
	free(hr.r);
	assert_int_equal(plat_route_flush_ours(7), -EOPNOTSUPP);
}

static void
test_record(void **state)
{
	struct prefix dst = pfx("10.68.0.0/24"), dst2 = pfx("10.69.0.0/24");
	struct addr gw = adr("192.168.123.1");
	struct host_routes hr;

	(void)state;
	assert_int_equal(plat_route_install(7, &dst, &gw, false), 0);
	assert_int_equal(plat_route_install(7, &dst2, NULL, false), 0);
	assert_true(routerec_has(1007, &dst, &gw));
	assert_true(routerec_has(1007, &dst2, &(struct addr){ 0 }));
	/* The table as Windows has it: ours, the host's default route,
	 * and a route to the same place through another gateway. */
	table[0] = route_row(7, "10.68.0.0/24", "192.168.123.1");
	table[1] = route_row(3, "0.0.0.0/0", "10.0.0.1");
	table[2] = route_row(7, "10.70.0.0/24", "192.168.123.1");
	ntable = 3;
	assert_int_equal(plat_route_dump(&hr), 0);
	assert_int_equal(hr.r[0].protocol, PLAT_RTPROT_VLAND);
	assert_int_equal(hr.r[1].protocol, MIB_IPPROTO_NETMGMT);
	assert_int_equal(hr.r[2].protocol, MIB_IPPROTO_NETMGMT);
	free(hr.r);
	/* Deleted: forgotten. */
	assert_int_equal(plat_route_del(7, &dst), 0);
	assert_false(routerec_has(1007, &dst, &gw));
	assert_true(routerec_has(1007, &dst2, &(struct addr){ 0 }));
}

static void
test_record_flush_after_crash(void **state)
{
	struct prefix dst = pfx("10.68.0.0/24"), gone = pfx("10.69.0.0/24");
	struct addr gw = adr("192.168.123.1");

	(void)state;
	/* A run made these, then crashed: the record is all that is left
	 * of it. The adapter (LUID 1007) may have another index now. */
	assert_int_equal(routerec_add(1007, &dst, &gw), 0);
	assert_int_equal(routerec_add(1007, &gone, &gw), 0);
	assert_int_equal(routerec_add(1003, &dst, &gw), 0);
	table[0] = route_row(3, "0.0.0.0/0", "10.0.0.1");
	table[1] = route_row(7, "10.68.0.0/24", "192.168.123.1");
	table[2] = route_row(7, "10.71.0.0/24", "192.168.123.1");
	table[3] = route_row(3, "10.68.0.0/24", "192.168.123.1");
	ntable = 4;
	assert_int_equal(plat_route_flush_ours(7), 0);
	/* Only the recorded route that is still there is deleted, on that
	 * interface: not the same route of the other one. */
	assert_string_equal(calls, "LTXF");
	assert_sa(&deleted.DestinationPrefix.Prefix, "10.68.0.0");
	assert_int_equal(deleted.InterfaceIndex, 7);
	/* The interface's lines are gone; another interface's stay. */
	assert_false(routerec_has(1007, &dst, &gw));
	assert_false(routerec_has(1007, &gone, &gw));
	assert_true(routerec_has(1003, &dst, &gw));
	assert_int_equal(plat_route_flush_ours(99), -ENODEV);
}

static void
test_record_write_fails(void **state)
{
	struct prefix dst = pfx("10.68.0.0/24");
	struct addr gw = adr("192.168.123.1");

	(void)state;
	routerec_set_path("no-such-dir/test_iphlp.routes");
	/* Not recorded, so not made: a route no record has would
	 * outlive a crash. The same for an address. */
	assert_int_equal(plat_route_install(7, &dst, &gw, false), -EIO);
	assert_string_equal(calls, "LTF");
	{
		struct prefix p = pfx("192.168.123.117/24");
		bool exists;

		assert_int_equal(plat_addr_add(7, &p, &exists), -EIO);
		assert_string_equal(calls, "LTFLuG");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_addr_add, setup, teardown),
		cmocka_unit_test_setup_teardown(test_addr_add_v6_and_exists,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_addr_del, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mtu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_route_install, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_route_replace,
		    setup_record, teardown),
		cmocka_unit_test_setup_teardown(test_route_del, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_route_get, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_route_dump, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_record, setup_record,
		    teardown),
		cmocka_unit_test_setup_teardown(test_record_flush_after_crash,
		    setup_record, teardown),
		cmocka_unit_test_setup_teardown(test_record_write_fails,
		    setup_record, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
