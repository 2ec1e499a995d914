// SPDX-License-Identifier: GPL-2.0
/* Why 04_backpressure looks the way it does. A variant is bounded when its
 * queue has a capacity (demo.json queue.capacity > 0). Claims and thresholds
 * (docs/explainers.md):
 *   unbounded
 *   - the producer never blocks: no put waited (queue.put_waits = 0) and the
 *     producer spent < 1% of its life in futex waits;
 *   - the backlog grows at ≈ produce − consume rate: the slope of the
 *     backlog samples within ±30% of 1000/produce_ms − 1000/consume_ms;
 *   - memory grows with it: RSS growth ≥ half the payload per queued item
 *     (page faults cited when perf stat ran);
 *   - latency grows: with the backlog claim made, max latency ≥ 1.5 × p50;
 *   bounded
 *   - the producer is held back: ≥ 30% of its life in futex waits (the
 *     queue's not_full condition cited when demo.json names it);
 *   - the backlog stays at capacity: max backlog ≥ 95% of capacity;
 *   - latency stays bounded: max ≤ 1.25 × capacity × time per item (measured:
 *     duration / consumed, else the nominal consume time);
 *   both
 *   - memory: unbounded RSS growth ≥ 1.5 × bounded (page faults cited). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "explain.h"
#include "figures.h"
#include "charts.h"
#include "palette.h"
#include "report.h"
#include "wakes.h"
#include "demo_module.h"

#define NEVER_BLOCKS 0.01
#define SLOPE_TOLERANCE 0.30
#define RSS_PER_ITEM 0.5
#define LATENCY_GROWS 1.5
#define HELD_BACK 0.30
#define AT_CAPACITY 0.95
#define LATENCY_BOUND 1.25
#define MEMORY_RATIO 1.5

/* The backlog left waiting at the end (demo.json "backlog", counted after
 * the last sample): the one figure the verdict, the Why, the lesson chart's
 * caption and the Key result give for an unbounded queue. */
static double backlog_left(const struct run *r)
{
	return demo_num(r, "backlog", 0);
}

/* Least-squares slope of backlog over time (items/s) from demo.json samples,
 * or the final backlog over the duration when there are no samples. */
static double backlog_slope(const struct run *r, double *first, double *last, double *span_s)
{
	const json_t *samples = r->demo ? json_object_get(r->demo->root, "samples") : NULL;
	double n = 0, st = 0, sb = 0, stt = 0, stb = 0;
	size_t i;

	*first = 0;
	*last = backlog_left(r);
	*span_s = demo_param(r->demo, "duration_s", r->m[M_WALL_S]);
	for (i = 0; json_is_array(samples) && i < json_array_size(samples); i++) {
		const json_t *e = json_array_get(samples, i);
		const json_t *t = json_object_get(e, "t_ns"), *b = json_object_get(e, "backlog");
		double x, y;

		if (!json_is_number(t) || !json_is_number(b))
			continue;
		x = json_number_value(t) / 1e9;
		y = json_number_value(b);
		if (n == 0)
			*first = y;
		*last = y;
		*span_s = x;
		n++;
		st += x;
		sb += y;
		stt += x * x;
		stb += x * y;
	}
	if (n >= 2 && n * stt - st * st > 0)
		return (n * stb - st * sb) / (n * stt - st * st);
	return *span_s > 0 ? *last / *span_s : 0;
}

static double page_faults(const struct run *r)
{
	const struct perf_counter *c = perf_stat_find(&r->pstat, "page-faults");

	return r->pstat.present && c && c->counted ? c->value : -1;
}

static const struct sched_thread *thread_named(const struct run *r, const char *comm)
{
	size_t i;

	for (i = 0; i < r->sched.nthreads; i++)
		if (!strcmp(r->sched.threads[i].comm, comm))
			return &r->sched.threads[i];
	return NULL;
}

