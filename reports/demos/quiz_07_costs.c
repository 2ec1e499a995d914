// SPDX-License-Identifier: GPL-2.0
/* 07_costs's questions (docs/predict.md): the context switches a round trip
 * between two threads on one CPU takes, and the page faults of a forked
 * child that writes all of its parent's memory. The models: a round trip is
 * two handoffs, each a switch on one CPU; copy-on-write copies each 4 KiB
 * page at its first write, one fault each. */
#include <stdio.h>

#include "cost_entries.h"
#include "figures.h"
#include "predict.h"

#define PAGE 4096.0

static const struct quiz_size sizes[] = {
    {"round-trips", 20000, 2000, 10000, 30000, 5000, 1000, 3000, 500, 0, NULL, false},
    {"cow-mib", 256, 32, 128, 384, 64, 16, 64, 16, 0, NULL, false},
};

static const json_t *pingpong(const struct run *r)
{
	char name[64];

	cost_switch_entry(name, sizeof(name), false, CE_CHAN_PIPE, false);
	return cost_entry(r, name);
}

static double sw_model(const struct run_set *rs, struct sbuf *rule)
{
	if (!quiz_run(rs, COSTS_SWITCH))
		return -1;
	sb_add(rule, "a round trip is two handoffs (a to b, b back to a), and on one CPU each "
		     "handoff is a context switch: 2");
	return 2;
}

static double sw_measured(const struct run_set *rs)
{
	const struct run *r = quiz_run(rs, COSTS_SWITCH);
	const json_t *e = r ? pingpong(r) : NULL;
	double rts = cost_num(e, COST_ROUND_TRIPS, 0), sw = e ? cost_kernel_switches(r, e) : -1;

	return rts > 0 && sw >= 0 ? sw / rts : -1;
}

static void sw_gap(const struct run_set *rs, double model, double measured, struct sbuf *out)
{
	const struct run *r = quiz_run(rs, COSTS_SWITCH);
	const json_t *e = pingpong(r);
	double rts = cost_num(e, COST_ROUND_TRIPS, 0);

	sb_printf(out,
		  "The two threads switched %.0f times for %.0f round trips, %.2f each against the "
		  "model's %.0f: %s",
		  measured * rts, rts, measured, model,
		  measured > model ? "the extra switches are each thread's start and end, and "
				     "preemptions by other work on that CPU."
				   : "fewer than two means a thread found the byte already "
				     "there and went on without sleeping.");
}

static double cow_model(const struct run_set *rs, struct sbuf *rule)
{
	double mib = quiz_param(rs, COSTS_COW, "cow_mib", -1);

	if (mib <= 0)
		return -1;
	sb_printf(rule, "one fault per 4 KiB page written: %.0f MiB / 4 KiB", mib);
	return mib * 1024 * 1024 / PAGE;
}

static double cow_measured(const struct run_set *rs)
{
	const struct run *r = quiz_run(rs, COSTS_COW);
	const char *src;

	return r ? cost_cow_faults(r, CE_WRITE, &src) : -1;
}

static void cow_gap(const struct run_set *rs, double model, double measured, struct sbuf *out)
{
	const char *src = "";

	cost_cow_faults(quiz_run(rs, COSTS_COW), CE_WRITE, &src);
	sb_printf(out,
		  "The writing child took %.0f page faults (%s) against the model's %.0f: each "
		  "page it wrote was still shared with its parent, so the kernel copied it at the "
		  "first write; %s",
		  measured, src, model,
		  measured > model ? "the rest are the child's own stack, its exit and the code "
				     "it ran."
				   : "fewer means some pages were already its own.");
}

static const struct quiz_question questions[] = {
    {"switches_per_round_trip", COSTS_SWITCH,
     "switch: two threads on one CPU pass a byte back and forth over a pipe, {round-trips} "
     "round trips. How many context switches per round trip?",
     "switches", 0, 1000, QUIZ_ABS, 0.25, sw_model, sw_measured, sw_gap, false},
    {"cow_write_faults", COSTS_COW,
     "cow: a process fills {cow-mib} MiB, forks, and the child writes every byte of it. How "
     "many page faults does the child take?",
     "faults", 0, 1e9, QUIZ_REL, 0.25, cow_model, cow_measured, cow_gap, false},
};

const struct quiz quiz_07_costs = {
    .demo = "07_costs",
    .q = questions,
    .nq = sizeof(questions) / sizeof(questions[0]),
    .sizes = sizes,
    .nsizes = sizeof(sizes) / sizeof(sizes[0]),
};
