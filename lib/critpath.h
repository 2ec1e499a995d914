/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The critical path of a run, from its threads' state intervals and the wake
 * edges between them (docs/collector.md): from the end of the last thread,
 * walk back; while the thread on the path was running or runnable it stays
 * on the path; a blocked interval ended by another traced thread (or by a
 * softirq that thread ran in its own syscall: loopback networking) moves
 * the path to that thread at the moment it woke this one; a blocked interval
 * ended by a context (timer, interrupt, another process) stays on the path
 * as that wait, unless it was a wait on a mutex whose owner was read at the
 * wait: then the path moves to that owner (who held the lock) at that
 * moment. A new thread's path continues in the thread that created it.
 * A window that ends while the thread on the path still waits (a demo's main
 * joining the loop that recorded the end) moves the path at once to whoever
 * ended that wait.
 */
#ifndef CRITPATH_H
#define CRITPATH_H

#include <stddef.h>
#include <stdint.h>

/* One state interval [start, end) of a thread. */
struct cp_interval {
	uint64_t start, end;
	uint32_t tid;
	uint8_t state;	    /* enum st_thread_state */
	uint8_t waker_kind; /* runnable after a wakeup or a fork: enum st_waker_kind */
	uint32_t waker;	    /* the waker's id (a tid for WK_THREAD and WK_FORK) */
	uint32_t host;	    /* WK_SOFTIRQ run inside a traced thread's syscall: its tid */
	uint32_t holder;    /* a lock wait: the mutex's owner read at the wait, 0 when none */
};

/* A piece of the path: tid in state over [start, end); via: who ended a wait charged here. */
struct cp_segment {
	uint64_t start, end;
	uint32_t tid;
	uint8_t state;
	uint8_t via_kind;
	uint32_t via;
};

struct cp_path {
	struct cp_segment *seg; /* in time order, adjacent equal pieces merged */
	size_t n;
	uint64_t start_ns, end_ns; /* the window walked */
	uint64_t covered_ns;	   /* time the path accounts for (end - start when complete) */
	uint32_t end_tid;	   /* the thread the walk began from (ended last) */
};

/*
 * Computes the path over [window_start, window_end). iv: every interval of
 * every thread, in any order (sorted in place). Returns 0, or -1 (no
 * memory, no interval).
 */
int critpath_compute(struct cp_interval *iv, size_t n, uint64_t window_start, uint64_t window_end,
		     struct cp_path *out);
/*
 * The same, walked back from thread @end_tid at @window_end (a demo's
 * measured section ends in its main thread): the threads' lives after the
 * window (a sampler stopped at teardown) stay off the path. @end_tid 0, or
 * a thread not alive at @window_end: from the thread that ended last.
 */
int critpath_compute_from(struct cp_interval *iv, size_t n, uint64_t window_start,
			  uint64_t window_end, uint32_t end_tid, struct cp_path *out);
void critpath_free(struct cp_path *p);

/* The path's time for tid in state (any state: state < 0). */
uint64_t critpath_time(const struct cp_path *p, uint32_t tid, int state);

#endif
