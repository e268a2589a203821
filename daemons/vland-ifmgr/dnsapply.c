/*
 * The DNS helper (dnsapply.h). One link at a time, the endpoint's: what
 * it applied and how, so that it removes the same way. The order of
 * the ways is systemd-resolved, when it owns its name on the bus, then
 * resolvconf(8), then a log line saying neither is there.
 * It runs as uid 0 without any capability (dnsapply.h).
 *
 * What runs, exactly (vland-ifmgr(8)):
 *   systemd-resolved: org.freedesktop.resolve1.Manager's SetLinkDNS and
 *     SetLinkDomains on the device's ifindex to apply, RevertLink to
 *     remove, on the system bus; VLAND_TEST_RESOLVED_BUS, set only by
 *     the tests, names another bus (a stub of resolved).
 *   resolvconf: /usr/sbin/resolvconf or /sbin/resolvconf, the first that
 *     exists, never one found through PATH: "resolvconf -a IFNAME" with
 *     the settings in resolv.conf form on its standard input, and
 *     "resolvconf -d IFNAME" to remove; an environment of PATH alone,
 *     as uid 0 without any capability, so that it writes root's files
 *     and no more than an owner may.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef HAVE_SDBUS
#include <systemd/sd-bus.h>
#endif

#include "dnsapply.h"
#include "ifmgr.h"
#include "log.h"
#include "names.h"
#include "platform.h"
#include "privsep.h"

struct dns_note {
	char ifname[IFNAMSIZ];
	int32_t ifindex;
	struct dns_set set; /* empty: remove */
};

enum how { NONE, RESOLVED, RESOLVCONF };

static struct {
	enum how how;
	char ifname[IFNAMSIZ];
	int ifindex;
} cur;

/* The one device the file names, as read before the helper started:
 * no note for another name is taken, whatever vland-ifmgr says. */
static char pinned[IFNAMSIZ];

static const char *const resolvconf_paths[] = { "/usr/sbin/resolvconf",
	"/sbin/resolvconf" };

#ifdef HAVE_SDBUS
static sd_bus *
bus_open(void)
{
	const char *a = getenv("VLAND_TEST_RESOLVED_BUS");
	sd_bus *b = NULL;

	if (a == NULL)
		return sd_bus_open_system(&b) < 0 ? NULL : b;
	if (sd_bus_new(&b) < 0)
		return NULL;
	if (sd_bus_set_address(b, a) < 0 || sd_bus_set_bus_client(b, 1) < 0 ||
	    sd_bus_start(b) < 0) {
		sd_bus_unref(b);
		return NULL;
	}
	return b;
}

/* Asked, not started: a resolved that is not running is not wanted. */
static bool
resolved_running(sd_bus *b)
{
	sd_bus_message *reply = NULL;
	int has = 0;

	if (sd_bus_call_method(b, "org.freedesktop.DBus",
		"/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
		NULL, &reply, "s", "org.freedesktop.resolve1") < 0)
		return false;
	if (sd_bus_message_read(reply, "b", &has) < 0)
		has = 0;
	sd_bus_message_unref(reply);
	return has != 0;
}

static int
call(sd_bus *b, sd_bus_message *m, const char *what)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	int r;

	if ((r = sd_bus_call(b, m, 0, &err, NULL)) < 0)
		log_warnx("systemd-resolved: %s: %s", what,
		    err.message != NULL ? err.message : strerror(-r));
	sd_bus_error_free(&err);
	sd_bus_message_unref(m);
	return r < 0 ? -1 : 0;
}

static int
method(sd_bus *b, const char *name, int ifindex, sd_bus_message **m)
{
	if (sd_bus_message_new_method_call(b, m, "org.freedesktop.resolve1",
		"/org/freedesktop/resolve1", "org.freedesktop.resolve1.Manager",
		name) < 0 ||
	    sd_bus_message_append(*m, "i", ifindex) < 0)
		return -1;
	return 0;
}

