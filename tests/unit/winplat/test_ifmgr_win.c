/*
 * vland-ifmgr in-process on Windows (daemons/vland-ifmgr/inproc.c and
 * the same request handlers and policy as the Linux process) on a fake
 * tap-windows6 adapter (fake_tap.h) and a fake IP Helper that keeps an
 * address list and a route table (win64 build, under wine): vland's
 * requests go over the channel as vland.exe sends them, and the test
 * checks what reached "Windows", in order.
 *
 * - An endpoint in tap mode with no interface: takes the first adapter
 *   free, sets its MAC from the address (restart), MTU, address, media
 *   connected, and answers with a device named after the adapter; a
 *   pushed route goes into the table and the record; the device's
 *   deletion removes route and address and disconnects the media.
 * - A crashed run's address and route, in the record beside the
 *   configuration, are removed at the next open of the adapter.
 * - In tun mode the driver's tun mode gets the address; no MAC is set.
 * - An adapter in use is refused with nothing left behind.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <event2/event.h>
#include <event2/util.h>

/* Before the Windows headers of fake_tap.h, whose objbase.h makes
 * "interface" a macro (the configuration's field is named so). */
#include "ifmgr.h"
#include "ipcmsg.h"
#include "peermsg.h"
#include "platform.h"

#include "fake_tap.h"

#define DIR    "test_ifmgr_win.d"
#define CONFIG DIR "\\vland.yaml"
#define RECORD DIR "\\vland.rec"

/* The fake IP Helper's state: the adapter's addresses and the table. */
static MIB_UNICASTIPADDRESS_ROW addrs[8];
static size_t naddrs;
static MIB_IPFORWARD_ROW2 routes[8];
static size_t nroutes;
static int tables_out;
static struct plat_winapi api;
static struct ipc_chan vl; /* vland's end of the channel */

static void
note_prefix(const char *what, const SOCKADDR_INET *a, unsigned len)
{
	char buf[96], s[INET6_ADDRSTRLEN];

	if (a->si_family == AF_INET)
		inet_ntop(AF_INET, &a->Ipv4.sin_addr, s, sizeof(s));
	else
		inet_ntop(AF_INET6, &a->Ipv6.sin6_addr, s, sizeof(s));
	snprintf(buf, sizeof(buf), "%s:%s/%u", what, s, len);
	fake_note(buf);
}

static VOID WINAPI
f_init_if(MIB_IPINTERFACE_ROW *r)
{
	memset(r, 0, sizeof(*r));
}

static VOID WINAPI
f_init_uni(MIB_UNICASTIPADDRESS_ROW *r)
{
	memset(r, 0, sizeof(*r));
}

static VOID WINAPI
f_init_route(MIB_IPFORWARD_ROW2 *r)
{
	memset(r, 0, sizeof(*r));
}

/* IPv4 only on the adapter, as a fresh tap-windows6 one with IPv6
 * unbound would be. */
static NETIO_STATUS WINAPI
f_get_if(MIB_IPINTERFACE_ROW *r)
{
	assert_true(r->InterfaceIndex == FAKE_TAP_IFINDEX ||
	    r->InterfaceLuid.Value == FAKE_TAP_LUID);
	if (r->Family != AF_INET)
		return ERROR_NOT_FOUND;
	r->NlMtu = 1500;
	return NO_ERROR;
}

static NETIO_STATUS WINAPI
f_set_if(MIB_IPINTERFACE_ROW *r)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "mtu:%lu", (unsigned long)r->NlMtu);
	fake_note(buf);
	return NO_ERROR;
}

/* b names its interface by index or by LUID (either will do). */
static bool
same_addr(const MIB_UNICASTIPADDRESS_ROW *a, const MIB_UNICASTIPADDRESS_ROW *b)
{
	return (b->InterfaceIndex != 0
		       ? a->InterfaceIndex == b->InterfaceIndex
		       : a->InterfaceLuid.Value == b->InterfaceLuid.Value) &&
	    a->Address.si_family == b->Address.si_family &&
	    memcmp(&a->Address.Ipv4.sin_addr, &b->Address.Ipv4.sin_addr, 4) ==
	    0;
}

static NETIO_STATUS WINAPI
f_get_uni(MIB_UNICASTIPADDRESS_ROW *r)
{
	size_t i;

	for (i = 0; i < naddrs; i++)
		if (same_addr(&addrs[i], r))
			return NO_ERROR;
	return ERROR_NOT_FOUND;
}

