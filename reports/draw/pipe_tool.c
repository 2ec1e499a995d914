// SPDX-License-Identifier: GPL-2.0
/* One way to run a drawing tool (pipe_tool.h). */
#include "pipe_tool.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char *tool_path(const char *const *where, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (access(where[i], X_OK) == 0)
			return where[i];
	return NULL;
}

/* The child: the pipe on stdin, the file on stdout, then the tool. */
static pid_t start(const char *path, char *const argv[], int in, int out)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (dup2(in, 0) < 0 || dup2(out, 1) < 0)
			_exit(127);
		execv(path, argv);
		_exit(127);
	}
	return pid;
}

static int wait_tool(pid_t pid, const char *name, const char *out_path, char *err, size_t errlen)
{
	struct stat st;
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			snprintf(err, errlen, "waitpid(%s): %s", name, strerror(errno));
			return -1;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(err, errlen, "%s failed (status %d) drawing %s", name, status, out_path);
		return -1;
	}
	if (stat(out_path, &st) || st.st_size == 0) {
		snprintf(err, errlen, "%s: %s wrote nothing", out_path, name);
		return -1;
	}
	return 0;
}

int pipe_to_tool(const char *path, char *const argv[], const char *input, size_t len,
		 const char *out_path, char *err, size_t errlen)
{
	size_t done = 0;
	int in[2], out;
	ssize_t w;
	pid_t pid;

	out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", out_path, strerror(errno));
		return -1;
	}
	if (pipe2(in, O_CLOEXEC)) {
		snprintf(err, errlen, "pipe2: %s", strerror(errno));
		close(out);
		return -1;
	}
	pid = start(path, argv, in[0], out);
	close(in[0]);
	close(out);
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(in[1]);
		return -1;
	}
	/* a tool that stops reading early fails below by its exit status */
	signal(SIGPIPE, SIG_IGN);
	while (done < len && (w = write(in[1], input + done, len - done)) > 0)
		done += (size_t)w;
	close(in[1]);
	return wait_tool(pid, argv[0], out_path, err, errlen);
}
