// SPDX-License-Identifier: GPL-2.0
/* 02's lesson: how many CPUs each variant kept busy (its parallelism, CPU
 * time / wall) beside the most it could (its bound, min(workers, CPUs)). */
#include <stdlib.h>

#include "charts.h"
#include "lesson.h"
#include "palette.h"
#include "report.h"

static void draw(struct report *rp)
{
	static const char *const series[] = {"CPUs kept busy (CPU time / wall)",
					     "the most it could: min(workers, CPUs)"};
	const char *colors[] = {series_color(0), "#bbbbbb"};
	const struct run_set *rs = rp->rs;
	size_t i, n = rs->nvariants;
	const char **group = calloc(n, sizeof(*group));
	double *v = calloc(2 * n, sizeof(*v));
	struct sbuf cap = SBUF_INIT;

	if (!group || !v)
		abort();
	sb_add(&cap, "Each bar pair: the CPUs a variant kept busy on average, beside its bound. "
		     "A variant that reaches its bound computed in parallel; one that stays near "
		     "1 took turns. Here:");
	for (i = 0; i < n; i++) {
		const struct variant *var = &rs->variants[i];

		group[i] = var->name;
		v[2 * i] = var->m[M_PARALLELISM].med;
		v[2 * i + 1] = fig_bound(rs, var->rep);
		sb_printf(&cap, "%s %s %.2f of %.0f", i ? "," : "", var->name, v[2 * i],
			  v[2 * i + 1]);
	}
	sb_add(&cap, ".");
	{
		struct bar_chart c = {.title = "CPUs kept busy, against the bound",
				      .ylabel = "CPUs",
				      .ngroups = n,
				      .nseries = 2,
				      .group = group,
				      .series = series,
				      .color = colors,
				      .v = v};

		report_chart(rp, &c, "lesson", sb_str(&cap));
	}
	sb_free(&cap);
	free(group);
	free(v);
}

const struct lesson lesson_02_cpu_bound = {"02_cpu_bound", draw};