static double lock_share(const struct sched_thread *t)
{
	return t && t->lifetime_ns ? (double)t->state_ns[ST_LOCK] / (double)t->lifetime_ns : 0;
}

/* What this run showed growing without a bound, by the why's own tests:
 * the backlog at about the rate difference, memory with the backlog, the
 * waiting time with both. The why says each; the verdict names only
 * these. */
enum { GREW_BACKLOG = 1, GREW_MEMORY = 2, GREW_LATENCY = 4 };

static unsigned grew_of(const struct run *r, double *slope_out)
{
	double produce_ms = demo_param(r->demo, "produce_ms", 0);
	double consume_ms = demo_param(r->demo, "consume_ms", 0);
	double first, last, span, slope = backlog_slope(r, &first, &last, &span), expect = 0;
	double growth = fig_rss_of(r).growth_kib, payload = demo_param(r->demo, "payload_bytes", 0);
	double backlog = backlog_left(r);
	double p50 = demo_num(r, "latency.p50_ns", -1), max = demo_num(r, "latency.max_ns", -1);
	unsigned m = 0;

	if (slope_out)
		*slope_out = slope;
	if (produce_ms > 0 && consume_ms > 0)
		expect = 1000 / produce_ms - 1000 / consume_ms;
	if (expect > 0 && slope > 0 && fabs(slope - expect) <= SLOPE_TOLERANCE * expect)
		m |= GREW_BACKLOG;
	if (growth > 0 && backlog > 0 && payload > 0 &&
	    growth * 1024 >= RSS_PER_ITEM * backlog * payload)
		m |= GREW_MEMORY;
	if ((m & GREW_BACKLOG) && p50 > 0 && max >= LATENCY_GROWS * p50)
		m |= GREW_LATENCY;
	return m;
}

static void unbounded(const struct variant *v, struct sentences *out)
{
	const struct run *r = v->rep;
	const struct sched_thread *prod = thread_named(r, "producer");
	double put_waits = demo_num(r, "queue.put_waits", -1);
	double produce_ms = demo_param(r->demo, "produce_ms", 0);
	double consume_ms = demo_param(r->demo, "consume_ms", 0);
	double first, last, span, slope;
	unsigned grew = grew_of(r, &slope);
	struct fig_rss rss = fig_rss_of(r);
	double growth = rss.growth_kib, payload = demo_param(r->demo, "payload_bytes", 0);
	double backlog = backlog_left(r), faults = page_faults(r);
	double p50 = demo_num(r, "latency.p50_ns", -1), max = demo_num(r, "latency.max_ns", -1);
	char d1[32], d2[32], d3[32], pf[64] = "";

	backlog_slope(r, &first, &last, &span);
	if (prod && put_waits == 0 && lock_share(prod) < NEVER_BLOCKS)
		sentences_add(out,
			      "%s: the producer never waited for room in the queue: no put had to "
			      "wait, and it spent %.2f%% of its time blocked on a lock.",
			      v->name, 100 * lock_share(prod));
	if (grew & GREW_BACKLOG)
		sentences_add(
		    out,
		    "%s: the backlog grew by %.0f items a second over %.1f s, to %.0f left "
		    "waiting at the end, about what the producer adds beyond what the "
		    "consumer takes: %.0f a "
		    "second produced (one every %.3g ms) − %.0f consumed (one every %.3g ms) "
		    "= %.0f a second.",
		    v->name, slope, span, backlog_left(r), 1000 / produce_ms, produce_ms,
		    1000 / consume_ms, consume_ms, 1000 / produce_ms - 1000 / consume_ms);
	if (faults >= 0)
		snprintf(pf, sizeof(pf), "; the kernel counted %.0f page faults", faults);
	if (grew & GREW_MEMORY)
		sentences_add(
		    out,
		    "%s: memory grew with it: +%.1f MiB (%.1f → %.1f MiB), %.1f KiB for each "
		    "queued item, which carries %.0f bytes%s.",
		    v->name, growth / 1024, rss.start_kib / 1024, rss.end_kib / 1024,
		    growth / backlog, payload, pf);
	if (grew & GREW_LATENCY) {
		double oldest = demo_num(r, "oldest_age_ns", 0);
		char age[96] = "";

		/* CPython's variant does not time its queue's oldest item */
		if (oldest > 0)
			snprintf(age, sizeof(age), "; the oldest item still queued had waited %s",
				 fmt_ns(d3, sizeof(d3), oldest));
		sentences_add(out,
			      "%s: waiting time grew with the backlog: half the items waited %s or "
			      "less, the longest %s%s, and that grows as long as the run lasts.",
			      v->name, fmt_ns(d1, sizeof(d1), p50), fmt_ns(d2, sizeof(d2), max),
			      age);
	}
}

