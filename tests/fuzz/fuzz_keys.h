/*
 * The hub key and PSK of the fuzz targets that seal handshakes
 * (fuzz_handshake, fuzz_hub): one copy, since the INIT seeds in
 * corpus/handshake are sealed to them and both targets read them.
 */
#ifndef VLAND_FUZZ_KEYS_H
#define VLAND_FUZZ_KEYS_H

#include <stdint.h>

#include "handshake.h"

static const uint8_t hub_priv[WIRE_KEY_LEN] = {
	0x70,
	0x1f,
	0x3c,
	0x2a,
	0x11,
	0x95,
	0x6e,
	0x41,
	0x8d,
	0x03,
	0xc7,
	0x5b,
	0xe2,
	0x9a,
	0x64,
	0x0f,
	0x3e,
	0x88,
	0x27,
	0xd1,
	0x4c,
	0xb6,
	0x19,
	0x72,
	0xa5,
	0x5d,
	0xe0,
	0x36,
	0x93,
	0x0b,
	0xc4,
	0x58,
};
static const uint8_t psk[HS_PSK_LEN] = "vland fuzz psk, 32 bytes long..";

#endif
