/*
 * crypt(3) hashing (see pwhash.h). The crypt_data area is allocated per
 * call (about 32 KiB, small next to the 16 MiB yescrypt itself uses)
 * and wiped afterwards, because it holds intermediate values derived
 * from the password.
 */
#include <crypt.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "pwhash.h"

static char pwhash_dummy[CRYPT_GENSALT_OUTPUT_SIZE];

int
pwhash_init(void)
{
	char *s;

	/* The same method and cost as the hashes vlanctl makes. */
	if ((s = crypt_gensalt_ra("$y$", 0, NULL, 0)) == NULL)
		return -1;
	if (strlen(s) >= sizeof(pwhash_dummy)) {
		free(s);
		errno = EOVERFLOW;
		return -1;
	}
	strcpy(pwhash_dummy, s);
	free(s);
	return 0;
}

int
pwhash_check(const char *stored, const char *password)
{
	struct crypt_data *cd;
	const char *setting = stored != NULL ? stored : pwhash_dummy;
	const char *out;
	size_t n;
	int ok = 0;

	if (setting[0] == '\0' || (cd = calloc(1, sizeof(*cd))) == NULL)
		return -1;
	out = crypt_rn(password, setting, cd, sizeof(*cd));
	if (out != NULL && stored != NULL) {
		n = strlen(stored);
		ok = strlen(out) == n && CRYPTO_memcmp(out, stored, n) == 0;
	}
	OPENSSL_cleanse(cd, sizeof(*cd));
	free(cd);
	return ok;
}

int
pwhash_make(const char *password, char *out, size_t outlen)
{
	struct crypt_data *cd;
	const char *h;
	char *setting;
	int rc = -1;

	/* NULL: libxcrypt's preferred method, "$y$" on Debian 12. */
	if ((setting = crypt_gensalt_ra(NULL, 0, NULL, 0)) == NULL)
		return -1;
	if ((cd = calloc(1, sizeof(*cd))) == NULL) {
		free(setting);
		return -1;
	}
	if ((h = crypt_rn(password, setting, cd, sizeof(*cd))) != NULL) {
		if (strlen(h) < outlen) {
			strcpy(out, h);
			rc = 0;
		} else {
			errno = EOVERFLOW;
		}
	}
	OPENSSL_cleanse(cd, sizeof(*cd));
	free(cd);
	free(setting);
	return rc;
}
