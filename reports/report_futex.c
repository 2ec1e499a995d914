// SPDX-License-Identifier: GPL-2.0
/* Futex waits per address, named by the demo's own list of its locks'
 * futex words (demo.json "locks"), so a wait reads "GIL mutex", not an
 * address. */
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define TOP_FUTEX 10

static int by_total(const void *a, const void *b)
{
	const struct futex_acct *x = *(const struct futex_acct *const *)a;
	const struct futex_acct *y = *(const struct futex_acct *const *)b;

	return x->total_ns < y->total_ns ? 1 : x->total_ns > y->total_ns ? -1 : 0;
}

static void variant_table(struct report *rp, const struct run *r)
{
	static const char *const head[] = {"lock",     "process", "address", "waits",
					   "total ms", "mean µs", "max ms",  NULL};
	const struct futex_acct **f;
	struct futex_sum fs = futex_sum_of(r);
	struct doc_block *t;
	size_t i, n = r->sched.nfutex;

	if (!n) {
		doc_para(&rp->doc, "%s: no futex waits.", r->variant);
		return;
	}
	f = calloc(n, sizeof(*f));
	if (!f)
		abort();
	for (i = 0; i < n; i++)
		f[i] = &r->sched.futex[i];
	qsort(f, n, sizeof(*f), by_total);
	doc_para(&rp->doc,
		 "%s (run %s): %llu futex waits on %zu addresses, %.1f ms in all; %llu of them "
		 "(%.1f ms) on words the demo named.",
		 r->variant, r->dir, (unsigned long long)fs.all_count, n, (double)fs.all_ns / 1e6,
		 (unsigned long long)fs.named_count, (double)fs.named_ns / 1e6);
	t = doc_table(&rp->doc, head);
	for (i = 0; i < n && i < TOP_FUTEX; i++) {
		const char *name = futex_word_name(r, f[i]);

		doc_cell(t, "%s", name ? name : "(not named)");
		doc_cell(t, "%d", f[i]->pid);
		doc_cell(t, "%s", f[i]->addr);
		doc_cell(t, "%llu", (unsigned long long)f[i]->count);
		doc_cell(t, "%.2f", (double)f[i]->total_ns / 1e6);
		doc_cell(t, "%.1f",
			 f[i]->count ? (double)f[i]->total_ns / 1e3 / (double)f[i]->count : 0);
		doc_cell(t, "%.2f", (double)f[i]->max_ns / 1e6);
	}
	free(f);
}

void report_futex(struct report *rp)
{
	size_t i;

	doc_heading(&rp->doc, 2, "Futex waits per lock");
	doc_para(&rp->doc, "Blocked time in futex(FUTEX_WAIT*) per (process, user address), the "
			   "largest first.");
	for (i = 0; i < rp->rs->nvariants; i++)
		variant_table(rp, rp->rs->variants[i].rep);
}
