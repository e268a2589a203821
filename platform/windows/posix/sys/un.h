/*
 * <sys/un.h> for the win64 build: Windows 10 has AF_UNIX sockets, and
 * mingw-w64 declares struct sockaddr_un in <afunix.h>.
 */
#ifndef VLAND_WIN_SYS_UN_H
#define VLAND_WIN_SYS_UN_H

#include "../winnet.h"
#include <afunix.h>

#endif
