/*
 * PROTOCOL.md's example exchanges, made here from fixed keys by the
 * protocol code itself and compared with the document: a handshake, an
 * AUTH, its AUTH_OK and one DATA message, byte for byte, with the keys,
 * indices and plaintexts that produce them; and a direct path's PEER,
 * handshake and first messages. Each message is also opened by the
 * other side, so the examples are ones that work.
 *
 *   test_example PROTOCOL.md
 * Fails, printing the example as it should be, when one of the
 * document's blocks (between marker lines) differs; with
 * VLAND_EXAMPLE_OUT set, also writes both to that file, to paste into
 * the document.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "direct.h"
#include "peermsg.h"
#include "handshake.h"
#include "keyenc.h"
#include "wire.h"

#define BEGIN \
	"<!-- example exchange: made by tests/unit/proto/test_example.c -->\n"
#define END "<!-- end of the example exchange -->\n"
#define DBEGIN \
	"<!-- direct example: made by tests/unit/proto/test_example.c -->\n"
#define DEND "<!-- end of the direct example -->\n"

static const uint8_t hub_priv[32] = {
	0x18,
	0x3b,
	0x5c,
	0x7d,
	0x9e,
	0xbf,
	0xd0,
	0xf1,
	0x12,
	0x33,
	0x54,
	0x75,
	0x96,
	0xb7,
	0xd8,
	0xf9,
	0x1a,
	0x3b,
	0x5c,
	0x7d,
	0x9e,
	0xbf,
	0xc0,
	0xe1,
	0x02,
	0x23,
	0x44,
	0x65,
	0x86,
	0xa7,
	0xc8,
	0x69,
};
static const uint8_t ep_e[32] = {
	0x30,
	0x31,
	0x32,
	0x33,
	0x34,
	0x35,
	0x36,
	0x37,
	0x38,
	0x39,
	0x3a,
	0x3b,
	0x3c,
	0x3d,
	0x3e,
	0x3f,
	0x40,
	0x41,
	0x42,
	0x43,
	0x44,
	0x45,
	0x46,
	0x47,
	0x48,
	0x49,
	0x4a,
	0x4b,
	0x4c,
	0x4d,
	0x4e,
	0x4f,
};
static const uint8_t hub_e[32] = {
	0x50,
	0x51,
	0x52,
	0x53,
	0x54,
	0x55,
	0x56,
	0x57,
	0x58,
	0x59,
	0x5a,
	0x5b,
	0x5c,
	0x5d,
	0x5e,
	0x5f,
	0x60,
	0x61,
	0x62,
	0x63,
	0x64,
	0x65,
	0x66,
	0x67,
	0x68,
	0x69,
	0x6a,
	0x6b,
	0x6c,
	0x6d,
	0x6e,
	0x6f,
};
#define PSK_TEXT  "example pre-shared key"
#define EP_INDEX  0x0a0b0c0dU
#define HUB_INDEX 0x01020304U
#define T0	  1000000 /* ms; the example's clock does not move */

/* An ARP request from the endpoint for the hub's address. */
static const uint8_t arp[42] = {
	0xff,
	0xff,
	0xff,
	0xff,
	0xff,
	0xff,
	0x62,
	0xe2,
	0xc0,
	0xa8,
	0x7b,
	0x75,
	0x08,
	0x06,
	0x00,
	0x01,
	0x08,
	0x00,
	0x06,
	0x04,
	0x00,
	0x01,
	0x62,
	0xe2,
	0xc0,
	0xa8,
	0x7b,
	0x75,
	0xc0,
	0xa8,
	0x7b,
	0x75,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0xc0,
	0xa8,
	0x7b,
	0xfe,
};

static __attribute__((noreturn)) void
die(const char *what)
{
	fprintf(stderr, "test_example: %s\n", what);
	exit(1);
}

static void
hex(FILE *f, const char *label, const uint8_t *b, size_t n)
{
	size_t i;

	fprintf(f, "%s (%zu bytes):\n", label, n);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%02x%s", i % 32 == 0 ? "    " : "", b[i],
		    i % 32 == 31 || i + 1 == n ? "\n" : "");
}

