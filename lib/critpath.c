// SPDX-License-Identifier: GPL-2.0
/*
 * The critical path walk (critpath.h). Pure: intervals in, segments out,
 * so it is tested on hand-made schedules (tests/unit/test_critpath.c).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "critpath.h"
#include "schedtrace.h"

/* A thread's intervals: iv[first, first + n), sorted by start. */
struct cp_thread {
	uint32_t tid;
	size_t first, n;
};

static int cmp_interval(const void *a, const void *b)
{
	const struct cp_interval *x = a, *y = b;

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

static const struct cp_thread *find_thread(const struct cp_thread *th, size_t nth, uint32_t tid)
{
	size_t lo = 0, hi = nth;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (th[mid].tid == tid)
			return &th[mid];
		if (th[mid].tid < tid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The interval of th holding the instant just before t: start < t <= end. */
static long interval_at(const struct cp_interval *iv, const struct cp_thread *th, uint64_t t)
{
	size_t lo = 0, hi = th->n;

	while (lo < hi) { /* first interval with start >= t */
		size_t mid = lo + (hi - lo) / 2;

		if (iv[th->first + mid].start < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return -1;
	lo--;
	return iv[th->first + lo].end >= t ? (long)(th->first + lo) : -1;
}

static int push(struct cp_path *p, size_t *cap, uint32_t tid, uint8_t state, uint8_t via_kind,
		uint32_t via, uint64_t start, uint64_t end)
{
	struct cp_segment *s;

	if (end <= start)
		return 0;
	/* Walking backwards: extend the last piece when it continues this one. */
	if (p->n) {
		s = &p->seg[p->n - 1];
		if (s->tid == tid && s->state == state && s->via_kind == via_kind &&
		    s->via == via && s->start == end) {
			s->start = start;
			p->covered_ns += end - start;
			return 0;
		}
	}
	if (p->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		struct cp_segment *ns = realloc(p->seg, nc * sizeof(*ns));

		if (!ns)
			return -1;
		p->seg = ns;
		*cap = nc;
	}
	p->seg[p->n++] = (struct cp_segment){start, end, tid, state, via_kind, via};
	p->covered_ns += end - start;
	return 0;
}

static bool blocked(uint8_t state)
{
	return state != ST_RUNNING && state != ST_RUNNABLE;
}

/*
 * Where the walk starts: @end_tid at the window's end when it lived then (the
 * thread that ended a demo's measured section: what came after, a helper's
 * teardown, is not on its path); else the thread that ended last (the
 * earliest tid on a tie: the command's). *t: the moment.
 */
static const struct cp_thread *walk_start(const struct cp_interval *iv, const struct cp_thread *th,
					  size_t nth, uint64_t window_end, uint32_t end_tid,
					  uint64_t *t)
{
	const struct cp_thread *cur = end_tid ? find_thread(th, nth, end_tid) : NULL;

	if (cur && interval_at(iv, cur, window_end) >= 0) {
		*t = window_end;
		return cur;
	}
	cur = &th[0];
	for (size_t k = 0; k < nth; k++) {
		const struct cp_interval *last = &iv[th[k].first + th[k].n - 1];
		uint64_t e = last->end < window_end ? last->end : window_end;

		/* On a tie (threads alive at the end), one not blocked then. */
		if (e > *t || (e == *t && !blocked(last->state) &&
			       blocked(iv[cur->first + cur->n - 1].state))) {
			*t = e;
			cur = &th[k];
		}
	}
	return cur;
}

int critpath_compute(struct cp_interval *iv, size_t n, uint64_t window_start, uint64_t window_end,
		     struct cp_path *out)
{
	return critpath_compute_from(iv, n, window_start, window_end, 0, out);
}

/* The intervals, sorted by thread then time, grouped per thread; NULL when
 * out of memory. */
static struct cp_thread *group_threads(struct cp_interval *iv, size_t n, size_t *nth)
{
	struct cp_thread *th;

	qsort(iv, n, sizeof(*iv), cmp_interval);
	th = calloc(n, sizeof(*th));
	if (!th)
		return NULL;
	*nth = 0;
	for (size_t i = 0; i < n; i++) {
		if (!*nth || th[*nth - 1].tid != iv[i].tid)
			th[(*nth)++] = (struct cp_thread){iv[i].tid, i, 0};
		th[*nth - 1].n++;
	}
	return th;
}

/* Where the walk back in time is: in thread @cur at moment @t. */
struct walk {
	const struct cp_interval *iv;
	const struct cp_thread *th, *cur;
	size_t nth, cap;
	uint64_t t, window_start;
	unsigned int jumps_here; /* moves to a waker at this moment, against loops */
	struct cp_path *out;
};

/* On a CPU (running or runnable) from @s to t: on the path. A new thread's
 * first interval continues in the thread that created it. 0 or -1. */
static int step_on_cpu(struct walk *w, long i, uint64_t s)
{
	const struct cp_interval *I = &w->iv[i];

	if (push(w->out, &w->cap, w->cur->tid, I->state, WK_NONE, 0, s, w->t))
		return -1;
	w->t = s;
	w->jumps_here = 0;
	if ((size_t)i == w->cur->first && I->waker_kind == WK_FORK) {
		const struct cp_thread *parent = find_thread(w->th, w->nth, I->waker);

		if (parent && parent != w->cur)
			w->cur = parent;
	}
	return 0;
}

/*
 * At the end of the wait @i (or inside it, where the window ends while the
 * thread still waits: a demo's main joining the thread that recorded the
 * end), the path moves to whoever ended it, @next's waker. 1 when it moved,
 * 0 when it did not, -1 on failure.
 */
static int follow_waker(struct walk *w, long i, const struct cp_interval *next)
{
	const struct cp_interval *I = &w->iv[i], *last;
	const struct cp_thread *wk;

	if (!next || w->t > I->end || w->jumps_here >= 16 ||
	    !((next->waker_kind == WK_THREAD && next->waker != w->cur->tid) ||
	      (next->waker_kind == WK_SOFTIRQ && next->host && next->host != w->cur->tid)))
		return 0;
	wk = find_thread(w->th, w->nth, next->waker_kind == WK_THREAD ? next->waker : next->host);
	if (!wk)
		return 0;
	if (interval_at(w->iv, wk, w->t) >= 0) {
		w->cur = wk; /* the path moves to the waker, at the moment it woke us */
		w->jumps_here++;
		return 1;
	}
	/*
	 * A thread's exit wakes its joiner after the exit tracepoint ended its
	 * last interval: the path goes on from that end, the gap being the
	 * joiner's wait.
	 */
	last = &w->iv[wk->first + wk->n - 1];
	if (last->end < w->t && last->end > I->start) {
		if (push(w->out, &w->cap, w->cur->tid, I->state, WK_THREAD, wk->tid, last->end,
			 w->t))
			return -1;
		w->t = last->end;
		w->cur = wk;
		w->jumps_here = 0;
		return 1;
	}
	return 0;
}

/* Blocked from @s to t: the path follows the waker, or, ended by a context
 * or by no one seen, the wait itself is on the path. 0 or -1. */
static int step_blocked(struct walk *w, long i, uint64_t s)
{
	const struct cp_interval *I = &w->iv[i];
	const struct cp_interval *next =
	    (size_t)i + 1 < w->cur->first + w->cur->n ? &w->iv[i + 1] : NULL;
	int moved = follow_waker(w, i, next);

	if (moved)
		return moved < 0 ? -1 : 0;
	if (push(w->out, &w->cap, w->cur->tid, I->state, next ? next->waker_kind : WK_NONE,
		 next ? next->waker : 0, s, w->t))
		return -1;
	w->t = s;
	w->jumps_here = 0;
	return 0;
}

/* Collected backwards: put them in time order. */
static void reverse_segments(struct cp_path *p)
{
	for (size_t a = 0, b = p->n ? p->n - 1 : 0; a < b; a++, b--) {
		struct cp_segment tmp = p->seg[a];

		p->seg[a] = p->seg[b];
		p->seg[b] = tmp;
	}
}

int critpath_compute_from(struct cp_interval *iv, size_t n, uint64_t window_start,
			  uint64_t window_end, uint32_t end_tid, struct cp_path *out)
{
	struct walk w = {.iv = iv, .window_start = window_start, .out = out};
	size_t steps = 0, max_steps = 4 * n + 16;
	struct cp_thread *th;

	memset(out, 0, sizeof(*out));
	if (!n || !(th = group_threads(iv, n, &w.nth)))
		return -1;
	w.th = th;
	w.cur = walk_start(iv, th, w.nth, window_end, end_tid, &w.t);
	out->start_ns = window_start;
	out->end_ns = window_end;
	out->end_tid = w.cur->tid;
	while (w.t > window_start && steps++ < max_steps) {
		long i = interval_at(iv, w.cur, w.t);
		uint64_t s;

		if (i < 0)
			break; /* the thread did not exist yet: nothing recorded before */
		s = iv[i].start > window_start ? iv[i].start : window_start;
		if (blocked(iv[i].state) ? step_blocked(&w, i, s) : step_on_cpu(&w, i, s)) {
			free(th);
			critpath_free(out);
			return -1;
		}
	}
	reverse_segments(out);
	free(th);
	return 0;
}

void critpath_free(struct cp_path *p)
{
	free(p->seg);
	p->seg = NULL;
	p->n = 0;
}

uint64_t critpath_time(const struct cp_path *p, uint32_t tid, int state)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < p->n; i++)
		if (p->seg[i].tid == tid && (state < 0 || p->seg[i].state == state))
			sum += p->seg[i].end - p->seg[i].start;
	return sum;
}
