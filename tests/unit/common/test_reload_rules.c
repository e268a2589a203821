/*
 * The reload table against the parser, the man page and itself: every
 * top-level key has a rule; vland.yaml(5)'s RELOAD section lists each
 * key under the class the rule gives it; and for each key, two hub
 * configurations that differ in it alone are judged as the rule says
 * (a restart key is named by cfg_restart_needed, a reloadable one is
 * reported by cfg_reload_changes and needs no restart).
 *   test_reload_rules MAN-PAGE
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "config_reload.h"

/* Another control channel than the default: a socket's path on Linux,
 * a pipe's name on Windows (common/ctlpath.h). */
#ifdef _WIN32
#define OTHER_CONTROL "\\\\.\\pipe\\other"
#else
#define OTHER_CONTROL "/run/vland/other.sock"
#endif

/* log-file is vland.exe's: Linux refuses it (config_check.c), so its
 * rule is judged by the win64 build of this test, under wine. */
#ifdef _WIN32
#define LOG_FILE_JUDGED 1
#else
#define LOG_FILE_JUDGED 0
#endif

static const char *man_path;

/* The base, line by line: a variant that sets a key replaces its line. */
static const char *const base[] = {
	"ip: 192.168.123.254/24\n",
	"dhcp-range: 192.168.123.100-192.168.123.200\n",
};

/* For each key: lines added to the base for A and for B. */
static const struct variant {
	const char *key, *a, *b;
} variants[] = {
	{ "connect", "", NULL }, /* B: an endpoint */
	{ "mode", "", "mode: tun\n" },
	{ "port", "", "port: 6124\n" },
	{ "listen", "", "listen: 127.0.0.1\n" },
	{ "ip", "", "ip: 192.168.123.253/24\n" },
	{ "ip6", "", "ip6: fd00:7b::1/64\n" },
	{ "dhcp-range", "", "dhcp-range: 192.168.123.100-192.168.123.150\n" },
	{ "bridge", "", "bridge: br-other\n" },
	{ "interface", "mode: tun\ninterface: vla\n",
	    "mode: tun\ninterface: vlb\n" },
	{ "private-key", "", "private-key: other.key\n" },
	{ "users", "", "users: other-users\n" },
	{ "key", "", "key: a-secret-string\n" },
	{ "mtu", "", "mtu: 1300\n" },
	{ "control", "", "control: " OTHER_CONTROL "\n" },
	{ "control-group", "", "control-group: staff\n" },
	{ "control-admin-group", "", "control-admin-group: staff\n" },
	{ "route-multicast", "", "route-multicast: true\n" },
	{ "web", "", "web:\n  enable: true\n" },
	{ "log-level", "", "log-level: debug\n" },
	{ "log-file", "", "log-file: other.log\n" },
	{ "keepalive", "", "keepalive: 5\n" },
	{ "timeout", "", "timeout: 60\n" },
	{ "max-sessions", "", "max-sessions: 50\n" },
	{ "routes", "",
	    "routes:\n  - cidr: 10.1.0.0/24\n    nexthop: SERVER\n" },
	{ "bridge-users", "", "bridge-users: [alice]\n" },
	{ "switch", "", "switch: bridge\n" },
	{ "isolate", "", "isolate: true\n" },
	{ "mss-clamp", "", "mss-clamp: true\n" },
	{ "direct", "", "direct: true\n" },
	{ "nat", "", "nat: eth0\n" },
	{ "groups", "", "groups:\n  staff: [alice]\n" },
	{ "allow", "isolate: true\ngroups:\n  staff: [alice]\n",
	    "isolate: true\ngroups:\n  staff: [alice]\nallow:\n  - [staff, "
	    "staff]\n" },
	{ "dns", "", "dns:\n  servers: [192.168.123.53]\n" },
};

static const struct cfg_reload_rule *
rule_of(const char *key)
{
	size_t i;

	for (i = 0; i < cfg_nreload_rules; i++)
		if (strcmp(cfg_reload_rules[i].key, key) == 0)
			return &cfg_reload_rules[i];
	return NULL;
}

static void
test_every_key_has_a_rule(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < cfg_top_key_count(); i++)
		if (rule_of(cfg_top_key_name(i)) == NULL)
			fail_msg("key %s has no reload rule",
			    cfg_top_key_name(i));
	assert_int_equal(cfg_nreload_rules,
	    sizeof(variants) / sizeof(variants[0]));
}

