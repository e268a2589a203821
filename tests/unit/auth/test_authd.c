/*
 * vland-auth as vland runs it: started as root with its socket on
 * descriptor 3, it must drop to _vland-auth inside the configuration
 * directory and answer over SOCK_SEQPACKET. This driver plays vland,
 * with the real message structs from proto/ipcmsg.h, and checks logins,
 * addresses, release, reload, the config text, back-off under a flood,
 * and that a malformed message kills it cleanly. Needs root (exit 77
 * otherwise) and the _vland-auth user (scripts/setup-deps.sh).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "ipc.h"
#include "ipcmsg.h"
#include "privsep.h"
#include "pwhash.h"
#include "vland_config.h"

#define H_6                                                            \
	"$6$xeVFYo5unSzQ9Wci$/WNKnxA1J1kaTIkJ8wJ9EHxnDrwiDodv6rSDzyb8" \
	"/2eRJLZ.MmshAcfM5yR8mSVHUdIickDDEzCHgGEyDEvaU."
#define PW_6  "battery staple"
#define H_MD5 "$1$BFji1Ya9$pgl9RKwiEoY2iWGgXJN.p."

/* Passwords that must never appear in the log. */
#define PW_ALICE "alice-Secret-1"
#define PW_WRONG "wrong-Secret-2"

static const char *authbin;
static char dir[] = "/tmp/vland-auth-test.XXXXXX";
static char cfgpath[PATH_MAX], relcfg[PATH_MAX], userspath[PATH_MAX];
static char hash_alice[256], hash_other[256];
static uint32_t reqid = 1;

struct child {
	pid_t pid;
	struct ipc_chan chan;
	char log[PATH_MAX];
};

static struct child main_child;
static double hash_time; /* seconds, measured on good logins */

/* ---- files ---- */

static void
write_file(const char *path, const char *text, mode_t mode)
{
	struct group *gr = getgrnam(VLAND_GROUP);
	int fd;

	assert_non_null(gr);
	unlink(path);
	assert_true(
	    (fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)) != -1);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	/* Readable by vland-auth's group only, as an operator would. */
	assert_int_equal(fchown(fd, 0, gr->gr_gid), 0);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static void
write_users(const char *extra)
{
	char text[4096];

	snprintf(text, sizeof(text),
	    "# test users\n"
	    "alice:%s\n"
	    "bob:%s\n"
	    "carol:%s:10.9.0.50\n"
	    "\n"
	    "dave:%s:10.9.0.102\n"
	    "frank:%s\n"
	    "gina:%s\n"
	    "%s",
	    hash_alice, H_6, hash_other, hash_other, hash_other, hash_other,
	    extra);
	write_file(userspath, text, 0640);
}

static char *
read_log(const struct child *c)
{
	static char buf[1 << 20];
	ssize_t n;
	int fd;

	assert_true((fd = open(c->log, O_RDONLY)) != -1);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n >= 0);
	buf[n] = '\0';
	return buf;
}

/* ---- the process ---- */

