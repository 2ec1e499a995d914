// SPDX-License-Identifier: GPL-2.0
/* The lesson chart of 08_streaming: latency against load, the queueing
 * hockey stick, with the unbounded and bounded runs above capacity beside it. */
#include <stdio.h>

#include "charts.h"
#include "explain.h"
#include "lesson.h"
#include "report.h"

#define MAX_POINTS 16

static void draw(struct report *rp)
{
	static const char *const series[] = {"p50", "p95", "p99"};
	static const char *const colors[] = {"#9ecae1", "#4292c6", "#08519c"};
	static const char *const keys[] = {"latency.p50", "latency.p95", "latency.p99"};
	const struct run_set *rs = rp->rs;
	char labels[MAX_POINTS][80];
	const char *group[MAX_POINTS];
	double v[MAX_POINTS * 3];
	size_t i, n = 0;

	for (i = 0; i < rs->nvariants && n < MAX_POINTS; i++) {
		const struct run *r = rs->variants[i].rep;
		double load = demo_param(r->demo, "load_pct", -1);

		if (load < 0)
			continue;
		snprintf(labels[n], sizeof(labels[n]), "%.0f%%%s", load,
			 demo_param(r->demo, "capacity", 0) > 0 ? " bounded" : "");
		group[n] = labels[n];
		for (int k = 0; k < 3; k++)
			v[n * 3 + k] = demo_num(r, keys[k], 0) / 1e6;
		n++;
	}
	if (n < 2)
		return;
	struct bar_chart c = {.title = "Latency against load (% of capacity)",
			      .ylabel = "latency (ms)",
			      .ngroups = n,
			      .nseries = 3,
			      .group = group,
			      .series = series,
			      .color = colors,
			      .v = v};
	report_chart(rp, &c, "lesson",
		     "Latency against load. Below capacity p99 stays low, then climbs steeply "
		     "as the load nears 100%: the hockey stick. Above it, an unbounded queue's "
		     "latency is set by how long the run lasted; a bounded queue rejects what "
		     "does not fit and keeps p99 bounded.");
}

const struct lesson lesson_08_streaming = {"08_streaming", draw};
