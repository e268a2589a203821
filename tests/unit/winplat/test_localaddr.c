/*
 * platform/windows/localaddr.c (plat_local_addrs) against a fake of
 * GetAdaptersAddresses (win64 build, under wine): the buffer grown when
 * the list does not fit, only adapters that are up and not loopback,
 * IPv4 and global IPv6 (no link-local), at most max, no adapter at all
 * as none, an error as an errno; and the real call under wine answers.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "platform.h"
#include "winapi.h"

/* The fake's list, laid out in the caller's buffer. */
struct layout {
	IP_ADAPTER_ADDRESSES ad[3];
	IP_ADAPTER_UNICAST_ADDRESS u[5];
	struct sockaddr_in6 sa[5];
};

static ULONG ret, calls;

static void
unicast(struct layout *l, int i, int af, const char *text)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)(void *)&l->sa[i];

	memset(&l->sa[i], 0, sizeof(l->sa[i]));
	if (af == AF_INET) {
		sin->sin_family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, text, &sin->sin_addr), 1);
	} else {
		l->sa[i].sin6_family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, text, &l->sa[i].sin6_addr),
		    1);
	}
	l->u[i].Address.lpSockaddr = (struct sockaddr *)&l->sa[i];
	l->u[i].Address.iSockaddrLength = sizeof(l->sa[i]);
}

static ULONG WINAPI
f_get_adapters(ULONG family, ULONG flags, PVOID reserved,
    PIP_ADAPTER_ADDRESSES buf, PULONG len)
{
	struct layout *l = (struct layout *)(void *)buf;

	(void)flags;
	(void)reserved;
	calls++;
	assert_int_equal(family, AF_UNSPEC);
	if (ret != NO_ERROR)
		return ret;
	/* More than the caller's first buffer: it grows it. */
	if (*len < 65536) {
		*len = 65536;
		return ERROR_BUFFER_OVERFLOW;
	}
	memset(l, 0, sizeof(*l));
	/* Loopback, up: none of it. */
	l->ad[0].Next = &l->ad[1];
	l->ad[0].OperStatus = IfOperStatusUp;
	l->ad[0].IfType = IF_TYPE_SOFTWARE_LOOPBACK;
	l->ad[0].FirstUnicastAddress = &l->u[0];
	unicast(l, 0, AF_INET, "127.0.0.1");
	/* Down: none of it. */
	l->ad[1].Next = &l->ad[2];
	l->ad[1].OperStatus = IfOperStatusDown;
	l->ad[1].IfType = IF_TYPE_ETHERNET_CSMACD;
	l->ad[1].FirstUnicastAddress = &l->u[1];
	unicast(l, 1, AF_INET, "10.0.0.9");
	/* Up: its IPv4 and global IPv6, not the link-local. */
	l->ad[2].OperStatus = IfOperStatusUp;
	l->ad[2].IfType = IF_TYPE_ETHERNET_CSMACD;
	l->ad[2].FirstUnicastAddress = &l->u[2];
	unicast(l, 2, AF_INET, "192.0.2.7");
	l->u[2].Next = &l->u[3];
	unicast(l, 3, AF_INET6, "fe80::1");
	l->u[3].Next = &l->u[4];
	unicast(l, 4, AF_INET6, "2001:db8::5");
	return NO_ERROR;
}

static struct plat_winapi fake = {
	.get_adapters = f_get_adapters,
};

static int
setup(void **state)
{
	(void)state;
	plat_winapi = &fake;
	ret = NO_ERROR;
	calls = 0;
	return 0;
}

static void
test_addresses(void **state)
{
	struct addr a[8];
	char s[ADDR_STRLEN];

	(void)state;
	assert_int_equal(plat_local_addrs(a, 8), 2);
	assert_int_equal(calls, 2);
	assert_string_equal(addr_fmt(&a[0], s, sizeof(s)), "192.0.2.7");
	assert_string_equal(addr_fmt(&a[1], s, sizeof(s)), "2001:db8::5");
	/* At most max. */
	assert_int_equal(plat_local_addrs(a, 1), 1);
	assert_string_equal(addr_fmt(&a[0], s, sizeof(s)), "192.0.2.7");
}

static void
test_errors(void **state)
{
	struct addr a[8];

	(void)state;
	ret = ERROR_NO_DATA;
	assert_int_equal(plat_local_addrs(a, 8), 0);
	ret = ERROR_NOT_ENOUGH_MEMORY;
	assert_int_equal(plat_local_addrs(a, 8), -ENOMEM);
	ret = ERROR_INVALID_PARAMETER;
	assert_int_equal(plat_local_addrs(a, 8), -EIO);
}

static void
test_real(void **state)
{
	const struct plat_winapi *real = plat_winapi;
	struct addr a[16];

	(void)state;
	/* wine's adapters, whatever they are: an answer, not an error. */
	assert_true(real != &fake);
	assert_true(plat_local_addrs(a, 16) >= 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real),
		cmocka_unit_test_setup(test_addresses, setup),
		cmocka_unit_test_setup(test_errors, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
