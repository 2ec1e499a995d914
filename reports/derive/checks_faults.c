// SPDX-License-Identifier: GPL-2.0
/* Page faults per thread: the collector reads the thread's own counters
 * (task->min_flt, maj_flt, sched.json minflt, majflt) when it ends; the
 * thread read the same counters with getrusage(RUSAGE_THREAD) just before
 * (demo.json rusage). The collector's count may exceed the thread's by the
 * faults of its last steps (returning, exiting), never fall below it. A
 * process's main thread (tid == pid) goes on after its record to write the
 * result file, faulting in proportion to it (92 pages over the bound for
 * 05's 130 threads): for it only "never below" holds. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "thread_labels.h"

bool check_faults(const struct run *r, struct check *c)
{
	size_t i, n = 0, bad = 0;
	double worst = -1;
	const struct demo_thread *wd = NULL;
	const struct sched_thread *ws = NULL;

	snprintf(c->name, sizeof(c->name), "eBPF page faults vs getrusage");
	snprintf(c->run, sizeof(c->run), "%s", r->dir);
	c->verdict = V_NA;
	for (i = 0; r->demo && i < r->demo->nthreads; i++) {
		const struct demo_thread *d = &r->demo->threads[i];
		const struct sched_thread *s = sched_find_tid(&r->sched, d->tid);
		double over, score;

		if (!d->has_faults || !s || !s->has_faults)
			continue;
		n++;
		over = (double)s->minflt - (double)d->minflt;
		if (over < 0 || (over > FAULTS_AFTER_END && d->tid != d->pid) ||
		    s->majflt < d->majflt)
			bad++;
		score = over < 0 ? 1e9 - over : over; /* fewer than the thread's own: worst */
		if (score > worst) {
			worst = score;
			wd = d;
			ws = s;
		}
	}
	if (!n)
		return false; /* no thread with both counts: nothing to compare */
	c->verdict = bad ? V_FAIL : V_PASS;
	snprintf(c->figures, sizeof(c->figures),
		 "%zu/%zu threads: the collector's minor faults at the thread's end at least its "
		 "own getrusage, at most %d more (a main thread, which writes the result "
		 "after, any more); widest %s: %llu vs %llu",
		 n - bad, n, FAULTS_AFTER_END, thread_label_or(r, wd->tid, wd->name),
		 (unsigned long long)ws->minflt, (unsigned long long)wd->minflt);
	return true;
}
