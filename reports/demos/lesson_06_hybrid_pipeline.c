// SPDX-License-Identifier: GPL-2.0
/* The lesson charts of 06_hybrid_pipeline: each stage's busy share by the
 * kernel's account (the bottleneck is the full bar), and the queues between
 * the stages over time, bounded against unbounded. */
#include <stdio.h>
#include <stdlib.h>

#include "charts.h"
#include "explain.h"
#include "figures.h"
#include "lesson.h"
#include "palette.h"
#include "report.h"

#define MAX_VARIANTS 8
#define MAX_SAMPLES 60000

static void busy_chart(struct report *rp)
{
	static const char *const series[] = {"fetch (loop)", "blocking (threads)", "cpu"};
	static const char *const colors[] = {"#9467bd", "#1f77b4", "#2ca02c"};
	const struct run_set *rs = rp->rs;
	const char *group[MAX_VARIANTS];
	double v[MAX_VARIANTS * FIG_STAGES];
	size_t i, n = 0;

	for (i = 0; i < rs->nvariants && n < MAX_VARIANTS; i++) {
		struct fig_stage st[FIG_STAGES];

		if (!rs->variants[i].rep->demo)
			continue;
		fig_stages(rs->variants[i].rep, st);
		group[n] = rs->variants[i].name;
		for (int k = 0; k < FIG_STAGES; k++)
			v[n * FIG_STAGES + k] = 100 * st[k].busy;
		n++;
	}
	if (!n)
		return;
	struct bar_chart c = {.title = "Busy share of each stage, by the kernel",
			      .ylabel = "% of the run",
			      .ngroups = n,
			      .nseries = FIG_STAGES,
			      .group = group,
			      .series = series,
			      .color = colors,
			      .v = v};
	report_chart(rp, &c, "lesson",
		     "How busy each stage was, by the kernel's account: its threads' time less "
		     "their waits on an empty input queue or a full output queue. The stage near "
		     "100% sets the pace of the whole pipeline; the others wait for it. In "
		     "single-loop the loop thread does all three stages itself.");
}

/* The queues' depths over time (demo.json samples), bounded against
 * unbounded: solid the cpu-stage queue, dashed the blocking-stage queue. */
static void depth_chart(struct report *rp, const struct variant *a, const struct variant *b)
{
	static const char *const fields[] = {"cpu_q", "blocking_q"};
	const struct variant *vs[2] = {a, b};
	struct xy_series s[4];
	double *buf[8] = {0};
	char *titles[4] = {0};
	size_t ns = 0, k = 0;

	for (int v = 0; v < 2; v++)
		for (int f = 0; f < 2; f++) {
			double *t = buf[k++] = calloc(MAX_SAMPLES, sizeof(double));
			double *d = buf[k++] = calloc(MAX_SAMPLES, sizeof(double));
			size_t n;

			if (!t || !d)
				abort();
			n = fig_samples(vs[v]->rep, fields[f], t, d, MAX_SAMPLES);
			if (!n)
				continue;
			if (asprintf(&titles[ns], "%s, %s queue", vs[v]->name,
				     f ? "blocking-stage" : "cpu-stage") < 0)
				abort();
			s[ns] = (struct xy_series){.title = titles[ns],
						   .color = series_color((size_t)v),
						   .style = f ? XY_DASHED : XY_LINES,
						   .n = n,
						   .x = t,
						   .y = d};
			ns++;
		}
	if (ns) {
		struct xy_chart c = {.title = "Items waiting between the stages",
				     .xlabel = "seconds since the pipeline started",
				     .ylabel = "queue depth (items)",
				     .nseries = ns,
				     .series = s};

		report_xy_chart(
		    rp, &c, "lesson-queues",
		    "The queues over time. Bounded, the queue before the slowest stage stops at "
		    "its capacity and the stages before it wait: backpressure. Unbounded, it "
		    "grows for as long as the faster stages keep feeding it, then drains.");
	}
	for (size_t i = 0; i < ns; i++)
		free(titles[i]);
	for (size_t i = 0; i < k; i++)
		free(buf[i]);
}

static void draw(struct report *rp)
{
	const struct variant *h = run_set_variant(rp->rs, "hybrid");
	const struct variant *u = run_set_variant(rp->rs, "hybrid-unbounded");

	busy_chart(rp);
	if (h && u && h->rep->demo && u->rep->demo)
		depth_chart(rp, h, u);
}

const struct lesson lesson_06_hybrid_pipeline = {"06_hybrid_pipeline", draw};
