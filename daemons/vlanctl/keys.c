/*
 * vlanctl genkey / pubkey: hub key files, no daemon needed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "keyfile.h"
#include "vlanctl.h"

int
cmd_genkey(int argc, char *argv[])
{
	uint8_t priv[KEY_LEN];
	char b64[KEY_B64LEN + 1];
	int rc = 1;

	/* -i: make the key only if the file is missing (first start). */
	if (argc == 2 && strcmp(argv[0], "-i") == 0) {
		if (keyfile_read(argv[1], priv) == 0) {
			OPENSSL_cleanse(priv, sizeof(priv));
			return 0;
		}
		if (access(argv[1], F_OK) == 0) {
			fprintf(stderr,
			    "vlanctl: %s exists and is not a "
			    "private key; left alone\n",
			    argv[1]);
			return 1;
		}
		argc = 1;
		argv++;
	}
	if (argc > 1) {
		fprintf(stderr, "usage: vlanctl genkey [-i] [file]\n");
		return 1;
	}
	if (key_generate(priv) == -1) {
		fprintf(stderr, "vlanctl: cannot generate a key\n");
		return 1;
	}
	if (argc == 1) {
		if (keyfile_write(argv[0], priv) == -1)
			perror(argv[0]);
		else
			rc = 0;
	} else {
		key_to_base64(b64, priv);
		printf("%s\n", b64);
		rc = fflush(stdout) == 0 ? 0 : 1;
	}
	OPENSSL_cleanse(priv, sizeof(priv));
	OPENSSL_cleanse(b64, sizeof(b64));
	return rc;
}

int
cmd_pubkey(int argc, char *argv[])
{
	uint8_t priv[KEY_LEN], pub[KEY_LEN];
	char b64[KEY_B64LEN + 1];
	const char *path = argc == 1 ? argv[0] : "-";

	if (argc > 1) {
		fprintf(stderr, "usage: vlanctl pubkey [file]\n");
		return 1;
	}
	if (keyfile_read(path, priv) == -1) {
		/* What the system said, or what the file is not. */
		fprintf(stderr, "vlanctl: %s: %s\n",
		    strcmp(path, "-") == 0 ? "stdin" : path,
		    errno != EINVAL ? strerror(errno)
				    : "not a private key file (one base64 key "
				      "of 32 bytes)");
		return 1;
	}
	if (key_public(pub, priv) == -1) {
		OPENSSL_cleanse(priv, sizeof(priv));
		fprintf(stderr, "vlanctl: cannot derive the public key\n");
		return 1;
	}
	OPENSSL_cleanse(priv, sizeof(priv));
	key_to_base64(b64, pub);
	printf("%s\n", b64);
	return fflush(stdout) == 0 ? 0 : 1;
}
