/*
 * The daemon's one instance of each module's state. The modules take
 * their state as a parameter and keep none of their own, so that a unit
 * test makes its own instances; the daemon reaches these through vl.
 * Static, not allocated: some are large (buffers, hash tables) and all
 * live as long as the process.
 */
#include "ratelimit.h"
#include "vland.h"

static struct ratelimit rl;

/* Each module is made ready where the daemon starts using it (hub_init
 * and the like); here they are only wired. */
void
modules_init(void)
{
	vl.rl = &rl;
}