/* The longest an item can wait in a full bounded queue (ns): the capacity
 * ahead of it consumed at the consumer's measured pace when demo.json says
 * how many it consumed (a loaded host slows it), else at its nominal
 * consume time. *@measured says which; 0 when unknown. */
static double drain_ns(const struct run *r, double capacity, bool *measured)
{
	double consume_ms = demo_param(r->demo, "consume_ms", 0);
	double duration_s = demo_param(r->demo, "duration_s", 0);
	double consumed = demo_num(r, "consumed", -1);

	*measured = consumed > 0 && duration_s > 0;
	return capacity * (*measured ? 1e3 * duration_s / consumed : consume_ms) * 1e6;
}

/* Whether the run was long enough for the latencies to part: the unbounded
 * queue's longest wait past what a full bounded queue takes to drain. */
static bool latencies_apart(const struct variant *u, const struct variant *b, double capacity)
{
	bool measured;
	double drain = drain_ns(b->rep, capacity, &measured);

	return drain > 0 && demo_num(u->rep, "latency.max_ns", -1) >= drain;
}

/* @u: the unbounded variant beside it, or NULL. */
static void bounded(const struct variant *v, const struct variant *u, double capacity,
		    struct sentences *out)
{
	const struct run *r = v->rep;
	const struct sched_thread *prod = thread_named(r, "producer");
	struct futex_by_name nf = futex_named(r, "not_full");
	bool measured;
	double drain = drain_ns(r, capacity, &measured);
	double max_backlog = demo_num(r, "max_backlog", -1),
	       max = demo_num(r, "latency.max_ns", -1);
	char d1[32], d2[32], d3[32], named[160] = "";

	/* The not_full waits' call time includes waking up; their part of the
	 * blocked time is the same share of it (figures.h): never more than the
	 * whole. */
	if (nf.count && prod) {
		struct syscall_sum pf = syscall_sum_of(r, "producer", "futex");
		double part =
		    fig_part_of_blocked((double)prod->state_ns[ST_LOCK], (double)nf.ns,
					(double)(pf.total_ns > nf.ns ? pf.total_ns : nf.ns));

		snprintf(named, sizeof(named),
			 ", %s of it waiting for room in the full queue (%llu waits)",
			 fmt_ns(d2, sizeof(d2), part), (unsigned long long)nf.count);
	}
	if (prod && lock_share(prod) >= HELD_BACK)
		sentences_add(
		    out,
		    "%s: the producer spent %.0f%% of its time (%s) blocked%s. That is "
		    "backpressure: a full queue makes the producer wait for the consumer.",
		    v->name, 100 * lock_share(prod),
		    fmt_ns(d1, sizeof(d1), (double)prod->state_ns[ST_LOCK]), named);
	if (max_backlog >= AT_CAPACITY * capacity)
		sentences_add(
		    out,
		    "%s: the backlog stopped at the queue's capacity: at most %.0f items of %.0f.",
		    v->name, max_backlog, capacity);
	/* An item waits for the capacity ahead of it to be consumed; bounded
	 * means something only where the unbounded queue waited longer. */
	/* "within" only when it was: past the drain time the ratio is said
	 * (issue 18's reading: "the longest 3.03 s, within ... 2.48 s") */
	if (drain > 0 && max > 0 && max <= LATENCY_BOUND * drain &&
	    (!u || latencies_apart(u, v, capacity))) {
		char rel[32], thr[48] = "";

		snprintf(rel, sizeof(rel), "within");
		if (max > drain) {
			snprintf(rel, sizeof(rel), "%.2f×", max / drain);
			snprintf(thr, sizeof(thr), "; threshold: ≤ %.2f×", LATENCY_BOUND);
		}
		sentences_add(out,
			      "%s: waiting time stayed bounded: the longest %s, %s what a full "
			      "queue takes to drain at %s (%.0f items × %.3g ms = %s%s).",
			      v->name, fmt_ns(d1, sizeof(d1), max), rel,
			      measured ? "the consumer's measured pace"
				       : "the nominal consume time",
			      capacity, drain / capacity / 1e6, fmt_ns(d3, sizeof(d3), drain), thr);
	}
}

