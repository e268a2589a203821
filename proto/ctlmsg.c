/*
 * The names of the drop reasons, made from the one list in ctlmsg.h so
 * that vlanctl and vland's /metrics say the same word for each.
 */
#include "ctlmsg.h"

const char *const ctl_drop_names[DROP_NREASONS] = {
#define DROP_NAME(e, name) name,
	DROP_REASONS(DROP_NAME)
#undef DROP_NAME
};
