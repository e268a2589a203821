/*
 * vland's end of the control socket (ctl.c), in two steps: made as root
 * before the privilege drop (in a root-owned directory, given to root
 * and control-group), and served on the event loop after it.
 */
#ifndef VLAND_CTL_H
#define VLAND_CTL_H

/* Open the control socket (as root, before the privilege drop). */
void ctl_open(void);
/* Start accepting clients (after the drop, once the event base exists). */
void ctl_events(void);
void ctl_close(void);

#endif