/* Seal a control message's plaintext with kp; print both. */
static size_t
seal(FILE *f, struct keypair *kp, uint8_t type, const uint8_t *pt, size_t len,
    uint8_t *msg, const char *what)
{
	char label[128];
	size_t msglen;

	memcpy(msg + WIRE_TRANSPORT_HDR_LEN, pt, len);
	if (kp_seal(kp, type, msg, len, len + WIRE_TRANSPORT_OVERHEAD, &msglen,
		T0, NULL) != WIRE_OK)
		die("kp_seal");
	snprintf(label, sizeof(label), "%s, plaintext", what);
	hex(f, label, pt, len);
	snprintf(label, sizeof(label), "%s, sealed", what);
	hex(f, label, msg, msglen);
	return msglen;
}

/* The other side opens it and finds pt. */
static void
open_check(struct kp_set *set, uint8_t *msg, size_t len, const uint8_t *pt,
    size_t ptlen)
{
	struct kp_rx rx;

	if (kp_set_open(set, msg, len, T0, &rx) != WIRE_OK || rx.len != ptlen ||
	    memcmp(rx.payload, pt, ptlen) != 0)
		die("a sealed message does not open to its plaintext");
}

static void
example(FILE *f)
{
	struct wire_hello hello = { WIRE_VERSION, WIRE_MODE_TAP }, got;
	struct hs_hub hub;
	struct hs ep_hs, hub_hs;
	struct keypair kp;
	struct kp_set ep_set, hub_set;
	uint8_t psk[HS_PSK_LEN], init[WIRE_INIT_LEN], resp[WIRE_RESP_LEN];
	uint8_t pt[PMSG_MAX_LEN], msg[PMSG_MAX_LEN + WIRE_TRANSPORT_OVERHEAD];
	char b64[KEY_B64LEN + 1];
	struct pmsg m;
	size_t n, len;
	uint8_t status;

	if (hs_hub_init(&hub, hub_priv) != 0 || hs_psk_derive(psk, PSK_TEXT))
		die("keys");
	key_to_base64(b64, hub.id.pub);
	hex(f, "hub private key", hub_priv, 32);
	fprintf(f, "hub public key (server-key: %s)\n", b64);
	hex(f, "    the same", hub.id.pub, 32);
	fprintf(f,
	    "key: \"%s\", so the PSK is SHA-256(\"vland psk v1\" || "
	    "key)\n",
	    PSK_TEXT);
	hex(f, "    PSK", psk, sizeof(psk));
	hex(f, "endpoint ephemeral private key", ep_e, 32);
	hex(f, "hub ephemeral private key", hub_e, 32);
	fprintf(f,
	    "endpoint sender index 0x%08x, hub sender index 0x%08x; "
	    "hello: version %u, mode tap (%u); no cookie (mac2 zero)\n",
	    EP_INDEX, HUB_INDEX, WIRE_VERSION, WIRE_MODE_TAP);
	fprintf(f, "\n");

	if (hs_init_create_fixed(&ep_hs, &hub.id, psk, &hello, EP_INDEX, ep_e,
		init) != WIRE_OK)
		die("INIT");
	hex(f, "HANDSHAKE_INIT, endpoint to hub", init, sizeof(init));
	if (hs_init_consume(&hub_hs, &hub, psk, init, sizeof(init), NULL,
		&got) != WIRE_OK ||
	    got.mode != WIRE_MODE_TAP)
		die("the hub does not take the INIT");
	noise_hs_set_ephemeral(&hub_hs.noise, hub_e);
	kp_set_init(&hub_set);
	kp_set_init(&ep_set);
	if (hs_resp_create(&hub_hs, &hub, HUB_INDEX, WIRE_STATUS_OK, T0, resp,
		&kp) != WIRE_OK)
		die("RESP");
	kp_set_install(&hub_set, &kp);
	hex(f, "HANDSHAKE_RESP, hub to endpoint (status 0)", resp,
	    sizeof(resp));
	if (hs_resp_consume(&ep_hs, &hub.id, resp, sizeof(resp), T0, &status,
		&kp) != WIRE_OK)
		die("the endpoint does not take the RESP");
	kp_set_install(&ep_set, &kp);
	fprintf(f, "\n");

	/* AUTH, the endpoint's first transport message: counter 0. */
	if (pmsg_auth_set(&m, "alice", "alicepw") != WIRE_OK ||
	    pmsg_encode(&m, pt, sizeof(pt), &n) != WIRE_OK)
		die("AUTH");
	len = seal(f, kp_set_sender(&ep_set, T0), WIRE_MSG_CONTROL, pt, n, msg,
	    "CONTROL AUTH (user alice, password alicepw), counter 0");
	open_check(&hub_set, msg, len, pt, n);
	fprintf(f, "\n");

	/* AUTH_OK, the hub's first: counter 0 in its own direction. */
	memset(&m, 0, sizeof(m));
	m.op = PMSG_AUTH_OK;
	if (addr_parse("192.168.123.117", &m.u.ok.addr) != 0)
		die("address");
	m.u.ok.prefixlen = 24;
	m.u.ok.mtu = 1406;
	m.u.ok.keepalive = 10;
	memset(m.u.ok.token, 0x5a, sizeof(m.u.ok.token));
	m.u.ok.routes.version = 1;
	{
		struct addr h4;

		if (addr_parse("192.168.123.254", &h4) != 0 ||
		    pmsg_ok_set_hub(&m.u.ok, &h4, NULL) != WIRE_OK)
			die("HUB4");
	}
	if (pmsg_encode(&m, pt, sizeof(pt), &n) != WIRE_OK)
		die("AUTH_OK");
	len = seal(f, kp_set_sender(&hub_set, T0), WIRE_MSG_CONTROL, pt, n, msg,
	    "CONTROL AUTH_OK (192.168.123.117/24, mtu 1406, keepalive 10, "
	    "token 32 x 5a, route set 1 with no routes, HUB4 "
	    "192.168.123.254), counter 0");
	open_check(&ep_set, msg, len, pt, n);
	fprintf(f, "\n");

	/* DATA: the endpoint's ARP request for the hub, counter 1. */
	len = seal(f, kp_set_sender(&ep_set, T0), WIRE_MSG_DATA, arp,
	    sizeof(arp), msg,
	    "DATA (ARP: who has 192.168.123.254, tell 192.168.123.117), "
	    "counter 1");
	open_check(&hub_set, msg, len, arp, sizeof(arp));
	kp_set_clear(&ep_set);
	kp_set_clear(&hub_set);
	hs_hub_clear(&hub);
}

