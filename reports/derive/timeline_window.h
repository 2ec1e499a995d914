/* SPDX-License-Identifier: GPL-2.0 */
/* What a run's timeline.json slices say, derived once: the part that is the
 * program's (the tracer's start-up cut off), the window a picture shows,
 * each thread's time per state in a window or in equal columns of one, and
 * the slices as the critical path's intervals. */
#ifndef SCHEDLAB_TIMELINE_WINDOW_H
#define SCHEDLAB_TIMELINE_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runset.h"
#include "timeline.h"

/* The tracer's start-up is not the program's: slices before the demo's
 * first thread began are dropped, the one straddling it cut there. */
void timeline_clip_to_program(const struct run *r, struct timeline *tl);
/* The window [*ws, *ws + *w) in µs a picture shows: long enough for the
 * busiest thread to block a dozen times, where the most threads are alive,
 * nearest the middle of the run; *whole when it is the whole run. */
void timeline_choose_window(const struct timeline *tl, double *ws, double *w, bool *whole);
/* Time per state of @t in each of @ncols columns of width @cw from @ws,
 * added into @acc. */
void timeline_accumulate(const struct thread_track *t, double ws, double cw, size_t ncols,
			 double (*acc)[ST_COUNT]);

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
 * intervals (lib/critpath.h; the collector's clock), each runnable slice
 * with who ended the wait before it (args.waker_kind, waker, host).
 * *@out calloc'ed. Returns 0, 1 when the run has no timeline or its
 * timeline names no waker (written before it did), -1 with @err. */
struct cp_interval;
int timeline_intervals(const struct run *r, struct cp_interval **out, size_t *n, char *err,
		       size_t errlen);

#endif
