// SPDX-License-Identifier: GPL-2.0
/* dot reads the graph on stdin and writes the SVG on stdout, straight into
 * the file: no path is spelled inside the graph, and every name in it passes
 * through dot_label(). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "graph_svg.h"

const char *dot_path(void)
{
	static const char *const where[] = {"/usr/bin/dot", "/usr/local/bin/dot", "/bin/dot"};

	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++)
		if (access(where[i], X_OK) == 0)
			return where[i];
	return NULL;
}

const char *dot_label(char *out, size_t len, const char *s)
{
	size_t o = 0;

	for (; *s && o + 2 < len; s++) {
		if ((unsigned char)*s < 0x20)
			continue;
		if (*s == '"' || *s == '\\')
			out[o++] = '\\';
		out[o++] = *s;
	}
	out[o] = '\0';
	return out;
}

int graph_svg(const char *src, const char *svg_path, char *err, size_t errlen)
{
	const char *dot = dot_path();
	size_t done = 0, n = strlen(src);
	int in[2], out, status;
	struct stat st;
	ssize_t w;
	pid_t pid;

	if (!dot) {
		snprintf(err, errlen, "Graphviz is not installed (package graphviz)");
		return -1;
	}
	out = open(svg_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", svg_path, strerror(errno));
		return -1;
	}
	if (pipe2(in, O_CLOEXEC)) {
		snprintf(err, errlen, "pipe2: %s", strerror(errno));
		close(out);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(out), close(in[0]), close(in[1]);
		return -1;
	}
	if (pid == 0) {
		if (dup2(in[0], 0) < 0 || dup2(out, 1) < 0)
			_exit(127);
		execl(dot, "dot", "-Tsvg", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out);
	signal(SIGPIPE, SIG_IGN);
	while (done < n && (w = write(in[1], src + done, n - done)) > 0)
		done += (size_t)w;
	close(in[1]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			snprintf(err, errlen, "waitpid(dot): %s", strerror(errno));
			return -1;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(err, errlen, "dot failed (status %d) drawing %s", status, svg_path);
		return -1;
	}
	if (stat(svg_path, &st) || st.st_size == 0) {
		snprintf(err, errlen, "%s: dot wrote nothing", svg_path);
		return -1;
	}
	return 0;
}