static int
resolved_apply(sd_bus *b, int ifindex, const struct dns_set *d)
{
	sd_bus_message *m = NULL;
	size_t i;

	if (method(b, "SetLinkDNS", ifindex, &m) == -1 ||
	    sd_bus_message_open_container(m, 'a', "(iay)") < 0)
		goto fail;
	for (i = 0; i < d->nservers; i++)
		if (sd_bus_message_open_container(m, 'r', "iay") < 0 ||
		    sd_bus_message_append(m, "i", (int)d->servers[i].af) < 0 ||
		    sd_bus_message_append_array(m, 'y', d->servers[i].b,
			addr_bytes(&d->servers[i])) < 0 ||
		    sd_bus_message_close_container(m) < 0)
			goto fail;
	if (sd_bus_message_close_container(m) < 0 ||
	    call(b, m, "SetLinkDNS") == -1)
		return -1;
	m = NULL;
	if (method(b, "SetLinkDomains", ifindex, &m) == -1 ||
	    sd_bus_message_open_container(m, 'a', "(sb)") < 0)
		goto fail;
	/* Search domains, not routing-only ones: the resolver appends them. */
	for (i = 0; i < d->nsearch; i++)
		if (sd_bus_message_append(m, "(sb)", d->search[i], 0) < 0)
			goto fail;
	if (sd_bus_message_close_container(m) < 0)
		goto fail;
	return call(b, m, "SetLinkDomains");
fail:
	sd_bus_message_unref(m);
	log_warnx("systemd-resolved: cannot build a request");
	return -1;
}

static int
resolved_revert(sd_bus *b, int ifindex)
{
	sd_bus_message *m = NULL;

	if (method(b, "RevertLink", ifindex, &m) == -1) {
		sd_bus_message_unref(m);
		return -1;
	}
	return call(b, m, "RevertLink");
}

/* 1 done, 0 resolved is not there, -1 it failed. */
static int
via_resolved(int ifindex, const struct dns_set *d)
{
	sd_bus *b;
	int rc = 0;

	if ((b = bus_open()) == NULL)
		return 0;
	if (resolved_running(b))
		rc = (d != NULL ? resolved_apply(b, ifindex, d)
				: resolved_revert(b, ifindex)) == 0
		    ? 1
		    : -1;
	sd_bus_flush_close_unref(b);
	return rc;
}
#else
static int
via_resolved(int ifindex, const struct dns_set *d)
{
	(void)ifindex;
	(void)d;
	return 0;
}
#endif

static const char *
resolvconf_path(void)
{
	size_t i;

	for (i = 0; i < sizeof(resolvconf_paths) / sizeof(resolvconf_paths[0]);
	     i++)
		if (access(resolvconf_paths[i], X_OK) == 0)
			return resolvconf_paths[i];
	return NULL;
}

/* The settings in resolv.conf form: only checked addresses and names. */
static size_t
conf_text(const struct dns_set *d, const char *ifname, char *buf, size_t len)
{
	char a[ADDR_STRLEN];
	size_t i, n;

	n = (size_t)snprintf(buf, len, "# vland: the hub's DNS for %s\n",
	    ifname);
	for (i = 0; i < d->nservers && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "nameserver %s\n",
		    addr_fmt(&d->servers[i], a, sizeof(a)));
	if (d->nsearch > 0 && n < len)
		n += (size_t)snprintf(buf + n, len - n, "search");
	for (i = 0; i < d->nsearch && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, " %s", d->search[i]);
	if (d->nsearch > 0 && n < len)
		n += (size_t)snprintf(buf + n, len - n, "\n");
	return n < len ? n : len - 1;
}

