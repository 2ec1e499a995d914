// SPDX-License-Identifier: GPL-2.0
#include "charts.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "escape.h"
#include "sbuf.h"

const char *gnuplot_path(void)
{
	static const char *const where[] = {"/usr/bin/gnuplot", "/usr/local/bin/gnuplot",
					    "/bin/gnuplot"};
	size_t i;

	for (i = 0; i < sizeof(where) / sizeof(where[0]); i++)
		if (access(where[i], X_OK) == 0)
			return where[i];
	return NULL;
}

static void script(const struct bar_chart *c, struct sbuf *s)
{
	char label[96];
	size_t g, k;
	int width = 300 + (int)(c->ngroups * (c->stacked ? 55 : 22 * c->nseries));

	if (width < 720)
		width = 720;
	if (width > 1400)
		width = 1400;
	sb_printf(s, "set terminal svg size %d,420 font 'sans,11' background rgb 'white'\n", width);
	sb_printf(s, "set title \"%s\"\n", gnuplot_label(label, sizeof(label), c->title));
	sb_printf(s, "set ylabel \"%s\"\n", gnuplot_label(label, sizeof(label), c->ylabel));
	sb_add(s, "set style data histograms\n");
	sb_add(s, c->stacked ? "set style histogram rowstacked\n"
			     : "set style histogram clustered gap 1\n");
	sb_add(s, "set style fill solid 0.85 border rgb '#555555'\n"
		  "set boxwidth 0.75\nset yrange [0:*]\nset grid ytics\n"
		  "set key outside right top\nset xtics rotate by -35 nomirror\n");
	sb_add(s, "$data << EOD\n");
	for (g = 0; g < c->ngroups; g++) {
		sb_printf(s, "\"%s\"", gnuplot_label(label, 40, c->group[g]));
		for (k = 0; k < c->nseries; k++)
			sb_printf(s, " %.9g", c->v[g * c->nseries + k]);
		sb_add(s, "\n");
	}
	sb_add(s, "EOD\nplot ");
	for (k = 0; k < c->nseries; k++) {
		sb_printf(s, "%s$data using %zu%s title \"%s\"", k ? ", " : "", k + 2,
			  k ? "" : ":xtic(1)", gnuplot_label(label, 40, c->series[k]));
		if (c->color)
			sb_printf(s, " lc rgb \"%s\"", gnuplot_label(label, 10, c->color[k]));
	}
	sb_add(s, "\n");
}

/* gnuplot reads the program on stdin and writes the SVG on stdout, straight
 * into the file: no path is ever spelled inside the gnuplot program. */
int bar_chart_svg(const struct bar_chart *c, const char *svg_path, char *err, size_t errlen)
{
	const char *gp = gnuplot_path();
	struct sbuf prog = SBUF_INIT;
	int in[2], out, status;
	struct stat st;
	ssize_t w = 0;
	size_t done = 0;
	pid_t pid;

	if (!gp) {
		snprintf(err, errlen, "gnuplot is not installed (package gnuplot-nox)");
		return -1;
	}
	if (!c->ngroups || !c->nseries) {
		snprintf(err, errlen, "%s: nothing to draw", svg_path);
		return -1;
	}
	script(c, &prog);
	out = open(svg_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", svg_path, strerror(errno));
		sb_free(&prog);
		return -1;
	}
	if (pipe2(in, O_CLOEXEC)) {
		snprintf(err, errlen, "pipe2: %s", strerror(errno));
		close(out);
		sb_free(&prog);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(out), close(in[0]), close(in[1]);
		sb_free(&prog);
		return -1;
	}
	if (pid == 0) {
		if (dup2(in[0], 0) < 0 || dup2(out, 1) < 0)
			_exit(127);
		execl(gp, "gnuplot", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out);
	signal(SIGPIPE, SIG_IGN);
	while (done < prog.len && (w = write(in[1], prog.s + done, prog.len - done)) > 0)
		done += (size_t)w;
	close(in[1]);
	sb_free(&prog);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			snprintf(err, errlen, "waitpid(gnuplot): %s", strerror(errno));
			return -1;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(err, errlen, "gnuplot failed (status %d) drawing %s", status, svg_path);
		return -1;
	}
	if (stat(svg_path, &st) || st.st_size == 0) {
		snprintf(err, errlen, "%s: gnuplot wrote nothing", svg_path);
		return -1;
	}
	return 0;
}
