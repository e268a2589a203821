/*
 * vland on the wire (UDP): message layouts, the fixed-field codecs and
 * the error codes every decoder in proto/ returns. PROTOCOL.md at the
 * top of the tree has the same tables and the reasons behind them
 * (its "Why" section).
 *
 * All integers are little-endian (as WireGuard). Every message starts
 *	u8 type, u8 reserved[3]	(reserved must be zero)
 *
 * 1 HANDSHAKE_INIT (104 bytes), Noise NKpsk0 message 1 (psk, e, es):
 *	  0  4	type 1, reserved
 *	  4  4	sender index (the initiator's receiver index)
 *	  8 32	e, initiator ephemeral public key
 *	 40 32	hello (16) sealed, + tag (16)
 *	 72 16	mac1
 *	 88 16	mac2
 *   hello: u8 version (1), u8 mode (1 tap, 2 tun), u8 reserved[14] = 0
 *
 * 2 HANDSHAKE_RESP (93 bytes, smaller than INIT: no amplification),
 *   Noise message 2 (e, ee):
 *	  0  4	type 2, reserved
 *	  4  4	sender index (the responder's receiver index)
 *	  8  4	receiver index (the initiator's sender index)
 *	 12 32	e, responder ephemeral public key
 *	 44 17	status (1) sealed, + tag (16)
 *	 61 16	mac1
 *	 77 16	mac2 (always zero: the initiator never sends cookies)
 *
 * 3 COOKIE_REPLY (52 bytes):
 *	  0  4	type 3, reserved
 *	  4  4	receiver index (sender index of the triggering INIT)
 *	  8 12	random nonce
 *	 20 32	cookie (16) sealed with ChaCha20-Poly1305, + tag (16);
 *		key SHA256("cookie--" || hub static public), AD = mac1 of
 *		the triggering message
 *
 * 4 DATA, 5 CONTROL (16 + n + 16 bytes):
 *	  0  4	type 4 or 5, reserved
 *	  4  4	receiver index
 *	  8  8	counter (the AEAD nonce)
 *	 16  n	payload sealed in place (n = 0: keepalive, type 4 only)
 *	16+n 16	tag; the 16-byte header is the associated data
 *
 * mac1 = HMAC-SHA256(SHA256("mac1----" || hub static public),
 *	  message up to mac1)[0..16)  -- the hub's public key only, never
 *	  the PSK, or one captured INIT would allow offline PSK guessing.
 * mac2 = HMAC-SHA256(cookie, message up to mac2)[0..16), or zeros.
 * cookie = HMAC-SHA256(R, source address bytes || port)[0..16), R a
 *	  random secret the hub replaces every 120 s.
 * Noise prologue: "vland v1".
 *
 * 6 DIRECT_INIT, 7 DIRECT_RESP, 8 DIRECT_PROBE: between two endpoints,
 * direct.h.
 */
#ifndef VLAND_WIRE_H
#define VLAND_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WIRE_PROLOGUE "vland v1"

#define WIRE_MSG_INIT	 1
#define WIRE_MSG_RESP	 2
#define WIRE_MSG_COOKIE	 3
#define WIRE_MSG_DATA	 4
#define WIRE_MSG_CONTROL 5
/* Between two endpoints (direct.h). */
#define WIRE_MSG_DIRECT_INIT  6
#define WIRE_MSG_DIRECT_RESP  7
#define WIRE_MSG_DIRECT_PROBE 8

#define WIRE_HDR_LEN	     4
#define WIRE_KEY_LEN	     32
#define WIRE_TAG_LEN	     16
#define WIRE_MAC_LEN	     16
#define WIRE_COOKIE_LEN	     16
#define WIRE_COOKIE_NONCELEN 12
#define WIRE_HELLO_LEN	     16
#define WIRE_STATUS_LEN	     1

#define WIRE_INIT_SENDER 4
#define WIRE_INIT_E	 8
#define WIRE_INIT_HELLO	 40
#define WIRE_INIT_MAC1	 72
#define WIRE_INIT_MAC2	 88
#define WIRE_INIT_LEN	 104

#define WIRE_RESP_SENDER   4
#define WIRE_RESP_RECEIVER 8
#define WIRE_RESP_E	   12
#define WIRE_RESP_STATUS   44
#define WIRE_RESP_MAC1	   61
#define WIRE_RESP_MAC2	   77
#define WIRE_RESP_LEN	   93

#define WIRE_COOKIE_RECEIVER  4
#define WIRE_COOKIE_NONCE     8
#define WIRE_COOKIE_SEALED    20
#define WIRE_COOKIE_REPLY_LEN 52

