// SPDX-License-Identifier: GPL-2.0
/* Reference: per variant, the other work the collector measured on the
 * run's CPUs and what tracing cost, the figures the trust line judges
 * (host_load.h). */
#include <stdio.h>

#include "host_load.h"
#include "report.h"

static void host_row(struct doc_block *t, const struct variant *v)
{
	struct host_load h = host_load_of(v->rep);
	struct tracer_cost c = tracer_cost_of(v->rep);
	char who[512];

	doc_cell(t, "%s", v->name);
	if (h.verdict == HOST_UNMEASURED) {
		for (int k = 0; k < 11; k++)
			doc_cell(t, "-");
		return;
	}
	host_takers(&h, HOST_TOP, who, sizeof(who));
	doc_cell(t, "%d", h.ncpus);
	doc_cell(t, "%.3f", h.span_ns / 1e9);
	doc_cell(t, "%.3f", h.other_ns / 1e9);
	doc_cell(t, "%.0f%%", 100 * h.cpu_share);
	doc_cell(t, "%.3f", h.waited_ns / 1e9);
	doc_cell(t, "%.0f%%", 100 * h.wait_share);
	doc_cell(t, "%s", h.verdict == HOST_BUSY ? "busy" : "quiet");
	doc_cell(t, "%s", who[0] ? who : "nothing");
	if (c.stats) {
		doc_cell(t, "%.1f ms, %.0f runs (%.0f/s, %.0f ns each)", c.run_ns / 1e6, c.runs,
			 c.events_per_s, c.ns_per_event);
		doc_cell(t, "%.1f ms (%.0f ns per switch), %.1f%%", c.own_ns / 1e6, c.ns_per_switch,
			 100 * c.own_share);
	} else {
		doc_cell(t, "not counted: %s", c.why_not);
		doc_cell(t, "-");
	}
	doc_cell(t, "%.1f ms", c.procs_ns / 1e6);
}

void report_host(struct report *rp)
{
	static const char *const head[] = {"Variant",
					   "CPUs",
					   "window s",
					   "other work s",
					   "of the CPUs",
					   "run waited s",
					   "of its demand",
					   "host",
					   "what took the CPUs",
					   "eBPF programs",
					   "set off by the run, of its CPU",
					   "tracer's processes",
					   NULL};
	struct doc_block *t;
	size_t i;

	doc_para(&rp->doc,
		 "What else ran on the run's CPUs during its window, as the collector measured "
		 "it at every context switch there (docs/collector.md, \"Other work\"): other "
		 "processes' CPU time, against the CPUs' capacity over the window; the run's "
		 "threads' run-queue wait that other work's turn on a CPU ended, against their CPU "
		 "demand (running + runnable). The host is busy past %.0f%% of the CPUs (and "
		 "%.0f ms) or %.0f%% of the demand (and %.0f ms). Then what tracing cost: the eBPF "
		 "programs' run time and runs as the kernel counted them, and the part of it the "
		 "run's own switches, wakeups and syscalls set off (the switch program's mean run, "
		 "and the run's wakeups and syscalls per switch at their programs' means; the rest "
		 "ran for other tasks' events) against the run's CPU time; and the tracer's own "
		 "processes (schedtrace, perf).",
		 100 * HOST_CPU_SHARE, HOST_CPU_MIN_NS / 1e6, 100 * HOST_WAIT_SHARE,
		 HOST_WAIT_MIN_NS / 1e6);
	t = doc_table(&rp->doc, head);
	for (i = 0; i < rp->rs->nvariants; i++)
		host_row(t, &rp->rs->variants[i]);
}
