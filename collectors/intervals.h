/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Each traced thread's open state interval, from the ring buffer's state
 * changes: one tracker that both the timeline (timeline.c, a slice per
 * interval) and the critical path (causes.c) are fed from.
 */
#ifndef INTERVALS_H
#define INTERVALS_H

#include <stdbool.h>
#include <stdint.h>
#include "schedtrace.h"

/* A thread's state since its last change, as the event that opened it said. */
struct interval {
	uint32_t tid, pid;
	int32_t cpu;
	uint8_t state;	    /* enum st_state; ST_EXITED for a thread that ended */
	uint8_t waker_kind; /* who ended the wait before it (st_waker_kind) */
	uint32_t waker, host;
	uint32_t holder; /* a lock wait: the mutex owner read at the wait, 0 when none */
	/* a traced waker's (WK_THREAD, WK_FORK) process, from its own open
	 * interval: where timeline.json's wake flow starts; 0 when unknown */
	uint32_t waker_pid;
	uint64_t start_ns;
	/* where that flow starts: the wakeup, or, when the waker had stopped
	 * running by then (the wakeup came later through the wake list, over
	 * another task), the last moment it ran: its waking came from there */
	uint64_t flow_ns;
};

struct intervals;

struct intervals *intervals_new(void);
void intervals_free(struct intervals *iv);

/*
 * An EV_STATE event opens its thread's next interval. Returns true with
 * *ended set to the interval it ends (at e->ts), false for a thread's first
 * event (or when out of memory).
 */
bool intervals_event(struct intervals *iv, const struct st_event *e, struct interval *ended);

/* Calls fn(ctx, interval) for every interval still open, in tid order, and
 * forgets them: tracing stopped. */
void intervals_end_all(struct intervals *iv, void (*fn)(void *ctx, const struct interval *i),
		       void *ctx);

#endif
