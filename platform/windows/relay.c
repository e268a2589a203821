/*
 * relay.h's two threads and the socket pair between them and vland. A
 * thread ends when the device fails (it is gone) or relay_stop or
 * relay_pause asks: the stop event wakes the device reader, and closing
 * the relay's socket (stop) or an empty datagram (pause) wakes the
 * socket reader. The frames pass as they are; a
 * datagram longer than frame_max is cut by recv and dropped here.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "relay.h"

struct relay {
	HANDLE dev;
	SOCKET mine;  /* the relay's end of the pair */
	SOCKET yours; /* vland's end */
	HANDLE stop;  /* manual reset: set by relay_pause and relay_stop */
	HANDLE threads[2];
	bool running; /* the threads are (not paused) */
	size_t frame_max;
};

/* Wait for an overlapped I/O on r->dev; false if stopped or failed. */
static bool
finish(struct relay *r, OVERLAPPED *ov, BOOL started, DWORD *got)
{
	HANDLE wait[2] = { ov->hEvent, r->stop };

	if (!started && GetLastError() != ERROR_IO_PENDING)
		return false;
	if (WaitForMultipleObjects(2, wait, FALSE, INFINITE) != WAIT_OBJECT_0) {
		CancelIo(r->dev);
		(void)GetOverlappedResult(r->dev, ov, got, TRUE);
		return false;
	}
	return GetOverlappedResult(r->dev, ov, got, FALSE) != 0;
}

static DWORD WINAPI
dev_to_socket(LPVOID arg)
{
	struct relay *r = arg;
	OVERLAPPED ov;
	char *buf;
	DWORD got;

	if ((buf = malloc(r->frame_max)) == NULL)
		return 1;
	memset(&ov, 0, sizeof(ov));
	if ((ov.hEvent = CreateEvent(NULL, TRUE, FALSE, NULL)) == NULL) {
		free(buf);
		return 1;
	}
	for (;;) {
		ResetEvent(ov.hEvent);
		got = 0;
		if (!finish(r, &ov,
			ReadFile(r->dev, buf, (DWORD)r->frame_max, NULL, &ov),
			&got))
			break;
		/* A full socket buffer drops the frame, as a full device
		 * queue would: vland is behind. */
		if (got > 0)
			(void)send(r->mine, buf, (int)got, 0);
	}
	CloseHandle(ov.hEvent);
	free(buf);
	return 0;
}

static DWORD WINAPI
socket_to_dev(LPVOID arg)
{
	struct relay *r = arg;
	OVERLAPPED ov;
	char *buf;
	DWORD got;
	int n;

	if ((buf = malloc(r->frame_max)) == NULL)
		return 1;
	memset(&ov, 0, sizeof(ov));
	if ((ov.hEvent = CreateEvent(NULL, TRUE, FALSE, NULL)) == NULL) {
		free(buf);
		return 1;
	}
	/* Stopped: a frame at most after relay_pause, even when the
	 * socket's buffer is too full for its wake-up to get in. */
	while (WaitForSingleObject(r->stop, 0) != WAIT_OBJECT_0) {
		n = recv(r->mine, buf, (int)r->frame_max, 0);
		if (n == SOCKET_ERROR && WSAGetLastError() == WSAEMSGSIZE)
			continue; /* longer than a frame: dropped */
		if (n == 0)
			continue; /* relay_pause's wake-up (maybe a stale one) */
		if (n < 0)
			break; /* closed by relay_stop */
		ResetEvent(ov.hEvent);
		if (!finish(r, &ov, WriteFile(r->dev, buf, (DWORD)n, NULL, &ov),
			&got))
			break;
	}
	CloseHandle(ov.hEvent);
	free(buf);
	return 0;
}

/* Two UDP sockets on 127.0.0.1, each connected to the other, so that
 * nothing else on the host can send into the pair. */