static void
start(struct child *c, const char *cfg)
{
	int sv[2], logfd;

	memset(c, 0, sizeof(*c));
	snprintf(c->log, sizeof(c->log), "%s.log.%d", dir, (int)reqid++);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_true(
	    (logfd = open(c->log, O_WRONLY | O_CREAT | O_TRUNC, 0600)) != -1);
	c->pid = fork();
	assert_true(c->pid != -1);
	if (c->pid == 0) {
		if (dup2(sv[1], PRIV_IPC_FD) == -1 ||
		    dup2(logfd, STDERR_FILENO) == -1)
			_exit(126);
		closefrom(PRIV_IPC_FD + 1);
		/* LeakSanitizer needs /proc, which the chroot hides. */
		setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
		execl(authbin, "vland-auth", "-d", "-f", cfg, "-u",
		    VLAND_AUTH_USER, (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	close(logfd);
	assert_int_equal(ipc_init(&c->chan, sv[0], 0), 0);
}

/* Wait for the child to end; its exit status, or -1 if signalled. */
static int
reap(struct child *c, int timeout_ms)
{
	int st, waited;

	for (waited = 0; waited < timeout_ms; waited += 10) {
		if (waitpid(c->pid, &st, WNOHANG) == c->pid) {
			ipc_clear(&c->chan);
			if (WIFSIGNALED(st))
				fail_msg("vland-auth killed by signal %d",
				    WTERMSIG(st));
			return WEXITSTATUS(st);
		}
		usleep(10 * 1000);
	}
	kill(c->pid, SIGKILL);
	waitpid(c->pid, &st, 0);
	ipc_clear(&c->chan);
	fail_msg("vland-auth did not exit");
	return -1;
}

static void
send_msg(struct child *c, uint16_t type, uint32_t peerid, uint32_t id,
    const void *data, size_t len)
{
	struct pollfd pfd = { c->chan.fd, POLLOUT, 0 };

	assert_int_equal(ipc_compose(&c->chan, type, peerid, id, -1, data, len),
	    0);
	while (c->chan.queued > 0) {
		assert_true(poll(&pfd, 1, 5000) == 1);
		assert_int_equal(ipc_flush(&c->chan), 0);
	}
}

/* Send raw bytes, framing and all, as a broken vland would. */
static void
send_raw(struct child *c, const void *buf, size_t len)
{
	assert_int_equal(send(c->chan.fd, buf, len, 0), (ssize_t)len);
}

/* 1 with m filled, 0 on EOF; fails after timeout_ms. */
static int
recv_msg(struct child *c, struct ipc_msg *m, int timeout_ms)
{
	struct pollfd pfd = { c->chan.fd, POLLIN, 0 };
	int n;

	for (;;) {
		if ((n = ipc_read(&c->chan, m)) != -1)
			return n;
		assert_int_equal(errno, EAGAIN);
		if (poll(&pfd, 1, timeout_ms) != 1)
			fail_msg("no reply from vland-auth in %d ms",
			    timeout_ms);
	}
}

static struct addr
A(const char *s) {
	struct addr a;

	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

static void
send_check(struct child *c, const char *user, const char *pw, const char *src,
    uint32_t peer, uint32_t id)
{
	struct auth_check req;

	memset(&req, 0, sizeof(req));
	snprintf(req.user, sizeof(req.user), "%s", user);
	snprintf(req.password, sizeof(req.password), "%s", pw);
	req.source = A(src);
	send_msg(c, IMSG_AUTH_CHECK, peer, id, &req, sizeof(req));
}

/* The next result, whichever request it answers. */
static struct auth_result
recv_any(struct child *c, uint32_t *peer, uint32_t *id)
{
	struct ipc_msg m;
	struct auth_result r;

	assert_int_equal(recv_msg(c, &m, 10000), 1);
	assert_int_equal(m.hdr.type, IMSG_AUTH_RESULT);
	assert_int_equal(ipc_get_exact(&m, &r, sizeof(r)), 0);
	*peer = m.hdr.peerid;
	*id = m.hdr.reqid;
	return r;
}

static struct auth_result
recv_result(struct child *c, uint32_t peer, uint32_t id)
{
	struct ipc_msg m;
	struct auth_result r;

	assert_int_equal(recv_msg(c, &m, 10000), 1);
	assert_int_equal(m.hdr.type, IMSG_AUTH_RESULT);
	assert_int_equal(m.hdr.peerid, peer);
	assert_int_equal(m.hdr.reqid, id);
	assert_int_equal(ipc_get_exact(&m, &r, sizeof(r)), 0);
	return r;
}

static struct auth_result
check(const char *user, const char *pw, const char *src)
{
	uint32_t id = reqid++;

	send_check(&main_child, user, pw, src, 7000 + id, id);
	return recv_result(&main_child, 7000 + id, id);
}

static const char *
fmt(const struct addr *a)
{
	static char buf[4][ADDR_STRLEN];
	static int i;

	i = (i + 1) % 4;
	return addr_fmt(a, buf[i], sizeof(buf[i]));
}

static void
assert_ok(struct auth_result r, const char *addr, bool fixed)
{
	if (r.status != AUTH_S_OK)
		fail_msg("status %d, want OK", r.status);
	assert_string_equal(fmt(&r.address), addr);
	assert_int_equal(r.prefixlen, 24);
	assert_int_equal(r.fixed, fixed);
}

static void
assert_refused(struct auth_result r, int status)
{
	assert_int_equal(r.status, status);
	assert_int_equal(r.address.af, 0);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint32_t
fnv(const char *s)
{
	uint32_t h = 2166136261U;

	for (; *s != '\0'; s++)
		h = (h ^ (uint8_t)*s) * 16777619U;
	return h;
}

/* ---- tests, in order, on one vland-auth ---- */

static void
test_start(void **state)
{
	char path[64], line[256], root[PATH_MAX];
	struct passwd *pw = getpwnam(VLAND_AUTH_USER);
	const char *log;
	FILE *f;
	ssize_t n;
	int seen = 0;

	(void)state;
	start(&main_child, cfgpath);
	/* The first answer proves start-up is over. */
	assert_ok(check("alice", PW_ALICE, "192.0.2.1"), "10.9.0.103", false);

	log = read_log(&main_child);
	assert_non_null(strstr(log, "vland-auth: protections: uid "));
	assert_non_null(strstr(log,
	    "capabilities none, no_new_privs 1, "
	    "dumpable 0"));
	assert_non_null(strstr(log, "6 users (2 with a fixed address) from "));
	assert_non_null(strstr(log,
	    "pool 10.9.0.100-10.9.0.103, 4 "
	    "addresses, /24"));

	/* What the kernel says about it. */
	snprintf(path, sizeof(path), "/proc/%d/root", (int)main_child.pid);
	assert_true((n = readlink(path, root, sizeof(root) - 1)) > 0);
	root[n] = '\0';
	assert_string_equal(root, dir);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)main_child.pid);
	assert_non_null(f = fopen(path, "r"));
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned u[4];

		if (sscanf(line, "Uid: %u %u %u %u", &u[0], &u[1], &u[2],
			&u[3]) == 4) {
			assert_true(u[0] == pw->pw_uid && u[1] == pw->pw_uid &&
			    u[2] == pw->pw_uid && u[3] == pw->pw_uid);
			seen++;
		}
		if (strncmp(line, "CapEff:", 7) == 0 ||
		    strncmp(line, "CapPrm:", 7) == 0) {
			assert_non_null(strstr(line, "0000000000000000"));
			seen++;
		}
		if (strncmp(line, "NoNewPrivs:", 11) == 0) {
			assert_non_null(strstr(line, "1"));
			seen++;
		}
	}
	fclose(f);
	assert_int_equal(seen, 4);
}

static void
test_logins(void **state)
{
	struct auth_result r;
	double t0, t, good = 1e9, bad = 1e9, unknown = 1e9;
	int i;

	(void)state;
	/* Hashed addresses: alice 3 -> .103, bob 0 -> .100 in 4. */
	assert_int_equal(fnv("alice") % 4, 3);
	assert_int_equal(fnv("bob") % 4, 0);
	for (i = 0; i < 3; i++) {
		t0 = now();
		assert_ok(check("alice", PW_ALICE, "192.0.2.1"), "10.9.0.103",
		    false);
		if ((t = now() - t0) < good)
			good = t;
	}
	hash_time = good;
	assert_ok(check("bob", PW_6, "192.0.2.1"), "10.9.0.100", false);
	assert_ok(check("carol", "other", "192.0.2.1"), "10.9.0.50", true);
	assert_ok(check("dave", "other", "192.0.2.1"), "10.9.0.102", true);

	/* Failures: each source and user stays under the threshold. */
	for (i = 0; i < 2; i++) {
		t0 = now();
		r = check("alice", PW_WRONG, "192.0.2.2");
		assert_refused(r, AUTH_S_BAD_CREDENTIALS);
		if ((t = now() - t0) < bad)
			bad = t;
		t0 = now();
		r = check("nobody", PW_ALICE, "192.0.2.3");
		assert_refused(r, AUTH_S_BAD_CREDENTIALS);
		if ((t = now() - t0) < unknown)
			unknown = t;
	}
	printf("# one check: good %.1f ms, wrong password %.1f ms, unknown "
	       "user %.1f ms\n",
	    good * 1e3, bad * 1e3, unknown * 1e3);
	/* An unknown user costs a hash, like a wrong password. */
	assert_true(unknown > bad * 0.5);
	assert_refused(check("alice", "", "2001:db8::1"),
	    AUTH_S_BAD_CREDENTIALS);
	assert_refused(check("bob", PW_ALICE, "2001:db8::1"),
	    AUTH_S_BAD_CREDENTIALS);
	/* A name that can never exist is refused, and not printed. */
	assert_refused(check("bad name\n", PW_ALICE, "192.0.2.4"),
	    AUTH_S_BAD_CREDENTIALS);
	assert_refused(check("SERVER", PW_ALICE, "192.0.2.4"),
	    AUTH_S_BAD_CREDENTIALS);
}

static void
test_pool_release(void **state)
{
	struct auth_user u;
	struct auth_result r;

	(void)state;
	/* alice .103, bob .100, dave .102 (fixed): frank gets .101. */
	r = check("frank", "other", "192.0.2.5");
	assert_ok(r, "10.9.0.101", false);
	assert_refused(check("gina", "other", "192.0.2.5"),
	    AUTH_S_POOL_EXHAUSTED);
	/* The right password on a full pool still resets the back-off. */
	memset(&u, 0, sizeof(u));
	strcpy(u.user, "alice");
	send_msg(&main_child, IMSG_AUTH_RELEASE, 0, reqid++, &u, sizeof(u));
	/* Releasing twice is harmless (a reload may have done it). */
	send_msg(&main_child, IMSG_AUTH_RELEASE, 0, reqid++, &u, sizeof(u));
	assert_ok(check("gina", "other", "192.0.2.5"), "10.9.0.103", false);
	strcpy(u.user, "gina");
	send_msg(&main_child, IMSG_AUTH_RELEASE, 0, reqid++, &u, sizeof(u));
	assert_ok(check("alice", PW_ALICE, "192.0.2.1"), "10.9.0.103", false);
	/* Same user again while holding: same address. */
	assert_ok(check("alice", PW_ALICE, "192.0.2.6"), "10.9.0.103", false);
	/* No way to an address without the password, even for a holder. */
	assert_refused(check("alice", PW_WRONG, "192.0.2.6"),
	    AUTH_S_BAD_CREDENTIALS);
}

static void
test_reload(void **state)
{
	struct ipc_msg m;
	struct ipc_result res;
	struct auth_user gone;
	char extra[2048];
	uint32_t id;
	int ngone = 0;

	(void)state;
	/* A legacy hash: the whole file is refused, the old one stays. */
	snprintf(extra, sizeof(extra), "hank:%s\n", H_MD5);
	write_users(extra);
	id = reqid++;
	send_msg(&main_child, IMSG_AUTH_RELOAD, 0, id, NULL, 0);
	assert_int_equal(recv_msg(&main_child, &m, 5000), 1);
	assert_int_equal(m.hdr.type, IMSG_AUTH_RELOADED);
	assert_int_equal(m.hdr.reqid, id);
	assert_int_equal(ipc_get_exact(&m, &res, sizeof(res)), 0);
	assert_int_equal(res.error, EINVAL);
	assert_true(ipcmsg_str_ok(res.msg, sizeof(res.msg)));
	printf("# reload refused: %s\n", res.msg);
	assert_non_null(strstr(res.msg, "/users:9: hash: legacy method"));
	assert_ok(check("bob", PW_6, "192.0.2.7"), "10.9.0.100", false);

	/*
	 * bob is removed; the fixed addresses of carol and dave move while
	 * they hold the old ones; frank holds .101, which becomes dave's.
	 * The four go; alice and gina stay.
	 */
	snprintf(extra, sizeof(extra),
	    "alice:%s\ncarol:%s:10.9.0.51\ndave:%s:10.9.0.101\nfrank:%s\n"
	    "gina:%s\n",
	    hash_alice, hash_other, hash_other, hash_other, hash_other);
	write_file(userspath, extra, 0640);
	id = reqid++;
	send_msg(&main_child, IMSG_AUTH_RELOAD, 0, id, NULL, 0);
	for (;;) {
		assert_int_equal(recv_msg(&main_child, &m, 5000), 1);
		if (m.hdr.type != IMSG_AUTH_USER_GONE)
			break;
		assert_int_equal(ipc_get_exact(&m, &gone, sizeof(gone)), 0);
		assert_true(ipcmsg_str_ok(gone.user, sizeof(gone.user)));
		printf("# gone: %s\n", gone.user);
		assert_true(strcmp(gone.user, "bob") == 0 ||
		    strcmp(gone.user, "carol") == 0 ||
		    strcmp(gone.user, "dave") == 0 ||
		    strcmp(gone.user, "frank") == 0);
		ngone++;
	}
	assert_int_equal(ngone, 4);
	assert_int_equal(m.hdr.type, IMSG_AUTH_RELOADED);
	assert_int_equal(m.hdr.reqid, id);
	assert_int_equal(ipc_get_exact(&m, &res, sizeof(res)), 0);
	assert_int_equal(res.error, 0);

	assert_refused(check("bob", PW_6, "192.0.2.8"), AUTH_S_BAD_CREDENTIALS);
	assert_ok(check("carol", "other", "192.0.2.8"), "10.9.0.51", true);
	assert_ok(check("dave", "other", "192.0.2.8"), "10.9.0.101", true);
	/* alice kept her session and address through the reload. */
	assert_ok(check("alice", PW_ALICE, "192.0.2.8"), "10.9.0.103", false);
	/* .100 (bob's) and .102 (dave's old) are free: frank gets one. */
	assert_int_equal(check("frank", "other", "192.0.2.9").status,
	    AUTH_S_OK);
}

static void
test_config_text(void **state)
{
	struct ipc_msg m;
	struct ipc_result res;
	char big[80 * 1024], *text;
	uint32_t id = reqid++;
	int fd;
	ssize_t n;

	(void)state;
	send_msg(&main_child, IMSG_AUTH_CONFIG_GET, 5, id, NULL, 0);
	assert_int_equal(recv_msg(&main_child, &m, 5000), 1);
	assert_int_equal(m.hdr.type, IMSG_AUTH_CONFIG_TEXT);
	assert_int_equal(m.hdr.reqid, id);
	assert_int_equal(m.hdr.peerid, 5);
	assert_true((fd = open(cfgpath, O_RDONLY)) != -1);
	n = read(fd, big, sizeof(big));
	close(fd);
	assert_int_equal((ssize_t)m.datalen, n);
	assert_memory_equal(m.data, big, (size_t)n);

	/* Too large for one message: an error, not a truncated text. */
	text = calloc(1, sizeof(big) + 1);
	memcpy(text, big, (size_t)n);
	memset(text + n, '#', sizeof(big) - (size_t)n - 1);
	text[sizeof(big) - 1] = '\n';
	write_file(cfgpath, text, 0640);
	id = reqid++;
	send_msg(&main_child, IMSG_AUTH_CONFIG_GET, 0, id, NULL, 0);
	assert_int_equal(recv_msg(&main_child, &m, 5000), 1);
	assert_int_equal(m.hdr.type, IMSG_AUTH_RELOADED);
	assert_int_equal(ipc_get_exact(&m, &res, sizeof(res)), 0);
	assert_int_equal(res.error, EFBIG);
	/* Put it back. */
	big[n] = '\0';
	write_file(cfgpath, big, 0640);
	free(text);

	/* Verbosity has no reply; the next request still works. */
	send_msg(&main_child, IMSG_LOG_VERBOSE, 0, reqid++,
	    &(struct ipc_int){ 1 }, sizeof(struct ipc_int));
	assert_ok(check("alice", PW_ALICE, "192.0.2.1"), "10.9.0.103", false);
}

static void
test_flood(void **state)
{
	struct auth_result r;
	double t0, t;
	int i, nbad = 0, nbackoff = 0, nbusy = 0;
	uint32_t peer, id;
	bool seen[50] = { false };

	(void)state;
	/*
	 * 50 wrong passwords for gina from A are sent before one good
	 * login from B. A may queue 8 checks: the others are answered
	 * "busy" at once (a few more get in while the first go to the
	 * hashing workers, as the socket is read between them). The queue
	 * is served round-robin between sources, so B's check runs second,
	 * not ninth; the checks of gina at A run one at a time, whatever
	 * the workers, so A's first 5 failures block gina at A and the
	 * rest queued are answered "back-off" unhashed.
	 */
	t0 = now();
	t = 0;
	for (i = 0; i < 50; i++)
		send_check(&main_child, "gina", PW_WRONG, "203.0.113.66",
		    100 + (uint32_t)i, 10000 + (uint32_t)i);
	send_check(&main_child, "alice", PW_ALICE, "198.51.100.7", 99, 20000);
	/* Answers come as checks finish, not in the order asked. */
	for (i = 0; i < 51; i++) {
		r = recv_any(&main_child, &peer, &id);
		if (peer == 99) {
			t = now() - t0;
			assert_int_equal(id, 20000);
			assert_ok(r, "10.9.0.103", false);
			continue;
		}
		assert_int_equal(id, 10000 + peer - 100);
		assert_false(seen[peer - 100]);
		seen[peer - 100] = true;
		if (r.status == AUTH_S_BAD_CREDENTIALS)
			nbad++;
		else if (r.status == AUTH_S_BACKOFF)
			nbackoff++;
		else if (r.status == AUTH_S_BUSY)
			nbusy++;
		if (r.status == AUTH_S_BACKOFF || r.status == AUTH_S_BUSY)
			assert_true(r.wait >= 1);
		assert_int_equal(r.address.af, 0);
	}
	printf("# flood: %d hashed, %d refused by back-off, %d busy; the "
	       "good login answered after %.1f ms = %.1f hashes of %.1f ms\n",
	    nbad, nbackoff, nbusy, t * 1e3, t / hash_time, hash_time * 1e3);
	assert_true(t > 0);
	assert_int_equal(nbad, 5);
	assert_true(nbackoff >= 3);
	assert_true(nbusy >= 30);
	assert_int_equal(nbad + nbackoff + nbusy, 50);
	/* 2 hashes are needed (FIFO would take 9); 6 leaves room for a
	 * loaded machine. */
	assert_true(t < 6 * hash_time);
	/* gina is blocked at A, right password or not, with the seconds
	 * left ... */
	r = check("gina", "other", "203.0.113.66");
	assert_refused(r, AUTH_S_BACKOFF);
	assert_true(r.wait >= 55 && r.wait <= 60);
	/* ... and at any address of A's /64 when A is IPv6 (below), but
	 * not elsewhere, and nobody else is blocked at A. */
	assert_int_equal(check("gina", "other", "198.51.100.8").status,
	    AUTH_S_OK);
	assert_int_equal(check("frank", "other", "203.0.113.66").status,
	    AUTH_S_OK);
	for (i = 0; i < 5; i++)
		assert_refused(check("gina", PW_WRONG, "2001:db8:1:2::1"),
		    AUTH_S_BAD_CREDENTIALS);
	assert_refused(check("gina", "other", "2001:db8:1:2::99"),
	    AUTH_S_BACKOFF);
	assert_int_equal(check("gina", "other", "2001:db8:1:3::1").status,
	    AUTH_S_OK);

	/* No password ever reached the log; each failure did. */
	assert_null(strstr(read_log(&main_child), PW_ALICE));
	assert_null(strstr(read_log(&main_child), PW_WRONG));
	assert_null(strstr(read_log(&main_child), PW_6));
	assert_non_null(strstr(read_log(&main_child),
	    "login alice from 192.0.2.2: wrong password"));
	assert_non_null(strstr(read_log(&main_child),
	    "login nobody from 192.0.2.3: unknown user"));
	assert_non_null(strstr(read_log(&main_child),
	    "login from 192.0.2.4: invalid user name"));
	assert_non_null(strstr(read_log(&main_child),
	    "user gina from 203.0.113.66: too many failed logins, refused "
	    "there for 60 s"));
	assert_null(strstr(read_log(&main_child), "bad name"));
}

/*
 * Requests are read between checks: 8 checks from A are queued and
 * running when B's arrives, and B's runs next, not after A's 8.
 */
static void
test_interleave(void **state)
{
	struct auth_result r;
	uint32_t peer, id;
	double t0, t = 0;
	char user[16];
	int i;

	(void)state;
	for (i = 0; i < 8; i++) {
		snprintf(user, sizeof(user), "nobody%d", i);
		send_check(&main_child, user, PW_WRONG, "203.0.113.77",
		    300 + (uint32_t)i, 30000 + (uint32_t)i);
	}
	/* The first of A's is being hashed now. */
	usleep((useconds_t)(hash_time * 1e6 / 2));
	t0 = now();
	send_check(&main_child, "alice", PW_ALICE, "198.51.100.9", 299, 29999);
	for (i = 0; i < 9; i++) {
		r = recv_any(&main_child, &peer, &id);
		if (peer == 299) {
			t = now() - t0;
			assert_int_equal(r.status, AUTH_S_OK);
		}
	}
	printf("# interleave: B answered %.1f ms = %.1f hashes after it "
	       "came, behind 8 of A's\n",
	    t * 1e3, t / hash_time);
	assert_true(t > 0);
	/* One of A's still running, then B's; 8 would mean no reading. */
	assert_true(t < 4 * hash_time);
}

/*
 * The wider blocks. A source that fails for 20 names is refused for
 * any name but those that logged in there before; a user who fails 20
 * times from anywhere is refused but where they logged in before.
 */
static void
test_wide_blocks(void **state)
{
	char user[32], src[32];
	int i;

	(void)state;
	/* frank is known at .88 */
	assert_int_equal(check("frank", "other", "203.0.113.88").status,
	    AUTH_S_OK);
	for (i = 0; i < 20; i++) {
		snprintf(user, sizeof(user), "spray%d", i);
		assert_refused(check(user, PW_WRONG, "203.0.113.88"),
		    AUTH_S_BAD_CREDENTIALS);
	}
	assert_refused(check("spray99", PW_WRONG, "203.0.113.88"),
	    AUTH_S_BACKOFF);
	assert_refused(check("gina", "other", "203.0.113.88"), AUTH_S_BACKOFF);
	assert_int_equal(check("frank", "other", "203.0.113.88").status,
	    AUTH_S_OK);
	assert_non_null(strstr(read_log(&main_child),
	    "source 203.0.113.88: failed logins for too many names"));

	/* carol guessed from 20 places: refused at a new one, not where
	 * she logged in before. */
	assert_int_equal(check("carol", "other", "198.51.100.50").status,
	    AUTH_S_OK);
	for (i = 0; i < 20; i++) {
		snprintf(src, sizeof(src), "192.0.2.%d", 100 + i);
		assert_refused(check("carol", PW_WRONG, src),
		    AUTH_S_BAD_CREDENTIALS);
	}
	assert_refused(check("carol", "other", "192.0.2.200"), AUTH_S_BACKOFF);
	assert_int_equal(check("carol", "other", "198.51.100.50").status,
	    AUTH_S_OK);
	assert_non_null(strstr(read_log(&main_child),
	    "user carol: too many failed logins from everywhere"));
}

/* ---- the hashing workers: on a fresh vland-auth ---- */

/* The children of pid (its workers), from /proc; how many. */
static size_t
children_of(pid_t pid, pid_t *out, size_t max)
{
	char path[64], buf[512], *p, *end;
	size_t n = 0;
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid,
	    (int)pid);
	assert_true((fd = open(path, O_RDONLY)) != -1);
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(len >= 0);
	buf[len] = '\0';
	for (p = buf; n < max; p = end) {
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		out[n++] = (pid_t)v;
	}
	return n;
}

static bool
status_has(pid_t pid, const char *line)
{
	char path[64], buf[4096];
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((fd = open(path, O_RDONLY)) == -1)
		return false;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len < 0)
		return false;
	buf[len] = '\0';
	return strstr(buf, line) != NULL;
}

