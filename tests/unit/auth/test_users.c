/*
 * The users file and password checks: a good file, every kind of bad
 * line (with file:line in the message), hashes from mkpasswd and openssl
 * (embedded ones made once, and fresh ones made now by the tools), and
 * the cost of an unknown user.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "pwhash.h"
#include "users.h"

/* Made once: mkpasswd -m yescrypt, mkpasswd -R 7, openssl passwd -6,
 * mkpasswd -m bcrypt and -m scrypt (whois 5.5.17, OpenSSL 3.0). */
#define H_Y                                                            \
	"$y$j9T$RUTIpVhfeFezKJ4f/NahL1$A8fRBlyqtjpiwRqKWUm66lEJ1LDgMg" \
	"/AjFDVDVG/8f/"
#define H_Y7                                                           \
	"$y$jBT$Yh8X5YqVa2t4Q61GIPY9J1$FTWe5eNlwbyCMxZIYz.St1mbL1Jli7" \
	"xkmuHZySrJPA3"
#define PW_Y "correct horse"
#define H_6                                                            \
	"$6$xeVFYo5unSzQ9Wci$/WNKnxA1J1kaTIkJ8wJ9EHxnDrwiDodv6rSDzyb8" \
	"/2eRJLZ.MmshAcfM5yR8mSVHUdIickDDEzCHgGEyDEvaU."
#define PW_6  "battery staple"
#define H_2B  "$2b$05$vv/OZeB8I1wrdxDuQ.5CjO/SA6/NpxavyET5bMAUuNHuc00E2OqIC"
#define PW_2B "Tr0ub4dor&3"
#define H_7                                                            \
	"$7$CU..../....h7QUQlZepz1n7fv6T6z3J1$uw1AocZXHzJngYBdPxD7dxK" \
	"Gr2J85Yp95RFP0kQC6SC"
#define PW_7  "x"
#define H_DES "ab01FAX.bQRSU"
#define H_MD5 "$1$BFji1Ya9$pgl9RKwiEoY2iWGgXJN.p."
#define H_5   "$5$tvA6bExa8Yz6A79O$0N/rFwYWfS2H6pYb9pWm2oTZBNCd3fkNFKGIsNo/Uo4"

static struct prefix vpn;

static int
setup(void **state)
{
	(void)state;
	if (prefix_parse("10.0.0.1/24", &vpn) == -1 || pwhash_init() == -1)
		return -1;
	return 0;
}

static struct users *
parse(const char *text, char *err, size_t errlen)
{
	err[0] = '\0';
	return users_parse(text, strlen(text), "t.users", &vpn, err, errlen);
}

static void
test_good_file(void **state)
{
	const char *text = "# vland users\n"
			   "\n"
			   "   \t\n"
			   "  # indented comment\n"
			   "alice:" H_Y "\n"
			   "bob:" H_6 ":10.0.0.5\n"
			   "carol:" H_2B ":10.0.0.250  \r\n"
			   "dave.x-1_2:" H_7 "\n"
			   "erin:" H_Y7; /* no final newline */
	struct users *u;
	const struct user_ent *e;
	char err[512], as[ADDR_STRLEN];

	(void)state;
	u = parse(text, err, sizeof(err));
	if (u == NULL)
		fail_msg("%s", err);
	assert_int_equal(u->n, 5);
	/* Sorted by name. */
	assert_string_equal(u->v[0].name, "alice");
	assert_string_equal(u->v[4].name, "erin");
	e = users_find(u, "bob");
	assert_non_null(e);
	assert_string_equal(e->hash, H_6);
	assert_true(e->has_fixed);
	assert_string_equal(addr_fmt(&e->fixed, as, sizeof(as)), "10.0.0.5");
	assert_int_equal(e->line, 6);
	e = users_find(u, "carol");
	assert_string_equal(e->hash, H_2B);
	assert_string_equal(addr_fmt(&e->fixed, as, sizeof(as)), "10.0.0.250");
	e = users_find(u, "alice");
	assert_false(e->has_fixed);
	assert_int_equal(e->line, 5);
	assert_string_equal(users_find(u, "erin")->hash, H_Y7);
	assert_null(users_find(u, "mallory"));
	assert_null(users_find(u, "alic"));
	users_free(u);

	/* An empty file is a valid file with no users. */
	u = parse("", err, sizeof(err));
	assert_non_null(u);
	assert_int_equal(u->n, 0);
	assert_null(users_find(u, "alice"));
	users_free(u);
}

