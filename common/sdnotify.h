/*
 * Readiness for systemd (Type=notify) without libsystemd: one datagram
 * to $NOTIFY_SOCKET. The socket is connected at start-up, before the
 * chroot hides its path.
 */
#ifndef VLAND_SDNOTIFY_H
#define VLAND_SDNOTIFY_H

/* Connect to $NOTIFY_SOCKET if it is set (and unset it for children). */
void sdnotify_open(void);
/* Send a state such as "READY=1"; a no-op without a notify socket. */
void sdnotify(const char *state);

#endif
