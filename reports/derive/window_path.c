// SPDX-License-Identifier: GPL-2.0
/*
 * The critical path of a demo's measured section. The collector walks back
 * from the thread that ended last (sched.json critical_path), which is a
 * demo's teardown: main joining a sampler that sleeps on a timer, a delay
 * service closing down, an interpreter exiting. The lesson is about the
 * section the demo timed (demo.json start_ns..end_ns), which ends in the
 * demo's main thread: so the same walk (collectors/critpath.c) is taken over
 * that section, from main at its end, on timeline.json's slices and who
 * woke each. Without a timeline that names wakers, the collector's path
 * stays, and the sentence says which one it is.
 */
#include <stdio.h>
#include <stdlib.h>

#include "critpath.h"
#include "runset.h"
#include "timeline_window.h"
#include "wakes.h"

/* The comm of @tid in @r, "" when unknown. */
static const char *comm_of(const struct run *r, uint32_t tid)
{
	const struct sched_thread *t = sched_find_tid(&r->sched, (int)tid);

	return t ? t->comm : "";
}

static int by_ns_desc(const void *a, const void *b)
{
	const struct crit_share *x = a, *y = b;

	return x->ns < y->ns ? 1 : x->ns > y->ns ? -1 : 0;
}

/* The path's time per (thread, state), largest first, into a crit_path. */
static struct crit_path *shares_of(const struct run *r, const struct cp_path *p)
{
	struct crit_path *c = calloc(1, sizeof(*c));
	size_t cap = 0;

	if (!c)
		return NULL;
	c->start_ns = p->start_ns;
	c->end_ns = p->end_ns;
	c->covered_ns = p->covered_ns;
	c->end_tid = (int)p->end_tid;
	c->measured = true;
	for (size_t i = 0; i < p->n; i++) {
		const struct cp_segment *s = &p->seg[i];
		size_t k;

		for (k = 0; k < c->nby; k++)
			if (c->by[k].tid == (int)s->tid && c->by[k].state == s->state)
				break;
		if (k == c->nby) {
			if (c->nby == cap) {
				struct crit_share *nb;

				cap = cap ? 2 * cap : 16;
				nb = realloc(c->by, cap * sizeof(*nb));
				if (!nb) {
					free(c->by);
					free(c);
					return NULL;
				}
				c->by = nb;
			}
			c->by[k] = (struct crit_share){.tid = (int)s->tid,
						       .state = (enum st_thread_state)s->state};
			snprintf(c->by[k].comm, sizeof(c->by[k].comm), "%s", comm_of(r, s->tid));
			c->nby++;
		}
		c->by[k].ns += s->end - s->start;
	}
	qsort(c->by, c->nby, sizeof(*c->by), by_ns_desc);
	return c;
}

int window_path(struct run *r, char *err, size_t errlen)
{
	struct cp_interval *iv = NULL;
	struct crit_path *c;
	struct cp_path p;
	size_t n = 0;
	int rc;

	if (!r->demo || r->demo->end_ns <= r->demo->start_ns || !r->sched.cpath)
		return 1;
	rc = timeline_intervals(r, &iv, &n, err, errlen);
	if (rc)
		return rc;
	rc = critpath_compute_from(iv, n, r->demo->start_ns, r->demo->end_ns,
				   (uint32_t)r->demo->pid, &p);
	free(iv);
	if (rc) {
		snprintf(err, errlen, "the critical path of the measured section: out of memory");
		return -1;
	}
	c = p.end_tid == (uint32_t)r->demo->pid && p.covered_ns ? shares_of(r, &p) : NULL;
	critpath_free(&p);
	if (!c)
		return 1; /* main did not live to the section's end: the collector's path */
	free(r->sched.cpath->by);
	free(r->sched.cpath);
	r->sched.cpath = c;
	return 0;
}
