/*
 * platform/windows/ctlpipe.c and pipelink.c under wine (win64 build):
 * the control pipe's security descriptor (a protected DACL of SYSTEM and
 * Administrators, and no one else), the same DACL on the pipe made,
 * bytes both ways between a client and the socket the loop accepts,
 * each end seeing the other's close, two clients at once, a second
 * listener on the name refused, and a client of an absent pipe told so.
 * Wine stores a pipe's DACL but does not enforce it, so no test here
 * sees a refusal: the descriptor is what is checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ctlpipe.h"

#include <aclapi.h>

static char name[64];

/* A name of its own for each test: a client of the test before may
 * still be going (its splice's threads close the server's end of the
 * pipe after the client's close), and the pipe would answer then. */
static int
setup(void **state)
{
	static unsigned n;
	WSADATA wsa;

	(void)state;
	snprintf(name, sizeof(name), CTLPIPE_PREFIX "vland-test-%lu-%u",
	    GetCurrentProcessId(), n++);
	return WSAStartup(MAKEWORD(2, 2), &wsa) != 0;
}

/* The DACL allows exactly SYSTEM and Administrators, all access. */
static void
check_dacl(PACL dacl)
{
	WELL_KNOWN_SID_TYPE want[2] = { WinLocalSystemSid,
		WinBuiltinAdministratorsSid };
	BYTE sid[SECURITY_MAX_SID_SIZE];
	ACCESS_ALLOWED_ACE *ace;
	DWORD len, i;

	assert_non_null(dacl);
	assert_int_equal(dacl->AceCount, 2);
	for (i = 0; i < 2; i++) {
		assert_true(GetAce(dacl, i, (LPVOID *)&ace));
		assert_int_equal(ace->Header.AceType, ACCESS_ALLOWED_ACE_TYPE);
		assert_true(
		    ace->Mask == GENERIC_ALL || ace->Mask == FILE_ALL_ACCESS);
		len = sizeof(sid);
		assert_true(CreateWellKnownSid(want[i], NULL, sid, &len));
		assert_true(EqualSid((PSID)&ace->SidStart, sid));
	}
}

static void
test_descriptor(void **state)
{
	PSECURITY_DESCRIPTOR sd;
	SECURITY_DESCRIPTOR_CONTROL ctl;
	BOOL present, defaulted;
	DWORD rev;
	PACL dacl;

	(void)state;
	assert_non_null(sd = ctlpipe_sd());
	assert_true(IsValidSecurityDescriptor(sd));
	assert_true(GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted));
	assert_true(present);
	/* Protected: nothing inherited from elsewhere widens it. */
	assert_true(GetSecurityDescriptorControl(sd, &ctl, &rev));
	assert_true(ctl & SE_DACL_PROTECTED);
	check_dacl(dacl);
	LocalFree(sd);
}

/* All of len bytes from a blocking or non-blocking socket. */
static void
recv_all(int fd, char *buf, int len)
{
	int n, got = 0;

	while (got < len) {
		n = recv((SOCKET)fd, buf + got, len - got, 0);
		if (n == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK) {
			Sleep(10);
			continue;
		}
		assert_true(n > 0);
		got += n;
	}
}

/* The next client's socket, waiting up to 5 s. */
static int
accept_wait(struct ctlpipe *p, int lfd)
{
	fd_set rd;
	struct timeval tv = { 5, 0 };
	int fd;

	FD_ZERO(&rd);
	FD_SET((SOCKET)lfd, &rd);
	assert_int_equal(select(0, &rd, NULL, NULL, &tv), 1);
	while ((fd = ctlpipe_accept(p)) == -1) {
		assert_int_equal(errno, EAGAIN);
		Sleep(10);
	}
	return fd;
}

static void
test_pipe_dacl(void **state)
{
	PSECURITY_DESCRIPTOR sd;
	struct ctlpipe *p;
	PACL dacl;
	HANDLE h;
	int lfd;

	(void)state;
	assert_int_equal(ctlpipe_listen(name, &p, &lfd), 0);
	h = CreateFileA(name, READ_CONTROL, 0, NULL, OPEN_EXISTING, 0, NULL);
	assert_true(h != INVALID_HANDLE_VALUE);
	assert_int_equal(GetSecurityInfo(h, SE_KERNEL_OBJECT,
			     DACL_SECURITY_INFORMATION, NULL, NULL, &dacl, NULL,
			     &sd),
	    ERROR_SUCCESS);
	check_dacl(dacl);
	LocalFree(sd);
	CloseHandle(h);
	ctlpipe_close(p);
}

static void
test_both_ways(void **state)
{
	struct ctlpipe *p;
	char big[100000], got[sizeof(big)];
	int lfd, cli, srv, cli2, srv2, n;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7);
	assert_int_equal(ctlpipe_listen(name, &p, &lfd), 0);
	assert_int_equal(ctlpipe_connect(name, 1000, &cli), 0);
	srv = accept_wait(p, lfd);
	/* A second client meanwhile: its own socket. */
	assert_int_equal(ctlpipe_connect(name, 1000, &cli2), 0);
	srv2 = accept_wait(p, lfd);
	assert_true(srv2 != srv);

	assert_int_equal(send((SOCKET)cli, "ask", 3, 0), 3);
	recv_all(srv, got, 3);
	assert_memory_equal(got, "ask", 3);
	/* More than the pipe's buffer, in one go: it arrives whole. */
	assert_int_equal(send((SOCKET)srv, big, sizeof(big), 0),
	    (int)sizeof(big));
	recv_all(cli, got, sizeof(big));
	assert_memory_equal(got, big, sizeof(big));
	assert_int_equal(send((SOCKET)cli2, "two", 3, 0), 3);
	recv_all(srv2, got, 3);
	assert_memory_equal(got, "two", 3);

	/* The client goes: the server's socket reads its end. */
	closesocket((SOCKET)cli);
	while ((n = recv((SOCKET)srv, got, 1, 0)) == SOCKET_ERROR &&
	    WSAGetLastError() == WSAEWOULDBLOCK)
		Sleep(10);
	assert_int_equal(n, 0);
	/* The server drops the other: that client reads its end. */
	closesocket((SOCKET)srv2);
	assert_int_equal(recv((SOCKET)cli2, got, 1, 0), 0);
	closesocket((SOCKET)srv);
	closesocket((SOCKET)cli2);
	ctlpipe_close(p);
}

static void
test_in_use_and_absent(void **state)
{
	struct ctlpipe *p, *q;
	int lfd, lfd2, fd;

	(void)state;
	assert_int_equal(ctlpipe_listen(name, &p, &lfd), 0);
	assert_int_equal(ctlpipe_listen(name, &q, &lfd2), -EADDRINUSE);
	ctlpipe_close(p);
	assert_int_equal(ctlpipe_connect(name, 100, &fd), -ENOENT);
	assert_int_equal(ctlpipe_listen("/run/vland/vland.sock", &p, &lfd),
	    -EINVAL);
	/* The name is free again once closed. */
	assert_int_equal(ctlpipe_listen(name, &p, &lfd), 0);
	ctlpipe_close(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_descriptor),
		cmocka_unit_test(test_pipe_dacl),
		cmocka_unit_test(test_both_ways),
		cmocka_unit_test(test_in_use_and_absent),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