static NETIO_STATUS WINAPI
f_create_uni(const MIB_UNICASTIPADDRESS_ROW *r)
{
	size_t i;

	note_prefix("addr+", &r->Address, r->OnLinkPrefixLength);
	for (i = 0; i < naddrs; i++)
		if (same_addr(&addrs[i], r))
			return ERROR_OBJECT_ALREADY_EXISTS;
	assert_true(naddrs < 8);
	addrs[naddrs] = *r;
	addrs[naddrs++].InterfaceLuid.Value = FAKE_TAP_LUID;
	return NO_ERROR;
}

static NETIO_STATUS WINAPI
f_delete_uni(const MIB_UNICASTIPADDRESS_ROW *r)
{
	size_t i;

	note_prefix("addr-", &r->Address, r->OnLinkPrefixLength);
	for (i = 0; i < naddrs; i++)
		if (same_addr(&addrs[i], r)) {
			addrs[i] = addrs[--naddrs];
			return NO_ERROR;
		}
	return ERROR_NOT_FOUND;
}

static bool
same_route(const MIB_IPFORWARD_ROW2 *a, const MIB_IPFORWARD_ROW2 *b)
{
	return a->InterfaceIndex == b->InterfaceIndex &&
	    a->DestinationPrefix.PrefixLength ==
	    b->DestinationPrefix.PrefixLength &&
	    memcmp(&a->DestinationPrefix.Prefix.Ipv4.sin_addr,
		&b->DestinationPrefix.Prefix.Ipv4.sin_addr, 4) == 0;
}

static NETIO_STATUS WINAPI
f_create_route(const MIB_IPFORWARD_ROW2 *r)
{
	size_t i;

	note_prefix("route+", &r->DestinationPrefix.Prefix,
	    r->DestinationPrefix.PrefixLength);
	for (i = 0; i < nroutes; i++)
		if (same_route(&routes[i], r))
			return ERROR_OBJECT_ALREADY_EXISTS;
	assert_true(nroutes < 8);
	routes[nroutes] = *r;
	/* The system fills the LUID from the index. */
	if (r->InterfaceIndex == FAKE_TAP_IFINDEX)
		routes[nroutes].InterfaceLuid.Value = FAKE_TAP_LUID;
	nroutes++;
	return NO_ERROR;
}

static NETIO_STATUS WINAPI
f_delete_route(const MIB_IPFORWARD_ROW2 *r)
{
	size_t i;

	note_prefix("route-", &r->DestinationPrefix.Prefix,
	    r->DestinationPrefix.PrefixLength);
	for (i = 0; i < nroutes; i++)
		if (same_route(&routes[i], r)) {
			routes[i] = routes[--nroutes];
			return NO_ERROR;
		}
	return ERROR_NOT_FOUND;
}

static NETIO_STATUS WINAPI
f_get_routes(ADDRESS_FAMILY af, MIB_IPFORWARD_TABLE2 **out)
{
	MIB_IPFORWARD_TABLE2 *t;

	(void)af;
	t = calloc(1, sizeof(*t) + sizeof(routes));
	assert_non_null(t);
	t->NumEntries = (ULONG)nroutes;
	memcpy(t->Table, routes, nroutes * sizeof(routes[0]));
	*out = t;
	tables_out++;
	return NO_ERROR;
}

static VOID WINAPI
f_free(PVOID p)
{
	free(p);
	tables_out--;
}

static NETIO_STATUS WINAPI
f_index_to_luid(NET_IFINDEX i, NET_LUID *l)
{
	if (i != FAKE_TAP_IFINDEX && i != 3)
		return ERROR_FILE_NOT_FOUND;
	l->Value = i == 3 ? 0x3000 : FAKE_TAP_LUID;
	return NO_ERROR;
}

/* The host's way to anything: its default route, through its own
 * interface 3 (the hub, 10.99.1.1, is out there). */
