/* SPDX-License-Identifier: GPL-2.0 */
/* The traced command: started stopped, released once the probes are attached. */
#ifndef CHILD_H
#define CHILD_H

#include <stdbool.h>
#include <sys/types.h>

/* Who the command runs as. */
struct identity {
	bool drop; /* change to uid/gid before exec (we are root) */
	uid_t uid;
	gid_t gid;
	char name[64];
	char home[256];
};

struct child {
	pid_t pid;
	int go_fd;  /* write end: one byte releases the child */
	int err_fd; /* read end: errno of a failed exec, EOF on success */
};

/*
 * Resolves who runs the command: --user USER, else SUDO_UID/SUDO_GID, else
 * the caller itself when not root. Root without either is refused.
 * Returns 0, or prints why and returns -1.
 */
int identity_resolve(struct identity *id, const char *user);

/* Forks the child, which waits for child_release(). 0 or -1 (message printed). */
int child_start(struct child *c, char *const argv[], const struct identity *id);

/*
 * Lets the child drop privileges and exec. Returns 0 once exec succeeded,
 * else the exec errno (ENOENT, EACCES, ...) with the child gone; for
 * EACCES it first prints which path the user could not reach (a directory
 * it cannot enter, or a file it may not execute), and as whom.
 */
int child_release(struct child *c);

#endif
