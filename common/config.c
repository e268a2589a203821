/*
 * Loading, printing and small accessors of struct config. The
 * normalised print is itself a valid configuration: parsing it gives the
 * same struct (tests/config checks the round trip).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "config.h"

#define CFG_FILE_MAX (1024 * 1024)

int
cfg_load(const char *file, struct config *cfg, struct cfg_error *err)
{
	struct stat st;
	char *buf = NULL, real[PATH_MAX];
	size_t len = 0;
	ssize_t n;
	int fd, rc = -1;

	memset(err, 0, sizeof(*err));
	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err->msg, sizeof(err->msg), "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(err->msg, sizeof(err->msg), "not a regular file");
		goto out;
	}
	if (st.st_size > CFG_FILE_MAX) {
		snprintf(err->msg, sizeof(err->msg), "file too large");
		goto out;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		goto out;
	}
	while (len < (size_t)st.st_size) {
		n = read(fd, buf + len, (size_t)st.st_size - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err->msg, sizeof(err->msg), "read: %s",
			    n == 0 ? "short file" : strerror(errno));
			goto out;
		}
		len += (size_t)n;
	}
	/* Relative paths in the file are relative to its real directory. */
	if (realpath(file, real) == NULL) {
		snprintf(err->msg, sizeof(err->msg), "%s", strerror(errno));
		goto out;
	}
	rc = cfg_parse(buf, len, real, cfg, err);
out:
	if (buf != NULL) {
		/* The text may hold a password or a key. */
		OPENSSL_cleanse(buf, len);
		free(buf);
	}
	close(fd);
	return rc;
}

void
cfg_server_fmt(const struct cfg_server *sv, char *buf, size_t len)
{
	snprintf(buf, len, strchr(sv->host, ':') != NULL ? "[%s]:%u" : "%s:%u",
	    sv->host, sv->port);
}

void
cfg_error_fmt(const struct cfg_error *e, const char *file, char *buf,
    size_t len)
{
	if (e->line > 0)
		snprintf(buf, len, "%s:%d:%d: %s", file, e->line, e->col,
		    e->msg);
	else
		snprintf(buf, len, "%s: %s", file, e->msg);
}

void
cfg_clear(struct config *cfg)
{
	OPENSSL_cleanse(cfg->psk, sizeof(cfg->psk));
	OPENSSL_cleanse(cfg->connect.password, sizeof(cfg->connect.password));
}

const char *
cfg_path_of(const char *cfgfile, const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(cfgfile, '/');

	if (path[0] == '/' || slash == NULL)
		snprintf(buf, len, "%s", path);
	else
		snprintf(buf, len, "%.*s/%s", (int)(slash - cfgfile), cfgfile,
		    path);
	return buf;
}

bool
cfg_bridge_user(const struct config *cfg, const char *user)
{
	size_t i;

	for (i = 0; i < cfg->nbridge_users; i++)
		if (strcmp(cfg->bridge_users[i], user) == 0)
			return true;
	return false;
}

const char *
cfg_mode_name(enum cfg_mode m)
{
	return m == CFG_TUN ? "tun" : "tap";
}

const char *
cfg_loglevel_name(enum cfg_loglevel l)
{
	static const char *names[] = { "debug", "info", "warn", "error" };

	return names[l];
}

unsigned
cfg_effective_mtu(const struct config *cfg)
{
	if (cfg->mtu != 0)
		return cfg->mtu;
	/* 1500 minus 80 bytes of IPv6 underlay overhead, minus the
	 * Ethernet header that a tap frame carries. */
	return cfg->mode == CFG_TUN ? 1420 : 1406;
}
