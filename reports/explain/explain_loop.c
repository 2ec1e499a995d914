// SPDX-License-Identifier: GPL-2.0
/* A generic rule, true of any program: a thread that waits for events in a
 * poll call (epoll_wait, poll, select: an event loop) handles none of them
 * while it is blocked anywhere else. Said when such a thread spent at least
 * LOOP_BLOCKED_SHARE of its life blocked outside its poll call, with the
 * call it blocked in longest (work_shape.h: its wake edges, and its
 * syscalls when traced: a loop that always finds an event ready never blocks
 * in its poll call, yet calls it). */
#include <stdio.h>

#include "explain.h"
#include "sums.h"
#include "thread_labels.h"
#include "work_shape.h"

#define LOOP_BLOCKED_SHARE 0.20

void explain_loop_blocking(const struct run *r, const char *prefix, struct sentences *out)
{
	for (size_t i = 0; i < r->sched.nthreads; i++) {
		const struct sched_thread *t = &r->sched.threads[i];
		struct loop_blocking b;
		char d1[32], d2[32], d3[32], calls[48] = "";

		if (!loop_blocking_of(r, t, &b) || !t->lifetime_ns || !b.top_waits ||
		    (double)b.other_ns < LOOP_BLOCKED_SHARE * (double)t->lifetime_ns)
			continue;
		if (b.poll_calls)
			snprintf(calls, sizeof(calls), " (%llu calls)",
				 (unsigned long long)b.poll_calls);
		sentences_add(
		    out,
		    "%s%s waits for events in %s%s, an event loop, yet it spent %s "
		    "(%.0f%% of its life) blocked outside it, longest in %s (%llu wait%s, mean "
		    "%s), against %s blocked waiting for events: while a loop is blocked "
		    "outside its poll call, no ready event is handled (threshold ≥ %.0f%% of "
		    "its life).",
		    prefix, thread_label_of(t), b.poll_call, calls,
		    fmt_ns(d1, sizeof(d1), (double)b.other_ns),
		    100.0 * (double)b.other_ns / (double)t->lifetime_ns, b.top_call,
		    (unsigned long long)b.top_waits, b.top_waits == 1 ? "" : "s",
		    fmt_ns(d2, sizeof(d2), (double)b.top_ns / (double)b.top_waits),
		    fmt_ns(d3, sizeof(d3), (double)b.poll_ns), 100 * LOOP_BLOCKED_SHARE);
	}
}
