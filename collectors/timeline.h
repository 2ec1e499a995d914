/* SPDX-License-Identifier: GPL-2.0 */
/* timeline.json: every state change as Chrome trace events (Perfetto opens it). */
#ifndef TIMELINE_H
#define TIMELINE_H

#include <stdint.h>
#include <stdio.h>
#include "schedtrace.h"
#include "intervals.h"
#include "sched_snapshot.h"

struct timeline;

/* Starts the trace in f; timestamps are relative to start_ns. NULL on error. */
struct timeline *timeline_open(FILE *f, uint64_t start_ns);

/* One state change from the ring buffer, and the interval it ended
 * (intervals.h; NULL for a thread's first): writes that slice. */
void timeline_event(struct timeline *tl, const struct st_event *e, const struct interval *ended);

/* A slice for interval @i, ending at @end_ns (tracing stopped while it was open). */
void timeline_slice(struct timeline *tl, const struct interval *i, uint64_t end_ns);

/* The command's window opened at ts (its exec): nothing before it is written. */
void timeline_window(struct timeline *tl, uint32_t tid, uint64_t ts);

/*
 * Names the tracks from the snapshot's threads (comm as last seen) and ends
 * the JSON; the slices still open were handed over (timeline_slice) before.
 * Frees tl. 0 or -1.
 */
int timeline_close(struct timeline *tl, const struct sched_snapshot *snap);

#endif