/* @v's counterpart of the other kind in its own family: "bounded" for
 * "unbounded", "py-bounded" for "py-unbounded" and back; else the first
 * variant of that kind; NULL when none. */
static const struct variant *partner_of(const struct run_set *rs, const struct variant *v,
					bool want_bounded)
{
	const struct variant *first = NULL;
	bool py = !strncmp(v->name, "py-", 3);

	for (size_t i = 0; i < rs->nvariants; i++) {
		const struct variant *o = &rs->variants[i];
		double cap = fig_capacity(o->rep);

		if (!o->rep->demo || cap < 0 || (cap > 0) != want_bounded)
			continue;
		if (!strncmp(o->name, "py-", 3) == py)
			return o;
		first = first ? first : o;
	}
	return first;
}

static void compare(const struct variant *u, const struct variant *b, struct sentences *out)
{
	double gu = fig_rss_of(u->rep).growth_kib, gb = fig_rss_of(b->rep).growth_kib;
	double fu = page_faults(u->rep), fb = page_faults(b->rep);
	char pf[128] = "";

	if (gu <= 0 || gb < 0 || gu < MEMORY_RATIO * gb)
		return;
	if (fu >= 0 && fb >= 0)
		snprintf(pf, sizeof(pf), "; page faults %.0f against %.0f", fu, fb);
	sentences_add(out, "Memory grew %.1f MiB in %s against %.1f MiB in %s, %.1f× more%s.",
		      gu / 1024, u->name, gb / 1024, b->name, gb > 0 ? gu / gb : INFINITY, pf);
}

/* A run shorter than a full queue's drain time cannot show the latencies
 * apart: the unbounded queue's oldest items have not yet waited longer than
 * the bounded one's can. Said in the verdict, so a student does not read
 * equal latencies as the bound doing nothing. */
static void too_short(const struct variant *u, const struct variant *b, double capacity,
		      struct sentences *out)
{
	double mu = demo_num(u->rep, "latency.max_ns", -1),
	       mb = demo_num(b->rep, "latency.max_ns", -1);
	bool measured;
	double drain = drain_ns(b->rep, capacity, &measured);
	char d1[32], d2[32], d3[32];

	double gu = fig_rss_of(u->rep).growth_kib, gb = fig_rss_of(b->rep).growth_kib;
	bool backlog =
		 demo_num(u->rep, "max_backlog", 0) > 1.5 * demo_num(b->rep, "max_backlog", 0),
	     memory = gu > 0 && gb >= 0 && gu >= MEMORY_RATIO * gb;
	char differ[160] = " The latencies part only in a longer run.";

