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

/*
 * The child: the pipe on stdin, the file on stdout, its messages into
 * @msgs (not the report's stderr: a warning to a terminal pipe that Ctrl-C
 * closed killed the tool, and the report with it), then the tool, with
 * SIGPIPE back to the default.
 */
static pid_t start(const char *path, char *const argv[], int in, int out, int msgs)
{
	pid_t pid = fork();

	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(msgs, 2) < 0)
			_exit(127);
		execv(path, argv);
		_exit(127);
	}
	return pid;
}

/* The tool's first message line, for the error that names it. */
static void first_message(FILE *msgs, char *line, size_t len)
{
	line[0] = '\0';
	rewind(msgs);
	if (!fgets(line, (int)len, msgs))
		line[0] = '\0';
	line[strcspn(line, "\n")] = '\0';
}

static int wait_tool(pid_t pid, const char *name, const char *out_path, FILE *msgs, char *err,
		     size_t errlen)
{
	char said[200];
	struct stat st;
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			snprintf(err, errlen, "waitpid(%s): %s", name, strerror(errno));
			return -1;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		first_message(msgs, said, sizeof(said));
		snprintf(err, errlen, "%s failed (status %d) drawing %s%s%s", name, status,
			 out_path, said[0] ? ": " : "", said);
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
	int in[2] = {-1, -1}, out, rc = -1;
	FILE *msgs = tmpfile();
	ssize_t w;
	pid_t pid;

	out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", out_path, strerror(errno));
		goto out;
	}
	if (!msgs) {
		snprintf(err, errlen, "tmpfile: %s", strerror(errno));
		goto out;
	}
	if (pipe2(in, O_CLOEXEC)) {
		snprintf(err, errlen, "pipe2: %s", strerror(errno));
		goto out;
	}
	pid = start(path, argv, in[0], out, fileno(msgs));
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		goto out;
	}
	close(in[0]);
	in[0] = -1;
	/* a tool that stops reading early fails below by its exit status */
	signal(SIGPIPE, SIG_IGN);
	while (done < len && (w = write(in[1], input + done, len - done)) > 0)
		done += (size_t)w;
	close(in[1]);
	in[1] = -1;
	rc = wait_tool(pid, argv[0], out_path, msgs, err, errlen);
out:
	for (int k = 0; k < 2; k++)
		if (in[k] >= 0)
			close(in[k]);
	if (out >= 0)
		close(out);
	if (msgs)
		fclose(msgs);
	return rc;
}
