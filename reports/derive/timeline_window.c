// SPDX-License-Identifier: GPL-2.0
/* What a run's timeline says, derived once (timeline_window.h). */
#include "timeline_window.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "critpath.h"

/* The window: about this many blocking waits (lock, sleep, io, disk, other)
 * of the thread that blocks most often. Blocking waits, not all slices: they
 * are what the program does, while preemptions come in bursts with the
 * machine's other load. ... */
#define TARGET_WAITS 12.0
/* ... but never under 100 µs, and the whole run when the window would cover
 * most of it anyway. */
#define MIN_WINDOW_US 100.0
#define WHOLE_RUN_SHARE 0.6
/* A thread needs this many blocking waits to set the pace of the window. */
#define PACE_MIN_WAITS 4
/* Window positions tried. */
#define CANDIDATES 64

/* How many times @t blocked: its slices in a state other than running or
 * waiting for a CPU. */
static size_t blocking_waits(const struct thread_track *t)
{
	size_t n = 0;

	for (size_t j = 0; j < t->n; j++)
		n += t->s[j].state != ST_RUNNING && t->s[j].state != ST_RUNNABLE;
	return n;
}

/* The window [*ws, *ws + *w) in µs; see the comment at the top. */
void timeline_choose_window(const struct timeline *tl, double *ws, double *w, bool *whole)
{
	double lo = INFINITY, hi = 0, span, rate = 0, best_d = INFINITY;
	size_t i, k, best = 0;

	for (i = 0; i < tl->n; i++) {
		if (!tl->t[i].n)
			continue;
		lo = fmin(lo, tl->t[i].first);
		hi = fmax(hi, tl->t[i].last);
	}
	span = hi > lo ? hi - lo : 1;
	for (i = 0; i < tl->n; i++) {
		size_t waits = blocking_waits(&tl->t[i]);

		if (waits >= PACE_MIN_WAITS)
			rate = fmax(rate, (double)waits / span);
	}
	*w = rate > 0 ? fmax(TARGET_WAITS / rate, MIN_WINDOW_US) : span;
	if (*w >= WHOLE_RUN_SHARE * span) {
		*ws = lo;
		*w = span;
		*whole = true;
		return;
	}
	*whole = false;
	for (k = 0; k < CANDIDATES; k++) {
		double s = lo + (span - *w) * (double)k / (CANDIDATES - 1);
		double d = fabs(s + *w / 2 - (lo + hi) / 2);
		size_t alive = 0;

		for (i = 0; i < tl->n; i++)
			if (tl->t[i].n && tl->t[i].first <= s && tl->t[i].last >= s + *w)
				alive++;
		/* Most threads alive wins; among equals, the one nearest the middle. */
		if (alive > best || (alive == best && d < best_d)) {
			best = alive;
			best_d = d;
			*ws = s;
		}
	}
}

/* Time per state of @t in each of @ncols columns of width @cw from @ws. */
void timeline_accumulate(const struct thread_track *t, double ws, double cw, size_t ncols,
			 double (*acc)[ST_COUNT])
{
	double we = ws + cw * (double)ncols;
	size_t lo = 0, hi = t->n;

	/* First slice that ends after ws: slices are sorted and do not overlap. */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (t->s[mid].ts + t->s[mid].dur <= ws)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < t->n && t->s[lo].ts < we; lo++) {
		const struct slice *s = &t->s[lo];
		double a = fmax(s->ts, ws) - ws, b = fmin(s->ts + s->dur, we) - ws;
		size_t c, c0, c1;

		if (b <= a)
			continue;
		c0 = (size_t)(a / cw);
		c1 = (size_t)(b / cw);
		if (c1 >= ncols)
			c1 = ncols - 1;
		for (c = c0; c <= c1 && c < ncols; c++) {
			double x0 = fmax(a, (double)c * cw), x1 = fmin(b, (double)(c + 1) * cw);

			if (x1 > x0)
				acc[c][s->state] += x1 - x0;
		}
	}
}

/* The tracer's start-up is not the program's: the gate waiting for the
 * collector, the exec. Slices before the demo's first thread began (demo.json
 * threads[].start_ns, on the collector's clock) are dropped, and the one
 * straddling it is cut there. */