static NETIO_STATUS WINAPI
f_best(NET_LUID *luid, NET_IFINDEX ifx, const SOCKADDR_INET *src,
    const SOCKADDR_INET *dst, ULONG opt, MIB_IPFORWARD_ROW2 *row,
    SOCKADDR_INET *bsrc)
{
	(void)luid;
	(void)ifx;
	(void)src;
	(void)dst;
	(void)opt;
	(void)bsrc;
	*row = routes[0];
	return NO_ERROR;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* An endpoint's configuration, in mode (tap or tun), with no
 * interface: the first adapter free. */
static void
start(const char *mode)
{
	evutil_socket_t sv[2];
	char text[512];

	snprintf(text, sizeof(text),
	    "mode: %s\n"
	    "connect:\n"
	    "  server: 10.99.1.1:6123\n"
	    "  server-key: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"
	    "  user: alice\n"
	    "  password: secret\n",
	    mode);
	write_file(CONFIG, text);
	assert_int_equal(evutil_socketpair(AF_INET, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(ipc_init(&vl, (int)sv[0], 1), 0);
	ifmgr_inproc_start(CONFIG, (int)sv[1]);
}

static int
setup(void **state)
{
	WSADATA wsa;
	SOCKADDR_INET any;

	(void)state;
	assert_int_equal(WSAStartup(MAKEWORD(2, 2), &wsa), 0);
	memset(&api, 0, sizeof(api));
	fake_tap_api(&api);
	api.init_ip_interface = f_init_if;
	api.init_unicast = f_init_uni;
	api.init_route = f_init_route;
	api.get_ip_interface = f_get_if;
	api.set_ip_interface = f_set_if;
	api.get_unicast = f_get_uni;
	api.create_unicast = f_create_uni;
	api.delete_unicast = f_delete_uni;
	api.create_route = f_create_route;
	api.delete_route = f_delete_route;
	api.get_routes = f_get_routes;
	api.free_table = f_free;
	api.index_to_luid = f_index_to_luid;
	api.best_route = f_best;
	plat_winapi = &api;
	fake_tap_setup();
	CreateDirectoryA(DIR, NULL);
	remove(RECORD);
	naddrs = 0;
	tables_out = 0;
	/* The host's default route, 0.0.0.0/0 via 10.99.0.254 on 3. */
	memset(&any, 0, sizeof(any));
	any.si_family = AF_INET;
	memset(routes, 0, sizeof(routes));
	routes[0].InterfaceIndex = 3;
	routes[0].InterfaceLuid.Value = 0x3000;
	routes[0].DestinationPrefix.Prefix = any;
	routes[0].NextHop.si_family = AF_INET;
	routes[0].NextHop.Ipv4.sin_addr.s_addr = htonl(0x0a6300fe);
	routes[0].Protocol = MIB_IPPROTO_NETMGMT;
	nroutes = 1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ifmgr_inproc_stop();
	ipc_clear(&vl);
	fake_tap_teardown();
	assert_int_equal(tables_out, 0);
	remove(RECORD);
	remove(CONFIG);
	RemoveDirectoryA(DIR);
	WSACleanup();
	return 0;
}

/* Let vland-ifmgr serve what vland sent, and read its answer. */
static void
answer(struct ipc_msg *m)
{
	int i, n;

	assert_int_equal(ipc_flush(&vl), 0);
	for (i = 0; i < 500; i++) {
		ifmgr_serve(&ifm.chan, EV_READ, NULL);
		ipc_flush(&ifm.chan);
		if ((n = ipc_read(&vl, m)) == 1)
			return;
		assert_int_equal(errno, EAGAIN);
		Sleep(10);
	}
	fail_msg("no answer from vland-ifmgr");
}

static void
dev_create(const char *ip, struct ipc_msg *m)
{
	struct prefix p, none;
	struct addr hub;
	uint8_t mac[6] = { 0x62, 0xe2 };

	memset(&none, 0, sizeof(none));
	assert_int_equal(prefix_parse(ip, &p), 0);
	assert_int_equal(addr_parse("10.99.1.1", &hub), 0);
	memcpy(mac + 2, &p.a.v4, 4);
	assert_int_equal(ipcmsg_send_if_dev_create(&vl, 0, IFREQ_SETUP, &p,
			     &none, &hub, 1400, mac),
	    0);
	answer(m);
}

/* The device asked for, and refused with error. */
static void
dev_refused(int error)
{
	struct ipc_result res;
	struct ipc_msg m;

	dev_create("192.168.123.5/24", &m);
	assert_int_equal(m.hdr.type, IMSG_IF_RESULT);
	assert_int_equal(ipcmsg_get_result(&m, IPCMSG_IFMGR_TO_VLAND, &res),
	    IPCMSG_OK);
	assert_int_equal(res.error, error);
}

static void
send_routes(const char *dst, const char *via, struct ipc_msg *m)
{
	static struct pmsg_routes r;
	struct addr hub;

	memset(&r, 0, sizeof(r));
	r.version = 1;
	if (dst != NULL) {
		assert_int_equal(prefix_parse(dst, &r.r[0].dst), 0);
		assert_int_equal(addr_parse(via, &r.r[0].nexthop), 0);
		r.count = 1;
	}
	assert_int_equal(addr_parse("10.99.1.1", &hub), 0);
	assert_int_equal(ipcmsg_send_if_routes(&vl, 0, IFREQ_ROUTES, &r, &hub),
	    0);
	answer(m);
	assert_int_equal(m->hdr.type, IMSG_IF_ROUTES_RESULT);
}

static void
dev_delete(struct ipc_msg *m)
{
	assert_int_equal(ipcmsg_send_if_dev_delete(&vl, 0, IFREQ_SETUP), 0);
	answer(m);
	assert_int_equal(m->hdr.type, IMSG_IF_RESULT);
}

/* The record's text, "" if there is none. */
static const char *
record(void)
{
	static char buf[512];
	FILE *f = fopen(RECORD, "r");
	size_t n;

	buf[0] = '\0';
	if (f == NULL)
		return buf;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* An IPv4 route in the table, as someone put it there (host order). */
static void
table_has(int ifindex, uint64_t luid, uint32_t dst, int len, uint32_t gw)
{
	MIB_IPFORWARD_ROW2 r;

	memset(&r, 0, sizeof(r));
	r.InterfaceIndex = (NET_IFINDEX)ifindex;
	r.InterfaceLuid.Value = luid;
	r.DestinationPrefix.Prefix.si_family = AF_INET;
	r.DestinationPrefix.Prefix.Ipv4.sin_addr.s_addr = htonl(dst);
	r.DestinationPrefix.PrefixLength = (UINT8)len;
	r.NextHop.si_family = AF_INET;
	r.NextHop.Ipv4.sin_addr.s_addr = htonl(gw);
	assert_true(nroutes < 8);
	routes[nroutes++] = r;
}

/* An address of the adapter's, as someone put it there. */
static void
adapter_has(uint32_t a)
{
	MIB_UNICASTIPADDRESS_ROW row;

	memset(&row, 0, sizeof(row));
	row.InterfaceIndex = FAKE_TAP_IFINDEX;
	row.InterfaceLuid.Value = FAKE_TAP_LUID;
	row.Address.si_family = AF_INET;
	row.Address.Ipv4.sin_addr.s_addr = htonl(a);
	row.OnLinkPrefixLength = 24;
	addrs[naddrs++] = row;
}

static void
test_tap_up_route_down(void **state)
{
	struct if_device dev;
	struct ipc_msg m;

	(void)state;
	start("tap");
	dev_create("192.168.123.5/24", &m);
	assert_int_equal(m.hdr.type, IMSG_IF_DEVICE);
	assert_int_equal(ipcmsg_get_device(&m, IPCMSG_IFMGR_TO_VLAND, &dev),
	    IPCMSG_OK);
	assert_string_equal(dev.ifname, FAKE_TAP_NAME);
	assert_int_equal(dev.ifindex, FAKE_TAP_IFINDEX);
	assert_true(m.fd != -1);
	closesocket((SOCKET)m.fd);
	/* Opened, connected; MAC parameter, restart with the handle
	 * closed, connected again; MTU; address; up. */
	assert_string_equal(ft.log,
	    "open media-on mac-param:62E2C0A87B05 media-off close restart "
	    "open media-on mtu:1400 addr+:192.168.123.5/24 media-on");
	assert_int_equal(naddrs, 1);
	/* Each change recorded, with what to put back. */
	assert_string_equal(record(),
	    "0000000000001007 mac 0000 -\n"
	    "0000000000001007 mtu 4 1500\n"
	    "0000000000001007 addr 192.168.123.5/24 -\n");

	ft.log[0] = '\0';
	send_routes("10.50.0.0/16", "192.168.123.1", &m);
	assert_string_equal(ft.log, "route+:10.50.0.0/16");
	assert_int_equal(nroutes, 2);
	assert_non_null(strstr(record(),
	    "0000000000001007 route 10.50.0.0/16 192.168.123.1\n"));

	/* The device's deletion undoes it all: route, address, MTU and
	 * MAC parameter (it had none), then the media and the handle. */
	ft.log[0] = '\0';
	dev_delete(&m);
	assert_int_equal(ipcmsg_get_result(&m, IPCMSG_IFMGR_TO_VLAND,
			     &(struct ipc_result){ 0 }),
	    IPCMSG_OK);
	assert_string_equal(ft.log,
	    "route-:10.50.0.0/16 addr-:192.168.123.5/24 mtu:1500 "
	    "mac-param-deleted media-off media-off close");
	assert_int_equal(naddrs, 0);
	assert_int_equal(nroutes, 1);
	assert_string_equal(ft.mac_value, "");
	assert_string_equal(record(), "");
}

/* What a vland.exe that crashed left: its address and route on the
 * adapter, its MTU and MAC parameter, and the record of them. The
 * next start undoes them before anything else. */
static void
test_crash_leftovers(void **state)
{
	struct ipc_msg m;

	(void)state;
	adapter_has(0xc0a87b09); /* .9 */
	table_has(FAKE_TAP_IFINDEX, FAKE_TAP_LUID, 0x0a320000, 16, 0xc0a87b01);
	strcpy(ft.mac_value, "62E2C0A87B09");
	write_file(RECORD,
	    "0000000000001007 mac 0000 00FF12345678\n"
	    "0000000000001007 mtu 4 1500\n"
	    "0000000000001007 addr 192.168.123.9/24 -\n"
	    "0000000000001007 route 10.50.0.0/16 192.168.123.1\n");

	start("tap");
	/* Undone with the adapter held (no other vland.exe has it). */
	assert_string_equal(ft.log,
	    "open route-:10.50.0.0/16 addr-:192.168.123.9/24 mtu:1500 "
	    "mac-param:00FF12345678 media-off close");
	assert_int_equal(naddrs, 0);
	assert_int_equal(nroutes, 1);
	assert_string_equal(record(), "");
	/* The new run's own changes are recorded afresh. */
	dev_create("192.168.123.5/24", &m);
	assert_int_equal(m.hdr.type, IMSG_IF_DEVICE);
	closesocket((SOCKET)m.fd);
	assert_non_null(strstr(record(),
	    "0000000000001007 mac 0000 "
	    "00FF12345678\n"));
	dev_delete(&m);
	assert_int_equal(naddrs, 0);
	assert_string_equal(ft.mac_value, "00FF12345678");
}

static void
test_tun(void **state)
{
	struct ipc_msg m;
	uint8_t b[12];

	(void)state;
	start("tun");
	dev_create("192.168.123.5/24", &m);
	assert_int_equal(m.hdr.type, IMSG_IF_DEVICE);
	closesocket((SOCKET)m.fd);
	assert_string_equal(ft.log,
	    "open media-on mtu:1400 addr+:192.168.123.5/24 tun-mode media-on");
	assert_int_equal(ft.restarts, 0);
	memcpy(b, ft.tun, sizeof(b));
	assert_memory_equal(b,
	    "\xc0\xa8\x7b\x05\xc0\xa8\x7b\x00\xff\xff\xff\x00", 12);
	dev_delete(&m);
}

/* Another program holds the adapter at the start: its lines wait (the
 * record kept whole), and nothing of it is touched. */
static void
test_leftovers_busy(void **state)
{
	static const char rec[] = "0000000000001007 mtu 4 1500\n"
				  "0000000000001007 mac 0000 -\n";

	(void)state;
	write_file(RECORD, rec);
	ft.busy = true;
	start("tap");
	assert_string_equal(ft.log, "");
	assert_string_equal(record(), rec);
}

/*
 * A record that is not what vland writes: only what vland could have
 * changed is undone. On the host's own interface (3) only a host route
 * (the pin); its address, MTU and a route to a network stay, their
 * lines forgotten. On the adapter, a MAC line for another adapter's key
 * or with a value that is no MAC, an MTU too small, an unknown kind, a
 * line too long or with a word too many: forgotten, nothing written.
 * Lines past the 64th and 256th are read too; a line too long is
 * dropped whole (its tail, a line of its own, is not read as one), and
 * a line with a NUL in it takes nothing after it along.
 */
static void
test_hostile_record(void **state)
{
	static const char nul_line[] = "0000000000001007 mtu 4\0 9000\n";
	char pad[256];
	FILE *f;
	int i;

	(void)state;
	adapter_has(0xc0a87b09);
	addrs[0].InterfaceIndex = 3; /* the host's: 192.168.123.9 on 3 */
	addrs[0].InterfaceLuid.Value = 0x3000;
	/* The host's route to 10.60/16 and a pin to 10.99.1.1 on 3. */
	table_has(3, 0x3000, 0x0a3c0000, 16, 0x0a6300fe);
	table_has(3, 0x3000, 0x0a630101, 32, 0x0a6300fe);
	f = fopen(RECORD, "w");
	assert_non_null(f);
	/* 300 lines of another interface that is gone: read, forgotten. */
	for (i = 0; i < 300; i++)
		fprintf(f, "0000000000009999 route 10.%d.%d.0/24 -\n", i / 256,
		    i % 256);
	/* 255 bytes, then a line of its own: "mtu 4 9000". */
	memset(pad, 'x', sizeof(pad));
	memcpy(pad, "0000000000001007 mac 0000 ", 26);
	fwrite(pad, 1, 255, f);
	fputs("0000000000001007 mtu 4 9000\n", f);
	fwrite(nul_line, 1, sizeof(nul_line) - 1, f);
	fputs("0000000000003000 route 10.99.1.1/32 10.99.0.254\n"
	      "0000000000003000 addr 192.168.123.9/24 -\n"
	      "0000000000003000 mtu 4 1500\n"
	      "0000000000003000 route 10.60.0.0/16 10.99.0.254\n"
	      "0000000000001007 mac 0001 -\n"
	      "0000000000001007 mac 0000 rm-rf\n"
	      "0000000000001007 mtu 4 68\n"
	      "0000000000001007 mtu 6 1500 extra\n"
	      "0000000000001007 bogus x y\n",
	    f);
	fprintf(f, "0000000000001007 mac 0000 %0300d\n", 7);
	assert_int_equal(fclose(f), 0);
	strcpy(ft.mac_value, "62E2C0A87B09");
	start("tap");
	/* The pin alone removed; the adapter opened and closed for its
	 * lines, none of which is vland's to act on. */
	assert_string_equal(ft.log, "route-:10.99.1.1/32 open media-off close");
	assert_int_equal(naddrs, 1);
	assert_int_equal(nroutes, 2);
	assert_string_equal(ft.mac_value, "62E2C0A87B09");
	assert_string_equal(record(), "");
}

/* The address is on the adapter already (an administrator's): the tun
 * mode is set all the same, and the address is not vland's to remove. */
static void
test_tun_address_exists(void **state)
{
	struct ipc_msg m;

	(void)state;
	adapter_has(0xc0a87b05); /* .5 */
	start("tun");
	dev_create("192.168.123.5/24", &m);
	assert_int_equal(m.hdr.type, IMSG_IF_DEVICE);
	closesocket((SOCKET)m.fd);
	assert_non_null(strstr(ft.log, "mtu:1400 tun-mode media-on"));
	assert_null(strstr(ft.log, "addr+"));
	assert_null(strstr(record(), " addr "));
	dev_delete(&m);
	assert_int_equal(naddrs, 1);
}

/* The driver keeps its MAC after the restart: refused, and nothing is
 * left (the parameter put back, the adapter closed: the teardown
 * counts the handles). */
static void
test_mac_kept(void **state)
{
	(void)state;
	ft.reads_value = false;
	start("tap");
	dev_refused(EADDRNOTAVAIL);
	assert_string_equal(ft.mac_value, "");
	assert_int_equal(naddrs, 0);
	assert_string_equal(record(), "");
}

/* An adapter in use: refused before anything is changed. */
static void
test_busy(void **state)
{
	(void)state;
	ft.busy = true;
	start("tap");
	dev_refused(EBUSY);
	assert_string_equal(ft.log, "");
}

/* Links by name: vland's open adapter by its connection name, another
 * interface through IP Helper's alias. */
static void
test_link_by_name(void **state)
{
	struct plat_link l;
	struct ipc_msg m;

	(void)state;
	start("tap");
	assert_int_equal(plat_link_get("Ethernet", &l), 0);
	assert_int_equal(l.ifindex, 3);
	assert_int_equal(plat_link_get("no-such", &l), -ENODEV);
	assert_int_equal(plat_link_get(FAKE_TAP_NAME, &l), -ENODEV);
	dev_create("192.168.123.5/24", &m);
	closesocket((SOCKET)m.fd);
	assert_int_equal(plat_link_get(FAKE_TAP_NAME, &l), 0);
	assert_int_equal(l.ifindex, FAKE_TAP_IFINDEX);
	/* Only vland's adapter is changed. */
	assert_int_equal(plat_link_set_up(3), -EOPNOTSUPP);
	dev_delete(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tap_up_route_down, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_crash_leftovers, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tun, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tun_address_exists, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_leftovers_busy, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_hostile_record, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_mac_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_busy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_by_name, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
