/*
 * initflood: a flood of handshake INITs that pass the hub's first check
 * (a valid mac1, which only needs the hub's public key), for the
 * benchmark of issue #22's flood (tests/load/flood.sh) and the test
 * netns-init_flood. Each INIT is real (a fresh ephemeral key, made once
 * at start), so the hub cannot tell it from an endpoint's before it
 * does the work that a flood must not make it do: it must answer with
 * cookie replies while a real endpoint still gets in.
 *
 *   initflood -s ADDR:PORT -k HUB-PUBKEY [-K PSK] [-m tap|tun]
 *             -r PER-SECOND -d SECONDS [-a FIRST-LAST] [-S SOCKETS]
 *
 * -a spreads the flood over the IPv4 source addresses FIRST-LAST (the
 * namespace must have them), -S SOCKETS sockets in all (default 64, or
 * one per address of -a if more), each its own source port. Sends in
 * batches (sendmmsg) every millisecond to keep the rate even, counts
 * the cookie replies it reads back, and prints one line: INITs sent,
 * the rate reached, sends the kernel refused (full buffers), replies.
 * Exits 0 once it has flooded for SECONDS.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "handshake.h"
#include "keyenc.h"
#include "loadargs.h"
#include "wire.h"

#define NINITS	 256 /* distinct INITs, sent in turn */
#define BATCH	 32  /* datagrams per sendmmsg */
#define TICK_NS	 1000000L
#define MAXSOCKS 4096

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr,
	    "usage: initflood -s addr:port -k hub-pubkey [-K psk] "
	    "[-m tap|tun] -r per-second -d seconds\n"
	    "                 [-a first-last] [-S sockets]\n");
	exit(2);
}

static __attribute__((noreturn)) void
die(const char *what)
{
	fprintf(stderr, "initflood: %s\n", what);
	exit(2);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
make_inits(uint8_t inits[NINITS][WIRE_INIT_LEN], const struct hs_hub_pub *pub,
    const uint8_t *psk, uint8_t mode)
{
	struct wire_hello hello = { WIRE_VERSION, mode };
	struct hs hs;
	uint32_t idx;
	size_t i;

	for (i = 0; i < NINITS; i++) {
		if (RAND_bytes((uint8_t *)&idx, sizeof(idx)) != 1 ||
		    hs_init_create(&hs, pub, psk, &hello, idx, NULL,
			inits[i]) != WIRE_OK)
			die("cannot build an INIT");
		hs_clear(&hs);
	}
}

/* Read and count what came back (cookie replies), without blocking. */
static unsigned long
drain(int fd)
{
	uint8_t buf[256];
	unsigned long n = 0;

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		n++;
	return n;
}

int
main(int argc, char *argv[])
{
	static uint8_t inits[NINITS][WIRE_INIT_LEN];
	static int fds[MAXSOCKS];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_storage hub;
	socklen_t hublen = 0;
	struct hs_hub_pub pub;
	struct timespec next;
	uint8_t key[WIRE_KEY_LEN], psk[HS_PSK_LEN], mode = WIRE_MODE_TAP;
	const char *pubkey = NULL, *pskarg = NULL;
	uint32_t src_first = 0, src_n = 0;
	unsigned long sent = 0, refused = 0, replies = 0, want;
	double rate = 0, secs = 0, t0, t;
	int ch, nsocks = 64, s = 0, i, k = 0, r;

	while ((ch = getopt(argc, argv, "a:d:K:k:m:r:S:s:")) != -1) {
		switch (ch) {
		case 'a':
			if (load_parse_sources(optarg, &src_first, &src_n) ==
			    -1)
				usage();
			break;
		case 'd':
			secs = atof(optarg);
			break;
		case 'K':
			pskarg = optarg;
			break;
		case 'k':
			pubkey = optarg;
			break;
		case 'm':
			if (strcmp(optarg, "tun") == 0)
				mode = WIRE_MODE_TUN;
			else if (strcmp(optarg, "tap") != 0)
				usage();
			break;
		case 'r':
			rate = atof(optarg);
			break;
		case 'S':
			nsocks = atoi(optarg);
			break;
		case 's':
			if (load_parse_hub(optarg, &hub, &hublen) == -1)
				die("cannot resolve the hub's address");
			break;
		default:
			usage();
		}
	}
	if (optind != argc || hublen == 0 || pubkey == NULL || rate <= 0 ||
	    secs <= 0 || nsocks < 1)
		usage();
	if (src_n > (uint32_t)nsocks)
		nsocks = (int)src_n;
	if (nsocks > MAXSOCKS)
		nsocks = MAXSOCKS;
	if (key_from_base64(key, pubkey) == -1 ||
	    hs_hub_pub_init(&pub, key) == -1)
		die("-k: not a base64 public key");
	if (hs_psk_derive(psk, pskarg) == -1)
		die("-K: not a usable key");
	make_inits(inits, &pub, psk, mode);
	for (i = 0; i < nsocks; i++) {
		if ((fds[i] = socket(hub.ss_family, SOCK_DGRAM | SOCK_NONBLOCK,
			 0)) == -1)
			die("socket (raise the descriptor limit?)");
		if (src_n > 0 &&
		    load_bind_source(fds[i], src_first, src_n, (uint32_t)i) ==
			-1)
			die("bind to a source address of -a");
		/* Connected: sendmmsg needs no address, and only the hub's
		 * answers are read. */
		if (connect(fds[i], (struct sockaddr *)&hub, hublen) == -1)
			die("connect");
	}
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		iov[i].iov_len = WIRE_INIT_LEN;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	t0 = now_s();
	clock_gettime(CLOCK_MONOTONIC, &next);
	while ((t = now_s() - t0) < secs) {
		/* What the rate asks for by now, in batches over the
		 * sockets in turn. */
		want = (unsigned long)(rate * t);
		while (sent + refused < want) {
			int n = (int)(want - sent - refused);

			if (n > BATCH)
				n = BATCH;
			for (i = 0; i < n; i++)
				iov[i].iov_base = inits[k++ % NINITS];
			r = sendmmsg(fds[s], msgs, (unsigned)n, 0);
			if (r < 0) {
				if (errno != EAGAIN && errno != ENOBUFS &&
				    errno != ECONNREFUSED)
					die("sendmmsg");
				r = 0;
			}
			sent += (unsigned long)r;
			refused += (unsigned long)(n - r);
			s = (s + 1) % nsocks;
		}
		/* Replies, a socket a tick (each is read every nsocks ms). */
		replies += drain(fds[(size_t)(t * 1000) % (size_t)nsocks]);
		next.tv_nsec += TICK_NS;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000L;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	t = now_s() - t0;
	for (i = 0; i < nsocks; i++)
		replies += drain(fds[i]);
	printf("initflood: %lu INITs sent in %.1f s (%.0f a second) from %d "
	       "sockets, %lu refused by the kernel, %lu replies read\n",
	    sent, t, (double)sent / t, nsocks, refused, replies);
	return 0;
}