static void
test_bad_lines(void **state)
{
	static const struct {
		const char *line;
		const char *msg;
	} bad[] = {
		{ "alice", "expected username:hash" },
		{ ":" H_Y, "bad user name ''" },
		{ "-alice:" H_Y, "bad user name '-alice'" },
		{ " alice:" H_Y, "bad user name ' alice'" },
		{ "al ice:" H_Y, "bad user name" },
		{ "al/ice:" H_Y, "bad user name" },
		{ "abcdefghijabcdefghijabcdefghijabc:" H_Y, "bad user name" },
		{ "SERVER:" H_Y, "reserved" },
		{ "alice:", "hash missing" },
		{ "alice:notahash", "not a crypt(3) hash" },
		{ "alice:*", "not used by crypt" },
		{ "alice:!", "hash missing after '!'" },
		{ "alice:!!" H_Y, "not used by crypt" },
		{ "alice:!" H_DES, "legacy method" },
		{ "alice:" H_Y " x", "not used by crypt" },
		{ "alice:$y$j9T$", "incomplete" },
		{ "alice:$y$j9T$RUTIpVhfeFezKJ4f/NahL1", "incomplete" },
		{ "alice:" H_DES, "legacy" },
		{ "alice:" H_MD5, "legacy" },
		{ "alice:" H_5, "legacy" },
		{ "alice:" H_Y ":", "fixed address missing" },
		{ "alice:" H_Y ":10.0.0", "bad fixed address '10.0.0'" },
		{ "alice:" H_Y ":10.0.0.5/32", "bad fixed address" },
		{ "alice:" H_Y ":fe80::1", "must be IPv4" },
		{ "alice:" H_Y ":10.0.0.5:x", "too many fields" },
		{ "alice:" H_Y ":10.0.1.5",
		    "outside the VPN subnet 10.0.0.0/24" },
		{ "alice:" H_Y ":10.0.0.1", "is the hub address" },
		{ "alice:" H_Y ":10.0.0.0", "network address" },
		{ "alice:" H_Y ":10.0.0.255", "broadcast address" },
	};
	char text[1024], err[512], want[64];
	struct users *u;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* The bad line is line 3, after a comment and a good user. */
		snprintf(text, sizeof(text), "# x\nbob:%s\n%s\ncarol:%s\n", H_Y,
		    bad[i].line, H_6);
		u = parse(text, err, sizeof(err));
		if (u != NULL)
			fail_msg("accepted: %s", bad[i].line);
		snprintf(want, sizeof(want), "t.users:3: ");
		if (strncmp(err, want, strlen(want)) != 0 ||
		    strstr(err, bad[i].msg) == NULL)
			fail_msg("line '%s': got '%s', want '%s%s'",
			    bad[i].line, err, want, bad[i].msg);
	}
}

static void
test_duplicates(void **state)
{
	char text[1024], err[512];

	(void)state;
	snprintf(text, sizeof(text),
	    "alice:%s\nbob:%s\n\ncarol:%s\nalice:%s\nbob:%s\n", H_Y, H_Y, H_6,
	    H_6, H_Y);
	assert_null(parse(text, err, sizeof(err)));
	assert_string_equal(err,
	    "t.users:5: duplicate user alice (first on line 1)");

	snprintf(text, sizeof(text),
	    "alice:%s:10.0.0.7\nbob:%s:10.0.0.8\ncarol:%s:10.0.0.7\n", H_Y, H_Y,
	    H_6);
	assert_null(parse(text, err, sizeof(err)));
	assert_string_equal(err,
	    "t.users:3: fixed address 10.0.0.7 already "
	    "belongs to alice (line 1)");

	/* The first offending line wins, whatever kind. */
	snprintf(text, sizeof(text),
	    "alice:%s:10.0.0.7\ncarol:%s:10.0.0.7\nalice:%s\n", H_Y, H_6, H_Y);
	assert_null(parse(text, err, sizeof(err)));
	assert_non_null(strstr(err, "t.users:2: fixed address"));
}

static void
test_odd_bytes(void **state)
{
	char text[USERS_LINE_MAX + 64], err[512];
	struct users *u;

	(void)state;
	memcpy(text, "alice:\0x\n", 9);
	u = users_parse(text, 9, "t.users", &vpn, err, sizeof(err));
	assert_null(u);
	assert_string_equal(err, "t.users:1: NUL byte in line");

	memset(text, '#', sizeof(text));
	u = users_parse(text, USERS_LINE_MAX + 1, "t.users", &vpn, err,
	    sizeof(err));
	assert_null(u);
	assert_non_null(strstr(err, "t.users:1: line longer than"));
	/* A comment line of exactly the limit is fine. */
	u = users_parse(text, USERS_LINE_MAX, "t.users", &vpn, err,
	    sizeof(err));
	assert_non_null(u);
	users_free(u);
}