/* resolvconf -a IFNAME (text on stdin) or -d IFNAME: its exit status. */
static int
run_resolvconf(const char *path, const char *op, const char *ifname,
    const char *text, size_t textlen)
{
	char name[] = "resolvconf", opt[3], ifn[IFNAMSIZ];
	char path_env[] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
	char *const argv[] = { name, opt, ifn, NULL };
	char *const envp[] = { path_env, NULL };
	int p[2], status, null;

	snprintf(opt, sizeof(opt), "%s", op);
	snprintf(ifn, sizeof(ifn), "%s", ifname);
	pid_t pid;

	if (pipe(p) == -1)
		return -1;
	switch ((pid = fork())) {
	case -1:
		close(p[0]);
		close(p[1]);
		return -1;
	case 0:
		/* Its own messages are not ours to log: its status is. */
		if (dup2(p[0], STDIN_FILENO) == -1 ||
		    (null = open("/dev/null", O_WRONLY)) == -1 ||
		    dup2(null, STDOUT_FILENO) == -1 ||
		    dup2(null, STDERR_FILENO) == -1)
			_exit(127);
		close(p[0]);
		close(p[1]);
		signal(SIGPIPE, SIG_DFL);
		execve(path, argv, envp);
		_exit(127);
	}
	close(p[0]);
	/* A few hundred bytes: within a pipe's buffer, never blocks. */
	if (textlen > 0 && write(p[1], text, textlen) != (ssize_t)textlen)
		log_warn("resolvconf: write");
	close(p[1]);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void
revert(void)
{
	const char *path;
	int rc;

	switch (cur.how) {
	case NONE:
		return;
	case RESOLVED:
		if (via_resolved(cur.ifindex, NULL) == 1)
			log_info("DNS for %s removed from systemd-resolved",
			    cur.ifname);
		break;
	case RESOLVCONF:
		if ((path = resolvconf_path()) == NULL ||
		    (rc = run_resolvconf(path, "-d", cur.ifname, NULL, 0)) != 0)
			log_warnx("DNS for %s: resolvconf -d failed",
			    cur.ifname);
		else
			log_info("DNS for %s removed through resolvconf",
			    cur.ifname);
		break;
	}
	cur.how = NONE;
}

static void
apply(const struct dns_note *n)
{
	char text[2048];
	const char *path;
	size_t len;
	int rc;

	if (cur.how != NONE &&
	    (cur.ifindex != n->ifindex || strcmp(cur.ifname, n->ifname) != 0))
		revert();
	if (n->set.nservers == 0 && n->set.nsearch == 0) {
		revert();
		return;
	}
	snprintf(cur.ifname, sizeof(cur.ifname), "%s", n->ifname);
	cur.ifindex = n->ifindex;
	if ((rc = via_resolved(n->ifindex, &n->set)) != 0) {
		if (rc == 1) {
			cur.how = RESOLVED;
			log_info("DNS for %s through systemd-resolved: %zu "
				 "servers, %zu search domains",
			    n->ifname, n->set.nservers, n->set.nsearch);
		}
		return;
	}
	if ((path = resolvconf_path()) == NULL) {
		log_warnx("cannot apply the hub's DNS settings to %s: neither "
			  "systemd-resolved nor resolvconf is here",
		    n->ifname);
		return;
	}
	len = conf_text(&n->set, n->ifname, text, sizeof(text));
	/* Recorded first: a -a that half worked is removed too. */
	cur.how = RESOLVCONF;
	if ((rc = run_resolvconf(path, "-a", n->ifname, text, len)) != 0)
		log_warnx("DNS for %s: resolvconf -a failed (status %d)",
		    n->ifname, rc);
	else
		log_info("DNS for %s through resolvconf: %zu servers, %zu "
			 "search domains",
		    n->ifname, n->set.nservers, n->set.nsearch);
}

static __attribute__((noreturn)) void
helper_main(int fd)
{
	struct dns_note n;
	ssize_t r;

	for (;;) {
		r = read(fd, &n, sizeof(n));
		if (r == -1 && errno == EINTR)
			continue;
		if (r != (ssize_t)sizeof(n))
			break;
		/* Checked again: a note is applied only as it must be, to
		 * the configured device and its index now. */
		if (memchr(n.ifname, '\0', sizeof(n.ifname)) == NULL ||
		    !ifname_valid(n.ifname) || n.ifindex <= 0 ||
		    !dns_set_valid(&n.set) || strcmp(n.ifname, pinned) != 0) {
			log_warnx("DNS: a note that does not check out");
			continue;
		}
		if ((n.set.nservers > 0 || n.set.nsearch > 0) &&
		    if_nametoindex(pinned) != (unsigned)n.ifindex) {
			log_warnx("DNS: a note for %s whose index is not its "
				  "own",
			    pinned);
			continue;
		}
		apply(&n);
	}
	/* vland-ifmgr is gone, cleanly or not: what we applied goes. */
	revert();
	_exit(0);
}

/*
 * The helper's start (spawn.c did the rest), still as root with every
 * capability: no netlink, whose end must close when vland-ifmgr dies
 * and which it does not need; then uid 0 without any capability, for
 * good (privsep.h): resolvconf must write root's files, and
 * systemd-resolved accepts uid 0 (vland-ifmgr(8)).
 */
static void
helper_child(int fd)
{
	log_procinit("vland-ifmgr dns");
	plat_net_close();
	priv_drop_caps_keep_root();
	priv_log_protections();
	signal(SIGPIPE, SIG_IGN);
	helper_main(fd);
}

int
dnsapply_start(const char *ifname)
{
	snprintf(pinned, sizeof(pinned), "%s", ifname);
	return ifmgr_spawn(helper_child);
}

void
dnsapply_set(int fd, const char *ifname, int ifindex, const struct dns_set *set)
{
	struct dns_note n;

	memset(&n, 0, sizeof(n));
	snprintf(n.ifname, sizeof(n.ifname), "%s", ifname);
	n.ifindex = ifindex;
	n.set = *set;
	if (write(fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
		log_warn("DNS helper");
}
