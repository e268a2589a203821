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

#endif