static void clip_before(struct timeline *tl, double from_us)
{
	size_t i, j, k;

	for (i = 0; i < tl->n; i++) {
		struct thread_track *t = &tl->t[i];

		for (j = 0, k = 0; j < t->n; j++) {
			struct slice s = t->s[j];

			if (s.ts + s.dur <= from_us)
				continue;
			if (s.ts < from_us) {
				s.dur -= from_us - s.ts;
				s.ts = from_us;
			}
			t->s[k++] = s;
		}
		t->n = k;
		if (t->n) {
			t->first = t->s[0].ts;
			t->last = 0;
			for (j = 0; j < t->n; j++)
				t->last = fmax(t->last, t->s[j].ts + t->s[j].dur);
		}
	}
}

/* Where the program began on the timeline's axis (µs), or 0. */
static double program_start_us(const struct run *r)
{
	uint64_t first = 0;
	size_t i;

	for (i = 0; r->demo && i < r->demo->nthreads; i++)
		if (!first || r->demo->threads[i].start_ns < first)
			first = r->demo->threads[i].start_ns;
	return first > r->sched.start_ns ? (double)(first - r->sched.start_ns) / 1e3 : 0;
}

void timeline_clip_to_program(const struct run *r, struct timeline *tl)
{
	clip_before(tl, program_start_us(r));
}

int timeline_window_states(const struct run *r, uint64_t from_ns, uint64_t to_ns,
			   struct tid_states **out, size_t *n, char *err, size_t errlen)
{
	struct timeline tl = {0};
	double ws, we;
	size_t i, k = 0;
	int ret;

	*out = NULL;
	*n = 0;
	ret = timeline_load_run(r, &tl, err, errlen);
	if (ret)
		return ret;
	ws = from_ns > r->sched.start_ns ? (double)(from_ns - r->sched.start_ns) / 1e3 : 0;
	we = to_ns > r->sched.start_ns ? (double)(to_ns - r->sched.start_ns) / 1e3 : 0;
	*out = calloc(tl.n ? tl.n : 1, sizeof(**out));
	if (!*out) {
		fprintf(stderr, "report: calloc: out of memory\n");
		abort();
	}
	for (i = 0; i < tl.n; i++) {
		const struct thread_track *t = &tl.t[i];
		size_t j;

		if (!t->n)
			continue;
		(*out)[k].tid = t->tid;
		for (j = 0; j < t->n; j++) {
			double a = fmax(t->s[j].ts, ws), b = fmin(t->s[j].ts + t->s[j].dur, we);

			if (b > a)
				(*out)[k].ns[t->s[j].state] += (b - a) * 1e3;
		}
		k++;
	}
	*n = k;
	timeline_free(&tl);
	return 0;
}

int timeline_intervals(const struct run *r, struct cp_interval **out, size_t *n, char *err,
		       size_t errlen)
{
	struct timeline tl = {0};
	size_t i, k = 0, wakers = 0;
	int ret;

	*out = NULL;
	*n = 0;
	ret = timeline_load_run(r, &tl, err, errlen);
	if (ret)
		return ret;
	*out = calloc(tl.nslices ? tl.nslices : 1, sizeof(**out));
	if (!*out) {
		fprintf(stderr, "report: calloc: out of memory\n");
		abort();
	}
	for (i = 0; i < tl.n; i++) {
		const struct thread_track *t = &tl.t[i];
		size_t first = k;

		for (size_t j = 0; j < t->n; j++) {
			const struct slice *s = &t->s[j];
			struct cp_interval *c = &(*out)[k];

			c->start = r->sched.start_ns + (uint64_t)llround(s->ts * 1e3);
			c->end = c->start + (uint64_t)llround(s->dur * 1e3);
			c->tid = (uint32_t)t->tid;
			c->state = s->state;
			c->waker_kind = s->waker_kind;
			c->waker = s->waker;
			c->host = s->host;
			c->holder = s->holder;
			wakers += s->waker_kind != WK_NONE;
			/* µs with 3 decimals: a slice ends where the next begins */
			if (k > first && c->start - c[-1].end + 2 <= 4)
				c[-1].end = c->start;
			k++;
		}
	}
	*n = k;
	timeline_free(&tl);
	if (!wakers) { /* written before timeline.json said who woke whom */
		free(*out);
		*out = NULL;
		*n = 0;
		return 1;
	}
	return 0;
}
