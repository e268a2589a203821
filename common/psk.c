/*
 * The PSK derivation of psk.h, with OpenSSL's SHA-256. Forty-four
 * characters ending in '=' are a raw key or an error, never hashed, so
 * that a mistyped key fails instead of becoming another passphrase.
 */
#include <string.h>

#include <openssl/evp.h>

#include "psk.h"

int
psk_from_text(uint8_t psk[KEY_LEN], const char *text)
{
	size_t len = strlen(text);
	unsigned int mdlen = KEY_LEN;
	EVP_MD_CTX *md;
	int rc = -2;

	if (len == KEY_HEXLEN && key_from_hex(psk, text) == 0)
		return 0;
	if (len == KEY_B64LEN && text[KEY_B64LEN - 1] == '=')
		return key_from_base64(psk, text) == 0 ? 0 : -1;
	if ((md = EVP_MD_CTX_new()) == NULL)
		return -2;
	if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) &&
	    EVP_DigestUpdate(md, PSK_LABEL, strlen(PSK_LABEL)) &&
	    EVP_DigestUpdate(md, text, len) &&
	    EVP_DigestFinal_ex(md, psk, &mdlen) && mdlen == KEY_LEN)
		rc = 0;
	EVP_MD_CTX_free(md);
	return rc;
}