	if (drain <= 0 || mu <= 0 || mb <= 0 || latencies_apart(u, b, capacity))
		return;
	if (backlog || memory)
		snprintf(differ, sizeof(differ),
			 " The %s above already differ%s; the latencies part only in a longer run.",
			 backlog && memory ? "backlog and memory"
			 : backlog	   ? "backlogs"
					   : "memory",
			 backlog ? "" : "s");
	sentences_add(out,
		      "This run was too short for the latencies to differ: %s's longest wait "
		      "(%s) had not yet passed the %s a full queue of %s takes to drain (%s's "
		      "longest: %s).%s",
		      u->name, fmt_ns(d1, sizeof(d1), mu), fmt_ns(d2, sizeof(d2), drain), b->name,
		      b->name, fmt_ns(d3, sizeof(d3), mb), differ);
}

static void explain(const struct run_set *rs, struct sentences *out)
{
	size_t i;

	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];
		double cap = fig_capacity(v->rep);

		if (cap == 0) {
			unbounded(v, out);
		} else if (cap > 0) {
			const struct variant *u = partner_of(rs, v, false);

			bounded(v, u, cap, out);
			if (u)
				compare(u, v, out);
		}
	}
}

/* "the backlog, memory and the waiting time": what @grew names; returns
 * how many. */
static size_t grew_words(unsigned grew, char *buf, size_t len)
{
	const char *w[3];
	size_t n = 0, used = 0;

	if (grew & GREW_BACKLOG)
		w[n++] = "the backlog";
	if (grew & GREW_MEMORY)
		w[n++] = "memory";
	if (grew & GREW_LATENCY)
		w[n++] = "the waiting time";
	buf[0] = '\0';
	for (size_t k = 0; k < n; k++) {
		int c = snprintf(buf + used, len - used, "%s%s",
				 k ? (k + 1 == n ? " and " : ", ") : "", w[k]);

		used += c > 0 && (size_t)c < len - used ? (size_t)c : 0;
	}
	return n;
}

/* The verdict: without a bound the backlog, memory and latency grow for
 * as long as the producer outruns the consumer; with one, the full queue
 * makes the producer wait and all three stay bounded. Each line says only
 * what this run showed growing (grew_of, the why's tests), and never the
 * waiting time when the run was too short for the latencies to part.
 * Doubts: an unbounded backlog that did not outgrow the bounded one. */
static void verdict(const struct run_set *rs, struct verdicts *out)
{
	const struct variant *u = NULL, *b = NULL;
	size_t i;
	char a[32], words[96];

	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];
		const struct run *r = v->rep;
		double cap = fig_capacity(r), growth = fig_rss_of(r).growth_kib / 1024;
		double lat = demo_num(r, "latency.max_ns", 0);

		if (cap == 0) {
			const struct variant *pb = partner_of(rs, v, true);
			unsigned grew = grew_of(r, NULL);
			size_t nw;

			u = u ? u : v;
			if (pb && !latencies_apart(v, pb, fig_capacity(pb->rep)))
				grew &= ~(unsigned)GREW_LATENCY;
			nw = grew_words(grew, words, sizeof(words));
			sentences_add(
			    &out->lines,
			    "%s: nothing stopped the producer: %.0f items were left "
			    "waiting, memory grew %.1f MiB and an item waited up to %s.%s%s%s",
			    v->name, backlog_left(r), growth, fig_dur(a, sizeof(a), lat),
			    nw ? " Without a bound, " : "", words,
			    !nw	      ? ""
			    : nw == 1 ? " keeps growing as long as the producer outruns the "
					"consumer."
				      : " keep growing as long as the producer outruns the "
					"consumer.");
			if (pb)
				too_short(v, pb, fig_capacity(pb->rep), &out->lines);
		} else if (cap > 0) {
			b = b ? b : v;
			sentences_add(
			    &out->lines,
			    "%s: the full queue made the producer wait (backpressure): at "
			    "most %.0f items of %.0f waited, memory grew %.1f MiB and an "
			    "item waited at most %s.",
			    v->name, demo_num(r, "max_backlog", 0), cap, growth,
			    fig_dur(a, sizeof(a), lat));
		}
	}
	if (u && b &&
	    demo_num(u->rep, "max_backlog", 0) <= 1.5 * demo_num(b->rep, "max_backlog", 0))
		sentences_add(&out->doubts,
			      "This run does not show the lesson: the unbounded backlog (%.0f) "
			      "did not outgrow the bounded one (%.0f).",
			      demo_num(u->rep, "max_backlog", 0),
			      demo_num(b->rep, "max_backlog", 0));
}

