// SPDX-License-Identifier: GPL-2.0
/*
 * Start the command stopped: fork, the child blocks reading a pipe until
 * the probes are attached, so nothing it does is missed. Then it drops
 * privileges (never runs as root unless asked), arranges to die with the
 * collector, and execs. A failed exec reports its errno through a
 * close-on-exec pipe, so the parent can tell "not found" from "ran".
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "child.h"

static int parse_id(const char *s, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno || end == s || *end ? -1 : 0;
}

static void fill_from_passwd(struct identity *id, const struct passwd *pw)
{
	snprintf(id->name, sizeof(id->name), "%s", pw->pw_name);
	snprintf(id->home, sizeof(id->home), "%s", pw->pw_dir);
}

int identity_resolve(struct identity *id, const char *user)
{
	const char *sudo_uid = getenv("SUDO_UID"), *sudo_gid = getenv("SUDO_GID");
	struct passwd *pw;
	unsigned long v;

	memset(id, 0, sizeof(*id));
	if (geteuid() != 0) {
		if (user) {
			fprintf(stderr, "schedtrace: --user needs root (run with sudo)\n");
			return -1;
		}
		id->drop = false;
		id->uid = getuid();
		id->gid = getgid();
		return 0;
	}
	id->drop = true;
	if (user) {
		pw = getpwnam(user);
		if (!pw && !parse_id(user, &v))
			pw = getpwuid((uid_t)v);
		if (!pw) {
			fprintf(stderr, "schedtrace: --user %s: no such user\n", user);
			return -1;
		}
		id->uid = pw->pw_uid;
		id->gid = pw->pw_gid;
		fill_from_passwd(id, pw);
		return 0;
	}
	if (sudo_uid) {
		if (parse_id(sudo_uid, &v)) {
			fprintf(stderr, "schedtrace: SUDO_UID=%s is not a number\n", sudo_uid);
			return -1;
		}
		id->uid = (uid_t)v;
		pw = getpwuid(id->uid);
		if (sudo_gid && !parse_id(sudo_gid, &v))
			id->gid = (gid_t)v;
		else if (pw)
			id->gid = pw->pw_gid;
		else {
			fprintf(stderr,
				"schedtrace: SUDO_GID is not set and uid %u has no passwd entry\n",
				id->uid);
			return -1;
		}
		if (pw)
			fill_from_passwd(id, pw);
		return 0;
	}
	fprintf(stderr, "schedtrace: refusing to run the command as root: run schedtrace with sudo "
			"(the command then runs as you), or say who runs it with --user USER "
			"(--user root to really run it as root)\n");
	return -1;
}

static void drop_privileges(const struct identity *id)
{
	if (!id->drop)
		return;
	/* Supplementary groups first: after setuid we could no longer drop them. */
	if (setgroups(0, NULL)) {
		fprintf(stderr, "schedtrace: setgroups(0): %s\n", strerror(errno));
		_exit(126);
	}
	if (setgid(id->gid)) {
		fprintf(stderr, "schedtrace: setgid(%u): %s\n", id->gid, strerror(errno));
		_exit(126);
	}
	if (setuid(id->uid)) {
		fprintf(stderr, "schedtrace: setuid(%u): %s\n", id->uid, strerror(errno));
		_exit(126);
	}
	if (id->uid != 0 && setuid(0) == 0) {
		fprintf(stderr, "schedtrace: could regain root after dropping it\n");
		_exit(126);
	}
	if (id->name[0]) {
		setenv("USER", id->name, 1);
		setenv("LOGNAME", id->name, 1);
	}
	if (id->home[0])
		setenv("HOME", id->home, 1);
}

/* What the child sends back when exec fails: its errno and, when it can
 * tell, why in words (the directory or file the user may not use). */
struct exec_failure {
	int err;
	char why[480];
};

static void who(const struct identity *id, char *buf, size_t len)
{
	if (id->name[0])
		snprintf(buf, len, "%s (uid %u)", id->name, (unsigned)getuid());
	else
		snprintf(buf, len, "uid %u", (unsigned)getuid());
}

