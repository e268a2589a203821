/* The load tools' shared argument parsing (loadargs.h). */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "loadargs.h"

int
load_parse_hub(const char *arg, struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *res;
	char host[256], *port, *h = host;

	snprintf(host, sizeof(host), "%s", arg);
	if ((port = strrchr(host, ':')) == NULL)
		return -1;
	*port++ = '\0';
	if (host[0] == '[' && port[-2] == ']') {
		h++;
		port[-2] = '\0';
	}
	if (getaddrinfo(h, port, &hints, &res) != 0)
		return -1;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

int
load_parse_sources(const char *arg, uint32_t *first, uint32_t *n)
{
	char buf[32], *dash;
	struct in_addr a, b;

	snprintf(buf, sizeof(buf), "%s", arg);
	if ((dash = strchr(buf, '-')) == NULL)
		return -1;
	*dash++ = '\0';
	if (inet_pton(AF_INET, buf, &a) != 1 ||
	    inet_pton(AF_INET, dash, &b) != 1 ||
	    ntohl(b.s_addr) < ntohl(a.s_addr))
		return -1;
	*first = ntohl(a.s_addr);
	*n = ntohl(b.s_addr) - *first + 1;
	return 0;
}

int
load_bind_source(int fd, uint32_t first, uint32_t n, uint32_t i)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };

	sin.sin_addr.s_addr = htonl(first + i % n);
	return bind(fd, (struct sockaddr *)&sin, sizeof(sin));
}
