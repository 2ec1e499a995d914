// SPDX-License-Identifier: GPL-2.0
/* 06_hybrid_pipeline's questions (docs/predict.md): the hybrid pipeline's
 * throughput and the single loop's. The model: a pipeline runs at its
 * slowest stage's pace, items at once / time per item (the fetch's
 * in-flight requests over its delay, the blocking threads over their call,
 * min(cpu workers, CPUs) over the bytecode's CPU time per item, which this
 * run measured); one loop doing all three stages passes one item per
 * blocking call plus its bytecode. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "figures.h"
#include "predict.h"
#include "sums.h"

static const struct quiz_size sizes[] = {
    {"blocking-threads", 8, 8, 4, 12, 2, 4, 12, 2, 0, NULL, false},
    {"blocking-ms", 5, 5, 3, 8, 1, 3, 8, 1, 0, NULL, false},
    {"fetch-ms", 10, 10, 5, 15, 5, 5, 15, 5, 0, NULL, false},
};

/* The cpu stage's bytecode CPU time per item, as this run measured it. */
static double cpu_item_s(const struct run *r)
{
	const json_t *st = json_object_get(r->demo->root, "stages"), *s;
	size_t i;

	json_array_foreach(st, i, s)
	{
		const char *name = json_string_value(json_object_get(s, "name"));

		if (name && !strcmp(name, "cpu"))
			return json_number_value(json_object_get(s, "per_item_ns")) / 1e9;
	}
	return -1;
}

static double hybrid_model(const struct run_set *rs, struct sbuf *rule)
{
	const struct run *r = quiz_run(rs, "hybrid");
	double fetch, blocking, cpu, cpu_s, workers;

	if (!r || (cpu_s = cpu_item_s(r)) <= 0)
		return -1;
	fetch = demo_param(r->demo, "inflight", 0) * 1e3 / demo_param(r->demo, "fetch_ms", 1);
	blocking = demo_param(r->demo, "blocking_threads", 0) * 1e3 /
		   demo_param(r->demo, "blocking_ms", 1);
	workers = fmin(demo_param(r->demo, "cpu_workers", 1), (double)fig_cpus(rs));
	cpu = workers / cpu_s;
	sb_printf(
	    rule,
	    "the slowest stage's pace: fetch %.0f in flight / %.0f ms = %.0f/s, blocking %.0f "
	    "threads / %.0f ms = %.0f/s, cpu min(%.0f workers, %d CPUs) / %.2f ms of bytecode "
	    "= %.0f/s",
	    demo_param(r->demo, "inflight", 0), demo_param(r->demo, "fetch_ms", 0), fetch,
	    demo_param(r->demo, "blocking_threads", 0), demo_param(r->demo, "blocking_ms", 0),
	    blocking, demo_param(r->demo, "cpu_workers", 0), fig_cpus(rs), cpu_s * 1e3, cpu);
	return fmin(fetch, fmin(blocking, cpu));
}

static double single_model(const struct run_set *rs, struct sbuf *rule)
{
	const struct run *r = quiz_run(rs, "single-loop"), *h = quiz_run(rs, "hybrid");
	double cpu_s = h ? cpu_item_s(h) : -1, block_s;

	if (!r || cpu_s <= 0)
		return -1;
	block_s = demo_param(r->demo, "blocking_ms", 0) / 1e3;
	sb_printf(rule,
		  "one item at a time through the blocking call and the bytecode: 1 / (%.0f ms + "
		  "%.2f ms, hybrid's bytecode per item)",
		  block_s * 1e3, cpu_s * 1e3);
	return 1 / (block_s + cpu_s);
}

static double tput(const struct run_set *rs, const char *name)
{
	const struct run *r = quiz_run(rs, name);

	return r ? demo_num(r, "throughput_per_s", -1) : -1;
}

static double hybrid_tput(const struct run_set *rs)
{
	return tput(rs, "hybrid");
}

static double single_tput(const struct run_set *rs)
{
	return tput(rs, "single-loop");
}

static void hybrid_gap(const struct run_set *rs, double model, double measured, struct sbuf *out)
{
	const struct run *r = quiz_run(rs, "hybrid");
	struct fig_stage st[FIG_STAGES];
	int b;

	fig_stages(r, st);
	b = fig_busiest_stage(st);
	sb_printf(out,
		  "hybrid passed %.0f items/s against the model's %.0f/s (%.0f%%): its busiest "
		  "stage, %s, was busy %.0f%% of the run; the pipeline also fills at the start "
		  "and drains at the end, when the slowest stage waits for work.",
		  measured, model, 100 * measured / model, b >= 0 ? st[b].name : "none",
		  b >= 0 ? 100 * st[b].busy : 0);
}

static void single_gap(const struct run_set *rs, double model, double measured, struct sbuf *out)
{
	sb_printf(out,
		  "single-loop passed %.0f items/s against the model's %.0f/s: while the loop "
		  "makes a blocking call or runs the bytecode it does not read the answers "
		  "waiting for it, so no stage overlaps another; what it loses beyond that is "
		  "the loop's own work per item.",
		  measured, model);
	(void)rs;
}

static const struct quiz_question questions[] = {
    {"hybrid_items_per_s", "hybrid",
     "hybrid: an event loop fetches (each answer after {fetch-ms} ms, 32 in flight), "
     "{blocking-threads} threads make a blocking call of {blocking-ms} ms each, processes run "
     "the bytecode (about 4 ms of CPU per item) on {cpus} CPUs. How many items per second?",
     "items/s", 0, 1000000, QUIZ_REL, 0.25, hybrid_model, hybrid_tput, hybrid_gap, false},
    {"single_loop_items_per_s", "single-loop",
     "single-loop: the loop thread does all three stages itself, item by item. How many items "
     "per second?",
     "items/s", 0, 1000000, QUIZ_REL, 0.25, single_model, single_tput, single_gap, false},
};

const struct quiz quiz_06_hybrid_pipeline = {
    .demo = "06_hybrid_pipeline",
    .q = questions,
    .nq = sizeof(questions) / sizeof(questions[0]),
    .sizes = sizes,
    .nsizes = sizeof(sizes) / sizeof(sizes[0]),
};
