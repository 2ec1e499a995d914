// SPDX-License-Identifier: GPL-2.0
/* 04_backpressure's questions (docs/predict.md): the backlog and the memory
 * an unbounded queue holds at the end, and the most a bounded one holds.
 * The model: flow in minus flow out (a queue grows at the producer's rate
 * less the consumer's), each item holding its payload; a bound caps it. */
#include <math.h>
#include <stdio.h>

#include "figures.h"
#include "predict.h"
#include "sums.h"

#define UNB "unbounded"
#define BND "bounded"

static const struct quiz_size sizes[] = {
    {"duration", 5, 1, 5, 5, 1, 1, 1, 1, 0, NULL, false},
    {"produce-ms", 1, 1, 1, 2, 1, 1, 2, 1, 0, NULL, false},
    {"consume-ms", 5, 5, 4, 8, 1, 4, 8, 1, 0, NULL, false},
    {"capacity", 200, 200, 100, 300, 50, 50, 150, 25, 0, NULL, false},
};

/* Items the queue gains over the run: duration × (in − out), at least 0. */
static double growth_items(const struct run_set *rs, const char *variant, struct sbuf *rule)
{
	double d = quiz_param(rs, variant, "duration_s", -1);
	double p = quiz_param(rs, variant, "produce_ms", -1);
	double c = quiz_param(rs, variant, "consume_ms", -1);
	double in, out;

	if (d <= 0 || p <= 0 || c < 0)
		return -1;
	in = 1000 / p;
	out = c > 0 ? 1000 / c : INFINITY;
	if (rule)
		sb_printf(rule,
			  "flow in minus flow out: %.0f items/s produced (one per %.0f ms) less "
			  "%.0f taken (one per %.0f ms), for %.0f s: %.0f × (%.0f − %.0f)",
			  in, p, out, c, d, d, in, out);
	return in > out ? d * (in - out) : 0;
}

static double unb_backlog_model(const struct run_set *rs, struct sbuf *rule)
{
	return growth_items(rs, UNB, rule);
}

static double unb_memory_model(const struct run_set *rs, struct sbuf *rule)
{
	double items = growth_items(rs, UNB, NULL);
	double payload = quiz_param(rs, UNB, "payload_bytes", -1);

	if (items < 0 || payload < 0)
		return -1;
	sb_printf(rule, "the backlog's %.0f items × %.0f bytes each, in MiB", items, payload);
	return items * payload / (1024.0 * 1024.0);
}

static double bnd_model(const struct run_set *rs, struct sbuf *rule)
{
	double items = growth_items(rs, BND, NULL);
	double cap = quiz_param(rs, BND, "capacity", -1);

	if (items < 0 || cap <= 0)
		return -1;
	sb_printf(rule,
		  "the bound: the queue would gain %.0f items, and holds at most its capacity, "
		  "min(%.0f, %.0f)",
		  items, items, cap);
	return fmin(items, cap);
}

static double unb_backlog(const struct run_set *rs)
{
	const struct run *r = quiz_run(rs, UNB);

	return r ? demo_num(r, "backlog", -1) : -1;
}

static double unb_memory(const struct run_set *rs)
{
	const struct run *r = quiz_run(rs, UNB);
	double g = r ? fig_rss_of(r).growth_kib : -1;

	return g >= 0 ? g / 1024 : -1;
}

static double bnd_max(const struct run_set *rs)
{
	const struct run *r = quiz_run(rs, BND);

	return r ? demo_num(r, "max_backlog", -1) : -1;
}

static void unb_backlog_gap(const struct run_set *rs, double model, double measured,
			    struct sbuf *out)
{
	const struct run *r = quiz_run(rs, UNB);
	double produced = demo_num(r, "produced", 0), consumed = demo_num(r, "consumed", 0);
	double d = quiz_param(rs, UNB, "duration_s", 0);
	double p = quiz_param(rs, UNB, "produce_ms", 1), c = quiz_param(rs, UNB, "consume_ms", 0);
	double pm = d * 1000 / p, cm = c > 0 ? d * 1000 / c : 0;

