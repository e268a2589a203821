/*
 * The control channel's name (control: in vland.yaml(5), vlanctl -s),
 * which is the system's: an AF_UNIX socket's path on Linux
 * (ctlpath.c), a named pipe's name on Windows (ctlpath_win.c, and
 * platform/windows/ctlpipe.h for why a pipe). The default and the
 * check of a name given are here, so that the configuration code and
 * vlanctl stay the same on both.
 */
#ifndef VLAND_CTLPATH_H
#define VLAND_CTLPATH_H

/* The name used when control: is not given. */
extern const char ctl_default_path[];

/* NULL if path can name the control channel here, else why not (a
 * sentence for a configuration error). */
const char *ctl_path_invalid(const char *path);

#endif