/* The man page's RELOAD section: +1 reloadable, -1 restart, 0 absent. */
static int
man_class(const char *key)
{
	char line[256], want[128];
	int in = 0, restart = 0, found = 0;
	FILE *f = fopen(man_path, "r");

	assert_non_null(f);
	snprintf(want, sizeof(want), ".It Ic %s\n", key);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, ".Sh ", 4) == 0)
			in = strcmp(line, ".Sh RELOAD\n") == 0;
		else if (in && strstr(line, "Every other key needs a restart"))
			restart = 1;
		else if (in && strcmp(line, want) == 0)
			found = restart ? -1 : 1;
	}
	fclose(f);
	return found;
}

static void
test_man_page_agrees(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < cfg_nreload_rules; i++) {
		const struct cfg_reload_rule *r = &cfg_reload_rules[i];
		int c = man_class(r->key);

		if (c == 0)
			fail_msg("vland.yaml(5) RELOAD does not list %s",
			    r->key);
		if ((c == -1) != r->restart)
			fail_msg("vland.yaml(5) says %s %s, the code %s",
			    r->key, c == -1 ? "needs a restart" : "reloads",
			    r->restart ? "restarts" : "reloads");
	}
}

static struct config *
parse(const char *extra, bool endpoint)
{
	struct config *c = calloc(1, sizeof(*c));
	struct cfg_error err;
	char buf[1024];

	assert_non_null(c);
	if (endpoint)
		snprintf(buf, sizeof(buf),
		    "connect:\n  server: h:1\n"
		    "  server-key: +8zFbwku3hKPc1+e9Z2PeX1yd/uOhiwnx9WRBRYuwHs=\n"
		    "  user: alice\n");
	else {
		size_t i, klen;

		snprintf(buf, sizeof(buf), "%s", extra);
		for (i = 0; i < sizeof(base) / sizeof(base[0]); i++) {
			klen = (size_t)(strchr(base[i], ':') - base[i]) + 1;
			if (strncmp(extra, base[i], klen) != 0 &&
			    strstr(extra, base[i]) == NULL) {
				char key[64];

				snprintf(key, sizeof(key), "\n%.*s", (int)klen,
				    base[i]);
				if (strstr(extra, key) == NULL)
					strncat(buf, base[i],
					    sizeof(buf) - strlen(buf) - 1);
			}
		}
	}
	if (cfg_parse(buf, strlen(buf), "/etc/vland/vland.yaml", c, &err) ==
	    -1) {
		free(c);
		fail_msg("%d:%d: %s in\n%s", err.line, err.col, err.msg, buf);
	}
	return c;
}

static void
note(const char *key, void *arg)
{
	char *seen = arg;

	if (seen[0] != '\0')
		strcat(seen, ",");
	strcat(seen, key);
}

static void
test_code_agrees(void **state)
{
	struct config *a, *b;
	const struct cfg_reload_rule *r;
	const char *why;
	char seen[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		const struct variant *v = &variants[i];

		assert_non_null(r = rule_of(v->key));
		if (strcmp(v->key, "log-file") == 0 && !LOG_FILE_JUDGED)
			continue;
		a = parse(v->a, false);
		b = parse(v->b != NULL ? v->b : "", v->b == NULL);
		assert_null(cfg_restart_needed(a, a));
		why = cfg_restart_needed(a, b);
		seen[0] = '\0';
		cfg_reload_changes(a, b, note, seen);
		if (r->restart && (why == NULL || strcmp(why, v->key) != 0))
			fail_msg("%s changed: restart for '%s'", v->key,
			    why ? why : "(none)");
		if (!r->restart && (why != NULL || strcmp(seen, v->key) != 0))
			fail_msg("%s changed: restart for '%s', reloads '%s'",
			    v->key, why ? why : "(none)", seen);
		cfg_clear(a);
		cfg_clear(b);
		free(a);
		free(b);
	}
}

int
main(int argc, char *argv[])
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_key_has_a_rule),
		cmocka_unit_test(test_man_page_agrees),
		cmocka_unit_test(test_code_agrees),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: test_reload_rules vland.yaml.5\n");
		return 2;
	}
	man_path = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
