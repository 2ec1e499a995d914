/* SPDX-License-Identifier: GPL-2.0 */
/* The timeline picture: what each thread of a run was doing over time, one
 * lane per thread (per role when threads are many), colored by state
 * (reports/palette.h), over a window chosen to show the story. The whole
 * timeline stays in timeline.json for Perfetto. */
#ifndef SCHEDLAB_TIMELINE_SVG_H
#define SCHEDLAB_TIMELINE_SVG_H

#include <stddef.h>
#include <stdio.h>

#include "runset.h"

/* Above this many threads the lanes are roles (worker-*), each drawn as the
 * share of its threads in each state over time. */
#define TIMELINE_MAX_LANES 24

/* Writes an SVG picture of the run's timeline.json, over a window chosen to show the story, to
 * @out. Returns 0, 1 when the run has no timeline, -1 on error with @err filled. */
int timeline_svg(const struct run *r, FILE *out, char *err, size_t errlen);

/* Several runs (a demo's variants) on one time axis, each from the start of
 * its demo's measured section, one lane per thread that did the demo's work
 * (demo.json: its own process, tasks > 0), grouped by run. Returns 0, 1 when
 * no run has a timeline or task threads, -1 with @err on a broken file. */
int timeline_shared_svg(const struct run *const *runs, size_t nruns, const char *title, FILE *out,
			char *err, size_t errlen);

/* Each thread's time per state inside [@from_ns, @to_ns) (the collector's
 * clock, as sched.json start_ns), from the run's timeline.json: what a
 * thread did during the demo's measured section, not before it. *@out is
 * calloc'ed (free it). Returns 0, 1 when the run has no timeline, -1 with
 * @err on a broken file. */
struct tid_states {
	int tid;
	double ns[ST_COUNT];
};
int timeline_window_states(const struct run *r, uint64_t from_ns, uint64_t to_ns,
			   struct tid_states **out, size_t *n, char *err, size_t errlen);

/* Every state slice of the run's timeline.json as the critical path's
 * intervals (collectors/critpath.h; the collector's clock), each runnable
 * slice with who ended the wait before it (args.waker_kind, waker, host).
 * *@out calloc'ed. Returns 0, 1 when the run has no timeline or its
 * timeline names no waker (written before it did), -1 with @err. */
struct cp_interval;
int timeline_intervals(const struct run *r, struct cp_interval **out, size_t *n, char *err,
		       size_t errlen);

#endif