/* The direct path example: what the hub tells alice about bob, and
 * the two endpoints' handshake and first messages. */
#define PAIR_ID	    0x0badcafeU
#define ALICE_INDEX 0x21222324U
#define BOB_INDEX   0x31323334U

static void
example_direct(FILE *f)
{
	uint8_t secret[DIRECT_SECRET_LEN], ie[32], re[32];
	uint8_t init[DIRECT_INIT_LEN], resp[DIRECT_RESP_LEN];
	uint8_t pt[PMSG_MAX_LEN], msg[256];
	struct keypair kp;
	struct kp_set a_set, b_set;
	struct dhs hs;
	struct pmsg m;
	size_t n, len, i;
	uint64_t counter;
	/* bob's frame for alice: an Ethernet header and 4 bytes. */
	static const uint8_t frame[18] = { 0x62, 0xe2, 0xc0, 0xa8, 0x7b, 0x75,
		0x62, 0xe2, 0xc0, 0xa8, 0x7b, 0xb4, 0x88, 0xb5, 'p', 'o', 'n',
		'g' };

	for (i = 0; i < 32; i++) {
		secret[i] = (uint8_t)(0x70 + i);
		ie[i] = (uint8_t)(0x90 + i);
		re[i] = (uint8_t)(0xb0 + i);
	}
	memset(&m, 0, sizeof(m));
	m.op = PMSG_PEER;
	m.u.peer.pair = PAIR_ID;
	m.u.peer.flags = PMSG_PEER_INITIATE;
	snprintf(m.u.peer.user, sizeof(m.u.peer.user), "bob");
	if (addr_parse("192.168.123.180", &m.u.peer.v4) != 0 ||
	    addr_parse("203.0.113.7", &m.u.peer.c[0].a) != 0 ||
	    addr_parse("10.0.0.2", &m.u.peer.c[1].a) != 0)
		die("address");
	memcpy(m.u.peer.mac, frame + 6, 6);
	memcpy(m.u.peer.secret, secret, sizeof(secret));
	m.u.peer.c[0].port = 40123;
	m.u.peer.c[1].port = 51000;
	m.u.peer.n = 2;
	if (pmsg_encode(&m, pt, sizeof(pt), &n) != WIRE_OK)
		die("PEER");
	hex(f,
	    "CONTROL PEER to alice (192.168.123.117), plaintext: pair "
	    "0x0badcafe, alice initiates, user bob, 192.168.123.180, no IPv6, "
	    "MAC 62:e2:c0:a8:7b:b4, the secret below, seen from "
	    "203.0.113.7:40123, local 10.0.0.2:51000",
	    pt, n);
	fprintf(f, "(bob's PEER is the same about alice, flags 0)\n");
	hex(f, "pair secret (PSK)", secret, sizeof(secret));
	hex(f, "alice's ephemeral private key", ie, 32);
	hex(f, "bob's ephemeral private key", re, 32);
	fprintf(f,
	    "alice's sender index 0x%08x, bob's 0x%08x; alice's first "
	    "attempt (counter 1)\n\n",
	    ALICE_INDEX, BOB_INDEX);

	if (dhs_init_create(&hs, secret, PAIR_ID, ALICE_INDEX, 1, ie, init) !=
	    WIRE_OK)
		die("DIRECT_INIT");
	hex(f, "DIRECT_INIT, alice to bob", init, sizeof(init));
	kp_set_init(&a_set);
	kp_set_init(&b_set);
	if (dhs_respond(secret, init, sizeof(init), BOB_INDEX, re, T0, 0,
		&counter, resp, &kp) != WIRE_OK ||
	    counter != 1)
		die("DIRECT_RESP");
	kp_set_install(&b_set, &kp);
	hex(f, "DIRECT_RESP, bob to alice", resp, sizeof(resp));
	if (dhs_resp_consume(&hs, resp, sizeof(resp), T0, &kp) != WIRE_OK)
		die("alice does not take the RESP");
	kp_set_install(&a_set, &kp);
	fprintf(f, "\n");

	/* alice's keepalive confirms the keypair to bob. */
	len = seal(f, kp_set_sender(&a_set, T0), WIRE_MSG_DATA, pt, 0, msg,
	    "DATA keepalive, alice to bob, counter 0");
	open_check(&b_set, msg, len, pt, 0);
	len = seal(f, kp_set_sender(&b_set, T0), WIRE_MSG_DATA, frame,
	    sizeof(frame), msg,
	    "DATA (a frame from bob's MAC to alice's), bob to alice, "
	    "counter 0");
	open_check(&a_set, msg, len, frame, sizeof(frame));
	kp_set_clear(&a_set);
	kp_set_clear(&b_set);
	explicit_bzero(secret, sizeof(secret));
}

