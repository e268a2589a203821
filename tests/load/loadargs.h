/*
 * What the load tools (vlogin, initflood) read from their command
 * lines alike: the hub's address and a range of IPv4 source addresses.
 */
#ifndef LOADARGS_H
#define LOADARGS_H

#include <stdint.h>
#include <sys/socket.h>

/* "ADDR:PORT" or "[V6]:PORT" into *ss; -1 if it does not resolve. */
int load_parse_hub(const char *arg, struct sockaddr_storage *ss,
    socklen_t *len);
/* "FIRST-LAST" (IPv4, FIRST <= LAST): host-order first and count; -1
 * if malformed. */
int load_parse_sources(const char *arg, uint32_t *first, uint32_t *n);
/* Bind fd to the i-th address (in turn) of the range, port 0. */
int load_bind_source(int fd, uint32_t first, uint32_t n, uint32_t i);

#endif
