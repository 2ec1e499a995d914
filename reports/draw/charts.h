/* SPDX-License-Identifier: GPL-2.0 */
/* Bar charts as SVG, drawn by gnuplot (`set terminal svg`): stacked bars
 * (where each thread's time went) and clustered bars (histograms side by
 * side). The report inlines the files into report.html. */
#ifndef SCHEDLAB_CHARTS_H
#define SCHEDLAB_CHARTS_H

#include <stdbool.h>
#include <stddef.h>

struct bar_chart {
	const char *title;
	const char *ylabel;
	bool stacked;		   /* one stacked bar per group, else clustered bars */
	size_t ngroups;		   /* bars (stacked) or clusters along x */
	size_t nseries;		   /* segments (stacked) or bars per cluster */
	const char *const *group;  /* ngroups x labels */
	const char *const *series; /* nseries legend titles */
	const char *const *color;  /* nseries "#rrggbb", or NULL for gnuplot's own */
	const double *v;	   /* ngroups * nseries values, row by row; NAN: no bar */
	/* Clustered: a bar of 0, or one under 1% of the tallest, gets its
	 * value written at its foot, so a measured zero is not read as a step
	 * that did not run (NAN: no bar, no mark). */
	bool mark_zero;
};

/* The gnuplot program, or NULL when none is installed (the report then says
 * the charts are missing and why). */
const char *gnuplot_path(void);
/* Draw @c into the file @svg_path (created, or replaced). Labels pass
 * through gnuplot_label() (escape.h): a name in a run folder never reaches
 * gnuplot as code. Returns 0, or -1 with @err saying what failed. */
int bar_chart_svg(const struct bar_chart *c, const char *svg_path, char *err, size_t errlen);

/* Lines and points over a numeric x axis: a quantity over time, a curve
 * against a thread count. A series may use the right-hand axis. */
/* XY_THIN: a line half the others' width, for a series on the right axis
 * read beside them (05's efficiency). */
enum xy_style { XY_LINES, XY_LINESPOINTS, XY_DASHED, XY_STEPS, XY_IMPULSES, XY_THIN };

struct xy_series {
	const char *title;
	const char *color; /* "#rrggbb"; NULL: palette.h series_color(index) */
	enum xy_style style;
	bool right; /* on the right-hand axis */
	size_t n;
	const double *x, *y;
};

struct xy_chart {
	const char *title, *xlabel, *ylabel, *y2label;
	bool logx;	    /* base 2, ticks at the x values of the first series */
	double ymax, y2max; /* 0: automatic; the axes start at 0 */
	int width, height;  /* px; 0: 960 x 420 */
	size_t nseries;
	const struct xy_series *series;
};

int xy_chart_svg(const struct xy_chart *c, const char *svg_path, char *err, size_t errlen);

#endif
