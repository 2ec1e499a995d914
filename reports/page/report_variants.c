// SPDX-License-Identifier: GPL-2.0
/* Per variant: wall, CPU time, parallelism against its bound, switches,
 * migrations, run-queue latency, and where the threads' time went by state.
 * With --repeat every cell is the median, with the spread (min-max). */
#include "report.h"

void report_variants(struct report *rp)
{
	static const char *const head[] = {
	    "Variant",	      "runs",	     "wall s",	    "CPU s",
	    "stolen s",	      "parallelism", "bound",	    "switches vol",
	    "switches invol", "migrations",  "runq p50 µs", "runq p99 µs",
	    "runq max µs",    NULL};
	static const char *const shead[] = {"Variant",	  "threads", "lifetime s", "running s",
					    "runnable s", "lock s",  "sleep s",	   "io s",
					    "disk s",	  "other s", "off-CPU s",  NULL};
	const struct run_set *rs = rp->rs;
	struct doc_block *t;
	size_t i;
	int k;

	doc_para(&rp->doc, "The run in one row, shaped like the chapter's Results table:");
	report_headline(rp, &rp->doc);
	doc_para(&rp->doc,
		 "Wall is the demo's own measured section (demo.json), or the tracing window for "
		 "a command. CPU is the time the threads really computed: their eBPF running time "
		 "less stolen, the part of it the kernel's own task clock (se.sum_exec_runtime) "
		 "did not count, because the hypervisor took the vCPU away (steal) or interrupts "
		 "ran. Parallelism = CPU / wall, which no variant can push past its bound "
		 "min(workers, CPUs)%s.",
		 rs->nruns > rs->nvariants ? "; cells are medians over the repeats, (min-max)"
					   : "");
	t = doc_table(&rp->doc, head);
	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];

		doc_cell(t, "%s", v->name);
		doc_cell(t, "%zu", v->nruns);
		cell_metric(t, v, M_WALL_S, 1, 3);
		cell_metric(t, v, M_CPU_S, 1, 3);
		cell_metric(t, v, M_STOLEN_S, 1, 3);
		cell_metric(t, v, M_PARALLELISM, 1, 2);
		doc_cell(t, "%.0f", fig_bound(rs, v->rep));
		cell_metric(t, v, M_NVCSW, 1, 0);
		cell_metric(t, v, M_NIVCSW, 1, 0);
		cell_metric(t, v, M_MIGRATIONS, 1, 0);
		cell_metric(t, v, M_RUNQ_P50_NS, 1e-3, 1);
		cell_metric(t, v, M_RUNQ_P99_NS, 1e-3, 1);
		cell_metric(t, v, M_RUNQ_MAX_NS, 1e-3, 1);
	}

	doc_heading(&rp->doc, 3, "Time by state, all threads");
	doc_para(&rp->doc, "Seconds each state took, summed over the threads of the run "
			   "(so it can exceed the wall time); off-CPU is every state but running.");
	t = doc_table(&rp->doc, shead);
	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];
		double off = 0;

		doc_cell(t, "%s", v->name);
		doc_cell(t, "%zu", v->rep->sched.nthreads);
		cell_metric(t, v, M_LIFETIME_S, 1, 3);
		for (k = 0; k < ST_COUNT; k++) {
			cell_metric(t, v, (enum metric)(M_STATE0_S + k), 1, 3);
			if (k != ST_RUNNING)
				off += v->m[M_STATE0_S + k].med;
		}
		doc_cell(t, "%.3f", off);
	}
}
