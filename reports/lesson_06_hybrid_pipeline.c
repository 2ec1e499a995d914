// SPDX-License-Identifier: GPL-2.0
/* The lesson charts of 06_hybrid_pipeline: each stage's busy share by the
 * kernel's account (the bottleneck is the full bar), and the queue before
 * the cpu stage over time, bounded against unbounded. */
#include <stdio.h>

#include "charts.h"
#include "explain.h"
#include "figures.h"
#include "lesson.h"
#include "report.h"

#define MAX_VARIANTS 8
#define TICKS 12
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

/* The cpu-stage queue's depth at TICKS evenly spaced moments of each run. */
static void depth_chart(struct report *rp, const struct variant *a, const struct variant *b)
{
	static double t[2][MAX_SAMPLES], d[2][MAX_SAMPLES];
	const struct variant *vs[2] = {a, b};
	const char *series[2] = {a->name, b->name};
	char labels[TICKS][32];
	const char *group[TICKS];
	double v[TICKS * 2], span = 0;
	size_t n[2];

	for (int k = 0; k < 2; k++) {
		n[k] = fig_samples(vs[k]->rep, "cpu_q", t[k], d[k], MAX_SAMPLES);
		if (!n[k])
			return;
		if (t[k][n[k] - 1] > span)
			span = t[k][n[k] - 1];
	}
	for (int g = 0; g < TICKS; g++) {
		double at = span * (g + 1) / TICKS;

		snprintf(labels[g], sizeof(labels[g]), "%.2f s", at);
		group[g] = labels[g];
		for (int k = 0; k < 2; k++) {
			size_t j = 0;

			while (j + 1 < n[k] && t[k][j + 1] <= at)
				j++;
			v[g * 2 + k] = t[k][n[k] - 1] >= at ? d[k][j] : 0;
		}
	}
	struct bar_chart c = {.title = "Items waiting for the cpu stage",
			      .ylabel = "queue depth (items)",
			      .ngroups = TICKS,
			      .nseries = 2,
			      .group = group,
			      .series = series,
			      .v = v};
	report_chart(rp, &c, "lesson-queue",
		     "The queue before the slowest stage over time. Bounded, it stops at its "
		     "capacity and the stages before it wait (backpressure); unbounded, it grows "
		     "for as long as the faster stages keep feeding it (0 once a run has ended).");
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