static void
test_parse_line(void **state)
{
	struct user_ent u;
	struct users *all;
	const char *s;
	char err[256];

	(void)state;
	assert_int_equal(users_parse_line("# c", 3, &u, err, sizeof(err)),
	    USERS_LINE_EMPTY);
	assert_int_equal(users_parse_line("", 0, &u, err, sizeof(err)),
	    USERS_LINE_EMPTY);
	/* A bad line still tells whose it is, for vlanctl. */
	assert_int_equal(users_parse_line("alice:" H_DES,
			     strlen("alice:" H_DES), &u, err, sizeof(err)),
	    USERS_LINE_BAD);
	assert_string_equal(u.name, "alice");
	assert_string_equal(u.hash, "");
	assert_int_equal(users_parse_line("-x:" H_Y, strlen("-x:" H_Y), &u, err,
			     sizeof(err)),
	    USERS_LINE_BAD);
	assert_string_equal(u.name, "");
	/* A locked user: "!" before a good hash, kept as it is. */
	assert_int_equal(users_parse_line("carol:!" H_Y, strlen("carol:!" H_Y),
			     &u, err, sizeof(err)),
	    USERS_LINE_USER);
	assert_true(u.locked);
	assert_string_equal(u.hash, "!" H_Y);
	assert_int_equal(users_parse_line("carol:" H_Y, strlen("carol:" H_Y),
			     &u, err, sizeof(err)),
	    USERS_LINE_USER);
	assert_false(u.locked);
	/* Without a subnet, a fixed address is checked for form only. */
	assert_int_equal(users_parse_line("bob:" H_Y ":192.0.2.1",
			     strlen("bob:" H_Y ":192.0.2.1"), &u, err,
			     sizeof(err)),
	    USERS_LINE_USER);
	assert_true(u.has_fixed);
	assert_int_equal(users_check_fixed(&u.fixed, &vpn, err, sizeof(err)),
	    -1);
	s = "bob:" H_Y ":192.0.2.1\n";
	assert_non_null(
	    all = users_parse(s, strlen(s), "t.users", NULL, err, sizeof(err)));
	users_free(all);
}

static void
test_check_embedded(void **state)
{
	(void)state;
	assert_int_equal(pwhash_check(H_Y, PW_Y), 1);
	assert_int_equal(pwhash_check(H_Y, "correct horsE"), 0);
	assert_int_equal(pwhash_check(H_Y, "correct horse "), 0);
	assert_int_equal(pwhash_check(H_Y, ""), 0);
	assert_int_equal(pwhash_check(H_Y7, PW_Y), 1);
	assert_int_equal(pwhash_check(H_Y7, "x"), 0);
	assert_int_equal(pwhash_check(H_6, PW_6), 1);
	assert_int_equal(pwhash_check(H_6, PW_Y), 0);
	assert_int_equal(pwhash_check(H_2B, PW_2B), 1);
	assert_int_equal(pwhash_check(H_2B, "tr0ub4dor&3"), 0);
	assert_int_equal(pwhash_check(H_7, PW_7), 1);
	assert_int_equal(pwhash_check(H_7, "y"), 0);
	/* Unknown user: the dummy never matches. */
	assert_int_equal(pwhash_check(NULL, PW_Y), 0);
	assert_int_equal(pwhash_check(NULL, ""), 0);
	/* A hash crypt cannot use fails closed. */
	assert_int_equal(pwhash_check("$y$", PW_Y), 0);
	assert_int_equal(pwhash_check("", PW_Y), -1);
}

/* Run "tool args..." with input on stdin; the first output line. */
static int
run_tool(const char *cmd, const char *input, char *out, size_t outlen)
{
	char path[] = "/tmp/vland-test-pw.XXXXXX", line[1024];
	FILE *f;
	int fd, rc;

	assert_true((fd = mkstemp(path)) != -1);
	assert_int_equal(write(fd, input, strlen(input)),
	    (ssize_t)strlen(input));
	close(fd);
	snprintf(line, sizeof(line), "%s < %s", cmd, path);
	assert_non_null(f = popen(line, "r"));
	if (fgets(out, (int)outlen, f) == NULL)
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	rc = pclose(f);
	unlink(path);
	return rc;
}

