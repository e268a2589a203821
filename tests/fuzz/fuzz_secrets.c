/*
 * libFuzzer target: the readers of secret files and keys: a key file
 * (keyfile_read_fd, as vland loads the hub key and vlanctl pubkey reads
 * one), a password-file (password_read_line, as an endpoint loads it),
 * the PSK text of the "key:" setting (psk_from_text, hs_psk_derive) and
 * the key encodings under them (keyenc.c). Files go through one memfd,
 * optionally reopened by path through secret_open with a chosen mode,
 * as vland opens them; nothing is left open or allocated per input.
 *
 * Input: byte 0 picks what is fed (bits 0-1: key file, password file,
 * PSK text, key encodings); for files, bit 2 opens them through
 * secret_open with the mode chosen by bits 3-5, else the memfd is read
 * directly. Byte 1 picks the password buffer's size (1 to 256 bytes,
 * 257 for 255). The rest is the file or the text.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "handshake.h"
#include "keyfile.h"
#include "password.h"
#include "psk.h"
#include "secretfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Modes and whether secret_open takes them (owner is always us). */
static const struct {
	mode_t mode;
	bool ok;
} modes[8] = {
	{ 0600, true },
	{ 0640, true },
	{ 0400, true },
	{ 0440, true },
	{ 0644, false },
	{ 0660, false },
	{ 0602, false },
	{ 0601, false },
};

static int memfd = -1;
static char memfd_path[64];

static void
setup(void)
{
	if ((memfd = memfd_create("fuzz-secret", MFD_CLOEXEC)) == -1)
		abort();
	snprintf(memfd_path, sizeof(memfd_path), "/proc/self/fd/%d", memfd);
}

/* The file's descriptor, read from its start; -1 if secret_open
 * refused it (as it must exactly for the modes marked so). */
static int
open_file(const uint8_t *buf, size_t len, uint8_t how)
{
	char why[256];
	int fd;

	if (ftruncate(memfd, 0) == -1 ||
	    (len > 0 && pwrite(memfd, buf, len, 0) != (ssize_t)len) ||
	    lseek(memfd, 0, SEEK_SET) != 0)
		abort();
	if (!(how & 0x04))
		return memfd;
	if (fchmod(memfd, modes[(how >> 3) & 7].mode) == -1)
		abort();
	why[0] = '\0';
	fd = secret_open(memfd_path, why, sizeof(why));
	if ((fd != -1) != modes[(how >> 3) & 7].ok ||
	    (fd == -1 && why[0] == '\0'))
		abort();
	return fd;
}

static void
close_file(int fd)
{
	if (fd != memfd && fd != -1)
		close(fd);
}

/* A key file holds one base64 key and at most a newline after it. */
static void
key_file(const uint8_t *buf, size_t len, uint8_t how)
{
	uint8_t key[KEY_LEN];
	char b64[KEY_B64LEN + 1];
	int fd, rc;

	if ((fd = open_file(buf, len, how)) == -1)
		return;
	errno = 0;
	rc = keyfile_read_fd(fd, key);
	close_file(fd);
	if (rc == -1) {
		if (errno != EINVAL)
			abort();
		return;
	}
	key_to_base64(b64, key);
	if (len < KEY_B64LEN || memcmp(b64, buf, KEY_B64LEN) != 0 ||
	    (len != KEY_B64LEN &&
		(len != KEY_B64LEN + 1 || buf[KEY_B64LEN] != '\n')))
		abort();
}

/* What password_read_line must return for the first line of buf. */
static ssize_t
expected_line(const uint8_t *buf, size_t len, size_t size)
{
	const uint8_t *nl = memchr(buf, '\n', len);
	size_t n = nl != NULL ? (size_t)(nl - buf) : len;

	if (n > size - 1)
		return -2;
	if (n == 0 && nl == NULL)
		return -3;
	return (ssize_t)n;
}

static void
password_file(const uint8_t *buf, size_t len, uint8_t how, size_t size)
{
	char *pw;
	ssize_t n, want;
	int fd;

	if ((fd = open_file(buf, len, how)) == -1)
		return;
	/* Exactly size bytes on the heap: a write past them is an ASan
	 * error. */
	if ((pw = malloc(size)) == NULL)
		abort();
	n = password_read_line(fd, pw, size);
	close_file(fd);
	want = expected_line(buf, len, size);
	if (n != want)
		abort();
	if (n >= 0 && (strlen(pw) > (size_t)n || memcmp(pw, buf, (size_t)n)))
		abort();
	explicit_bzero(pw, size);
	free(pw);
}

/* The "key:" text: 64 hex or 44 base64 characters are the key itself,
 * anything else a passphrase; the handshake derives the same. */
static void
psk_text(const char *text)
{
	uint8_t a[KEY_LEN], b[HS_PSK_LEN], k[KEY_LEN];
	size_t len = strlen(text);
	int rc;

	rc = psk_from_text(a, text);
	if (rc == -2)
		abort();
	if (rc == -1 &&
	    (len != KEY_B64LEN || text[len - 1] != '=' ||
		key_from_base64(k, text) == 0))
		abort();
	if (rc == 0 && len == KEY_HEXLEN && key_from_hex(k, text) == 0 &&
	    memcmp(a, k, KEY_LEN) != 0)
		abort();
	if (rc == 0 && len == KEY_B64LEN && text[len - 1] == '=' &&
	    (key_from_base64(k, text) != 0 || memcmp(a, k, KEY_LEN) != 0))
		abort();
	if ((hs_psk_derive(b, text) == 0) != (rc == 0 || len == 0) ||
	    (rc == 0 && len > 0 && memcmp(a, b, KEY_LEN) != 0))
		abort();
	explicit_bzero(a, sizeof(a));
	explicit_bzero(b, sizeof(b));
}

/* Decoders accept exactly what the encoders write (hex in any case). */
static void
encodings(const char *text)
{
	uint8_t key[KEY_LEN];
	char b64[KEY_B64LEN + 1], hex[KEY_HEXLEN + 1];

	if (key_from_base64(key, text) == 0) {
		key_to_base64(b64, key);
		if (strcmp(b64, text) != 0)
			abort();
	}
	if (key_from_hex(key, text) == 0) {
		key_to_hex(hex, key);
		if (strcasecmp(hex, text) != 0)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;
	size_t pwsize;

	if (memfd == -1)
		setup();
	if (size < 2)
		return 0;
	pwsize = data[1] == 255 ? CFG_PASSWORD_MAX + 1 : (size_t)data[1] + 1;
	switch (data[0] & 3) {
	case 0:
		key_file(data + 2, size - 2, data[0]);
		break;
	case 1:
		password_file(data + 2, size - 2, data[0], pwsize);
		break;
	default:
		/* Settings are strings: up to the first NUL. */
		if ((text = malloc(size - 1)) == NULL)
			abort();
		memcpy(text, data + 2, size - 2);
		text[size - 2] = '\0';
		if ((data[0] & 3) == 2)
			psk_text(text);
		else
			encodings(text);
		free(text);
	}
	return 0;
}
