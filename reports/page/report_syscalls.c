// SPDX-License-Identifier: GPL-2.0
/* Top syscalls by time, per variant: every thread's calls of one syscall
 * summed, with the count, errors, the longest call and the p99 from the
 * merged latency histogram. */
#include <stdlib.h>
#include <string.h>

#include "figures.h"
#include "report.h"

#define TOP_SYSCALLS 8

struct sys_row {
	const char *name;
	uint64_t count, errors, total_ns, max_ns;
	struct hist hist;
	bool hist_ok;
};

static int by_total(const void *a, const void *b)
{
	const struct sys_row *x = a, *y = b;

	return x->total_ns < y->total_ns ? 1 : x->total_ns > y->total_ns ? -1 : 0;
}

static void variant_table(struct report *rp, const struct run *r)
{
	static const char *const head[] = {"syscall", "calls",	"errors", "total ms",
					   "max ms",  "p99 µs", NULL};
	struct sys_row *rows = NULL;
	struct doc_block *t;
	size_t n = 0, i, j, k;

	if (!r->sched.syscalls_traced) {
		doc_para(&rp->doc,
			 "%s: the per-syscall table was not collected: the collector ran without "
			 "--syscalls.",
			 r->variant);
		return;
	}
	for (i = 0; i < r->sched.nthreads; i++) {
		const struct sched_thread *th = &r->sched.threads[i];

		for (k = 0; k < th->nsyscalls; k++) {
			const struct syscall_acct *s = &th->syscalls[k];

			for (j = 0; j < n && strcmp(rows[j].name, s->name); j++)
				;
			if (j == n) {
				rows = realloc(rows, (n + 1) * sizeof(*rows));
				if (!rows)
					abort();
				memset(&rows[n], 0, sizeof(rows[n]));
				rows[n].name = s->name;
				rows[n].hist_ok = true;
				n++;
			}
			rows[j].count += s->count;
			rows[j].errors += s->errors;
			rows[j].total_ns += s->total_ns;
			if (s->max_ns > rows[j].max_ns)
				rows[j].max_ns = s->max_ns;
			if (rows[j].hist_ok && hist_merge(&rows[j].hist, &s->hist))
				rows[j].hist_ok = false;
		}
	}
	if (!n) {
		doc_para(&rp->doc, "%s: no syscalls recorded.", r->variant);
		return;
	}
	qsort(rows, n, sizeof(*rows), by_total);
	doc_para(&rp->doc,
		 "%s (run %s): %zu distinct syscalls; the %d longest in total:", r->variant, r->dir,
		 n, n < TOP_SYSCALLS ? (int)n : TOP_SYSCALLS);
	t = doc_table(&rp->doc, head);
	for (i = 0; i < n && i < TOP_SYSCALLS; i++) {
		doc_cell(t, "%s", rows[i].name);
		doc_cell(t, "%llu", (unsigned long long)rows[i].count);
		doc_cell(t, "%llu", (unsigned long long)rows[i].errors);
		doc_cell(t, "%.2f", (double)rows[i].total_ns / 1e6);
		doc_cell(t, "%.2f", (double)rows[i].max_ns / 1e6);
		if (rows[i].hist_ok && rows[i].hist.n)
			doc_cell(t, "%.1f",
				 hist_quantile_max(&rows[i].hist, 0.99, (double)rows[i].max_ns) / 1e3);
		else
			doc_cell(t, "-");
	}
	for (i = 0; i < n; i++)
		hist_free(&rows[i].hist);
	free(rows);
}

void report_syscalls(struct report *rp)
{
	size_t i, traced = 0;

	for (i = 0; i < rp->rs->nvariants; i++)
		traced += rp->rs->variants[i].rep->sched.syscalls_traced;
	if (!traced) {
		doc_para(&rp->doc,
			 "The per-syscall table was not collected in this run: by default the "
			 "collector puts no program on system calls, because one runs on every "
			 "call of every program on the machine and is its costliest counter. "
			 "The thread states above still say where each thread blocked. To get "
			 "the table, trace with --syscalls (./scripts/trace --syscalls ..., or "
			 "schedtrace --syscalls).");
		return;
	}
	doc_para(&rp->doc, "Time from entry to exit of each call, blocked time included, summed "
			   "over the threads of the run.");
	for (i = 0; i < rp->rs->nvariants; i++)
		variant_table(rp, rp->rs->variants[i].rep);
}