static void
tool_hash(const char *envvar, const char *args, const char *pw,
    const char *prefix)
{
	const char *tool = getenv(envvar);
	char cmd[512], hash[512], err[256], line[600];
	struct user_ent u;

	if (tool == NULL || tool[0] == '\0')
		fail_msg("%s not set: the build did not find the tool", envvar);
	snprintf(cmd, sizeof(cmd), "'%s' %s", tool, args);
	assert_int_equal(run_tool(cmd, pw, hash, sizeof(hash)), 0);
	if (strncmp(hash, prefix, strlen(prefix)) != 0)
		fail_msg("%s made '%s', want %s...", cmd, hash, prefix);
	snprintf(line, sizeof(line), "alice:%s:10.0.0.9", hash);
	assert_int_equal(users_parse_line(line, strlen(line), &u, err,
			     sizeof(err)),
	    USERS_LINE_USER);
	assert_string_equal(u.hash, hash);
	assert_int_equal(pwhash_check(u.hash, pw), 1);
	assert_int_equal(pwhash_check(u.hash, "not the password"), 0);
}

static void
test_tools(void **state)
{
	(void)state;
	/* The tools read the password from stdin (never argv). */
	tool_hash("MKPASSWD", "-s", "s3cret word", "$y$j9T$");
	tool_hash("MKPASSWD", "-m yescrypt -R 7 -s", "s3cret word", "$y$jBT$");
	tool_hash("OPENSSL", "passwd -6 -stdin", "s3cret word", "$6$");
}

static void
test_make(void **state)
{
	char h[USERS_HASH_MAX + 1], h2[USERS_HASH_MAX + 1], line[400];
	char err[256];
	struct user_ent u;

	(void)state;
	assert_int_equal(pwhash_make("pass:word", h, sizeof(h)), 0);
	assert_int_equal(strncmp(h, "$y$j9T$", 7), 0);
	assert_int_equal(pwhash_check(h, "pass:word"), 1);
	assert_int_equal(pwhash_check(h, "pass:wordx"), 0);
	/* Fresh salt every time. */
	assert_int_equal(pwhash_make("pass:word", h2, sizeof(h2)), 0);
	assert_string_not_equal(h, h2);
	snprintf(line, sizeof(line), "u:%s", h);
	assert_int_equal(users_parse_line(line, strlen(line), &u, err,
			     sizeof(err)),
	    USERS_LINE_USER);
	assert_int_equal(pwhash_make("x", h, 10), -1);
}

static double
elapsed(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static double
time_check(const char *stored)
{
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(pwhash_check(stored, "wrong"), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return elapsed(&t0, &t1);
}

static void
test_unknown_costs_the_same(void **state)
{
	char h[USERS_HASH_MAX + 1];
	double known = 1e9, unknown = 1e9, t;
	int i;

	(void)state;
	/* A default-cost hash, like the ones vlanctl and mkpasswd make. */
	assert_int_equal(pwhash_make("pw", h, sizeof(h)), 0);
	/* Interleaved, best of 5: other load hits both sides alike. */
	for (i = 0; i < 5; i++) {
		if ((t = time_check(h)) < known)
			known = t;
		if ((t = time_check(NULL)) < unknown)
			unknown = t;
	}
	printf("# yescrypt check: known user %.1f ms, unknown %.1f ms\n",
	    known * 1e3, unknown * 1e3);
	assert_true(unknown > known * 0.5 && unknown < known * 2);
}

static void
test_load(void **state)
{
	char path[] = "/tmp/vland-test-users.XXXXXX", err[512];
	struct users *u;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) != -1);
	assert_int_equal(write(fd, "alice:" H_Y "\n", 6 + strlen(H_Y) + 1),
	    (ssize_t)(6 + strlen(H_Y) + 1));
	u = users_load(path, "users", &vpn, err, sizeof(err));
	assert_non_null(u);
	assert_int_equal(u->n, 1);
	users_free(u);
	/* Too large: refused before parsing. */
	assert_int_equal(ftruncate(fd, USERS_FILE_MAX + 1), 0);
	assert_null(users_load(path, "users", &vpn, err, sizeof(err)));
	assert_string_equal(err, "users: file too large");
	close(fd);
	unlink(path);
	assert_null(users_load(path, NULL, &vpn, err, sizeof(err)));
	assert_non_null(strstr(err, "No such file"));
	assert_null(users_load("/", NULL, &vpn, err, sizeof(err)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_odd_bytes),
		cmocka_unit_test(test_parse_line),
		cmocka_unit_test(test_check_embedded),
		cmocka_unit_test(test_tools),
		cmocka_unit_test(test_make),
		cmocka_unit_test(test_unknown_costs_the_same),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
