/* SPDX-License-Identifier: GPL-2.0 */
/* timeline.json (collectors/timeline.c, docs/formats.md) read into memory:
 * each thread's state slices in time order, with who ended each wait. The
 * file is read one event at a time, so a long trace costs memory for its
 * slices only, not for a whole JSON tree. What the slices mean (a window,
 * the time per state in it, the critical path's intervals) is derived in
 * reports/derive/timeline_window.c; the picture is drawn in
 * reports/draw/timeline_svg.c. */
#ifndef SCHEDLAB_TIMELINE_H
#define SCHEDLAB_TIMELINE_H

#include <stddef.h>

#include "runset.h"

struct slice {
	double ts, dur; /* µs from the start of tracing */
	unsigned char state;
	/* runnable after a wakeup or a fork: who ended the wait (args.waker_kind,
	 * as enum st_waker_kind; WK_NONE when not said), its id, and the traced
	 * thread a softirq ran in */
	unsigned char waker_kind;
	unsigned int waker, host;
	/* a lock slice: the mutex owner read at the wait (args.holder), 0 when none */
	unsigned int holder;
};

struct thread_track {
	int tid, pid;
	char name[64];
	struct slice *s;
	size_t n, cap;
	double first, last;
};

struct timeline {
	struct thread_track *t;
	size_t n, cap;
	size_t *hash; /* index + 1 into t, by tid; 0 = empty */
	size_t hcap;
	size_t nslices;
};

/* Load the Chrome trace at @path into @tl (zeroed by the caller). Returns 0,
 * or -1 with @err naming the file and what is wrong in it. */
int timeline_load(struct timeline *tl, const char *path, char *err, size_t errlen);
/* The run's timeline.json loaded into @tl: 0; 1 when the run has none; -1
 * with @err (and @tl freed). */
int timeline_load_run(const struct run *r, struct timeline *tl, char *err, size_t errlen);
void timeline_free(struct timeline *tl);

#endif
