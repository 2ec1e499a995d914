/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why threads waited (issue 9), the user half: futex words named while their
 * process lives, the state intervals the critical path walks, and the
 * sched.json parts: futex names and joins, wakes[], critical_path
 * (docs/formats.md), read from the snapshot of the maps (sched_snapshot.h)
 * and built into the document by sched_json().
 */
#ifndef CAUSES_H
#define CAUSES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "schedtrace.h"
#include "intervals.h"
#include "sched_snapshot.h"

struct causes;

/* keep_intervals: store state intervals for the critical path (--timeline). */
struct causes *causes_new(bool keep_intervals);
void causes_free(struct causes *c);

/* An event from the ring buffer: EV_FUTEX and EV_WINDOW matter here. */
void causes_event(struct causes *c, const struct st_event *e);

/* A thread's state interval, ended at @end_ns (intervals.h): kept for the
 * critical path when intervals are kept. */
void causes_interval(struct causes *c, const struct interval *i, uint64_t end_ns);

/* When the command's window opened (its exec), 0 if never seen. */
uint64_t causes_window_ns(const struct causes *c);

/*
 * Adds object, symbol, symbol_offset, join_tid (and join_tids when the word
 * served several threads in turn) to a sched.json futex entry. @c may be
 * NULL: no names then, the joins still.
 */
void causes_futex_fields(struct causes *c, json_t *entry, const struct sched_snapshot *snap,
			 uint32_t pid, uint64_t addr);

/* sched.json wakes[]: one entry per (waker, wakee, wait). */
json_t *causes_wakes_json(const struct sched_snapshot *snap);

/* sched.json critical_path over the intervals handed over so far (every
 * open one ended before), or JSON null without intervals (no --timeline,
 * or @c NULL). */
json_t *causes_critical_path_json(struct causes *c, const struct sched_snapshot *snap,
				  uint64_t start_ns, uint64_t end_ns);

/* The kernel's softirq vectors by name (the waker kinds' names are
 * bpf/schedtrace.h's waker_kind_names). */
const char *softirq_name(uint32_t vec);

#endif
