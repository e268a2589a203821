/*
 * The normalised configuration (vland -nv): every key, defaults
 * included, in a fixed order and form, so that two configs that mean
 * the same print the same.
 */
#include <string.h>

#include "config.h"

/* Plain when it cannot be mistaken for anything else, else quoted. */
static void
print_str(FILE *f, const char *s)
{
	const unsigned char *p;
	bool plain =
	    s[0] != '\0' && strchr("-?:,[]{}#&*!|>'\"%@` ", s[0]) == NULL;

	for (p = (const unsigned char *)s; *p != '\0' && plain; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			(*p >= '0' && *p <= '9') || strchr("._/-+=", *p)))
			plain = false;
	/* Words YAML would read as another type. */
	if (plain &&
	    (strcasecmp(s, "true") == 0 || strcasecmp(s, "false") == 0 ||
		strcasecmp(s, "yes") == 0 || strcasecmp(s, "no") == 0 ||
		strcasecmp(s, "on") == 0 || strcasecmp(s, "off") == 0 ||
		strcasecmp(s, "null") == 0 || strcmp(s, "~") == 0))
		plain = false;
	if (plain) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* isolate always; groups and allow when there are any. */
static void
print_groups(FILE *f, const struct config *cfg)
{
	size_t g, i, n;

	fprintf(f, "isolate: %s\n", cfg->isolate ? "true" : "false");
	if (cfg->ngroups > 0)
		fprintf(f, "groups:\n");
	for (g = 0; g < cfg->ngroups; g++) {
		fprintf(f, "  ");
		print_str(f, cfg->groups[g]);
		fprintf(f, ": [");
		for (i = 0, n = 0; i < cfg->nmembers; i++) {
			if (cfg->members[i].group != g)
				continue;
			fprintf(f, "%s", n++ ? ", " : "");
			print_str(f, cfg->members[i].user);
		}
		fprintf(f, "]\n");
	}
	if (cfg->nallow > 0)
		fprintf(f, "allow:\n");
	for (i = 0; i < cfg->nallow; i++) {
		fprintf(f, "  - [");
		print_str(f, cfg->allow[i][0]);
		fprintf(f, ", ");
		print_str(f, cfg->allow[i][1]);
		fprintf(f, "]\n");
	}
}

static void
print_key(FILE *f, const char *indent, const char *key, const char *val)
{
	fprintf(f, "%s%s: ", indent, key);
	print_str(f, val);
	fputc('\n', f);
}

/* Set for one cfg_print call: whether the secrets print as they are. */
static bool print_secrets;

static void
print_psk(FILE *f, const char *indent, const struct config *cfg)
{
	char hex[KEY_HEXLEN + 1];

	if (!cfg->has_psk)
		return;
	if (!print_secrets) {
		print_key(f, indent, "key", CFG_SECRET_SHOWN);
		return;
	}
	key_to_hex(hex, cfg->psk);
	print_key(f, indent, "key", hex);
	explicit_bzero(hex, sizeof(hex));
}

static void
print_endpoint(FILE *f, const struct config *cfg)
{
	const struct cfg_connect *c = &cfg->connect;
	char buf[CFG_HOST_MAX + 16], key[KEY_B64LEN + 1];
	size_t i;

	fprintf(f, "connect:\n");
	if (c->nservers > 1)
		fprintf(f, "  server:\n");
	for (i = 0; i < c->nservers; i++) {
		cfg_server_fmt(&c->servers[i], buf, sizeof(buf));
		if (c->nservers > 1) {
			fprintf(f, "    - ");
			print_str(f, buf);
			fputc('\n', f);
		} else
			print_key(f, "  ", "server", buf);
	}
	key_to_base64(key, c->server_key);
	print_key(f, "  ", "server-key", key);
	print_key(f, "  ", "user", c->user);
	if (c->has_password)
		print_key(f, "  ", "password",
		    print_secrets ? c->password : CFG_SECRET_SHOWN);
	if (c->password_file[0] != '\0')
		print_key(f, "  ", "password-file", c->password_file);
	print_psk(f, "  ", cfg);
	if (c->udp_dev.af != 0) {
		char a[ADDR_STRLEN], dev[ADDR_STRLEN + 16];

		addr_fmt(&c->udp_dev, a, sizeof(a));
		snprintf(dev, sizeof(dev),
		    c->udp_dev.af == AF_INET6 ? "udp:[%s]:%u" : "udp:%s:%u", a,
		    c->udp_dev_port);
		print_key(f, "  ", "device", dev);
	} else if (c->interface[0] != '\0') {
		/* "" (Windows): the first adapter free, said by leaving
		 * the key out. */
		print_key(f, "  ", "interface", c->interface);
	}
	fprintf(f, "  full-tunnel: %s\n", c->full_tunnel ? "true" : "false");
	fprintf(f, "  dns: %s\n", c->dns ? "true" : "false");
	fprintf(f, "  direct: %s\n", c->direct ? "true" : "false");
}

