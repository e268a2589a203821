/*
 * The secrets vland holds in memory: the hub's private key and the
 * endpoint's password, read as root at start-up (before privileges
 * drop) and kept out of swap where the system allows.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "keyenc.h"
#include "keyfile.h"
#include "log.h"
#include "password.h"
#include "secretfile.h"
#include "secrets.h"
#include "vland.h"

void
secrets_lock(const void *p, size_t len, const char *what)
{
	if (secret_lock(p, len) == -1)
		log_debug("cannot keep %s out of swap: %s", what,
		    strerror(errno));
}

void
secrets_load_hub_key(void)
{
	char path[PATH_MAX], pub[KEY_B64LEN + 1], why[PATH_MAX + 128];
	int fd;

	cfg_path_of(vl.cfgfile, vl.cfg->private_key, path, sizeof(path));
	if ((fd = secret_open(path, why, sizeof(why))) == -1)
		fatalx("private key %s: %s%s%s", path, why,
		    errno == ENOENT ? "; make one with vlanctl genkey " : "",
		    errno == ENOENT ? path : "");
	if (keyfile_read_fd(fd, vl.privkey) == -1)
		fatalx("private key %s: not a key file", path);
	close(fd);
	secrets_lock(vl.privkey, sizeof(vl.privkey), "the private key");
	if (key_public(vl.pubkey, vl.privkey) == -1)
		fatalx("private key %s: not an X25519 key", path);
	key_to_base64(pub, vl.pubkey);
	log_info("hub public key %s", pub);
}

/* The password: from the file, the config, or asked on the terminal. */
void
secrets_load_password(void)
{
	const struct cfg_connect *c = &vl.cfg->connect;
	char path[PATH_MAX], why[PATH_MAX + 128];
	ssize_t len;
	size_t n;
	int fd;

	if (c->has_password) {
		snprintf(vl.password, sizeof(vl.password), "%s", c->password);
		return;
	}
	if (c->password_file[0] != '\0') {
		cfg_path_of(vl.cfgfile, c->password_file, path, sizeof(path));
		if ((fd = secret_open(path, why, sizeof(why))) == -1)
			fatalx("password-file %s: %s", path, why);
		/* read(2) straight into the buffer: no stdio copy. */
		len = password_read_line(fd, vl.password, sizeof(vl.password));
		close(fd);
		if (len == -3 || len == 0)
			fatalx("password-file %s: empty", path);
		if (len < 0)
			fatalx("password-file %s: %s", path,
			    len == -2 ? "longer than 256 characters"
				      : "cannot read it");
	} else if (isatty(STDIN_FILENO)) {
		if (password_read_tty("Password: ", vl.password,
			sizeof(vl.password)) < 0)
			fatalx("cannot read the password");
	} else {
		fatalx("no password: set password or password-file in "
		       "connect:, or start vland on a terminal");
	}
	n = strcspn(vl.password, "\r\n");
	vl.password[n] = '\0';
	if (n == 0)
		fatalx("empty password");
	secrets_lock(vl.password, sizeof(vl.password), "the password");
}
