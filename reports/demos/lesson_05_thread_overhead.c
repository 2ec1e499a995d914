// SPDX-License-Identifier: GPL-2.0
/* 05's lesson: the speedup of each pool over the smallest, against the
 * limit (a pool whose threads cost nothing), and the efficiency between them
 * (figures.h fig_scaling: the explainer uses the same points). */
#include <stdio.h>

#include "charts.h"
#include "lesson.h"
#include "palette.h"
#include "report.h"

static void draw(struct report *rp)
{
	struct fig_scale_point p[FIG_SCALE_MAX];
	double x[FIG_SCALE_MAX], sp[FIG_SCALE_MAX], lim[FIG_SCALE_MAX], eff[FIG_SCALE_MAX];
	size_t n = fig_scaling(rp->rs, p, FIG_SCALE_MAX), i;
	struct sbuf cap = SBUF_INIT;
	char a[32], b[32];

	if (!n)
		return;
	for (i = 0; i < n; i++) {
		x[i] = p[i].workers;
		sp[i] = p[i].speedup;
		lim[i] = p[i].limit_speedup;
		eff[i] = 100 * p[i].efficiency;
	}
	sb_printf(&cap,
		  "Solid: the speedup over %s measured; dashed: the limit, the speedup of a pool "
		  "whose threads cost nothing; the gap between them is what the threads cost. "
		  "Efficiency (right axis) = limit / wall. At %s: %s of %s, %.0f%% efficient.",
		  p[0].v->name, p[n - 1].v->name, fig_times(a, sizeof(a), p[n - 1].speedup),
		  fig_times(b, sizeof(b), p[n - 1].limit_speedup), 100 * p[n - 1].efficiency);
	{
		struct xy_series s[] = {
		    {.title = "speedup measured", .style = XY_LINESPOINTS, .n = n, .x = x, .y = sp},
		    {.title = "limit (threads cost nothing)",
		     .color = "#555555",
		     .style = XY_DASHED,
		     .n = n,
		     .x = x,
		     .y = lim},
		    {.title = "efficiency, % (right)",
		     .color = series_color(1),
		     .style = XY_LINESPOINTS,
		     .right = true,
		     .n = n,
		     .x = x,
		     .y = eff},
		};
		struct xy_chart c = {.title = "Speedup and efficiency against the thread count",
				     .xlabel = "threads in the pool",
				     .ylabel = "speedup (x)",
				     .y2label = "efficiency, %",
				     .logx = true,
				     .y2max = 110,
				     .nseries = 3,
				     .series = s};

		report_xy_chart(rp, &c, "lesson", sb_str(&cap));
	}
	sb_free(&cap);
}

const struct lesson lesson_05_thread_overhead = {"05_thread_overhead", draw};
