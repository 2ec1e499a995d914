// SPDX-License-Identifier: GPL-2.0
/* A generic rule, true of any program: a thread's minor page faults are the
 * new memory it touched. When one thread faulted in at least
 * MEMORY_GROWTH_BYTES, the program's memory grew by at least that much while
 * it ran; when that thread ended well before the others (MEMORY_EARLY_SHARE
 * of the run's span), the sentence says so: what it made outlived it
 * (work_shape.h). */
#include <stdio.h>

#include "explain.h"
#include "sums.h"
#include "thread_labels.h"
#include "work_shape.h"

#define MEMORY_GROWTH_BYTES (16ull << 20)
#define MEMORY_EARLY_SHARE 0.25

void explain_memory(const struct run *r, const char *prefix, struct sentences *out)
{
	struct memory_growth g = memory_growth_of(r);
	struct lone_worker w = lone_worker_of(r); /* the run's span */
	char d1[32], d2[32], after[192] = "";

	if (!g.t || g.bytes < MEMORY_GROWTH_BYTES || !g.t->lifetime_ns)
		return;
	if (g.last && w.wall_ns &&
	    (double)g.ended_before_ns >= MEMORY_EARLY_SHARE * (double)w.wall_ns)
		snprintf(after, sizeof(after),
			 ", then ended %s before %s, the last of the run's other "
			 "threads to end",
			 fmt_ns(d2, sizeof(d2), (double)g.ended_before_ns),
			 thread_label_of(g.last));
	sentences_add(out,
		      "%sMemory grew: %s faulted in at least %.1f MiB of new memory "
		      "(%llu minor page faults of %d KiB) in its %s of life, %.0f MiB/s%s; all "
		      "threads together %.1f MiB (threshold ≥ %llu MiB).",
		      prefix, thread_label_of(g.t), (double)g.bytes / (1 << 20),
		      (unsigned long long)g.faults, FAULT_PAGE_BYTES / 1024,
		      fmt_ns(d1, sizeof(d1), (double)g.t->lifetime_ns),
		      (double)g.bytes / (1 << 20) / ((double)g.t->lifetime_ns / 1e9), after,
		      (double)g.all_bytes / (1 << 20), MEMORY_GROWTH_BYTES >> 20);
}
