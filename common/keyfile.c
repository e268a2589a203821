/*
 * Key files (keyfile.h) and X25519 keys through OpenSSL. Every buffer
 * that held a key's base64 is wiped before it is left, and a key file
 * that could not be written in full is removed, not left half written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "keyfile.h"

int
keyfile_read(const char *path, uint8_t key[KEY_LEN])
{
	int fd, rc;

	if (strcmp(path, "-") == 0)
		return keyfile_read_fd(STDIN_FILENO, key);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	rc = keyfile_read_fd(fd, key);
	close(fd);
	return rc;
}

int
keyfile_read_fd(int fd, uint8_t key[KEY_LEN])
{
	char buf[KEY_B64LEN + 3];
	size_t len = 0;
	ssize_t n;
	int rc = -1;

	while (len < sizeof(buf) - 1) {
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	if (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (len == KEY_B64LEN && key_from_base64(key, buf) == 0)
		rc = 0;
	else
		errno = EINVAL;
	OPENSSL_cleanse(buf, sizeof(buf));
	return rc;
}

int
keyfile_write(const char *path, const uint8_t key[KEY_LEN])
{
	char buf[KEY_B64LEN + 2];
	int fd, rc = 0, saved;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) ==
	    -1)
		return -1;
	key_to_base64(buf, key);
	buf[KEY_B64LEN] = '\n';
	if (write(fd, buf, KEY_B64LEN + 1) != KEY_B64LEN + 1 || fsync(fd) == -1)
		rc = -1;
	saved = errno;
	OPENSSL_cleanse(buf, sizeof(buf));
	if (close(fd) == -1)
		rc = -1;
	if (rc == -1) {
		unlink(path);
		errno = saved;
	}
	return rc;
}

int
key_generate(uint8_t priv[KEY_LEN])
{
	EVP_PKEY *pk;
	size_t len = KEY_LEN;
	int rc = -1;

	if ((pk = EVP_PKEY_Q_keygen(NULL, NULL, "X25519")) == NULL)
		return -1;
	if (EVP_PKEY_get_raw_private_key(pk, priv, &len) == 1 && len == KEY_LEN)
		rc = 0;
	EVP_PKEY_free(pk);
	return rc;
}

int
key_public(uint8_t pub[KEY_LEN], const uint8_t priv[KEY_LEN])
{
	EVP_PKEY *pk;
	size_t len = KEY_LEN;
	int rc = -1;

	pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv, KEY_LEN);
	if (pk == NULL)
		return -1;
	if (EVP_PKEY_get_raw_public_key(pk, pub, &len) == 1 && len == KEY_LEN)
		rc = 0;
	EVP_PKEY_free(pk);
	return rc;
}