/*
 * One worker per online CPU (at most 8), each a child of vland-auth,
 * chrooted with it and under a seccomp filter; checks of different
 * sources run side by side; a worker killed idle is noticed and the
 * others go on; with all killed, one of them with a check, that check
 * is answered "try later" (or was done) and vland-auth checks in its
 * own process.
 */
static void
test_workers(void **state)
{
	struct child c;
	struct auth_result r;
	pid_t w[16];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t want = ncpu < 1 ? 1 : ncpu > 8 ? 8 : (size_t)ncpu, n, i;
	char want_line[64], src[32], user[32], root[PATH_MAX], path[64];
	double t0, t;
	ssize_t len;
	uint32_t peer, id;

	(void)state;
	start(&c, relcfg);
	send_check(&c, "alice", PW_ALICE, "192.0.2.201", 1, 1);
	assert_int_equal(recv_result(&c, 1, 1).status, AUTH_S_OK);
	snprintf(want_line, sizeof(want_line), "; %zu hashing workers", want);
	assert_non_null(strstr(read_log(&c), want_line));
	assert_int_equal((n = children_of(c.pid, w, 16)), want);
	for (i = 0; i < n; i++) {
		assert_true(status_has(w[i], "Seccomp:\t2"));
		snprintf(path, sizeof(path), "/proc/%d/root", (int)w[i]);
		assert_true((len = readlink(path, root, sizeof(root) - 1)) > 0);
		root[len] = '\0';
		assert_string_equal(root, dir);
	}

	/* Eight checks from eight sources at once. */
	t0 = now();
	for (i = 0; i < 8; i++) {
		snprintf(user, sizeof(user), "nobody%zu", i);
		snprintf(src, sizeof(src), "192.0.2.%zu", 210 + i);
		send_check(&c, user, PW_WRONG, src, 100 + (uint32_t)i,
		    100 + (uint32_t)i);
	}
	for (i = 0; i < 8; i++) {
		r = recv_any(&c, &peer, &id);
		assert_int_equal(r.status, AUTH_S_BAD_CREDENTIALS);
	}
	t = now() - t0;
	printf("# workers: %zu; 8 checks at once answered in %.1f ms = %.1f "
	       "hashes of %.1f ms\n",
	    n, t * 1e3, t / hash_time, hash_time * 1e3);

	/*
	 * A reload while alice's check is in a worker, her hash changed:
	 * the answer is "try later" (1 s); OK if the check ended before
	 * the reload was read, bad credentials if the reload was read
	 * before the check's turn (it ran on the new hash). Then her new
	 * password works, and the file goes back as it was.
	 */
	{
		char saved[4096], extra[1024];
		ssize_t slen;
		bool answered = false, reloaded = false;
		struct ipc_msg m;
		int fd;

		assert_true((fd = open(userspath, O_RDONLY)) != -1);
		slen = read(fd, saved, sizeof(saved) - 1);
		close(fd);
		assert_true(slen > 0);
		saved[slen] = '\0';
		send_check(&c, "alice", PW_ALICE, "192.0.2.201", 5, 5);
		usleep((useconds_t)(hash_time * 1e6 / 2));
		snprintf(extra, sizeof(extra), "alice:%s\n", hash_other);
		write_file(userspath, extra, 0640);
		send_msg(&c, IMSG_AUTH_RELOAD, 0, 6, NULL, 0);
		while (!answered || !reloaded) {
			assert_int_equal(recv_msg(&c, &m, 10000), 1);
			if (m.hdr.type == IMSG_AUTH_RESULT) {
				assert_int_equal(m.hdr.reqid, 5);
				assert_int_equal(ipc_get_exact(&m, &r,
						     sizeof(r)),
				    0);
				printf("# reload during a check: %s\n",
				    r.status == AUTH_S_OK
					? "ok (it ended first)"
					: r.status == AUTH_S_BUSY
					? "try later"
					: "bad credentials (it came first)");
				if (r.status == AUTH_S_BUSY)
					assert_int_equal(r.wait, 1);
				else if (r.status != AUTH_S_OK)
					assert_int_equal(r.status,
					    AUTH_S_BAD_CREDENTIALS);
				answered = true;
			} else if (m.hdr.type == IMSG_AUTH_RELOADED)
				reloaded = true;
			else
				assert_int_equal(m.hdr.type,
				    IMSG_AUTH_USER_GONE);
		}
		send_check(&c, "alice", "other", "192.0.2.201", 7, 7);
		assert_int_equal(recv_result(&c, 7, 7).status, AUTH_S_OK);
		write_file(userspath, saved, 0640);
		send_msg(&c, IMSG_AUTH_RELOAD, 0, 8, NULL, 0);
		do
			assert_int_equal(recv_msg(&c, &m, 10000), 1);
		while (m.hdr.type == IMSG_AUTH_USER_GONE);
		assert_int_equal(m.hdr.type, IMSG_AUTH_RELOADED);
	}

	/* One killed while idle: noticed, and the others check. */
	if (n > 1) {
		kill(w[0], SIGKILL);
		usleep(200 * 1000);
		send_check(&c, "alice", PW_ALICE, "192.0.2.201", 2, 2);
		assert_int_equal(recv_result(&c, 2, 2).status, AUTH_S_OK);
		assert_non_null(strstr(read_log(&c), " is gone; "));
	}
	/* All killed, with a check in flight. */
	send_check(&c, "alice", PW_ALICE, "192.0.2.201", 3, 3);
	for (i = 0; i < n; i++)
		kill(w[i], SIGKILL);
	r = recv_result(&c, 3, 3);
	if (r.status != AUTH_S_OK) {
		assert_int_equal(r.status, AUTH_S_BUSY);
		assert_int_equal(r.wait, 1);
	}
	send_check(&c, "alice", PW_ALICE, "192.0.2.201", 4, 4);
	assert_int_equal(recv_result(&c, 4, 4).status, AUTH_S_OK);
	assert_non_null(
	    strstr(read_log(&c), "0 left, checking passwords in this process"));
	assert_null(strstr(read_log(&c), PW_ALICE));
	assert_null(strstr(read_log(&c), PW_WRONG));
	close(c.chan.fd);
	c.chan.fd = -1;
	assert_int_equal(reap(&c, 5000), 0);
	unlink(c.log);
}

