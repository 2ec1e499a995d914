// SPDX-License-Identifier: GPL-2.0
/* The verdict at the top of a report (explain.h verdict_of): the demo's
 * own, or each variant's figures against its bound; the C model's variants
 * and CPython's judged apart (explain_cpython.c). */
#include <stdio.h>

#include "demo_module.h"
#include "explain.h"
#include "explain_cpython.h"
#include "figures.h"

/* Without a demo's own verdict: each variant's figures against its bound. */
static void verdict_generic(const struct run_set *rs, struct verdicts *out)
{
	size_t i;

	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];

		double workers = fig_workers(v->rep), cpus = (double)fig_cpus(rs);

		/* The bound is the lesser of the two: say which, so a one-thread
		 * run's "1 it could use" does not read as the host's CPU count. */
		sentences_add(&out->lines,
			      "%s: %.2f s of wall time, %.2f s of CPU time: on average %.2f CPUs "
			      "busy of the %.0f it could use (%s).",
			      v->name, v->m[M_WALL_S].med, v->m[M_CPU_S].med,
			      v->m[M_PARALLELISM].med, fig_bound(rs, v->rep),
			      workers < cpus
				  ? (workers == 1 ? "its one working thread, one CPU at a time"
						  : "one per working thread")
				  : "the CPUs it was given");
	}
}

/* The lesson line: a line naming sizes must name the run's own. */
static void lesson_of(const struct run_set *rs, struct verdicts *out)
{
	const struct demo_module *m = rs->is_demo ? demo_module_for(rs->demo) : NULL;

	if (m && m->lesson_line && rs->summary[0])
		m->lesson_line(rs, out->lesson, sizeof(out->lesson));
	else
		snprintf(out->lesson, sizeof(out->lesson), "%s", rs->summary);
}

void verdict_of(const struct run_set *rs, struct verdicts *out)
{
	const struct explainer *e = explainer_for(rs);

	lesson_of(rs, out);
	/* the C model's variants and CPython's (py-*) are judged apart */
	verdict_families(e, rs, e->verdict ? e->verdict : verdict_generic, out);
}
