/*
 * dnsset.h's rules, at their edges: what a search domain may be (the
 * one string from the hub that reaches resolv.conf), which servers a
 * resolver may be given, and the limits on a whole set.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dnsset.h"

static bool
name_ok(const char *s)
{
	return dns_name_valid(s, strlen(s));
}

static void
test_names(void **state)
{
	char label[80], name[300];

	(void)state;
	assert_true(name_ok("corp.example"));
	assert_true(name_ok("a"));
	assert_true(name_ok("Lab-1.Example.NET"));
	assert_true(name_ok("0.in-addr.arpa"));
	assert_false(name_ok(""));
	assert_false(name_ok("."));
	assert_false(name_ok("corp.example.")); /* the config strips it */
	assert_false(name_ok(".corp.example"));
	assert_false(name_ok("corp..example"));
	assert_false(name_ok("-corp.example"));
	assert_false(name_ok("corp-.example"));
	assert_false(name_ok("corp example"));
	assert_false(name_ok("corp.example\nnameserver 6.6.6.6"));
	assert_false(name_ok("corp_example"));
	assert_false(name_ok("corp.example#"));
	/* A NUL inside the given length is no name. */
	assert_false(dns_name_valid("corp\0example", 12));
	/* Labels of 63, not 64. */
	memset(label, 'a', 63);
	label[63] = '\0';
	assert_true(name_ok(label));
	label[63] = 'a';
	label[64] = '\0';
	assert_false(name_ok(label));
	/* 253 characters in all, not 254. */
	memset(name, 'a', sizeof(name));
	for (size_t i = 63; i < 253; i += 64)
		name[i] = '.';
	name[253] = '\0';
	assert_true(name_ok(name));
	name[253] = 'a';
	name[254] = '\0';
	assert_false(name_ok(name));
}

static void
test_servers(void **state)
{
	static const char *const good[] = { "192.0.2.53", "10.0.0.1",
		"223.255.255.254", "2001:db8::53", "::1" };
	static const char *const bad[] = { "0.0.0.0", "0.1.2.3", "224.0.0.251",
		"255.255.255.255", "::", "ff02::fb", "fe80::1" };
	struct addr a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(addr_parse(good[i], &a), 0);
		assert_true(dns_server_valid(&a));
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(addr_parse(bad[i], &a), 0);
		assert_false(dns_server_valid(&a));
	}
	memset(&a, 0, sizeof(a));
	assert_false(dns_server_valid(&a));
}

static void
test_sets(void **state)
{
	static struct dns_set d, e;
	size_t i;

	(void)state;
	memset(&d, 0, sizeof(d));
	assert_true(dns_set_valid(&d)); /* empty: remove */
	for (i = 0; i < DNS_SERVERS_MAX; i++)
		assert_int_equal(addr_parse("192.0.2.53", &d.servers[i]), 0);
	d.nservers = DNS_SERVERS_MAX;
	for (i = 0; i < DNS_SEARCH_MAX; i++)
		strcpy(d.search[i], "example");
	d.nsearch = DNS_SEARCH_MAX;
	assert_true(dns_set_valid(&d));
	d.nservers = DNS_SERVERS_MAX + 1;
	assert_false(dns_set_valid(&d));
	d.nservers = DNS_SERVERS_MAX;
	d.nsearch = DNS_SEARCH_MAX + 1;
	assert_false(dns_set_valid(&d));
	/* 256 characters with a separator each, not 257. */
	d.nsearch = 2;
	memset(d.search[0], 'a', 253);
	d.search[0][63] = d.search[0][127] = d.search[0][191] = '.';
	d.search[0][253] = '\0';
	strcpy(d.search[1], "ab");
	assert_int_equal(dns_search_chars(&d), 257);
	assert_false(dns_set_valid(&d));
	strcpy(d.search[1], "a");
	assert_true(dns_set_valid(&d));
	e = d;
	assert_true(dns_set_equal(&d, &e));
	strcpy(e.search[1], "b");
	assert_false(dns_set_equal(&d, &e));
	d.search[1][0] = '\n';
	assert_false(dns_set_valid(&d));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_servers),
		cmocka_unit_test(test_sets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