/* The Key result: each unbounded queue against its family's bounded one,
 * in the verdict's figures (its backlog left waiting against the bound's
 * most, fig_rss_of's memory growth). */
static void key_result(const struct run_set *rs, struct sbuf *out)
{
	for (size_t i = 0; i < rs->nvariants; i++) {
		const struct variant *u = &rs->variants[i], *b;

		if (!u->rep->demo || fig_capacity(u->rep) != 0 || !(b = partner_of(rs, u, true)))
			continue;
		sb_printf(
		    out,
		    "%s%s vs %s: backlog %.0f vs at most %.0f items, memory %+.1f vs %+.1f MiB",
		    out->len ? "; " : "", u->name, b->name, backlog_left(u->rep),
		    demo_num(b->rep, "max_backlog", 0), fig_rss_of(u->rep).growth_kib / 1024,
		    fig_rss_of(b->rep).growth_kib / 1024);
	}
}

/* ---- the lesson chart ---------------------------------------------------- */

/* 04's lesson: the queue's backlog and the process's memory over time, the
 * unbounded queue against the bounded one (demo.json samples). */
#define SAMPLES_MAX 4096

static void lesson(struct report *rp)
{
	const struct run_set *rs = rp->rs;
	struct xy_series s[16];
	double *buf[16] = {0};
	struct sbuf cap = SBUF_INIT;
	char title[2][96];
	size_t i, n = 0, k = 0;

	sb_add(&cap, "Solid lines: items waiting in the queue (left axis); dashed: the process's "
		     "memory, RSS (right axis), same color per variant.");
	for (i = 0; i < rs->nvariants && n + 2 <= 16; i++) {
		const struct variant *v = &rs->variants[i];
		double cap_items = fig_capacity(v->rep), *t, *b, *t2, *m;
		size_t nb, nm, j;

		t = buf[k++] = calloc(SAMPLES_MAX, sizeof(double));
		b = buf[k++] = calloc(SAMPLES_MAX, sizeof(double));
		t2 = buf[k++] = calloc(SAMPLES_MAX, sizeof(double));
		m = buf[k++] = calloc(SAMPLES_MAX, sizeof(double));
		if (!t || !b || !t2 || !m)
			abort();
		nb = fig_samples(v->rep, "backlog", t, b, SAMPLES_MAX);
		nm = fig_samples(v->rep, "rss_kib", t2, m, SAMPLES_MAX);
		for (j = 0; j < nm; j++)
			m[j] /= 1024;
		if (!nb)
			continue;
		snprintf(title[0], sizeof(title[0]), "%s backlog", v->name);
		s[n++] = (struct xy_series){.title = xasprintf("%s backlog", v->name),
					    .color = series_color(i),
					    .style = XY_LINES,
					    .n = nb,
					    .x = t,
					    .y = b};
		if (nm)
			s[n++] = (struct xy_series){.title = xasprintf("%s memory", v->name),
						    .color = series_color(i),
						    .style = XY_DASHED,
						    .right = true,
						    .n = nm,
						    .x = t2,
						    .y = m};
		if (cap_items > 0)
			sb_printf(
			    &cap,
			    " %s: a queue of %.0f, its backlog at most %.0f, memory %+.1f MiB.",
			    v->name, cap_items, demo_num(v->rep, "max_backlog", b[nb - 1]),
			    fig_rss_of(v->rep).growth_kib / 1024);
		else if (cap_items == 0)
			sb_printf(&cap,
				  " %s: no limit, %.0f items left waiting at the end, memory "
				  "%+.1f MiB.",
				  v->name, backlog_left(v->rep),
				  fig_rss_of(v->rep).growth_kib / 1024);
	}
	(void)title;
	if (n) {
		struct xy_chart c = {.title = "Backlog and memory over time",
				     .xlabel = "seconds since the producer started",
				     .ylabel = "items waiting in the queue",
				     .y2label = "memory (RSS), MiB",
				     .nseries = n,
				     .series = s};

		report_xy_chart(rp, &c, "lesson", sb_str(&cap));
	}
	for (i = 0; i < n; i++)
		free((char *)s[i].title);
	for (i = 0; i < k; i++)
		free(buf[i]);
	sb_free(&cap);
}