#define WIRE_TRANSPORT_RECEIVER 4
#define WIRE_TRANSPORT_COUNTER	8
#define WIRE_TRANSPORT_HDR_LEN	16
#define WIRE_TRANSPORT_OVERHEAD (WIRE_TRANSPORT_HDR_LEN + WIRE_TAG_LEN)
/* The largest UDP payload over IPv4; nothing longer is ever valid. */
#define WIRE_MSG_MAX	 65507
#define WIRE_PAYLOAD_MAX (WIRE_MSG_MAX - WIRE_TRANSPORT_OVERHEAD)

#define WIRE_VERSION  1
#define WIRE_MODE_TAP 1
#define WIRE_MODE_TUN 2

/* Status byte of HANDSHAKE_RESP. */
#define WIRE_STATUS_OK	    0
#define WIRE_STATUS_VERSION 1 /* hello version not supported */
#define WIRE_STATUS_MODE    2 /* tap/tun differs from the hub's */
#define WIRE_STATUS_BUSY    3 /* too many sessions waiting; retry later */

/*
 * What went wrong with a message. Each is counted separately by the
 * daemon, so each failure mode gets its own code.
 */
enum wire_err {
	WIRE_OK = 0,
	WIRE_ESHORT,	/* shorter than its type's length */
	WIRE_ELONG,	/* longer than its type's length */
	WIRE_ETYPE,	/* unknown or unexpected type (or opcode) */
	WIRE_ERESERVED, /* reserved or padding bytes not zero */
	WIRE_EMAC1,	/* mac1 wrong: sender does not know our key */
	WIRE_EMAC2,	/* under load and no valid mac2: send a cookie */
	WIRE_EDECRYPT,	/* AEAD tag failed (for INIT: also a wrong PSK) */
	WIRE_EDH,	/* X25519 refused a low-order public key */
	WIRE_EREPLAY,	/* counter already seen */
	WIRE_EOLD,	/* counter behind the replay window */
	WIRE_ELIMIT,	/* counter or key past REJECT_AFTER_MESSAGES */
	WIRE_EEXPIRED,	/* keypair older than REJECT_AFTER_TIME */
	WIRE_EINDEX,	/* receiver index is not the one expected */
	WIRE_EVALUE,	/* a field holds a value outside its range */
	WIRE_EREFUSED,	/* the hub answered with a non-OK status */
	WIRE_EUSERNAME, /* username fails username_valid() */
	WIRE_ECOUNT,	/* a list longer than its maximum */
	WIRE_ESPACE,	/* caller's output buffer too small */
	WIRE_EINTERNAL, /* OpenSSL failure: not the peer's doing */
	WIRE_NERR
};

const char *wire_strerror(enum wire_err);
/* A HANDSHAKE_RESP status in words: "mode mismatch", "busy", ... */
const char *wire_status_name(uint8_t status);

struct wire_hello {
	uint8_t version;
	uint8_t mode;
};

struct wire_transport_hdr {
	uint8_t type;
	uint32_t receiver;
	uint64_t counter;
};

/* Little-endian fields. */
uint32_t wire_get_u32(const uint8_t *);
uint64_t wire_get_u64(const uint8_t *);
uint16_t wire_get_u16(const uint8_t *);
void wire_put_u16(uint8_t *, uint16_t);
void wire_put_u32(uint8_t *, uint32_t);
void wire_put_u64(uint8_t *, uint64_t);

/* Type byte and zeroed reserved bytes. */
void wire_put_hdr(uint8_t *, uint8_t type);
/*
 * The type of a message after checking its 4-byte header: WIRE_ESHORT,
 * WIRE_ETYPE (not 1..8) or WIRE_ERESERVED. For the dispatcher.
 */
enum wire_err wire_msg_type(const uint8_t *msg, size_t len, uint8_t *type);
/*
 * Check that msg is exactly a message of type and length want: length
 * first, then type, then reserved bytes.
 */
enum wire_err wire_check_fixed(const uint8_t *msg, size_t len, uint8_t type,
    size_t want);

/*
 * hello codec. A version other than ours decodes (so the hub can answer
 * WIRE_STATUS_VERSION); for our version mode must be tap or tun and the
 * reserved bytes zero.
 */
enum wire_err wire_hello_encode(const struct wire_hello *,
    uint8_t out[WIRE_HELLO_LEN]);
enum wire_err wire_hello_decode(const uint8_t in[WIRE_HELLO_LEN],
    struct wire_hello *);

void wire_transport_hdr_put(uint8_t out[WIRE_TRANSPORT_HDR_LEN],
    const struct wire_transport_hdr *);
/*
 * Header of a DATA or CONTROL message, after checking the whole
 * message's length (header + tag at least, WIRE_MSG_MAX at most), type
 * and reserved bytes. A keepalive (empty payload) must be DATA.
 */
enum wire_err wire_transport_hdr_get(const uint8_t *msg, size_t len,
    struct wire_transport_hdr *);

#endif
