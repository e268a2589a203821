/*
 * Config unit tests: defaults, key derivation, and the round trip of
 * every valid golden config (tests/config/good) at the struct level: the
 * normalised print must parse back to the very same struct.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"

static const char *good_dir;

static struct config *
parse_ok(const char *text)
{
	struct config *cfg = calloc(1, sizeof(*cfg));
	struct cfg_error err;

	assert_non_null(cfg);
	if (cfg_parse(text, strlen(text), "/etc/vland/vland.yaml", cfg, &err) !=
	    0)
		fail_msg("unexpected error %d:%d: %s", err.line, err.col,
		    err.msg);
	return cfg;
}

static void
parse_err(const char *text, int line, int col, const char *needle)
{
	struct config *cfg = calloc(1, sizeof(*cfg));
	struct cfg_error err;

	assert_non_null(cfg);
	assert_int_equal(cfg_parse(text, strlen(text), "/etc/vland/vland.yaml",
			     cfg, &err),
	    -1);
	if (err.line != line || err.col != col ||
	    strstr(err.msg, needle) == NULL)
		fail_msg("got %d:%d: %s", err.line, err.col, err.msg);
	free(cfg);
}

static void
test_hub_defaults(void **state)
{
	struct config *cfg;
	char buf[64];

	(void)state;
	cfg = parse_ok("ip: 10.1.0.1/24\ndhcp-range: 10.1.0.10-10.1.0.20\n");
	assert_int_equal(cfg->role, CFG_HUB);
	assert_int_equal(cfg->mode, CFG_TAP);
	assert_int_equal(cfg->port, 6123);
	assert_int_equal(cfg->nlisten, 1);
	assert_string_equal(addr_fmt(&cfg->listen[0], buf, sizeof(buf)),
	    "0.0.0.0");
	assert_string_equal(cfg->bridge, "br-vl");
	assert_int_equal(cfg->keepalive, 10);
	assert_int_equal(cfg->timeout, 50);
	assert_int_equal(cfg->mtu, 0);
	assert_int_equal(cfg_effective_mtu(cfg), 1406);
	assert_false(cfg->has_psk);
	assert_false(cfg->web.enable);
	assert_int_equal(cfg->web.port, 8000);
	assert_string_equal(cfg->control, CFG_DEFAULT_CONTROL);
	assert_string_equal(cfg->users, "users");
	free(cfg);
}

static void
test_psk_forms(void **state)
{
	struct config *cfg;
	uint8_t want[KEY_LEN];
	const char *base =
	    "ip: 10.1.0.1/24\ndhcp-range: 10.1.0.10-10.1.0.20\nkey: ";
	char text[256];

	(void)state;
	/* Passphrase: SHA-256("vland psk v1" || key). */
	snprintf(text, sizeof(text), "%shello-world-key\n", base);
	cfg = parse_ok(text);
	assert_true(cfg->has_psk);
	key_from_hex(want,
	    "f07982265d5920bbd3d8500bd1f11133f5304cd18ad929d8"
	    "7d05953205e69a76");
	assert_memory_equal(cfg->psk, want, KEY_LEN);
	free(cfg);
	/* Raw hex and raw base64 give those bytes as they are. */
	snprintf(text, sizeof(text),
	    "%s0001020304050607080910111213141516171819202122232425262728293031\n",
	    base);
	cfg = parse_ok(text);
	assert_int_equal(cfg->psk[1], 1);
	assert_int_equal(cfg->psk[31], 0x31);
	free(cfg);
	snprintf(text, sizeof(text),
	    "%sAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n", base);
	cfg = parse_ok(text);
	assert_int_equal(cfg->psk[31], 31);
	free(cfg);
}

static void
test_errors_have_positions(void **state)
{
	(void)state;
	parse_err("ip: 10.1.0.1/24\ndhcp-range: 10.1.0.10-10.1.0.20\n"
		  "  bogus: 1\n",
	    3, 8, "YAML syntax");
	parse_err("ip: 10.1.0.1/24\ndhcp-range: 10.1.0.10-10.1.0.20\n"
		  "port: 70000\n",
	    3, 7, "out of range");
	parse_err("connect:\n  server: h:1\n  server-key: "
		  "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"
		  "  user: a\nport: 1\n",
	    5, 1, "hub key");
	parse_err("", 1, 1, "empty");
	parse_err("- a\n", 1, 1, "mapping");
}

