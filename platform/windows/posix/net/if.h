/*
 * <net/if.h> for the win64 build, which mingw-w64 lacks: what vland uses of
 * it comes from Winsock, through winnet.h.
 */
#include "../winnet.h"
