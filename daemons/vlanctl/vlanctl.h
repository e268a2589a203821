/*
 * What vlanctl's files share: the command table's entry, the commands'
 * entry points (keys.c, user.c, show.c; help in vlanctl.c) and the
 * global options -s and -j, which vlanctl.c parses before the command.
 */
#ifndef VLANCTL_H
#define VLANCTL_H

struct vlanctl_cmd {
	const char *name;
	int (*fn)(int argc, char *argv[]);
	const char *args;
	const char *help;
};

int cmd_genkey(int, char *[]);
int cmd_pubkey(int, char *[]);
int cmd_user(int, char *[]);
int cmd_show(int, char *[]);
int cmd_help(int, char *[]);
int cmd_kick(int, char *[]);
int cmd_reload(int, char *[]);
int cmd_log(int, char *[]);

/* Global options. */
extern const char *vlanctl_socket;
extern int vlanctl_json;

/*
 * The index of the word in words[0..n) that word is a unique prefix of;
 * else print the valid words and return -1.
 */
int vlanctl_match(const char *word, const char *const words[], int n);

#endif
