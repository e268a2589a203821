/*
 * ctlpipe.h: the listener thread, the hand-over of each client to the
 * event loop, and the client's connect.
 *
 * One instance of the pipe is always open and waiting (the next one is
 * made before a connected one is handed on), so the name never lapses
 * for another process to take. A connected instance is spliced to a
 * socket (pipelink.h) and that socket's number is sent, 4 bytes, on a
 * loopback pair whose other end is the descriptor the loop polls.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <event2/util.h>

#include "ctlpipe.h"
#include "pipelink.h"

/* After winapi.h (through ctlpipe.h): it needs <windows.h> first. */
#include <sddl.h>

#define CTLPIPE_BUF 65536

struct ctlpipe {
	char name[256];
	PSECURITY_DESCRIPTOR sd;
	HANDLE next; /* the instance waiting for a client */
	HANDLE stop; /* manual reset, set by ctlpipe_close */
	HANDLE thread;
	SOCKET tell, told; /* the listener's end, the loop's end */
	uint8_t acc[sizeof(int32_t)];
	size_t nacc; /* bytes of the next number read so far */
};

PSECURITY_DESCRIPTOR
ctlpipe_sd(void)
{
	PSECURITY_DESCRIPTOR sd = NULL;

	if (!ConvertStringSecurityDescriptorToSecurityDescriptorA(
		"D:P(A;;GA;;;SY)(A;;GA;;;BA)", SDDL_REVISION_1, &sd, NULL))
		return NULL;
	return sd;
}

static HANDLE
instance(struct ctlpipe *p, bool first)
{
	SECURITY_ATTRIBUTES sa;

	memset(&sa, 0, sizeof(sa));
	sa.nLength = sizeof(sa);
	sa.lpSecurityDescriptor = p->sd;
	sa.bInheritHandle = FALSE;
	return CreateNamedPipeA(p->name,
	    PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED |
		(first ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0),
	    PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT |
		PIPE_REJECT_REMOTE_CLIENTS,
	    PIPE_UNLIMITED_INSTANCES, CTLPIPE_BUF, CTLPIPE_BUF, 0, &sa);
}

/* Wait for a client on p->next; false when stopped. */
static bool
await_client(struct ctlpipe *p, OVERLAPPED *ov)
{
	HANDLE wait[2] = { ov->hEvent, p->stop };
	DWORD got;

	ResetEvent(ov->hEvent);
	if (ConnectNamedPipe(p->next, ov))
		return true;
	switch (GetLastError()) {
	case ERROR_PIPE_CONNECTED: /* came between create and connect */
		return true;
	case ERROR_IO_PENDING:
		break;
	default:
		return false;
	}
	if (WaitForMultipleObjects(2, wait, FALSE, INFINITE) != WAIT_OBJECT_0) {
		CancelIo(p->next);
		(void)GetOverlappedResult(p->next, ov, &got, TRUE);
		return false;
	}
	return GetOverlappedResult(p->next, ov, &got, FALSE) != 0;
}

static DWORD WINAPI
listener(LPVOID arg)
{
	struct ctlpipe *p = arg;
	OVERLAPPED ov;
	HANDLE cur;
	int32_t num;
	int fd;

	memset(&ov, 0, sizeof(ov));
	if ((ov.hEvent = CreateEvent(NULL, TRUE, FALSE, NULL)) == NULL)
		return 1;
	while (WaitForSingleObject(p->stop, 0) == WAIT_TIMEOUT) {
		if (!await_client(p, &ov)) {
			/* A client that came and went before we saw it:
			 * the instance is reused. */
			DisconnectNamedPipe(p->next);
			continue;
		}
		cur = p->next;
		/* Out of instances: the connected one serves, and waits
		 * for another once it is closed. */
		while ((p->next = instance(p, false)) == INVALID_HANDLE_VALUE)
			if (WaitForSingleObject(p->stop, 1000) != WAIT_TIMEOUT)
				goto out;
		if (pipelink_start(cur, &fd) != 0)
			continue;
		num = fd;
		if (send(p->tell, (const char *)&num, sizeof(num), 0) !=
		    sizeof(num))
			closesocket((SOCKET)fd);
	}
out:
	CloseHandle(ov.hEvent);
	return 0;
}

/* Does a server answer at name? A client's open, as vland on Linux
 * connects to the socket before it replaces it: wine does not enforce
 * FILE_FLAG_FIRST_PIPE_INSTANCE, Windows does (and closes the race). */