/* The users file must be inside the config directory (vland-auth). */
static void
test_users_path(void **state)
{
	struct config *cfg;

	(void)state;
	cfg = parse_ok("ip: 10.1.0.1/24\ndhcp-range: 10.1.0.10-10.1.0.20\n"
		       "users: /etc/vland/sub/users\n");
	free(cfg);
	parse_err("ip: 10.1.0.1/24\ndhcp-range: 10.1.0.10-10.1.0.20\n"
		  "users: /etc/vlandx/users\n",
	    3, 8, "outside the configuration directory");
	parse_err("ip: 10.1.0.1/24\ndhcp-range: 10.1.0.10-10.1.0.20\n"
		  "users: sub/../../shadow\n",
	    3, 8, "'..'");
}

/* IPv6 routes: their nexthop is an IPv6 address inside the tunnel, so
 * they need ip6, and they are checked against the ip6 subnet. */
static void
test_routes6(void **state)
{
	struct config *cfg;
	char buf[PREFIX_STRLEN];

	(void)state;
	cfg = parse_ok("ip: 10.1.0.1/24\nip6: fd00:7b::1/64\n"
		       "dhcp-range: 10.1.0.10-10.1.0.20\nroutes:\n"
		       "  - {cidr: fd00:5::/64, nexthop: site}\n"
		       "  - {cidr: 10.5.0.0/16, nexthop: site}\n"
		       "  - {cidr: \"::/0\", nexthop: SERVER}\n");
	assert_int_equal(cfg->nroutes, 3);
	assert_int_equal(cfg->routes[0].cidr.a.af, AF_INET6);
	assert_string_equal(prefix_fmt(&cfg->routes[0].cidr, buf, sizeof(buf)),
	    "fd00:5::/64");
	assert_string_equal(cfg->routes[0].nexthop, "site");
	assert_true(cfg->routes[2].server);
	free(cfg);
	parse_err("ip: 10.1.0.1/24\ndhcp-range: 10.1.0.10-10.1.0.20\n"
		  "routes:\n  - {cidr: fd00:5::/64, nexthop: site}\n",
	    4, 12, "the hub has no ip6");
	parse_err("ip: 10.1.0.1/24\nip6: fd00:7b::1/64\n"
		  "dhcp-range: 10.1.0.10-10.1.0.20\nroutes:\n"
		  "  - {cidr: fd00:7b::/80, nexthop: site}\n",
	    5, 12, "inside the VPN subnet fd00:7b::/64 (ip6)");
	parse_err("ip: 10.1.0.1/24\nip6: fd00:7b::1/64\n"
		  "dhcp-range: 10.1.0.10-10.1.0.20\nroutes:\n"
		  "  - {cidr: fd00:5::1/64, nexthop: site}\n",
	    5, 12, "did you mean fd00:5::/64");
	/* The IPv4 subnet does not judge an IPv6 route, nor the reverse. */
	cfg = parse_ok("ip: 10.1.0.1/24\nip6: fd00:7b::1/64\n"
		       "dhcp-range: 10.1.0.10-10.1.0.20\nroutes:\n"
		       "  - {cidr: 10.1.0.0/16, nexthop: site}\n"
		       "  - {cidr: fd00::/16, nexthop: SERVER}\n");
	free(cfg);
}

/* The normalised print of cfg as text (malloc'd, *len bytes). Windows
 * has no open_memstream: the win64 build prints into a temporary file
 * and reads it back. */
static char *
print_text(const struct config *cfg, size_t *len)
{
	char *text = NULL;
	FILE *f;

#ifdef _WIN32
	long n;

	f = tmpfile();
	assert_non_null(f);
	cfg_print(f, cfg, true);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	*len = (size_t)n;
#else
	f = open_memstream(&text, len);
	assert_non_null(f);
	cfg_print(f, cfg, true);
#endif
	fclose(f);
	return text;
}

