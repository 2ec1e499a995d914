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

static void reverse(struct cp_path *p)
{
	for (size_t a = 0, b = p->n ? p->n - 1 : 0; a < b; a++, b--) {
		struct cp_segment tmp = p->seg[a];

		p->seg[a] = p->seg[b];
		p->seg[b] = tmp;
	}
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

/* The sorted intervals grouped by thread; NULL when out of memory. */
static struct cp_thread *group_threads(const struct cp_interval *iv, size_t n, size_t *nth)
{
	struct cp_thread *th = calloc(n, sizeof(*th));

	*nth = 0;
	if (!th)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (!*nth || th[*nth - 1].tid != iv[i].tid)
			th[(*nth)++] = (struct cp_thread){iv[i].tid, i, 0};
		th[*nth - 1].n++;
	}
	return th;
}

/*
 * At the end of the wait @I of *@cur (or inside it, where the window ends
 * while the thread still waits: a demo's main joining the thread that
 * recorded the end), the path moves to whoever ended it (@next says who).
 * Returns 1 when it moved to the waker at the same moment (*@cur), 2 when
 * it went on from the waker's exit (*@cur, *@t, the wait pushed), 0 when it
 * stays, -1 when out of memory.
 */
static int follow_waker(const struct cp_interval *iv, const struct cp_thread *th, size_t nth,
			const struct cp_interval *I, const struct cp_interval *next,
			const struct cp_thread **cur, uint64_t *t, struct cp_path *out, size_t *cap)
{
	const struct cp_thread *w;
	uint64_t e;

	if (!((next->waker_kind == WK_THREAD && next->waker != (*cur)->tid) ||
	      (next->waker_kind == WK_SOFTIRQ && next->host && next->host != (*cur)->tid)))
		return 0;
	w = find_thread(th, nth, next->waker_kind == WK_THREAD ? next->waker : next->host);
	if (!w)
		return 0;
	if (interval_at(iv, w, *t) >= 0) {
		*cur = w; /* the path moves to the waker, at the moment it woke us */
		return 1;
	}
	/*
	 * A thread's exit wakes its joiner after the exit tracepoint ended its
	 * last interval: the path goes on from that end, the gap being the
	 * joiner's wait.
	 */
	e = iv[w->first + w->n - 1].end;
	if (e >= *t || e <= I->start)
		return 0;
	if (push(out, cap, (*cur)->tid, I->state, WK_THREAD, w->tid, e, *t))
		return -1;
	*t = e;
	*cur = w;
	return 2;
}

/*
 * A lock wait no traced thread was seen ending (a timed lock's timeout, a
 * wakeup whose waker went unseen, the window's end) whose mutex owner was
 * read at the wait: what held it up was the owner, so the path moves to the
 * owner at the same moment, when it lived then. Returns 1 when it moved.
 */
static int follow_holder(const struct cp_interval *iv, const struct cp_thread *th, size_t nth,
			 const struct cp_interval *I, const struct cp_thread **cur, uint64_t t)
{
	const struct cp_thread *h;

	if (I->state != ST_LOCK || !I->holder || I->holder == (*cur)->tid)
		return 0;
	h = find_thread(th, nth, I->holder);
	if (!h || interval_at(iv, h, t) < 0)
		return 0;
	*cur = h;
	return 1;
}

int critpath_compute_from(struct cp_interval *iv, size_t n, uint64_t window_start,
			  uint64_t window_end, uint32_t end_tid, struct cp_path *out)
{
	struct cp_thread *th;
	const struct cp_thread *cur;
	size_t nth, cap = 0, steps = 0, max_steps = 4 * n + 16;
	unsigned int jumps_here = 0;
	uint64_t t = 0;

	memset(out, 0, sizeof(*out));
	if (!n)
		return -1;
	qsort(iv, n, sizeof(*iv), cmp_interval);
	th = group_threads(iv, n, &nth);
	if (!th)
		return -1;
	cur = walk_start(iv, th, nth, window_end, end_tid, &t);
	out->start_ns = window_start;
	out->end_ns = window_end;
	out->end_tid = cur->tid;

	while (t > window_start && steps++ < max_steps) {
		long i = interval_at(iv, cur, t);
		const struct cp_interval *I, *next;
		uint64_t s;
		int moved;

		if (i < 0)
			break; /* the thread did not exist yet: nothing recorded before */
		I = &iv[i];
		s = I->start > window_start ? I->start : window_start;
		if (!blocked(I->state)) {
			if (push(out, &cap, cur->tid, I->state, WK_NONE, 0, s, t))
				goto fail;
			t = s;
			jumps_here = 0;
			/* A new thread: the path goes on in the thread that created it. */
			if ((size_t)i == cur->first && I->waker_kind == WK_FORK) {
				const struct cp_thread *parent = find_thread(th, nth, I->waker);

				if (parent && parent != cur)
					cur = parent;
			}
			continue;
		}
		next = (size_t)i + 1 < cur->first + cur->n ? &iv[i + 1] : NULL;
		moved = next && t <= I->end && jumps_here < 16
			    ? follow_waker(iv, th, nth, I, next, &cur, &t, out, &cap)
			    : 0;
		if (moved < 0)
			goto fail;
		if (!moved && jumps_here < 16)
			moved = follow_holder(iv, th, nth, I, &cur, t);
		if (moved) {
			/* to the waker at the same moment: count the jumps there */
			jumps_here = moved == 1 ? jumps_here + 1 : 0;
			continue;
		}
		/* Ended by a context, or by no one seen: the wait itself is on the path. */
		if (push(out, &cap, cur->tid, I->state, next ? next->waker_kind : WK_NONE,
			 next ? next->waker : 0, s, t))
			goto fail;
		t = s;
		jumps_here = 0;
	}
	reverse(out); /* collected backwards: put them in time order */
	free(th);
	return 0;
fail:
	free(th);
	critpath_free(out);
	return -1;
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