	sb_printf(out,
		  "The producer made %.0f items and the consumer took %.0f (the model: %.0f and "
		  "%.0f), leaving %.0f against the model's %.0f: ",
		  produced, consumed, pm, cm, measured, model);
	if (consumed < 0.98 * cm && produced >= 0.98 * pm)
		sb_add(out, "the consumer fell behind its period (each sleep ends a little late: "
			    "timer slack, waking up, a busy CPU), so more items stayed queued.");
	else if (produced < 0.98 * pm)
		sb_add(out, "the producer fell behind its period (each sleep ends a little late), "
			    "so fewer items arrived than the model counts.");
	else
		sb_add(out, "both kept their periods, and the queue grew as flow in minus flow out "
			    "says.");
}

static void unb_memory_gap(const struct run_set *rs, double model, double measured,
			   struct sbuf *out)
{
	const struct run *r = quiz_run(rs, UNB);
	struct fig_rss m = fig_rss_of(r);
	double backlog = demo_num(r, "backlog", 0);
	double payload = quiz_param(rs, UNB, "payload_bytes", 0);
	double held = backlog * payload / (1024.0 * 1024.0), rest = measured - held;

	sb_printf(out,
		  "Memory grew by %.2f MiB (%.0f KiB to %.0f KiB) against the model's %.2f MiB: "
		  "the queue ended with %.0f items, whose payloads are %.2f MiB; ",
		  measured, m.start_kib, m.end_kib, model, backlog, held);
	if (rest >= 0)
		sb_printf(out,
			  "the other %.2f MiB is what else the process took (the allocator's "
			  "headers, the queue's nodes, the demo's own logs): the model counts only "
			  "the payloads.",
			  rest);
	else
		sb_printf(out,
			  "%.2f MiB less than that, because the resident memory counts only pages "
			  "the process touched, and memory freed by consumed items was reused.",
			  -rest);
}

static void bnd_gap(const struct run_set *rs, double model, double measured, struct sbuf *out)
{
	const struct run *r = quiz_run(rs, BND);
	double waits = demo_num(r, "queue.put_waits", -1);

	sb_printf(out,
		  "bounded held at most %.0f items against the model's %.0f: once the queue is "
		  "full the producer waits for room%s, so the backlog stops at the capacity "
		  "instead of growing.",
		  measured, model,
		  waits > 0 ? "" : " (it never had to here: the run was too short to fill it)");
	if (waits > 0)
		sb_printf(out, " It waited %.0f times.", waits);
}

static const struct quiz_question questions[] = {
    {"unbounded_backlog", UNB,
     "unbounded: a producer adds an item every {produce-ms} ms, a consumer takes one every "
     "{consume-ms} ms, for {duration} s, and the queue has no bound. How many items wait in "
     "it at the end?",
     "items", 0, 10000000, QUIZ_REL, 0.25, unb_backlog_model, unb_backlog, unb_backlog_gap, false},
    {"unbounded_memory_mib", UNB,
     "unbounded: each item carries 4096 bytes (the demo's payload). By how many MiB has the "
     "process's "
     "memory grown at the end?",
     "MiB", 0, 100000, QUIZ_REL, 0.25, unb_memory_model, unb_memory, unb_memory_gap, false},
    {"bounded_max_backlog", BND,
     "bounded: the same with a queue of at most {capacity} items, the producer waiting for "
     "room. The most items waiting at once?",
     "items", 0, 10000000, QUIZ_REL, 0.25, bnd_model, bnd_max, bnd_gap, false},
};

const struct quiz quiz_04_backpressure = {
    .demo = "04_backpressure",
    .q = questions,
    .nq = sizeof(questions) / sizeof(questions[0]),
    .sizes = sizes,
    .nsizes = sizeof(sizes) / sizeof(sizes[0]),
};