/* Of the producer's waits for a free slot, the share the consumer ended
 * for "the consumer sets the pace". */
#define PACE_SHARE 0.80

/* ---- the causes ------------------------------------------------------------ */

/* 04: the producer held back by a full queue, released by the consumer. */
static void paced(const struct run *r, struct sentences *out)
{
	struct wake_filter all = {"producer", ST_LOCK, -1, NULL, 0, "not_full", false};
	struct wake_filter cons = {"producer", ST_LOCK,	   WK_THREAD, "consumer",
				   0,	       "not_full", false};
	struct wake_tally a = wake_tally_of(r, &all), c = wake_tally_of(r, &cons);
	double path = crit_share_of(r, "consumer", -1),
	       prod = crit_share_of(r, "producer", ST_LOCK);
	double timed = crit_share_of(r, "sampler", ST_SLEEP) + crit_share_of(r, "main", ST_SLEEP);

	if (a.count >= CAUSE_MIN_WAITS && (double)c.count >= PACE_SHARE * (double)a.count)
		sentences_add(out,
			      "%s: the producer was woken by the consumer %llu times, each time a "
			      "slot freed: the consumer sets the pace.",
			      r->variant, (unsigned long long)c.count);
	if (path < CAUSE_PATH_SHARE && timed >= CAUSE_PATH_SHARE)
		sentences_add(
		    out,
		    "%s: the run lasts a fixed time: %.0f%% of the critical path is a "
		    "sleep until the demo's deadline (main or the sampler), so neither "
		    "the producer nor the consumer sets the wall; the producer's waits for "
		    "a free slot are %s the path.",
		    r->variant, 100 * timed, prod < 0.05 ? "off" : "on");
	if (path >= CAUSE_PATH_SHARE)
		sentences_add(
		    out,
		    "%s: %.0f%% of the critical path is the consumer (its %.0f%% sleeping "
		    "is its work per item, which the demo simulates with a sleep); the "
		    "producer's waits for a free slot are %s the path.",
		    r->variant, 100 * path, 100 * crit_share_of(r, "consumer", ST_SLEEP),
		    prod < 0.05 ? "off" : "on");
}

/* What to see in each variant's timeline (the first row that matches). */
static const struct timeline_caption captions[] = {
    {"unbounded",
     "the producer never waits for room: it runs and sleeps between items while the queue "
     "grows"},
    {"py-unbounded",
     "the producer never waits for room: it runs and sleeps between items while the queue "
     "grows"},
    {"bounded",
     "the producer waits for room (lock, vermillion) whenever the queue is full: that is "
     "backpressure"},
    {"py-bounded",
     "the producer waits for room (lock, vermillion) whenever the queue is full: that is "
     "backpressure"},
    {NULL, NULL},
};

const struct demo_module demo_04_backpressure = {
    .demo = "04_backpressure",
    .explainer = {"04_backpressure", explain, verdict, false},
    .causes = paced,
    .lesson = lesson,
    .key_result = key_result,
    .featured = "unbounded,bounded,",
    .captions = captions,
};