#ifdef _WIN32
/*
 * The good files name Linux's control sockets, which Windows refuses
 * (its control channel is a named pipe, common/ctlpath_win.c): there
 * the file is read with its control: line naming a pipe instead.
 */
static int
load_here(const char *path, struct config *cfg, struct cfg_error *err)
{
	static const char key[] = "control: /",
			  pipe[] = "control: \\\\.\\pipe\\t";
	char real[PATH_MAX], *buf, *out, *at, *eol;
	long n;
	FILE *f;
	int rc;

	memset(err, 0, sizeof(*err));
	assert_non_null(realpath(path, real));
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	out = calloc(1, (size_t)n + sizeof(pipe) + 1);
	assert_non_null(buf);
	assert_non_null(out);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	if ((at = strstr(buf, key)) != NULL && (at == buf || at[-1] == '\n')) {
		eol = strchr(at, '\n');
		memcpy(out, buf, (size_t)(at - buf));
		strcat(out, pipe);
		if (eol != NULL)
			strcat(out, eol);
	} else {
		memcpy(out, buf, (size_t)n);
	}
	rc = cfg_parse(out, strlen(out), real, cfg, err);
	free(buf);
	free(out);
	return rc;
}
#else
#define load_here cfg_load
#endif

static void
roundtrip_file(const char *path)
{
	struct config *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct cfg_error err;
	char *text = NULL;
	size_t len = 0;

	assert_non_null(a);
	assert_non_null(b);
	if (load_here(path, a, &err) != 0)
		fail_msg("%s:%d:%d: %s", path, err.line, err.col, err.msg);
	text = print_text(a, &len);
	if (cfg_parse(text, len, path, b, &err) != 0)
		fail_msg("%s reprinted: %d:%d: %s\n%s", path, err.line, err.col,
		    err.msg, text);
	if (memcmp(a, b, sizeof(*a)) != 0)
		fail_msg("%s: reprinted config parses to another struct\n%s",
		    path, text);
	free(text);
	free(a);
	free(b);
}

/* log-file is vland.exe's: the win64 build takes it and prints it
 * back; Linux refuses it, at its value. */
static void
test_log_file(void **state)
{
	static const char text[] =
	    "connect:\n  server: h:1\n"
	    "  server-key: +8zFbwku3hKPc1+e9Z2PeX1yd/uOhiwnx9WRBRYuwHs=\n"
	    "  user: a\nlog-file: vland.log\n";
#ifdef _WIN32
	struct config *cfg = parse_ok(text);
	size_t len;
	char *out;

	(void)state;
	assert_string_equal(cfg->log_file, "vland.log");
	out = print_text(cfg, &len);
	assert_non_null(strstr(out, "\nlog-file: vland.log\n"));
	free(out);
	cfg_clear(cfg);
	free(cfg);
#else
	(void)state;
	parse_err(text, 5, 11, "only vland.exe (Windows) writes a log file");
#endif
}

/* The full tunnel and nat: a default route goes through SERVER only,
 * counts as two routes (its halves), and nat names an interface. */
