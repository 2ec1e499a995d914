// SPDX-License-Identifier: GPL-2.0
#include "charts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "palette.h"
#include "pipe_tool.h"
#include "sbuf.h"

const char *gnuplot_path(void)
{
	static const char *const where[] = {"/usr/bin/gnuplot", "/usr/local/bin/gnuplot",
					    "/bin/gnuplot"};

	return tool_path(where, sizeof(where) / sizeof(where[0]));
}

static void script(const struct bar_chart *c, struct sbuf *s)
{
	char label[96];
	size_t g, k;
	int width = 300 + (int)(c->ngroups * (c->stacked ? 55 : 22 * c->nseries));
	double small = 0;

	for (g = 0; g < c->ngroups * c->nseries; g++)
		if (!isnan(c->v[g]) && c->v[g] > small)
			small = c->v[g];
	small = small > 0 ? 0.01 * small : 1e-300; /* all zero: each 0 marked */

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
			if (isnan(c->v[g * c->nseries + k]))
				sb_add(s, " NaN");
			else
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
	/* A clustered histogram puts group g at x = g and its bar k at
	 * (k - (n - 1) / 2) / (n + gap) from it (gap 1, above). A bar under
	 * 1% of the tallest cannot be seen: its value is written at its foot. */
	for (k = 0; c->mark_zero && !c->stacked && k < c->nseries; k++)
		sb_printf(
		    s,
		    ", $data using ($0 + (%zu - (%zu - 1) / 2.0) / (%zu + 1)):"
		    "(column(%zu) < %.9g ? 0 : NaN):(sprintf('%%.2g', column(%zu))) with labels "
		    "offset 0,0.8 font 'sans-bold,12' textcolor rgb '#000000' notitle",
		    k, c->nseries, c->nseries, k + 2, small, k + 2);
	sb_add(s, "\n");
}

static const char *const xy_with[] = {
    [XY_LINES] = "lines lw 2",	     [XY_LINESPOINTS] = "linespoints lw 2 pt 7 ps 0.8",
    [XY_DASHED] = "lines lw 2 dt 2", [XY_STEPS] = "steps lw 2",
    [XY_IMPULSES] = "impulses lw 3", [XY_THIN] = "lines lw 1",
};

static void xy_script(const struct xy_chart *c, struct sbuf *s)
{
	char label[96];
	bool right = false;
	size_t i, k;

	for (k = 0; k < c->nseries; k++)
		right |= c->series[k].right;
	sb_printf(s, "set terminal svg size %d,%d font 'sans,11' background rgb 'white'\n",
		  c->width ? c->width : 960, c->height ? c->height : 420);
	sb_printf(s, "set title \"%s\"\n", gnuplot_label(label, sizeof(label), c->title));
	sb_printf(s, "set xlabel \"%s\"\n", gnuplot_label(label, sizeof(label), c->xlabel));
	sb_printf(s, "set ylabel \"%s\"\n", gnuplot_label(label, sizeof(label), c->ylabel));
	sb_add(s, "set grid xtics ytics lc rgb '#dddddd'\nset key outside right top\n"
		  "set border 3\nset xtics nomirror\nset ytics nomirror\n");
	if (c->ymax > 0)
		sb_printf(s, "set yrange [0:%.9g]\n", c->ymax);
	else
		sb_add(s, "set yrange [0:*]\n");
	if (right) {
		sb_printf(s, "set y2label \"%s\"\nset y2tics\nset border 11\n",
			  gnuplot_label(label, sizeof(label), c->y2label ? c->y2label : ""));
		if (c->y2max > 0)
			sb_printf(s, "set y2range [0:%.9g]\n", c->y2max);
		else
			sb_add(s, "set y2range [0:*]\n");
	}
	if (c->logx && c->nseries && c->series[0].n) {
		double lo = c->series[0].x[0], hi = lo;

		for (k = 0; k < c->nseries; k++)
			for (i = 0; i < c->series[k].n; i++) {
				lo = c->series[k].x[i] < lo ? c->series[k].x[i] : lo;
				hi = c->series[k].x[i] > hi ? c->series[k].x[i] : hi;
			}
		/* a margin past both ends, so the first and the last tick show */
		sb_printf(s, "set logscale x 2\nset xrange [%.9g:%.9g]\nset xtics (", lo / 1.25,
			  hi * 1.25);
		for (i = 0; i < c->series[0].n; i++)
			sb_printf(s, "%s\"%g\" %.9g", i ? ", " : "", c->series[0].x[i],
				  c->series[0].x[i]);
		sb_add(s, ")\n");
	} else {
		sb_add(s, "set xrange [0:*]\n");
	}
	for (k = 0; k < c->nseries; k++) {
		sb_printf(s, "$s%zu << EOD\n", k);
		for (i = 0; i < c->series[k].n; i++)
			sb_printf(s, "%.9g %.9g\n", c->series[k].x[i], c->series[k].y[i]);
		sb_add(s, "EOD\n");
	}
	sb_add(s, "plot ");
	for (k = 0; k < c->nseries; k++) {
		const struct xy_series *x = &c->series[k];

		sb_printf(s, "%s$s%zu using 1:2%s with %s lc rgb \"%s\" title \"%s\"",
			  k ? ", " : "", k, x->right ? " axes x1y2" : "", xy_with[x->style],
			  gnuplot_label(label, 10, x->color ? x->color : series_color(k)),
			  gnuplot_label(label + 16, 60, x->title));
	}
	sb_add(s, "\n");
}

static int run_gnuplot(struct sbuf *prog, const char *svg_path, char *err, size_t errlen);

int bar_chart_svg(const struct bar_chart *c, const char *svg_path, char *err, size_t errlen)
{
	struct sbuf prog = SBUF_INIT;

	if (!c->ngroups || !c->nseries) {
		snprintf(err, errlen, "%s: nothing to draw", svg_path);
		return -1;
	}
	script(c, &prog);
	return run_gnuplot(&prog, svg_path, err, errlen);
}

int xy_chart_svg(const struct xy_chart *c, const char *svg_path, char *err, size_t errlen)
{
	struct sbuf prog = SBUF_INIT;
	size_t k, n = 0;

	for (k = 0; k < c->nseries; k++)
		n += c->series[k].n;
	if (!n) {
		snprintf(err, errlen, "%s: nothing to draw", svg_path);
		return -1;
	}
	xy_script(c, &prog);
	return run_gnuplot(&prog, svg_path, err, errlen);
}

/* gnuplot reads the program on stdin and writes the SVG on stdout, straight
 * into the file (pipe_tool.h). Frees @prog. */
static int run_gnuplot(struct sbuf *prog, const char *svg_path, char *err, size_t errlen)
{
	static char *const argv[] = {"gnuplot", NULL};
	const char *gp = gnuplot_path();
	int rc;

	if (!gp) {
		snprintf(err, errlen, "gnuplot is not installed (package gnuplot-nox)");
		sb_free(prog);
		return -1;
	}
	rc = pipe_to_tool(gp, argv, prog->s, prog->len, svg_path, err, errlen);
	sb_free(prog);
	return rc;
}