static void
test_eof_exits_0(void **state)
{
	(void)state;
	close(main_child.chan.fd);
	main_child.chan.fd = -1;
	assert_int_equal(reap(&main_child, 5000), 0);
}

/* ---- a broken vland: each case on a fresh vland-auth ---- */

static void
expect_fatal(const void *raw, size_t len, const char *why)
{
	struct child c;
	const char *log;

	start(&c, relcfg);
	/* It must be up and answering before the bad message. */
	send_check(&c, "alice", PW_ALICE, "192.0.2.200", 1, 1);
	assert_int_equal(recv_result(&c, 1, 1).status, AUTH_S_OK);
	send_raw(&c, raw, len);
	if (reap(&c, 5000) == 0)
		fail_msg("exit 0 after %s", why);
	log = read_log(&c);
	if (strstr(log, "fatal: ") == NULL)
		fail_msg("no fatal line after %s: %s", why, log);
	printf("# %s: %s", why, strstr(log, "fatal: "));
	unlink(c.log);
}

static void
test_malformed(void **state)
{
	struct {
		struct ipc_hdr h;
		struct auth_check c;
	} m;
	struct ipc_hdr h;

	(void)state;
	memset(&m, 0, sizeof(m));
	m.h.type = IMSG_AUTH_CHECK;
	m.h.len = sizeof(m) - 1;
	strcpy(m.c.user, "alice");
	strcpy(m.c.password, "x");
	m.c.source = A("192.0.2.1");
	expect_fatal(&m, sizeof(m) - 1, "AUTH_CHECK one byte short");

	memset(m.c.user, 'a', sizeof(m.c.user));
	m.h.len = sizeof(m);
	expect_fatal(&m, sizeof(m), "unterminated user name");

	strcpy(m.c.user, "alice");
	m.c.source.af = 77;
	expect_fatal(&m, sizeof(m), "bad address family");

	m.h.type = IMSG_IF_TAP_CREATE;
	m.c.source = A("192.0.2.1");
	expect_fatal(&m, sizeof(m), "a type vland does not send here");

	memset(&h, 0, sizeof(h));
	h.type = IMSG_AUTH_RELOAD;
	h.len = sizeof(h) + 1;
	memcpy(&m, &h, sizeof(h));
	expect_fatal(&m, sizeof(h) + 1, "AUTH_RELOAD with a payload");

	h.len = sizeof(h) + 4; /* the header lies about the length */
	expect_fatal(&h, sizeof(h), "length mismatch");
}