static void
test_full_tunnel(void **state)
{
	static char text[256 * 48 + 256];
	struct config *cfg;
	size_t off, i;

	(void)state;
	cfg = parse_ok("ip: 10.1.0.1/24\nip6: fd00:1::1/64\n"
		       "dhcp-range: 10.1.0.10-10.1.0.20\nnat: eth0\n"
		       "routes:\n  - cidr: 0.0.0.0/0\n    nexthop: SERVER\n"
		       "  - cidr: ::/0\n    nexthop: SERVER\n");
	assert_string_equal(cfg->nat, "eth0");
	assert_int_equal(cfg->nroutes, 2);
	free(cfg);
	parse_err("ip: 10.1.0.1/24\ndhcp-range: 10.1.0.10-10.1.0.20\n"
		  "routes:\n  - cidr: 0.0.0.0/0\n    nexthop: alice\n",
	    5, 14, "goes through SERVER only");
	parse_err("ip: 10.1.0.1/24\ndhcp-range: 10.1.0.10-10.1.0.20\n"
		  "routes:\n  - cidr: 0.0.0.0/1\n    nexthop: SERVER\n"
		  "  - cidr: 0.0.0.0/0\n    nexthop: SERVER\n",
	    6, 11, "as its two halves already");
	/* ::/0 beside 0.0.0.0/1: another family, no overlap. */
	cfg = parse_ok("ip: 10.1.0.1/24\nip6: fd00:1::1/64\n"
		       "dhcp-range: 10.1.0.10-10.1.0.20\n"
		       "routes:\n  - cidr: 0.0.0.0/1\n    nexthop: SERVER\n"
		       "  - cidr: ::/0\n    nexthop: SERVER\n");
	free(cfg);
	parse_err("ip: 10.1.0.1/24\ndhcp-range: 10.1.0.10-10.1.0.20\n"
		  "nat: eth0/1\n",
	    3, 6, "not a valid interface name");
	/* 255 routes and a default: 257 sent, one too many; 254 fit. */
	for (i = 0; i < 2; i++) {
		size_t k, n = i == 0 ? 255 : 254;

		off = (size_t)snprintf(text, sizeof(text),
		    "ip: 10.1.0.1/24\ndhcp-range: 10.1.0.10-10.1.0.20\n"
		    "routes:\n  - cidr: 0.0.0.0/0\n    nexthop: SERVER\n");
		for (k = 0; k < n; k++)
			off += (size_t)snprintf(text + off, sizeof(text) - off,
			    "  - cidr: 172.16.%zu.0/24\n    nexthop: SERVER\n",
			    k);
		if (i == 0) {
			parse_err(text, 4 + 2 * 255, 11,
			    "a default route counting as two");
			continue;
		}
		cfg = parse_ok(text);
		assert_int_equal(cfg->nroutes, 255);
		free(cfg);
	}
}

static void
test_roundtrip_good_files(void **state)
{
	struct dirent *de;
	char path[1024];
	size_t n, count = 0;
	DIR *d;

	(void)state;
	assert_non_null(good_dir);
	assert_non_null(d = opendir(good_dir));
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n < 5 || strcmp(de->d_name + n - 5, ".yaml") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", good_dir, de->d_name);
		roundtrip_file(path);
		count++;
	}
	closedir(d);
	assert_true(count >= 10);
}

/* Groups as masks, and allow as the groups each mask reaches. */
static void
test_groups(void **state)
{
	struct config *cfg;

	(void)state;
	cfg = parse_ok("ip: 10.1.0.1/24\ndhcp-range: 10.1.0.10-10.1.0.20\n"
		       "isolate: true\n"
		       "groups:\n  staff: [alice, bob]\n  db: carol\n"
		       "  ops: [dave, alice]\n  idle: erin\n"
		       "allow:\n  - [staff, db]\n  - [ops, ops]\n");
	assert_true(cfg->isolate);
	assert_int_equal(cfg_groups_of(cfg, "alice"), 0x5);
	assert_int_equal(cfg_groups_of(cfg, "bob"), 0x1);
	assert_int_equal(cfg_groups_of(cfg, "carol"), 0x2);
	assert_int_equal(cfg_groups_of(cfg, "nobody"), 0);
	/* staff reaches db, db reaches staff (either way), ops itself */
	assert_int_equal(cfg_reach_of(cfg, 0x1), 0x2);
	assert_int_equal(cfg_reach_of(cfg, 0x2), 0x1);
	assert_int_equal(cfg_reach_of(cfg, 0x5), 0x6);
	assert_int_equal(cfg_reach_of(cfg, 0x8), 0);
	assert_int_equal(cfg_reach_of(cfg, 0), 0);
	free(cfg);
	parse_err("ip: 10.1.0.1/24\ndhcp-range: 10.1.0.10-10.1.0.20\n"
		  "isolate: true\nallow:\n  - [staff, db]\n",
	    5, 6, "no group staff");
}

int
main(int argc, char *argv[])
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hub_defaults),
		cmocka_unit_test(test_psk_forms),
		cmocka_unit_test(test_errors_have_positions),
		cmocka_unit_test(test_users_path),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_routes6),
		cmocka_unit_test(test_full_tunnel),
		cmocka_unit_test(test_log_file),
		cmocka_unit_test(test_roundtrip_good_files),
	};

	good_dir = argc > 1 ? argv[1] : NULL;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
