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

#endif
