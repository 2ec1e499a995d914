/* SPDX-License-Identifier: GPL-2.0 */
/* The timeline picture: what each thread of a run was doing over time, one
 * lane per thread (per role when threads are many), colored by state
 * (reports/draw/palette.h), over a window chosen to show the story
 * (derive/timeline_window.h). The whole timeline stays in timeline.json for
 * Perfetto. */
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

#endif