/* The block between the markers in the document, malloc'd. */
static char *
doc_block(const char *path, const char *begin, const char *end)
{
	static char buf[1 << 20];
	char *b, *e, *out;
	size_t n;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		die("cannot open the document");
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if ((b = strstr(buf, begin)) == NULL || (e = strstr(b, end)) == NULL)
		return NULL;
	b += strlen(begin);
	if ((out = strndup(b, (size_t)(e - b))) == NULL)
		die("strndup");
	return out;
}

/* Make one block and hold it against the document's; 0 if they match. */
static int
check_block(const char *path, const char *begin, const char *end,
    void (*make)(FILE *), FILE *out, const char *what)
{
	char *made = NULL, *doc;
	size_t len = 0;
	FILE *f;
	int rc = 0;

	if ((f = open_memstream(&made, &len)) == NULL)
		die("open_memstream");
	fprintf(f, "```\n");
	make(f);
	fprintf(f, "```\n");
	fclose(f);
	if (out != NULL)
		fprintf(out, "%s%s%s", begin, made, end);
	doc = doc_block(path, begin, end);
	if (doc == NULL || strcmp(doc, made) != 0) {
		fprintf(stderr, "PROTOCOL.md's %s %s; it should read:\n%s",
		    what, doc == NULL ? "is missing (no markers)" : "differs",
		    made);
		rc = 1;
	} else
		printf("PROTOCOL.md's %s matches the code (%zu bytes)\n", what,
		    len);
	free(doc);
	free(made);
	return rc;
}

int
main(int argc, char *argv[])
{
	const char *outpath = getenv("VLAND_EXAMPLE_OUT");
	FILE *out = NULL;
	int rc;

	if (argc != 2)
		die("usage: test_example PROTOCOL.md");
	if (outpath != NULL && (out = fopen(outpath, "w")) == NULL)
		die("VLAND_EXAMPLE_OUT");
	rc = check_block(argv[1], BEGIN, END, example, out, "example exchange");
	rc |= check_block(argv[1], DBEGIN, DEND, example_direct, out,
	    "direct example");
	if (out != NULL)
		fclose(out);
	return rc;
}
