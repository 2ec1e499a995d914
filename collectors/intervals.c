// SPDX-License-Identifier: GPL-2.0
/* The open intervals in a tsearch tree keyed by tid: memory bounded by the
 * number of threads, not of events. */
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include "intervals.h"

struct intervals {
	void *open; /* tsearch tree of struct interval */
};

struct intervals *intervals_new(void)
{
	struct intervals *iv = calloc(1, sizeof(*iv));

	if (!iv)
		fprintf(stderr, "schedtrace: intervals: out of memory\n");
	return iv;
}

void intervals_free(struct intervals *iv)
{
	if (!iv)
		return;
	tdestroy(iv->open, free);
	free(iv);
}

static int cmp_tid(const void *a, const void *b)
{
	uint32_t x = ((const struct interval *)a)->tid, y = ((const struct interval *)b)->tid;

	return x < y ? -1 : x > y;
}

/* The open interval of traced thread @tid, or NULL when it has none. */
static const struct interval *open_of(const struct intervals *iv, uint32_t tid)
{
	struct interval key = {.tid = tid};
	struct interval *const *found = tfind(&key, &iv->open, cmp_tid);

	return found ? *found : NULL;
}

/*
 * Where the flow to a wakeup at @ts from @w starts. sched_waking runs in
 * the waker's context, sched_wakeup maybe later on the wakee's CPU: a
 * waker no longer running at @ts woke it before its current interval
 * began, so the flow starts 1 ns before that, inside its last slice.
 */
static uint64_t flow_start(const struct interval *w, uint64_t ts)
{
	if (!w || w->state == ST_RUNNING || !w->start_ns || w->start_ns > ts)
		return ts;
	return w->start_ns - 1;
}

bool intervals_event(struct intervals *iv, const struct st_event *e, struct interval *ended)
{
	struct interval key = {.tid = e->tid}, *i, **found;
	bool had = false;

	found = tfind(&key, &iv->open, cmp_tid);
	if (found) {
		i = *found;
		*ended = *i;
		had = true;
	} else {
		i = calloc(1, sizeof(*i));
		if (!i)
			return false;
		i->tid = e->tid;
		if (!tsearch(i, &iv->open, cmp_tid)) {
			free(i);
			return false;
		}
	}
	i->pid = e->pid;
	i->cpu = e->cpu;
	i->state = e->state;
	i->waker_kind = e->waker_kind;
	i->waker = e->ppid;
	i->host = e->exec;
	i->holder = e->state == ST_LOCK ? (uint32_t)e->addr : 0;
	if (e->waker_kind == WK_THREAD || e->waker_kind == WK_FORK) {
		const struct interval *w = open_of(iv, e->ppid);

		i->waker_pid = w ? w->pid : 0;
		i->flow_ns = flow_start(w, e->ts);
	} else {
		i->waker_pid = 0;
		i->flow_ns = e->ts;
	}
	i->start_ns = e->ts;
	return had;
}

struct end_walk {
	void (*fn)(void *ctx, const struct interval *i);
	void *ctx;
};

static void end_one(const void *node, VISIT which, void *closure)
{
	const struct end_walk *w = closure;

	if (which == postorder || which == leaf)
		w->fn(w->ctx, *(struct interval *const *)node);
}

void intervals_end_all(struct intervals *iv, void (*fn)(void *ctx, const struct interval *i),
		       void *ctx)
{
	struct end_walk w = {fn, ctx};

	if (!iv)
		return;
	twalk_r(iv->open, end_one, &w);
	tdestroy(iv->open, free);
	iv->open = NULL;
}
