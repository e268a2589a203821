/*
 * The hub's route set at work (routes.h is the set itself): installed on
 * the hub's bridge or tun through vland-ifmgr, sent to every endpoint
 * that is up, and announced by multicast when configured.
 */
#ifndef VLAND_HUBROUTES_H
#define VLAND_HUBROUTES_H

void hubroutes_init(void);
/* Recompute after a login, logout or reload; push if the set changed. */
void hubroutes_update(void);
/* Send the multicast announcement if one is due (called from the tick). */
void hubroutes_tick(void);

#endif