/* dns only when there is something to push. */
static void
print_dns(FILE *f, const struct dns_set *d)
{
	char a[ADDR_STRLEN];
	size_t i;

	if (d->nservers == 0 && d->nsearch == 0)
		return;
	fprintf(f, "dns:\n");
	if (d->nservers > 0) {
		fprintf(f, "  servers: [");
		for (i = 0; i < d->nservers; i++) {
			fputs(i ? ", " : "", f);
			print_str(f, addr_fmt(&d->servers[i], a, sizeof(a)));
		}
		fprintf(f, "]\n");
	}
	if (d->nsearch > 0) {
		fprintf(f, "  search: [");
		for (i = 0; i < d->nsearch; i++) {
			fputs(i ? ", " : "", f);
			print_str(f, d->search[i]);
		}
		fprintf(f, "]\n");
	}
}

static void
print_hub(FILE *f, const struct config *cfg)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN], p[PREFIX_STRLEN];
	size_t i;

	fprintf(f, "port: %u\n", cfg->port);
	fprintf(f, "listen: [");
	for (i = 0; i < cfg->nlisten; i++) {
		fputs(i ? ", " : "", f);
		print_str(f, addr_fmt(&cfg->listen[i], a, sizeof(a)));
	}
	fprintf(f, "]\n");
	fprintf(f, "ip: %s\n", prefix_fmt(&cfg->ip, p, sizeof(p)));
	if (cfg->ip6.a.af == AF_INET6)
		fprintf(f, "ip6: %s\n", prefix_fmt(&cfg->ip6, p, sizeof(p)));
	fprintf(f, "dhcp-range: %s-%s\n",
	    addr_fmt(&cfg->range_lo, a, sizeof(a)),
	    addr_fmt(&cfg->range_hi, b, sizeof(b)));
	if (cfg->mode == CFG_TAP)
		print_key(f, "", "bridge", cfg->bridge);
	else
		print_key(f, "", "interface", cfg->interface);
	print_psk(f, "", cfg);
	print_key(f, "", "private-key", cfg->private_key);
	print_key(f, "", "users", cfg->users);
	fprintf(f, "keepalive: %u\n", cfg->keepalive);
	fprintf(f, "timeout: %u\n", cfg->timeout);
	fprintf(f, "max-sessions: %u\n", cfg->max_sessions);
	if (cfg->nat[0] != '\0')
		print_key(f, "", "nat", cfg->nat);
	if (cfg->nroutes == 0)
		fprintf(f, "routes: []\n");
	else
		fprintf(f, "routes:\n");
	for (i = 0; i < cfg->nroutes; i++) {
		fprintf(f, "  - cidr: %s\n",
		    prefix_fmt(&cfg->routes[i].cidr, p, sizeof(p)));
		fprintf(f, "    nexthop: %s\n",
		    cfg->routes[i].server ? NEXTHOP_SERVER
					  : cfg->routes[i].nexthop);
	}
	if (cfg->mode == CFG_TAP) {
		fprintf(f, "route-multicast: %s\n",
		    cfg->route_multicast ? "true" : "false");
		fprintf(f, "bridge-users: [");
		for (i = 0; i < cfg->nbridge_users; i++) {
			fprintf(f, "%s", i ? ", " : "");
			print_str(f, cfg->bridge_users[i]);
		}
		fprintf(f, "]\n");
		fprintf(f, "switch: %s\n",
		    cfg->l2switch == CFG_SWITCH_HUB ? "hub" : "bridge");
	}
	fprintf(f, "direct: %s\n", cfg->direct ? "true" : "false");
	print_groups(f, cfg);
	print_dns(f, &cfg->dns);
	fprintf(f, "web:\n");
	fprintf(f, "  enable: %s\n", cfg->web.enable ? "true" : "false");
	print_key(f, "  ", "listen", addr_fmt(&cfg->web.listen, a, sizeof(a)));
	fprintf(f, "  port: %u\n", cfg->web.port);
}

void
cfg_print(FILE *f, const struct config *cfg, bool secrets)
{
	print_secrets = secrets;
	fprintf(f, "# vland %s configuration, normalised\n",
	    cfg->role == CFG_HUB ? "hub" : "endpoint");
	fprintf(f, "mode: %s\n", cfg_mode_name(cfg->mode));
	fprintf(f, "log-level: %s\n", cfg_loglevel_name(cfg->log_level));
	if (cfg->log_file[0] != '\0')
		print_key(f, "", "log-file", cfg->log_file);
	print_key(f, "", "control", cfg->control);
	print_key(f, "", "control-group", cfg->control_group);
	/* Unset means root only: nothing to print. */
	if (cfg->control_admin_group[0] != '\0')
		print_key(f, "", "control-admin-group",
		    cfg->control_admin_group);
	if (cfg->mtu == 0)
		fprintf(f, "mtu: auto\n");
	else
		fprintf(f, "mtu: %u\n", cfg->mtu);
	fprintf(f, "mss-clamp: %s\n", cfg->mss_clamp ? "true" : "false");
	if (cfg->role == CFG_HUB)
		print_hub(f, cfg);
	else
		print_endpoint(f, cfg);
}
