/*
 * A fake tap-windows6 adapter behind plat_winapi (fake_tap.c says
 * what it answers), shared by the tests of tapdev.c and of the
 * in-process vland-ifmgr on Windows.
 */
#ifndef VLAND_FAKE_TAP_H
#define VLAND_FAKE_TAP_H

#include <stdbool.h>
#include <stdint.h>

#include "tapwin.h"
#include "winapi.h"

#define GUID_A		 "{12345678-9abc-def0-1122-334455667788}"
#define FAKE_TAP_NAME	 "vland-a"
#define FAKE_TAP_LUID	 0x1007u
#define FAKE_TAP_IFINDEX 7

struct fake_tap {
	HANDLE dev, drv; /* the adapter's handle, the "driver's" end */
	int keys_open, handles_open, lists_open;
	bool busy;	  /* the adapter's one handle is someone else's */
	bool reads_value; /* a restart reads the MAC parameter */
	int restarts;
	ULONG media, tun[3];
	uint8_t driver_mac[6];
	char mac_value[16]; /* the MAC parameter, "" when it has none */
	char log[512];	    /* what was asked, in order */
};

extern struct fake_tap ft;
/* The driver's MAC before any restart. */
extern const uint8_t fake_tap_old_mac[6];

/* Point api's registry, device, SetupAPI and interface lookups at the
 * fakes (the rest of api stays as it is). */
void fake_tap_api(struct plat_winapi *api);
/* A fresh adapter for each test; the teardown checks that every key,
 * handle and device list was closed. */
void fake_tap_setup(void);
void fake_tap_teardown(void);
/* Add what to ft.log (the fakes of IP Helper add theirs too). */
void fake_note(const char *what);

#endif
