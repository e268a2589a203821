/*
 * pipelink.h's two threads. pipe_to_socket reads the pipe (overlapped,
 * so that the other thread may write it meanwhile: two threads blocked
 * on one handle opened for synchronous I/O would take turns, and a
 * read waiting for the client would hold back the answer it waits
 * for) and sends what it read; socket_to_pipe does the reverse. The
 * first to see its source end tells the other: a pipe that fails or
 * ends shuts the socket for sending, a socket that ends sets the stop
 * event. The last thread out closes the pipe and the socket and frees
 * the link.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <event2/util.h>

#include "pipelink.h"

#define CHUNK 16384

struct pipelink {
	HANDLE pipe;
	SOCKET mine;	     /* the link's end of the pair */
	HANDLE stop;	     /* manual reset: the socket side is done */
	volatile LONG alive; /* threads still running */
};

static void
link_release(struct pipelink *l)
{
	if (InterlockedDecrement(&l->alive) != 0)
		return;
	/* What was written stays readable to the client until it has read
	 * it (a close is not DisconnectNamedPipe, which would drop it). */
	CloseHandle(l->pipe);
	closesocket(l->mine);
	CloseHandle(l->stop);
	free(l);
}

/* Wait for an overlapped I/O on the pipe; false if stopped or failed. */
static bool
finish(struct pipelink *l, OVERLAPPED *ov, BOOL started, DWORD *got)
{
	HANDLE wait[2] = { ov->hEvent, l->stop };

	if (!started && GetLastError() != ERROR_IO_PENDING)
		return false;
	if (WaitForMultipleObjects(2, wait, FALSE, INFINITE) != WAIT_OBJECT_0) {
		CancelIo(l->pipe);
		(void)GetOverlappedResult(l->pipe, ov, got, TRUE);
		return false;
	}
	return GetOverlappedResult(l->pipe, ov, got, FALSE) != 0;
}

/* All of buf on the (blocking) socket; false if it failed. */
static bool
send_all(SOCKET s, const char *buf, DWORD len)
{
	int n;

	while (len > 0) {
		if ((n = send(s, buf, (int)len, 0)) == SOCKET_ERROR)
			return false;
		buf += n;
		len -= (DWORD)n;
	}
	return true;
}

static DWORD WINAPI
pipe_to_socket(LPVOID arg)
{
	struct pipelink *l = arg;
	OVERLAPPED ov;
	char buf[CHUNK];
	DWORD got;

	memset(&ov, 0, sizeof(ov));
	if ((ov.hEvent = CreateEvent(NULL, TRUE, FALSE, NULL)) != NULL) {
		for (;;) {
			ResetEvent(ov.hEvent);
			got = 0;
			if (!finish(l, &ov,
				ReadFile(l->pipe, buf, sizeof(buf), NULL, &ov),
				&got))
				break;
			if (got > 0 && !send_all(l->mine, buf, got))
				break;
		}
		CloseHandle(ov.hEvent);
	}
	/* The client went (or the caller did): the caller reads the end. */
	shutdown(l->mine, SD_SEND);
	link_release(l);
	return 0;
}

static DWORD WINAPI
socket_to_pipe(LPVOID arg)
{
	struct pipelink *l = arg;
	OVERLAPPED ov;
	char buf[CHUNK];
	DWORD got, off;
	int n;

	memset(&ov, 0, sizeof(ov));
	if ((ov.hEvent = CreateEvent(NULL, TRUE, FALSE, NULL)) != NULL) {
		while ((n = recv(l->mine, buf, sizeof(buf), 0)) > 0) {
			for (off = 0; off < (DWORD)n; off += got) {
				ResetEvent(ov.hEvent);
				got = 0;
				if (!finish(l, &ov,
					WriteFile(l->pipe, buf + off,
					    (DWORD)n - off, NULL, &ov),
					&got) ||
				    got == 0)
					goto out;
			}
		}
	out:
		CloseHandle(ov.hEvent);
	}
	/* The caller closed its end, or the pipe broke: the reader stops. */
	SetEvent(l->stop);
	link_release(l);
	return 0;
}

int
pipelink_start(HANDLE pipe, int *fd)
{
	struct pipelink *l;
	evutil_socket_t s[2];
	HANDLE t;

	if ((l = calloc(1, sizeof(*l))) == NULL) {
		CloseHandle(pipe);
		return -ENOMEM;
	}
	l->pipe = pipe;
	if (evutil_socketpair(AF_INET, SOCK_STREAM, 0, s) != 0) {
		CloseHandle(pipe);
		free(l);
		return -EIO;
	}
	l->mine = (SOCKET)s[0];
	if (!SetHandleInformation((HANDLE)(SOCKET)s[0], HANDLE_FLAG_INHERIT,
		0) ||
	    !SetHandleInformation((HANDLE)(SOCKET)s[1], HANDLE_FLAG_INHERIT,
		0) ||
	    (l->stop = CreateEvent(NULL, TRUE, FALSE, NULL)) == NULL)
		goto fail;
	/* Both threads hold the link; each lets go as it ends. */
	l->alive = 2;
	if ((t = CreateThread(NULL, 0, pipe_to_socket, l, 0, NULL)) == NULL)
		goto fail_event;
	CloseHandle(t);
	if ((t = CreateThread(NULL, 0, socket_to_pipe, l, 0, NULL)) == NULL) {
		/* The reader alone: closing the caller's end ends it, and
		 * it frees the link. */
		SetEvent(l->stop);
		closesocket((SOCKET)s[1]);
		link_release(l);
		return -EIO;
	}
	CloseHandle(t);
	*fd = (int)s[1];
	return 0;
fail_event:
	CloseHandle(l->stop);
fail:
	closesocket((SOCKET)s[0]);
	closesocket((SOCKET)s[1]);
	CloseHandle(pipe);
	free(l);
	return -EIO;
}
