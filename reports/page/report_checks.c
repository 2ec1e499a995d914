// SPDX-License-Identifier: GPL-2.0
/* The cross-checks with their figures and verdicts, then the per-thread
 * comparison with the kernel's own accounting, the scheduler-clock
 * deviation shown per timeslice (docs/report.md). */
#include <stdlib.h>
#include <string.h>

#include "report.h"

static void thread_table(struct report *rp, const char *run)
{
	static const char *const head[] = {"thread",
					   "tid",
					   "slices",
					   "eBPF run ms",
					   "kernel run ms",
					   "kernel-eBPF ms",
					   "µs/slice",
					   "clock µs/slice",
					   "allowed ms",
					   "eBPF runnable ms",
					   "kernel wait ms",
					   "vol eBPF/kernel",
					   "invol eBPF/kernel",
					   "ok",
					   NULL};
	const struct check_list *cl = rp->checks;
	struct doc_block *t = NULL;
	size_t i;

	for (i = 0; i < cl->nt; i++) {
		const struct thread_check *c = &cl->t[i];
		double dev = c->ref_run_ns - c->ebpf_run_ns;

		if (strcmp(cl->t_run[i], run))
			continue;
		if (!t)
			t = doc_table(&rp->doc, head);
		doc_cell(t, "%s", c->label);
		doc_cell(t, "%d", c->tid);
		doc_cell(t, "%llu", (unsigned long long)c->slices);
		doc_cell(t, "%.2f", c->ebpf_run_ns / 1e6);
		doc_cell(t, "%.2f", c->ref_run_ns / 1e6);
		doc_cell(t, "%.3f", dev / 1e6);
		doc_cell(t, "%.2f", c->slices ? dev / 1e3 / (double)c->slices : 0);
		if (c->clock_slices)
			doc_cell(t, "%.2f", c->clock_ns / 1e3 / (double)c->clock_slices);
		else
			doc_cell(t, "-");
		doc_cell(t, "-%.2f/+%.2f", c->tol_run_ns / 1e6,
			 (c->tol_run_ns + c->extra_ns) / 1e6);
		doc_cell(t, "%.2f", c->ebpf_wait_ns / 1e6);
		doc_cell(t, "%.2f", c->ref_wait_ns / 1e6);
		doc_cell(t, "%llu/%llu", (unsigned long long)c->ebpf_nv,
			 (unsigned long long)c->ref_nv);
		doc_cell(t, "%llu/%llu", (unsigned long long)c->ebpf_niv,
			 (unsigned long long)c->ref_niv);
		doc_cell(t, "%s", c->ok_run && c->ok_wait && c->ok_nv && c->ok_niv ? "yes" : "NO");
	}
}

/* Compact: one row per check, one column per run, the verdict in each cell;
 * the figures of every check that did not pass below, in full. */
void report_checks(struct report *rp)
{
	const struct check_list *cl = rp->checks;
	const struct run_set *rs = rp->rs;
	const char **names = calloc(cl->n ? cl->n : 1, sizeof(*names));
	const char **head = calloc(rs->nruns + 2, sizeof(*head));
	struct doc_block *t, *l = NULL;
	size_t i, j, k, nn = 0, nfail = 0, nna = 0;

	if (!names || !head)
		abort();
	doc_para(&rp->doc,
		 "Every eBPF figure against an independent account of the same run: %zu checks, "
		 "%zu failed. The kernel's clock for its own accounting runs a few µs per "
		 "timeslice ahead of the eBPF clock: the collector times each slice with both "
		 "clocks and that term is added to eBPF's running time before comparing; the rest "
		 "may differ by %.0f µs per slice (docs/report.md).",
		 cl->n, checks_failed(cl), SLICE_ALLOWANCE_NS / 1e3);
	for (i = 0; i < cl->n; i++) {
		for (k = 0; k < nn && strcmp(names[k], cl->c[i].name); k++)
			;
		if (k == nn)
			names[nn++] = cl->c[i].name;
	}
	head[0] = "check";
	for (j = 0; j < rs->nruns; j++)
		head[j + 1] = rs->runs[j].dir;
	t = doc_table(&rp->doc, head);
	for (k = 0; k < nn; k++) {
		doc_cell(t, "%s", names[k]);
		for (j = 0; j < rs->nruns; j++) {
			const struct check *c = NULL;

			for (i = 0; i < cl->n && !c; i++)
				if (!strcmp(cl->c[i].name, names[k]) &&
				    !strcmp(cl->c[i].run, rs->runs[j].dir))
					c = &cl->c[i];
			doc_cell(t, "%s", c ? verdict_name(c->verdict) : "-");
		}
	}
	for (i = 0; i < cl->n; i++) {
		nfail += cl->c[i].verdict == V_FAIL;
		nna += cl->c[i].verdict == V_NA;
	}
	for (i = 0; i < cl->n; i++) {
		if (cl->c[i].verdict == V_PASS)
			continue;
		if (!l) {
			/* An n/a row is not a failure: the heading says which kinds follow. */
			doc_para(&rp->doc, "%s, with their figures:",
				 !nna	  ? "The checks that failed"
				 : !nfail ? "The checks that could not be made here (n/a)"
					  : "The checks that failed, and those that could not be "
					    "made here (n/a)");
			l = doc_links(&rp->doc);
		}
		doc_item(l, NULL, "%s, %s: %s: %s", cl->c[i].run, cl->c[i].name,
			 verdict_name(cl->c[i].verdict), cl->c[i].figures);
	}
	free(names);
	free(head);
}

void report_kernel(struct report *rp)
{
	const struct run_set *rs = rp->rs;
	size_t i;

	doc_para(&rp->doc, "Kernel: each thread's /proc/thread-self/schedstat and "
			   "getrusage(RUSAGE_THREAD), read by the thread itself as it ended "
			   "(demo.json), or the counters the collector read off the task at exit.");
	for (i = 0; i < rs->nruns; i++) {
		doc_para(&rp->doc, "Run %s:", rs->runs[i].dir);
		thread_table(rp, rs->runs[i].dir);
	}
}
