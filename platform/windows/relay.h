/*
 * Frames between a Windows device handle and vland's event loop. The
 * TAP driver's handle is read and written with overlapped I/O, which
 * libevent cannot poll (it polls sockets), while vland's data path wants
 * a descriptor on which each read or write is one whole frame (platform.h,
 * doc/PORTING.md). So the platform gives vland one end of a pair of
 * connected loopback UDP sockets, whose datagrams keep frame boundaries,
 * and two threads move the frames: device to socket, socket to device.
 * Threads, not an I/O completion port: two blocking loops are the
 * simplest code that keeps the device's reads posted while vland is
 * busy, and the socket pair is what the loop polls either way. A
 * device that lets one I/O at a time in each direction is all it needs.
 */
#ifndef VLAND_RELAY_H
#define VLAND_RELAY_H

#include <stddef.h>

#include "winapi.h"

struct relay;

/*
 * Start relaying dev (opened with FILE_FLAG_OVERLAPPED; frames of at
 * most frame_max bytes). *fd is vland's end: a non-blocking socket, one
 * frame per recv/send. 0 or -errno.
 */
int relay_start(HANDLE dev, size_t frame_max, struct relay **out, int *fd);
/*
 * Stop both threads but keep the sockets (vland's descriptor stays
 * good): the device can be closed and opened again (its MAC, tapmac.c)
 * and relay_resume moves frames again, on that new handle. Frames
 * vland sends meanwhile wait in the socket's buffer (as many as fit);
 * the device's are not read. relay_resume: 0 or -errno.
 */
void relay_pause(struct relay *r);
int relay_resume(struct relay *r, HANDLE dev);
/* Stop both threads and close both sockets; dev stays open. Paused
 * or not. */
void relay_stop(struct relay *r);

#endif
