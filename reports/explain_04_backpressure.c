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

#include "explain.h"

#define NEVER_BLOCKS 0.01
#define SLOPE_TOLERANCE 0.30
#define RSS_PER_ITEM 0.5
#define LATENCY_GROWS 1.5
#define HELD_BACK 0.30
#define AT_CAPACITY 0.95
#define LATENCY_BOUND 1.25
#define MEMORY_RATIO 1.5

/* Least-squares slope of backlog over time (items/s) from demo.json samples,
 * or the final backlog over the duration when there are no samples. */
static double backlog_slope(const struct run *r, double *first, double *last, double *span_s)
{
	const json_t *samples = r->demo ? json_object_get(r->demo->root, "samples") : NULL;
	double n = 0, st = 0, sb = 0, stt = 0, stb = 0;
	size_t i;

	*first = 0;
	*last = demo_num(r, "backlog", 0);
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

static void unbounded(const struct variant *v, struct sentences *out)
{
	const struct run *r = v->rep;
	const struct sched_thread *prod = thread_named(r, "producer");
	double put_waits = demo_num(r, "queue.put_waits", -1);
	double produce_ms = demo_param(r->demo, "produce_ms", 0);
	double consume_ms = demo_param(r->demo, "consume_ms", 0);
	double first, last, span, slope = backlog_slope(r, &first, &last, &span), expect = 0;
	double growth = demo_num(r, "rss.growth_kib", -1),
	       payload = demo_param(r->demo, "payload_bytes", 0);
	double backlog = demo_num(r, "backlog", 0), faults = page_faults(r);
	double p50 = demo_num(r, "latency.p50_ns", -1), max = demo_num(r, "latency.max_ns", -1);
	bool grows = false;
	char d1[32], d2[32], d3[32], pf[64] = "";

	if (prod && put_waits == 0 && lock_share(prod) < NEVER_BLOCKS)
		sentences_add(out,
			      "%s: the producer never waited for room: %.0f puts waited (demo.json "
			      "queue.put_waits) and it spent %.2f%% of its life in futex waits "
			      "(threshold: < %.0f%%).",
			      v->name, put_waits, 100 * lock_share(prod), 100 * NEVER_BLOCKS);
	if (produce_ms > 0 && consume_ms > 0)
		expect = 1000 / produce_ms - 1000 / consume_ms;
	if (expect > 0 && slope > 0 && fabs(slope - expect) <= SLOPE_TOLERANCE * expect) {
		grows = true;
		sentences_add(
		    out,
		    "%s: the backlog grew at %.0f items/s (%.0f → %.0f over %.1f s of "
		    "samples), close to produce − consume = 1000/%.3g ms − 1000/%.3g ms = "
		    "%.0f/s (threshold: within ±%.0f%%).",
		    v->name, slope, first, last, span, produce_ms, consume_ms, expect,
		    100 * SLOPE_TOLERANCE);
	}
	if (faults >= 0)
		snprintf(pf, sizeof(pf), "; perf stat counted %.0f page faults", faults);
	if (growth > 0 && backlog > 0 && payload > 0 &&
	    growth * 1024 >= RSS_PER_ITEM * backlog * payload)
		sentences_add(
		    out,
		    "%s: memory grew with it: RSS +%.1f MiB (%.1f → %.1f MiB), %.1f KiB per "
		    "item left in the queue against a %.0f-byte payload (threshold: ≥ %.0f%% "
		    "of the payload per item)%s.",
		    v->name, growth / 1024, demo_num(r, "rss.start_kib", 0) / 1024,
		    demo_num(r, "rss.end_kib", 0) / 1024, growth / backlog, payload,
		    100 * RSS_PER_ITEM, pf);
	if (grows && p50 > 0 && max >= LATENCY_GROWS * p50)
		sentences_add(out,
			      "%s: latency grew with the backlog: p50 %s, max %s (threshold: max ≥ "
			      "%.1f × p50); the oldest item left had waited %s, so it grows for as "
			      "long as the run lasts.",
			      v->name, fmt_ns(d1, sizeof(d1), p50), fmt_ns(d2, sizeof(d2), max),
			      LATENCY_GROWS,
			      fmt_ns(d3, sizeof(d3), demo_num(r, "oldest_age_ns", 0)));
}

static void bounded(const struct variant *v, double capacity, struct sentences *out)
{
	const struct run *r = v->rep;
	const struct sched_thread *prod = thread_named(r, "producer");
	struct futex_by_name nf = futex_named(r, "not_full");
	double consume_ms = demo_param(r->demo, "consume_ms", 0), item_ms;
	double duration_s = demo_param(r->demo, "duration_s", 0);
	double consumed = demo_num(r, "consumed", -1);
	double max_backlog = demo_num(r, "max_backlog", -1),
	       max = demo_num(r, "latency.max_ns", -1);
	char d1[32], d2[32], d3[32], named[160] = "";

	if (nf.count)
		snprintf(named, sizeof(named),
			 ": %llu of them on the queue's not_full condition, %s",
			 (unsigned long long)nf.count, fmt_ns(d2, sizeof(d2), (double)nf.ns));
	if (prod && lock_share(prod) >= HELD_BACK)
		sentences_add(
		    out,
		    "%s: the producer spent %.0f%% of its life (%s) blocked in futex waits "
		    "(threshold: ≥ %.0f%%)%s. That is the backpressure: a full queue makes "
		    "the producer wait for the consumer.",
		    v->name, 100 * lock_share(prod),
		    fmt_ns(d1, sizeof(d1), (double)prod->state_ns[ST_LOCK]), 100 * HELD_BACK,
		    named);
	if (max_backlog >= AT_CAPACITY * capacity)
		sentences_add(
		    out,
		    "%s: the backlog stopped at the capacity: at most %.0f items queued of "
		    "%.0f (threshold: ≥ %.0f%% of capacity).",
		    v->name, max_backlog, capacity, 100 * AT_CAPACITY);
	/* An item waits for the capacity ahead of it to be consumed: at the
	 * consumer's measured pace when demo.json says how many it consumed (a
	 * loaded host slows it), else at its nominal consume time. */
	item_ms = consumed > 0 && duration_s > 0 ? 1e3 * duration_s / consumed : consume_ms;
	if (item_ms > 0 && max > 0 && max <= LATENCY_BOUND * capacity * item_ms * 1e6)
		sentences_add(out,
			      "%s: latency stayed bounded: max %s against capacity × %s = %.0f × "
			      "%.3g ms = %s (threshold: ≤ %.2f× that).",
			      v->name, fmt_ns(d1, sizeof(d1), max),
			      consumed > 0 && duration_s > 0
				  ? "the consumer's measured time per item"
				  : "consume time",
			      capacity, item_ms, fmt_ns(d3, sizeof(d3), capacity * item_ms * 1e6),
			      LATENCY_BOUND);
}

static void compare(const struct variant *u, const struct variant *b, struct sentences *out)
{
	double gu = demo_num(u->rep, "rss.growth_kib", -1),
	       gb = demo_num(b->rep, "rss.growth_kib", -1);
	double fu = page_faults(u->rep), fb = page_faults(b->rep);
	char pf[128] = "";

	if (gu <= 0 || gb < 0 || gu < MEMORY_RATIO * gb)
		return;
	if (fu >= 0 && fb >= 0)
		snprintf(pf, sizeof(pf), "; page faults %.0f against %.0f (perf stat)", fu, fb);
	sentences_add(out,
		      "Memory: RSS grew %.1f MiB in %s against %.1f MiB in %s, %.1f× more "
		      "(threshold: ≥ %.1f×)%s.",
		      gu / 1024, u->name, gb / 1024, b->name, gb > 0 ? gu / gb : INFINITY,
		      MEMORY_RATIO, pf);
}

static void explain(const struct run_set *rs, struct sentences *out)
{
	const struct variant *u = NULL, *b = NULL;
	size_t i;

	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];
		double cap = demo_num(v->rep, "queue.capacity", -1);

		if (cap < 0)
			cap = demo_param(v->rep->demo, "capacity", -1);
		if (cap == 0) {
			unbounded(v, out);
			u = u ? u : v;
		} else if (cap > 0) {
			bounded(v, cap, out);
			b = b ? b : v;
		}
	}
	if (u && b)
		compare(u, b, out);
}

const struct explainer explain_04_backpressure = {"04_backpressure", explain, NULL};
