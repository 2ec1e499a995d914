// SPDX-License-Identifier: GPL-2.0
/* A generic rule, true of any program: one thread can use one CPU at a time.
 * When one thread did LONE_RUN_SHARE of a run's running and wanted a CPU
 * (running or waiting in a run queue) for LONE_DEMAND_SHARE of the run's
 * wall, on a run that could use two CPUs or more, the run's work went
 * through that one thread: the other CPUs had none of it to run, whatever
 * else the host ran on them (work_shape.h). */
#include <stdio.h>

#include "explain.h"
#include "sums.h"
#include "thread_labels.h"
#include "work_shape.h"

#define LONE_RUN_SHARE 0.90
#define LONE_DEMAND_SHARE 0.50

void explain_lone_worker(const struct run *r, const char *prefix, struct sentences *out)
{
	struct lone_worker w = lone_worker_of(r);
	char d1[32], d2[32], d3[32];

	if (!w.t || w.cpus < 2 || !w.all_run_ns || !w.wall_ns ||
	    (double)w.run_ns < LONE_RUN_SHARE * (double)w.all_run_ns ||
	    (double)w.demand_ns < LONE_DEMAND_SHARE * (double)w.wall_ns)
		return;
	sentences_add(out,
		      "%sOne thread did the work: %s ran %s, %.0f%% of all the run's "
		      "running, and wanted a CPU (running or in a run queue) for %.0f%% of the "
		      "run's %s; its %zu other thread%s ran %s. The run had %d CPUs to use, but "
		      "a thread runs on one CPU at a time: the other %d had none of this work "
		      "to run (thresholds: ≥ %.0f%% of the running, ≥ %.0f%% of the wall).",
		      prefix, thread_label_of(w.t), fmt_ns(d1, sizeof(d1), (double)w.run_ns),
		      100.0 * (double)w.run_ns / (double)w.all_run_ns,
		      100.0 * (double)w.demand_ns / (double)w.wall_ns,
		      fmt_ns(d2, sizeof(d2), (double)w.wall_ns), w.others, w.others == 1 ? "" : "s",
		      fmt_ns(d3, sizeof(d3), (double)(w.all_run_ns - w.run_ns)), w.cpus, w.cpus - 1,
		      100 * LONE_RUN_SHARE, 100 * LONE_DEMAND_SHARE);
}