/*
 * Runs in the child, with the user's credentials, after exec failed with
 * EACCES: names the first directory of PATH the user cannot enter, or the
 * file it cannot execute. A root-only checkout (/root is mode 700) is the
 * usual cause, and "Permission denied" alone does not say so.
 */
static void explain_eacces(const char *path, const struct identity *id, char *why, size_t len)
{
	char dir[sizeof(((struct exec_failure *)0)->why) / 2], user[96];
	struct stat st;
	const char *p = path;

	if (!strchr(path, '/'))
		return;
	who(id, user, sizeof(user));
	while ((p = strchr(p + 1, '/'))) {
		size_t n = (size_t)(p - path);

		if (n >= sizeof(dir))
			break;
		memcpy(dir, path, n);
		dir[n] = 0;
		if (access(dir, X_OK) == 0)
			continue;
		if (stat(dir, &st) == 0)
			snprintf(why, len,
				 "cannot run %s as %s: that user cannot enter %s (mode %03o, "
				 "owner uid %u); run it from a copy that user can read",
				 path, user, dir, st.st_mode & 07777, (unsigned)st.st_uid);
		else
			snprintf(why, len, "cannot run %s as %s: that user cannot enter %s", path,
				 user, dir);
		return;
	}
	if (stat(path, &st) == 0)
		snprintf(why, len, "cannot run %s as %s: %s (mode %03o, owner uid %u)", path, user,
			 S_ISDIR(st.st_mode) ? "it is a directory" : "it may not execute it",
			 st.st_mode & 07777, (unsigned)st.st_uid);
}

int child_start(struct child *c, char *const argv[], const struct identity *id)
{
	int go[2], err[2];
	pid_t parent = getpid();

	if (pipe2(go, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) {
		fprintf(stderr, "schedtrace: pipe2: %s\n", strerror(errno));
		return -1;
	}
	c->pid = fork();
	if (c->pid < 0) {
		fprintf(stderr, "schedtrace: fork: %s\n", strerror(errno));
		return -1;
	}
	if (c->pid == 0) {
		struct exec_failure f;
		char b;
		ssize_t n;
		int e;

		close(go[1]);
		close(err[0]);
		do
			n = read(go[0], &b, 1);
		while (n < 0 && errno == EINTR);
		if (n != 1)
			_exit(125); /* the collector gave up before releasing us */
		close(go[0]);
		drop_privileges(id);
		/* After the credential change, which clears it; then close the race. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL)) {
			fprintf(stderr, "schedtrace: prctl(PR_SET_PDEATHSIG): %s\n",
				strerror(errno));
			_exit(126);
		}
		if (getppid() != parent)
			_exit(125);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGPIPE, SIG_DFL); /* the collector ignores it; the command must not */
		execvp(argv[0], argv);
		e = errno;
		memset(&f, 0, sizeof(f));
		f.err = e;
		if (e == EACCES)
			explain_eacces(argv[0], id, f.why, sizeof(f.why));
		/* One write under PIPE_BUF: the parent reads it whole or not at all. */
		if (write(err[1], &f, sizeof(f)) != sizeof(f))
			_exit(127);
		_exit(e == ENOENT ? 127 : 126);
	}
	close(go[0]);
	close(err[1]);
	c->go_fd = go[1];
	c->err_fd = err[0];
	return 0;
}

int child_release(struct child *c)
{
	struct exec_failure f = {0};
	char b = 1;
	int e = 0;
	ssize_t n;

	if (write(c->go_fd, &b, 1) != 1) {
		e = errno;
		fprintf(stderr, "schedtrace: write(go pipe): %s\n", strerror(e));
		return e ? e : EIO;
	}
	close(c->go_fd);
	c->go_fd = -1;
	do
		n = read(c->err_fd, &f, sizeof(f));
	while (n < 0 && errno == EINTR);
	close(c->err_fd);
	c->err_fd = -1;
	if (n != sizeof(f))
		return 0;
	if (f.why[0]) {
		f.why[sizeof(f.why) - 1] = 0;
		fprintf(stderr, "schedtrace: %s\n", f.why);
	}
	return f.err;
}
