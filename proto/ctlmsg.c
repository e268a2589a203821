#include "ctlmsg.h"

const char *const ctl_drop_names[CTL_DROP_REASONS] = { "short", "type", "index",
	"auth", "handshake", "state", "control", "truncated", "ratelimit",
	"tap", "send", "spoof", "noroute", "malformed" };
