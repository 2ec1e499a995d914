// SPDX-License-Identifier: GPL-2.0
/* Lock waits per lock: the futex words of one lock summed (figures.h
 * fig_locks: a condition variable waits on more than one word of its
 * object, and is one lock), named by the demo's own list of its locks
 * (demo.json "locks"), so a wait reads "GIL cond", not an address. */
#include <stdlib.h>

#include "report.h"
#include "wakes.h"

#define TOP_LOCKS 10

static void variant_table(struct report *rp, const struct run *r)
{
	static const char *const head[] = {"lock",  "process", "futex words", "waits",
					   "total", "mean",    "longest",     NULL};
	struct fig_lock *l;
	struct doc_block *t;
	uint64_t waits = 0, ns = 0;
	size_t i, n;
	char a[32], b[32], c[32];

	l = fig_locks(r, &n);
	if (!n) {
		doc_para(&rp->doc, "%s: no lock waits.", r->variant);
		free(l);
		return;
	}
	for (i = 0; i < n; i++) {
		waits += l[i].waits;
		ns += l[i].total_ns;
	}
	doc_para(&rp->doc, "%s (run %s): %llu waits on %zu locks, %s in all%s", r->variant, r->dir,
		 (unsigned long long)waits, n, fig_dur(a, sizeof(a), (double)ns),
		 n > TOP_LOCKS ? "; the longest in total:" : ":");
	t = doc_table(&rp->doc, head);
	for (i = 0; i < n && i < TOP_LOCKS; i++) {
		char wn[256];

		if (l[i].name[0])
			doc_cell(t, "%s", l[i].name);
		else /* its ELF symbol, a join ("the exit of worker-1"), or its address */
			doc_cell(t, "%s", word_name(r, l[i].pid, l[i].addr, wn, sizeof(wn)));
		doc_cell(t, "%d", l[i].pid);
		doc_cell(t, "%zu", l[i].words);
		doc_cell(t, "%llu", (unsigned long long)l[i].waits);
		doc_cell(t, "%s", fig_dur(a, sizeof(a), (double)l[i].total_ns));
		doc_cell(t, "%s",
			 fig_dur(b, sizeof(b),
				 l[i].waits ? (double)l[i].total_ns / (double)l[i].waits : 0));
		doc_cell(t, "%s", fig_dur(c, sizeof(c), (double)l[i].max_ns));
	}
	free(l);
}

void report_futex(struct report *rp)
{
	size_t i;

	doc_para(&rp->doc, "Time blocked in futex waits (how pthread mutexes and condition "
			   "variables sleep), per lock, the longest first. A lock's name is the "
			   "demo's own (demo.json \"locks\"); a condition variable waits on more "
			   "than one word of its object and counts once.");
	for (i = 0; i < rp->rs->nvariants; i++)
		variant_table(rp, rp->rs->variants[i].rep);
}