static bool
answers(const char *name)
{
	HANDLE h;

	h = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL,
	    OPEN_EXISTING, SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION,
	    NULL);
	if (h != INVALID_HANDLE_VALUE) {
		CloseHandle(h);
		return true;
	}
	return GetLastError() == ERROR_PIPE_BUSY ||
	    GetLastError() == ERROR_ACCESS_DENIED;
}

int
ctlpipe_listen(const char *name, struct ctlpipe **out, int *fd)
{
	struct ctlpipe *p;
	evutil_socket_t s[2];
	u_long one = 1;
	WSADATA wsa;
	int rc = -EIO;

	if (strncmp(name, CTLPIPE_PREFIX, strlen(CTLPIPE_PREFIX)) != 0 ||
	    strlen(name) >= sizeof(p->name))
		return -EINVAL;
	if (answers(name))
		return -EADDRINUSE;
	/* The loopback pairs need Winsock, which vland.exe may not have
	 * started yet (the control channel is made first). */
	if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
		return -EIO;
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		WSACleanup();
		return -ENOMEM;
	}
	memcpy(p->name, name, strlen(name) + 1);
	p->next = p->stop = INVALID_HANDLE_VALUE;
	if ((p->sd = ctlpipe_sd()) == NULL)
		goto fail;
	if ((p->next = instance(p, true)) == INVALID_HANDLE_VALUE) {
		rc = GetLastError() == ERROR_ACCESS_DENIED ? -EADDRINUSE : -EIO;
		goto fail;
	}
	if (evutil_socketpair(AF_INET, SOCK_STREAM, 0, s) != 0)
		goto fail;
	p->tell = (SOCKET)s[0];
	p->told = (SOCKET)s[1];
	if (!SetHandleInformation((HANDLE)p->tell, HANDLE_FLAG_INHERIT, 0) ||
	    !SetHandleInformation((HANDLE)p->told, HANDLE_FLAG_INHERIT, 0) ||
	    ioctlsocket(p->told, FIONBIO, &one) != 0 ||
	    (p->stop = CreateEvent(NULL, TRUE, FALSE, NULL)) == NULL)
		goto fail_sockets;
	if ((p->thread = CreateThread(NULL, 0, listener, p, 0, NULL)) == NULL)
		goto fail_event;
	*out = p;
	*fd = (int)p->told;
	return 0;
fail_event:
	CloseHandle(p->stop);
fail_sockets:
	closesocket(p->tell);
	closesocket(p->told);
fail:
	if (p->next != INVALID_HANDLE_VALUE)
		CloseHandle(p->next);
	if (p->sd != NULL)
		LocalFree(p->sd);
	free(p);
	WSACleanup();
	return rc;
}

int
ctlpipe_accept(struct ctlpipe *p)
{
	int32_t num;
	int n;

	/* The numbers come whole from the listener, but a stream may cut
	 * them: read up to one, keep what came. */
	n = recv(p->told, (char *)p->acc + p->nacc,
	    (int)(sizeof(p->acc) - p->nacc), 0);
	if (n == SOCKET_ERROR || n == 0) {
		errno = n == 0 || WSAGetLastError() != WSAEWOULDBLOCK ? EIO
								      : EAGAIN;
		return -1;
	}
	p->nacc += (size_t)n;
	if (p->nacc < sizeof(p->acc)) {
		errno = EAGAIN;
		return -1;
	}
	memcpy(&num, p->acc, sizeof(num));
	p->nacc = 0;
	return num;
}

void
ctlpipe_close(struct ctlpipe *p)
{
	if (p == NULL)
		return;
	SetEvent(p->stop);
	WaitForSingleObject(p->thread, INFINITE);
	CloseHandle(p->thread);
	CloseHandle(p->stop);
	if (p->next != INVALID_HANDLE_VALUE)
		CloseHandle(p->next);
	closesocket(p->tell);
	closesocket(p->told);
	LocalFree(p->sd);
	free(p);
	WSACleanup();
}

int
ctlpipe_connect(const char *name, DWORD wait_ms, int *fd)
{
	HANDLE h;
	DWORD err;

	for (;;) {
		/* SECURITY_IDENTIFICATION: whoever serves the name may ask
		 * who we are, never act as us. */
		h = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL,
		    OPEN_EXISTING,
		    FILE_FLAG_OVERLAPPED | SECURITY_SQOS_PRESENT |
			SECURITY_IDENTIFICATION,
		    NULL);
		if (h != INVALID_HANDLE_VALUE)
			break;
		err = GetLastError();
		if (err != ERROR_PIPE_BUSY)
			return err == ERROR_ACCESS_DENIED ? -EACCES : -ENOENT;
		if (!WaitNamedPipeA(name, wait_ms))
			return -ETIMEDOUT;
	}
	return pipelink_start(h, fd);
}