static int
socket_pair(SOCKET s[2])
{
	struct sockaddr_in a[2];
	int len, i;

	s[0] = s[1] = INVALID_SOCKET;
	for (i = 0; i < 2; i++) {
		memset(&a[i], 0, sizeof(a[i]));
		a[i].sin_family = AF_INET;
		a[i].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(a[i]);
		if ((s[i] = socket(AF_INET, SOCK_DGRAM, 0)) == INVALID_SOCKET ||
		    bind(s[i], (struct sockaddr *)&a[i], sizeof(a[i])) != 0 ||
		    getsockname(s[i], (struct sockaddr *)&a[i], &len) != 0)
			goto fail;
	}
	if (connect(s[0], (struct sockaddr *)&a[1], sizeof(a[1])) != 0 ||
	    connect(s[1], (struct sockaddr *)&a[0], sizeof(a[0])) != 0)
		goto fail;
	return 0;
fail:
	for (i = 0; i < 2; i++)
		if (s[i] != INVALID_SOCKET)
			closesocket(s[i]);
	return -EIO;
}

static int
threads_start(struct relay *r)
{
	ResetEvent(r->stop);
	if ((r->threads[0] =
		    CreateThread(NULL, 0, dev_to_socket, r, 0, NULL)) == NULL)
		return -EIO;
	if ((r->threads[1] =
		    CreateThread(NULL, 0, socket_to_dev, r, 0, NULL)) == NULL) {
		SetEvent(r->stop);
		WaitForSingleObject(r->threads[0], INFINITE);
		CloseHandle(r->threads[0]);
		return -EIO;
	}
	r->running = true;
	return 0;
}

int
relay_start(HANDLE dev, size_t frame_max, struct relay **out, int *fd)
{
	struct relay *r;
	SOCKET s[2];
	u_long one = 1;
	WSADATA wsa;

	if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
		return -EIO;
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		WSACleanup();
		return -ENOMEM;
	}
	r->dev = dev;
	r->frame_max = frame_max;
	if (socket_pair(s) != 0)
		goto fail;
	r->mine = s[0];
	r->yours = s[1];
	if (ioctlsocket(r->yours, FIONBIO, &one) != 0 ||
	    (r->stop = CreateEvent(NULL, TRUE, FALSE, NULL)) == NULL)
		goto fail_sockets;
	if (threads_start(r) != 0)
		goto fail_event;
	*out = r;
	/* A SOCKET is an integer handle; vland's loop (libevent) takes it
	 * back as evutil_socket_t. */
	*fd = (int)r->yours;
	return 0;
fail_event:
	CloseHandle(r->stop);
fail_sockets:
	closesocket(r->mine);
	closesocket(r->yours);
fail:
	free(r);
	WSACleanup();
	return -EIO;
}

void
relay_pause(struct relay *r)
{
	if (!r->running)
		return;
	SetEvent(r->stop);
	/* socket_to_dev waits in recv: an empty datagram from vland's
	 * end wakes it (vland never sends one: a frame has at least its
	 * Ethernet header). */
	(void)send(r->yours, "", 0, 0);
	WaitForMultipleObjects(2, r->threads, TRUE, INFINITE);
	CloseHandle(r->threads[0]);
	CloseHandle(r->threads[1]);
	r->running = false;
}

int
relay_resume(struct relay *r, HANDLE dev)
{
	if (r->running)
		return -EALREADY;
	r->dev = dev;
	return threads_start(r);
}

void
relay_stop(struct relay *r)
{
	if (r == NULL)
		return;
	if (r->running) {
		SetEvent(r->stop);
		closesocket(r->mine);
		WaitForMultipleObjects(2, r->threads, TRUE, INFINITE);
		CloseHandle(r->threads[0]);
		CloseHandle(r->threads[1]);
	} else {
		closesocket(r->mine);
	}
	CloseHandle(r->stop);
	closesocket(r->yours);
	free(r);
	WSACleanup();
}