static void
test_bad_users_file(void **state)
{
	struct child c;
	char extra[256];
	const char *log;

	(void)state;
	/* A legacy hash at start-up: no start, and the line is named. */
	snprintf(extra, sizeof(extra), "des:ab01FAX.bQRSU\n");
	write_users(extra);
	start(&c, relcfg);
	assert_int_not_equal(reap(&c, 5000), 0);
	log = read_log(&c);
	printf("# %s", strstr(log, "fatal: "));
	assert_non_null(strstr(log, "/users:9: hash: legacy method"));
	unlink(c.log);
	write_users("");
}

static int
setup(void **state)
{
	char text[PATH_MAX + 256];

	(void)state;
	if (mkdtemp(dir) == NULL || chmod(dir, 0755) == -1)
		return -1;
	if (pwhash_init() == -1 ||
	    pwhash_make(PW_ALICE, hash_alice, sizeof(hash_alice)) == -1 ||
	    pwhash_make("other", hash_other, sizeof(hash_other)) == -1)
		return -1;
	snprintf(cfgpath, sizeof(cfgpath), "%s/vland.yaml", dir);
	snprintf(relcfg, sizeof(relcfg), "%s/rel.yaml", dir);
	snprintf(userspath, sizeof(userspath), "%s/users", dir);
	/* An absolute users path inside the directory, mapped in chroot. */
	snprintf(text, sizeof(text),
	    "ip: 10.9.0.1/24\n"
	    "dhcp-range: 10.9.0.100-10.9.0.103\n"
	    "users: %s\n",
	    userspath);
	write_file(cfgpath, text, 0640);
	write_file(relcfg,
	    "ip: 10.9.0.1/24\ndhcp-range: 10.9.0.100-10.9.0.103\n", 0640);
	write_users("");
	return 0;
}

static int
teardown(void **state)
{
	char cmd[PATH_MAX + 32];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'.log.*", dir, dir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(int argc, char *argv[])
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start),
		cmocka_unit_test(test_logins),
		cmocka_unit_test(test_pool_release),
		cmocka_unit_test(test_reload),
		cmocka_unit_test(test_config_text),
		cmocka_unit_test(test_flood),
		cmocka_unit_test(test_interleave),
		cmocka_unit_test(test_wide_blocks),
		cmocka_unit_test(test_workers),
		cmocka_unit_test(test_eof_exits_0),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_bad_users_file),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: test_authd path/to/vland-auth\n");
		return 1;
	}
	authbin = argv[1];
	if (geteuid() != 0) {
		printf("SKIP: vland-auth must start as root (chroot, "
		       "setuid)\n");
		return 77;
	}
	if (getpwnam(VLAND_AUTH_USER) == NULL ||
	    getgrnam(VLAND_GROUP) == NULL) {
		printf("no " VLAND_AUTH_USER " user or " VLAND_GROUP
		       " group: run scripts/setup-deps.sh\n");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
