/*
 * vland's main on Linux: the daemon itself (vland.c). On Windows the
 * program's main is service_win.c's, which can also run it as a
 * service.
 */
#include "vland.h"

int
main(int argc, char *argv[])
{
	return vland_main(argc, argv);
}
